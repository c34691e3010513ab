import { CliExit } from './cliOutput'

/**
 * A small urfave/cli-style flag parser for the simulated `lotus*` commands: `--name value`,
 * `--name=value`, `-n value`, boolean `--flag` / `--flag=false`. Flags may come before
 * positional arguments only up to a `--`, as in urfave/cli v2 (flags after the first positional
 * argument are treated as arguments).
 */
export interface FlagSpec {
  /** Names without dashes, first is canonical: ['log', 'l']. */
  names: string[]
  kind: 'bool' | 'string'
  default?: string | boolean
}

export interface ParsedFlags {
  flags: Record<string, string | boolean>
  args: string[]
}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedFlags {
  const byName = new Map<string, FlagSpec>()
  for (const s of specs) for (const n of s.names) byName.set(n, s)
  const flags: Record<string, string | boolean> = {}
  for (const s of specs) if (s.default !== undefined) flags[s.names[0] as string] = s.default
  const args: string[] = []
  let i = 0
  while (i < argv.length) {
    const a = argv[i] as string
    if (a === '--') {
      args.push(...argv.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a.length > 1 && args.length === 0) {
      const body = a.replace(/^--?/, '')
      const eq = body.indexOf('=')
      const name = eq >= 0 ? body.slice(0, eq) : body
      const spec = byName.get(name)
      if (!spec) throw new CliExit(1, `flag provided but not defined: -${name}`)
      const key = spec.names[0] as string
      if (spec.kind === 'bool') {
        if (eq >= 0) {
          const v = body.slice(eq + 1)
          if (v !== 'true' && v !== 'false') throw new CliExit(1, `invalid boolean value "${v}" for -${name}: parse error`)
          flags[key] = v === 'true'
        } else flags[key] = true
        i++
        continue
      }
      if (eq >= 0) {
        flags[key] = body.slice(eq + 1)
        i++
        continue
      }
      const v = argv[i + 1]
      if (v === undefined) throw new CliExit(1, `flag needs an argument: -${name}`)
      flags[key] = v
      i += 2
      continue
    }
    args.push(a)
    i++
  }
  void command
  return { flags, args }
}
