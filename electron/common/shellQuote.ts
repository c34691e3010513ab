/**
 * The one audited place where argument lists become remote shell command lines.
 *
 * Every command MinerDesk runs on a site is built here from an argv array; nothing pastes user
 * input into a shell string. Quoting is POSIX `sh` single-quoting, which has no escapes inside
 * the quotes: the only character needing care is `'` itself, written as `'\''`.
 */

/** Characters that never need quoting in a POSIX shell word. */
const SAFE_WORD = /^[A-Za-z0-9_\-.,:/@%+=]+$/
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export class UnsafeArgumentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsafeArgumentError'
  }
}

/** Quotes one argument so that `sh` passes it through as exactly one word, byte for byte. */
export function quoteArg(arg: string): string {
  if (typeof arg !== 'string') throw new UnsafeArgumentError('argument is not a string')
  if (arg.includes('\0')) throw new UnsafeArgumentError('argument contains a NUL byte')
  if (arg.length > 0 && SAFE_WORD.test(arg)) return arg
  return `'${arg.replace(/'/g, `'\\''`)}'`
}

/** Joins an argv array into one shell command line. */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) throw new UnsafeArgumentError('empty command')
  return argv.map(quoteArg).join(' ')
}

export interface RemoteCommand {
  argv: readonly string[]
  /** Directory to run in; `~` or `~/x` is expanded by the remote shell from $HOME. */
  cwd?: string
  /** Extra environment for this command only. */
  env?: Readonly<Record<string, string>>
}

/** Quotes a directory for `cd`, keeping a leading `~/` expandable by the remote shell. */
export function quoteDir(dir: string): string {
  if (dir === '~') return '"$HOME"'
  if (dir.startsWith('~/')) return `"$HOME"/${quoteArg(dir.slice(2))}`
  return quoteArg(dir)
}

/** Builds `cd DIR && VAR=val … prog args…` from a structured command. */
export function buildCommandLine(cmd: RemoteCommand): string {
  const parts: string[] = []
  if (cmd.cwd !== undefined) parts.push(`cd ${quoteDir(cmd.cwd)} &&`)
  for (const [name, value] of Object.entries(cmd.env ?? {})) {
    if (!ENV_NAME.test(name)) throw new UnsafeArgumentError(`invalid environment variable name ${JSON.stringify(name)}`)
    parts.push(`${name}=${quoteArg(value)}`)
  }
  parts.push(quoteArgv(cmd.argv))
  return parts.join(' ')
}

/**
 * Wraps an operator-configured shell snippet (a start command such as `./runminer.sh` from the
 * site settings) so it runs under `sh -c` in the given directory, detached from the SSH channel.
 * The snippet is the operator's own configuration, shown in the preview before it runs.
 */
export function buildShellSnippet(snippet: string, cwd?: string): string {
  if (snippet.includes('\0')) throw new UnsafeArgumentError('command contains a NUL byte')
  if (snippet.trim() === '') throw new UnsafeArgumentError('empty command')
  const argv = ['sh', '-c', snippet]
  return buildCommandLine(cwd === undefined ? { argv } : { argv, cwd })
}
