import type { ErrorCode } from '../../preload/contract'

/**
 * Exit codes scripts can rely on (also printed by `minerdesk --help`):
 * 0 success · 1 a site or the operation failed · 2 bad usage or invalid input ·
 * 3 refused (not confirmed with --yes, or a safety check said no) · 4 not found.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, notFound: 4 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export function exitCodeFor(code: ErrorCode): ExitCode {
  if (code === 'invalid-input') return EXIT.usage
  if (code === 'not-found') return EXIT.notFound
  if (code === 'mutation/not-confirmed' || code === 'mutation/refused' || code === 'ssh/host-key-rejected') return EXIT.refused
  return EXIT.failed
}

export const EXIT_HELP = `Exit codes: 0 success, 1 a site or the operation failed, 2 bad usage or invalid input,
3 refused (needs --yes, or a safety check said no), 4 not found.`
