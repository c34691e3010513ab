import { MinerDeskError, type ErrorInfo } from '../../../preload/contract'

/** A problem with the operator's OpenSSH config (unreadable file, bad value, unsupported option). */
export function configError(message: string, hint?: string): MinerDeskError {
  const info: ErrorInfo = { code: 'ssh/config', message }
  if (hint !== undefined) info.hint = hint
  return new MinerDeskError(info)
}

/** Network-level failure: the command was not sent (or the connection dropped while it ran). */
export function unreachableError(message: string, details?: string): MinerDeskError {
  const info: ErrorInfo = { code: 'ssh/unreachable', message, hint: 'Check that the host is up and sshd is running; MinerDesk keeps retrying.' }
  if (details !== undefined) info.details = details
  return new MinerDeskError(info)
}

export function isMinerDeskError(err: unknown): err is MinerDeskError {
  return err instanceof MinerDeskError
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
