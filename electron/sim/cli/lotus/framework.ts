import { CliExit, out } from '../../common/cliOutput'
import { parseFlags, type FlagSpec } from '../../common/flags'

/**
 * Just enough of urfave/cli v2 (which every Lotus binary uses) for the simulated commands to
 * behave like Lotus's: command trees, Go-flag parsing that stops at the first argument,
 * `--help`, the help templates (NAME / USAGE / CATEGORY / COMMANDS / OPTIONS), "Incorrect
 * Usage" on an undefined flag, and "No help topic for 'x'" (exit 3) for an unknown command.
 */

export interface Flag extends FlagSpec {
  usage: string
  /** Value placeholder in help (`value` by default for string flags). */
  placeholder?: string
  /** Shown as `(default: …)`; bool flags default to `false`. */
  defaultText?: string
  /** Int/duration flags are validated like Go's flag package. */
  type?: 'int' | 'duration'
}

export interface Context {
  flags: Record<string, string | boolean>
  args: string[]
  /** The command's own arguments as given (flags included). */
  argv: string[]
  /** Flags set explicitly on the command line (cctx.IsSet). */
  isSet(name: string): boolean
  /** Full command path, e.g. `lotus mpool replace`. */
  path: string
  command: Command
}

export interface Command {
  name: string
  aliases?: string[]
  usage: string
  argsUsage?: string
  category?: string
  flags?: Flag[]
  subcommands?: Command[]
  action?: (ctx: Context) => Promise<number | void>
  /** Listed in help as Lotus lists it, but not part of the simulated node. */
  notSimulated?: boolean
}

const HELP_FLAG: Flag = { names: ['help', 'h'], kind: 'bool', usage: 'show help' }

function flagLabel(f: Flag): string {
  const names = f.names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`))
  if (f.kind === 'bool') return names.join(', ')
  const ph = f.placeholder ?? 'value'
  return names.map((n) => `${n} ${ph}`).join(', ')
}

function flagUsage(f: Flag): string {
  if (f === HELP_FLAG) return f.usage
  const def = f.defaultText ?? (f.kind === 'bool' ? 'false' : undefined)
  return def !== undefined ? `${f.usage} (default: ${def})`.trim() : f.usage
}

/** Lines aligned like Go's tabwriter with padding 2. */
function columns(rows: [string, string][], indent: string): string[] {
  const w = Math.max(...rows.map(([a]) => a.length))
  return rows.map(([a, b]) => (b ? `${indent}${a.padEnd(w + 2)}${b}` : `${indent}${a}`).trimEnd())
}

export function helpText(cmd: Command, path: string): string {
  const flags = [...(cmd.flags ?? []), HELP_FLAG]
  const lines = ['NAME:', `   ${path} - ${cmd.usage}`, '', 'USAGE:', `   ${path} [command options]${cmd.argsUsage ? ` ${cmd.argsUsage}` : ''}`]
  if (cmd.category) lines.push('', 'CATEGORY:', `   ${cmd.category}`)
  if (cmd.subcommands?.length) {
    const subs: [string, string][] = cmd.subcommands.map((s) => [[s.name, ...(s.aliases ?? [])].join(', '), s.usage])
    subs.push(['help, h', 'Shows a list of commands or help for one command'])
    lines.push('', 'COMMANDS:', ...columns(subs, '   '))
  }
  lines.push('', 'OPTIONS:', ...columns(flags.map((f) => [flagLabel(f), flagUsage(f)]), '   '))
  return `${lines.join('\n')}\n`
}

function findSub(cmd: Command, name: string): Command | undefined {
  return cmd.subcommands?.find((s) => s.name === name || s.aliases?.includes(name))
}

function validateTyped(flags: Record<string, string | boolean>, specs: Flag[], explicit: Set<string>): void {
  for (const f of specs) {
    const key = f.names[0] as string
    if (!explicit.has(key) || !f.type) continue
    const v = String(flags[key])
    const ok = f.type === 'int' ? /^[+-]?\d+$/.test(v) : /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(v) || v === '0'
    if (!ok) throw new CliExit(1, `invalid value "${v}" for flag -${key}: parse error`)
  }
}

/** Parses a Go duration (`30s`, `1m30s`, `250ms`) to milliseconds. */
export function parseGoDuration(s: string): number {
  if (s === '0') return 0
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
  let total = 0
  for (const m of s.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (units[m[2] as string] as number)
  return total
}

/**
 * Runs `argv` against a command (urfave's Command.Run): flags, then a matching subcommand, else
 * the action, else help.
 */
export async function runCommand(cmd: Command, argv: string[], path: string): Promise<number> {
  const specs = [...(cmd.flags ?? []), HELP_FLAG]
  let parsed: { flags: Record<string, string | boolean>; args: string[] }
  try {
    parsed = parseFlags(argv, specs, cmd.name)
    const explicit = explicitFlags(argv, specs)
    validateTyped(parsed.flags, specs, explicit)
  } catch (e) {
    if (e instanceof CliExit) {
      process.stdout.write(`Incorrect Usage: ${e.message}\n\n`)
      process.stdout.write(helpText(cmd, path))
    }
    throw e
  }
  if (parsed.flags.help === true) {
    process.stdout.write(helpText(cmd, path))
    return 0
  }
  const [first, ...rest] = parsed.args
  if (first !== undefined && cmd.subcommands) {
    if (first === 'help' || first === 'h') {
      if (rest[0] === undefined) {
        process.stdout.write(helpText(cmd, path))
        return 0
      }
      const sub = findSub(cmd, rest[0])
      if (!sub) return noHelpTopic(rest[0])
      process.stdout.write(helpText(sub, `${path} ${sub.name}`))
      return 0
    }
    const sub = findSub(cmd, first)
    if (sub) return runCommand(sub, rest, `${path} ${sub.name}`)
    if (!cmd.action) return noHelpTopic(first)
  }
  if (cmd.notSimulated) throw new CliExit(1, `${path}: this command is not part of the simulated site`)
  if (!cmd.action) {
    process.stdout.write(helpText(cmd, path))
    return 0
  }
  const explicit = explicitFlags(argv, specs)
  const code = await cmd.action({ flags: parsed.flags, args: parsed.args, argv, isSet: (n) => explicit.has(n), path, command: cmd })
  return code ?? 0
}

function noHelpTopic(name: string): number {
  process.stderr.write(`No help topic for '${name}'\n`)
  return 3
}

/** Canonical names of the flags given before the first argument. */
function explicitFlags(argv: string[], specs: Flag[]): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--' || !a.startsWith('-') || a.length === 1) break
    const body = a.replace(/^--?/, '')
    const name = body.split('=')[0] as string
    const spec = specs.find((s) => s.names.includes(name))
    if (!spec) continue
    out.add(spec.names[0] as string)
    if (spec.kind === 'string' && !body.includes('=')) i++
  }
  return out
}

export { out }
