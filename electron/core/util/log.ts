import { redactSecrets } from './redact'

/**
 * The core's log of problems nobody asked about (a poll that failed, a listener that threw):
 * one line on stderr, through the one redaction, so no token reaches a terminal or a log file.
 */
export function logProblem(what: string, err?: unknown): void {
  const detail = err === undefined ? '' : `: ${err instanceof Error ? (err.stack ?? err.message) : typeof err === 'string' ? err : safeJson(err)}`
  try {
    process.stderr.write(`minerdesk: ${redactSecrets(`${what}${detail}`)}\n`)
  } catch {
    /* stderr closed: nothing else to do */
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}
