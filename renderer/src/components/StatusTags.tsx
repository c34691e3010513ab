import { useTranslation } from 'react-i18next'
import type { ConnectionInfo, ConnectionStateName, FindingSeverity, Health } from '@contract'
import { CONNECTION_TONE, HEALTH_TONE, SEVERITY_TONE } from '@renderer/theme/tokens'
import { StatusText } from './StatusText'

export function HealthText({ health, testId }: { health: Health; testId?: string }) {
  const { t } = useTranslation()
  return (
    <StatusText tone={HEALTH_TONE[health]} testId={testId} strong={health === 'critical'}>
      <span data-health={health}>{t(`health.${health}`)}</span>
    </StatusText>
  )
}

export function ConnectionText({ info, state, testId }: { info?: ConnectionInfo; state?: ConnectionStateName; testId?: string }) {
  const { t } = useTranslation()
  const s: ConnectionStateName = info?.state ?? state ?? 'idle'
  return (
    <StatusText tone={CONNECTION_TONE[s]} testId={testId} title={info?.detail}>
      <span data-connection={s}>{t(`connection.${s}`)}</span>
    </StatusText>
  )
}

/**
 * The operator's SSH config says `StrictHostKeyChecking no` on the way to this site: a lasting
 * warning next to its SSH state (new host keys are accepted without asking).
 */
export function HostKeyCheckingOffText({ info, testId }: { info?: ConnectionInfo; testId?: string }) {
  const { t } = useTranslation()
  const off = info?.hostKeyCheckingOff
  if (!off || off.length === 0) return null
  return (
    <StatusText tone="warning" testId={testId} title={t('hostKey.checkingOffTip', { aliases: off.join(', ') })}>
      {t('hostKey.checkingOff')}
    </StatusText>
  )
}

export function SeverityText({ severity }: { severity: FindingSeverity }) {
  const { t } = useTranslation()
  return (
    <StatusText tone={SEVERITY_TONE[severity]} strong={severity === 'critical'}>
      {t(`severity.${severity}`)}
    </StatusText>
  )
}

/** lotus / lotus-miner up or down. */
export function ProcessText({ up, testId }: { up: boolean; testId?: string }) {
  const { t } = useTranslation()
  return (
    <StatusText tone={up ? 'ok' : 'critical'} testId={testId} strong={!up}>
      {t(up ? 'common.up' : 'common.down')}
    </StatusText>
  )
}
