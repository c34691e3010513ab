import { hostname } from 'node:os'
import type { AppSettings } from '../../../preload/contract'
import { osOperator } from '../audit/auditLog'

/** This machine as other operators see it in locks and the site's audit log. */
export function thisMachine(): string {
  return hostname() || 'unknown'
}

/** The operator's name: the configured one, else `user@host`. */
export function operatorIdentity(settings: Pick<AppSettings, 'operatorName'>): string {
  return settings.operatorName ?? `${osOperator()}@${thisMachine()}`
}
