/**
 * Errors that cross the boundary between main and the renderer (or the CLI). `code` is stable
 * and names an i18n key (`errors.<code>`); `message` is the English fallback; `hint` says what
 * the operator can do about it.
 */
export interface ErrorInfo {
  code: ErrorCode
  message: string
  hint?: string
  /** Values for the i18n template of `code`. */
  params?: Record<string, string | number>
  /** Raw detail (remote stderr, Lotus error text) shown verbatim, never translated. */
  details?: string
}

export type ErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'cancelled'
  | 'internal'
  | 'ssh/config'
  | 'ssh/unreachable'
  | 'ssh/auth-failed'
  | 'ssh/passphrase-needed'
  | 'ssh/host-key-unknown'
  | 'ssh/host-key-changed'
  | 'ssh/host-key-rejected'
  | 'ssh/timeout'
  | 'ssh/command-failed'
  | 'lotus/daemon-down'
  | 'lotus/miner-down'
  | 'lotus/no-api-info'
  | 'lotus/unauthorized'
  | 'lotus/permission'
  | 'lotus/method-missing'
  | 'lotus/version-too-old'
  | 'lotus/rpc'
  | 'lotus/bad-response'
  | 'mutation/not-confirmed'
  | 'mutation/refused'
  /** The Prometheus exporter could not listen where it was told (port taken, no permission). */
  | 'exporter/listen-failed'
  /** Another operator's MinerDesk holds the site's restart lock. */
  | 'site/locked'
  /** The site is set read-only (monitoring only): MinerDesk changes nothing there. */
  | 'site/read-only'
  /** Browser host only: the page lost its WebSocket to the host; the call may or may not have run. */
  | 'host/disconnected'
  /** The audit log could not be written (a full disk…): an action needing it was not started. */
  | 'audit/write-failed'
  /** A state file in MINERDESK_HOME (settings, restart state) could not be written: the previous one is kept. */
  | 'storage/write-failed'

export class MinerDeskError extends Error implements ErrorInfo {
  readonly code: ErrorCode
  readonly hint?: string
  readonly params?: Record<string, string | number>
  readonly details?: string

  constructor(info: ErrorInfo) {
    super(info.message)
    this.name = 'MinerDeskError'
    this.code = info.code
    if (info.hint !== undefined) this.hint = info.hint
    if (info.params !== undefined) this.params = info.params
    if (info.details !== undefined) this.details = info.details
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message }
    if (this.hint !== undefined) info.hint = this.hint
    if (this.params !== undefined) info.params = this.params
    if (this.details !== undefined) info.details = this.details
    return info
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof MinerDeskError) return err.toInfo()
  if (err && typeof err === 'object' && 'code' in err && 'message' in err && typeof (err as ErrorInfo).code === 'string') {
    const e = err as ErrorInfo
    if (isErrorCode(e.code)) return { code: e.code, message: String(e.message), ...(e.hint ? { hint: e.hint } : {}), ...(e.details ? { details: e.details } : {}), ...(e.params ? { params: e.params } : {}) }
  }
  const message = err instanceof Error ? err.message : err && typeof err === 'object' && typeof (err as { message?: unknown }).message === 'string' ? (err as { message: string }).message : String(err)
  return { code: 'internal', message }
}

// Every code, checked complete by the compiler: a code missing here would reach a window or the
// CLI as 'internal' (isErrorCode is how a code is recognised on the far side of a transport).
const CODE_TABLE: Record<ErrorCode, true> = {
  'invalid-input': true, 'not-found': true, 'conflict': true, 'cancelled': true, 'internal': true,
  'ssh/config': true, 'ssh/unreachable': true, 'ssh/auth-failed': true, 'ssh/passphrase-needed': true,
  'ssh/host-key-unknown': true, 'ssh/host-key-changed': true, 'ssh/host-key-rejected': true,
  'ssh/timeout': true, 'ssh/command-failed': true, 'lotus/daemon-down': true, 'lotus/miner-down': true,
  'lotus/no-api-info': true, 'lotus/unauthorized': true, 'lotus/permission': true,
  'lotus/method-missing': true, 'lotus/version-too-old': true, 'lotus/rpc': true, 'lotus/bad-response': true,
  'mutation/not-confirmed': true, 'mutation/refused': true, 'host/disconnected': true,
  'exporter/listen-failed': true, 'audit/write-failed': true, 'storage/write-failed': true,
  'site/locked': true, 'site/read-only': true
}
const CODES: ReadonlySet<string> = new Set(Object.keys(CODE_TABLE))

export function isErrorCode(code: string): code is ErrorCode {
  return CODES.has(code)
}

/** The envelope every contract call returns on the wire (IPC or WebSocket). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }
