import type { ErrorCode, MutationOutcome } from '../../preload/contract'

/**
 * Exit codes scripts can rely on (also printed by `minerdesk --help`):
 * 0 success · 1 a site or the operation failed · 2 bad usage or invalid input ·
 * 3 refused (not confirmed with --yes, or a safety check said no) · 4 not found.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  notFound: 4,
  /** The action RAN, but the audit log could not record it (a full disk): never run it again. */
  ranUnaudited: 5,
  /** `minerdesk restart`: the step that failed (10 pre-check … 15 post-check), 16 aborted. */
  restartPrecheck: 10,
  restartStopMiner: 11,
  restartStopDaemon: 12,
  restartStartDaemon: 13,
  restartStartMiner: 14,
  restartPostcheck: 15,
  restartAborted: 16
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export function exitCodeFor(code: ErrorCode): ExitCode {
  if (code === 'invalid-input') return EXIT.usage
  if (code === 'not-found') return EXIT.notFound
  if (code === 'mutation/not-confirmed' || code === 'mutation/refused' || code === 'ssh/host-key-rejected') return EXIT.refused
  return EXIT.failed
}

/** The exit code of an executed change: 5 whenever a step ran without its end in the audit log. */
export function outcomeExitCode(o: Pick<MutationOutcome, 'ok' | 'error' | 'auditFailure'>): ExitCode {
  if (o.auditFailure) return EXIT.ranUnaudited
  if (o.ok) return EXIT.ok
  return o.error ? exitCodeFor(o.error.code) : EXIT.failed
}

/** What the CLI prints when a step ran but the audit log could not record its end. */
export function auditFailureText(o: Pick<MutationOutcome, 'auditFailure' | 'steps'>): string[] {
  if (!o.auditFailure) return []
  const s = o.steps[o.auditFailure.step]
  return [
    `RAN, NOT AUDITED: step ${o.auditFailure.step + 1} (${s ? `${s.step.host}: ${s.step.text}` : '?'}) was sent to the site, but the audit log could not record how it ended: ${o.auditFailure.error.message}`,
    '  Do NOT run it again: check the site to see its effect. Nothing after it was started.',
    ...(o.auditFailure.error.hint ? [`  ${o.auditFailure.error.hint}`] : [])
  ]
}

export const EXIT_HELP = `Exit codes: 0 success, 1 a site or the operation failed, 2 bad usage or invalid input,
3 refused (needs --yes, or a safety check said no), 4 not found,
5 the action ran but the audit log could not record it (disk full?): do not run it again.
restart: 10 the pre-check failed, 11 stopping the miner failed, 12 stopping the daemon failed,
13 starting the daemon / sync failed, 14 starting the miner failed (warm-up, environment, version),
15 the post-check failed, 16 aborted; 3 also when the restart waits for an operator decision.`
