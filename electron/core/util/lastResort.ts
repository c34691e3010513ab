import { redactSecrets } from './redact'

/**
 * The last resort of a host process: an error nothing else caught is logged (redacted) and the
 * process keeps running. Ending it would end every restart in flight with it, leaving a miner
 * half-restarted; each request and call already has its own guard, so this only catches bugs.
 */
export function keepRunningOnUnexpectedErrors(what: string, write: (line: string) => void = (l) => process.stderr.write(l)): void {
  const log = (kind: string, err: unknown): void => {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err)
    try {
      write(`minerdesk: unexpected ${kind} (${what} keeps running): ${redactSecrets(text)}\n`)
    } catch {
      /* stderr gone: nothing else to do */
    }
  }
  process.on('uncaughtException', (err) => log('error', err))
  process.on('unhandledRejection', (reason) => log('rejection', reason))
}
