import { tabwrite } from './text'

/**
 * A small urfave/cli v2 work-alike for the simulated `lotus-miner` and `lotus-worker`: flags before
 * arguments, `--help`/`-h`, env-backed flags, Lotus's RunApp error printing (`ERROR: …` and a blank
 * line, exit 1; PrintHelpErr also shows the command's help), and urfave's behaviour on unknown
 * subcommands (`No help topic for 'x'`, exit 3) and flags (`Incorrect Usage: …`).
 */

export interface Flag {
  names: string[]
  kind: 'bool' | 'string' | 'int'
  usage: string
  default?: string | boolean
  env?: string[]
  hidden?: boolean
  defaultText?: string
}

export interface Ctx {
  flags: Record<string, string | boolean>
  isSet: (name: string) => boolean
  args: string[]
  /** Global (app-level) flags. */
  global: Record<string, string | boolean>
  globalIsSet: (name: string) => boolean
  /** Full command name, e.g. `lotus-miner sealing jobs`. */
  helpName: string
  cmd: Command
  out: (s?: string) => void
  write: (s: string) => void
}

export interface Command {
  name: string
  aliases?: string[]
  usage: string
  argsUsage?: string
  usageText?: string
  category?: string
  description?: string
  flags?: Flag[]
  subcommands?: Command[]
  action?: (ctx: Ctx) => Promise<number | void> | number | void
}

export interface App extends Command {
  version: string
  /**
   * How a failed command ends: Lotus's RunApp (`ERROR: …`, exit 1), or lotus-worker's main, which
   * logs the error as a go-log WARN line and exits 0.
   */
  onError?: (message: string) => number
}

/** An error that prints the command's help after `ERROR: …` (lcli.ShowHelp / IncorrectNumArgs). */
export class HelpError extends Error {}

/** urfave's cli.Exit: message to stderr as is, own exit code. */
export class ExitError extends Error {
  constructor(
    message: string,
    readonly code: number
  ) {
    super(message)
  }
}

export function incorrectNumArgs(ctx: Ctx): HelpError {
  return new HelpError(`incorrect number of arguments, got ${ctx.args.length}`)
}

const HELP_FLAG: Flag = { names: ['help', 'h'], kind: 'bool', usage: 'show help', default: false }

function flagLabel(f: Flag): string {
  const names = f.names.map((n) => (n.length === 1 ? `-${n}` : `--${n}`)).join(', ')
  return f.kind === 'bool' ? names : `${names} value`
}

/** Flag.String() as urfave prints it in help (`--name value\tusage (default: "x") [$ENV]`). */
function flagHelp(f: Flag): string {
  let def = ''
  if (f.defaultText !== undefined) def = ` (default: ${f.defaultText})`
  else if (f.kind === 'bool') def = f.names[0] === 'help' ? '' : ` (default: ${f.default === true})`
  else if (f.default !== undefined && f.default !== '') def = f.kind === 'string' ? ` (default: ${JSON.stringify(f.default)})` : ` (default: ${String(f.default)})`
  const env = f.env && f.env.length > 0 ? ` [${f.env.map((e) => `$${e}`).join(', ')}]` : ''
  return `${flagLabel(f)}\t${f.usage}${def}${env}`
}

function visibleFlags(c: Command): Flag[] {
  return [...(c.flags ?? []).filter((f) => !f.hidden), HELP_FLAG]
}

function commandsBlock(c: Command): string {
  const subs = c.subcommands ?? []
  const uncategorized = subs.filter((s) => !s.category)
  const cats = [...new Set(subs.map((s) => s.category).filter((x): x is string => !!x))]
  let s = ''
  for (const sub of [...uncategorized, { name: 'help', aliases: ['h'], usage: 'Shows a list of commands or help for one command' } as Command]) {
    s += `\n   ${[sub.name, ...(sub.aliases ?? [])].join(', ')}\t${sub.usage}`
  }
  for (const cat of cats) {
    s += `\n   ${cat}:`
    for (const sub of subs.filter((x) => x.category === cat)) s += `\n     ${[sub.name, ...(sub.aliases ?? [])].join(', ')}\t${sub.usage}`
  }
  return s
}

export function renderHelp(c: Command, helpName: string, isApp = false, version?: string): string {
  const flags = visibleFlags(c)
  let s = `NAME:\n   ${helpName}${c.usage ? ` - ${c.usage}` : ''}\n\nUSAGE:\n   `
  if (c.usageText) s += c.usageText
  else if (isApp) s += `${helpName} [global options] command [command options]`
  else if (c.subcommands && c.subcommands.length > 0) s += `${helpName} command [command options]${c.argsUsage ? ` ${c.argsUsage}` : ''}`
  else s += `${helpName}${flags.length > 0 ? ' [command options]' : ''}${c.argsUsage ? ` ${c.argsUsage}` : ''}`
  if (isApp && version) s += `\n\nVERSION:\n   ${version}`
  if (c.category && !isApp) s += `\n\nCATEGORY:\n   ${c.category}`
  if (c.description) s += `\n\nDESCRIPTION:\n   ${c.description.split('\n').join('\n   ')}`
  if (c.subcommands && c.subcommands.length > 0) s += `\n\nCOMMANDS:${commandsBlock(c)}`
  s += `\n\n${isApp ? 'GLOBAL OPTIONS' : 'OPTIONS'}:`
  for (const f of flags) s += `\n   ${flagHelp(f)}`
  return tabwrite(`${s}\n`, 1, 2)
}

function parse(argv: string[], flags: Flag[]): { values: Record<string, string | boolean>; set: Set<string>; args: string[]; help: boolean } {
  const all = [...flags, HELP_FLAG]
  const byName = new Map<string, Flag>()
  for (const f of all) for (const n of f.names) byName.set(n, f)
  const values: Record<string, string | boolean> = {}
  const set = new Set<string>()
  let help = false
  let i = 0
  const args: string[] = []
  while (i < argv.length) {
    const a = argv[i] as string
    if (a === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a.length > 1) {
      const body = a.replace(/^--?/, '')
      const eq = body.indexOf('=')
      const name = eq >= 0 ? body.slice(0, eq) : body
      const f = byName.get(name)
      if (!f) throw new ExitError(`flag provided but not defined: -${name}`, -1)
      const key = f.names[0] as string
      if (f.kind === 'bool') {
        let v = true
        if (eq >= 0) {
          const raw = body.slice(eq + 1)
          if (!['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(raw)) {
            throw new ExitError(`invalid boolean value "${raw}" for -${name}: parse error`, -1)
          }
          v = ['true', '1', 't', 'TRUE', 'True'].includes(raw)
        }
        if (key === 'help') help = v
        else values[key] = v
        set.add(key)
        i++
        continue
      }
      let v: string
      if (eq >= 0) {
        v = body.slice(eq + 1)
        i++
      } else {
        const next = argv[i + 1]
        if (next === undefined) throw new ExitError(`flag needs an argument: -${name}`, -1)
        v = next
        i += 2
      }
      if (f.kind === 'int' && !/^-?\d+$/.test(v)) throw new ExitError(`invalid value "${v}" for flag -${name}: parse error`, -1)
      values[key] = v
      set.add(key)
      continue
    }
    args.push(...argv.slice(i))
    break
  }
  for (const f of flags) {
    const key = f.names[0] as string
    if (set.has(key)) continue
    const envVal = (f.env ?? []).map((e) => process.env[e]).find((v) => v !== undefined && v !== '')
    if (envVal !== undefined) {
      values[key] = f.kind === 'bool' ? ['true', '1', 't'].includes(envVal) : envVal
      set.add(key)
    } else if (f.default !== undefined) values[key] = f.default
  }
  return { values, set, args, help }
}

function out(s = ''): void {
  process.stdout.write(`${s}\n`)
}

/** Runs an app like lcli.RunApp(app): returns the process exit code. */
export async function runApp(app: App, argv: string[]): Promise<number> {
  let ctxForHelp: { cmd: Command; name: string } = { cmd: app, name: app.name }
  try {
    const g = parse(argv, app.flags ?? [])
    if (g.help || g.args.length === 0) {
      process.stdout.write(renderHelp(app, app.name, true, app.version))
      return 0
    }
    const global = g.values
    const globalIsSet = (n: string) => g.set.has(n)
    let cmd: Command = app
    let rest = g.args
    let helpName = app.name
    for (;;) {
      const name = rest[0]
      const sub = name !== undefined ? (cmd.subcommands ?? []).find((s) => s.name === name || (s.aliases ?? []).includes(name)) : undefined
      if (name === 'help' || name === 'h') {
        const topic = rest[1]
        if (topic === undefined) {
          process.stdout.write(renderHelp(cmd, helpName, cmd === app, app.version))
          return 0
        }
        const t = (cmd.subcommands ?? []).find((s) => s.name === topic || (s.aliases ?? []).includes(topic))
        if (!t) throw new ExitError(`No help topic for '${topic}'`, 3)
        process.stdout.write(renderHelp(t, `${helpName} ${t.name}`))
        return 0
      }
      if (!sub) {
        if (cmd === app) {
          if (name !== undefined) throw new ExitError(`No help topic for '${name}'`, 3)
        }
        break
      }
      cmd = sub
      helpName = `${helpName} ${sub.name}`
      ctxForHelp = { cmd, name: helpName }
      let parsed
      try {
        parsed = parse(rest.slice(1), cmd.flags ?? [])
      } catch (e) {
        if (e instanceof ExitError && e.code === -1) {
          process.stdout.write(`Incorrect Usage: ${e.message}\n\n`)
          process.stdout.write(renderHelp(cmd, helpName))
          throw new Error(e.message)
        }
        throw e
      }
      if (parsed.help) {
        process.stdout.write(renderHelp(cmd, helpName))
        return 0
      }
      const hasSub = (cmd.subcommands ?? []).length > 0
      const first = parsed.args[0]
      if (hasSub && first !== undefined && (cmd.subcommands ?? []).some((s) => s.name === first || (s.aliases ?? []).includes(first))) {
        rest = parsed.args
        continue
      }
      if (!cmd.action) {
        if (first !== undefined) throw new ExitError(`No help topic for '${first}'`, 3)
        process.stdout.write(renderHelp(cmd, helpName))
        return 0
      }
      const ctx: Ctx = {
        flags: parsed.values,
        isSet: (n) => parsed.set.has(n),
        args: parsed.args,
        global,
        globalIsSet,
        helpName,
        cmd,
        out,
        write: (s) => process.stdout.write(s)
      }
      const code = await cmd.action(ctx)
      return code ?? 0
    }
    process.stdout.write(renderHelp(cmd, helpName, cmd === app, app.version))
    return 0
  } catch (e) {
    if (e instanceof ExitError && e.code >= 0) {
      process.stderr.write(`${e.message}\n`)
      return e.code
    }
    if (e instanceof ExitError && e.code === -1) {
      process.stdout.write(`Incorrect Usage: ${e.message}\n\n`)
      process.stdout.write(renderHelp(ctxForHelp.cmd, ctxForHelp.name, ctxForHelp.cmd === app, app.version))
    }
    const msg = e instanceof Error ? e.message : String(e)
    if (app.onError) return app.onError(msg)
    process.stderr.write(`ERROR: ${msg}\n\n`)
    if (e instanceof HelpError) process.stdout.write(renderHelp(ctxForHelp.cmd, ctxForHelp.name))
    return 1
  }
}
