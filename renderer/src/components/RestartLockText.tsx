import { Button } from 'antd'
import { useTranslation } from 'react-i18next'
import type { SiteLock } from '@contract'
import { useOpDialog } from '@renderer/ops/useOpDialog'
import { previewBreakLock, readTeam, selectTeam, useTeamStore } from '@renderer/stores/team'
import { StatusText } from './StatusText'

const hhmm = (ms: number, lang: string): string => new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hour12: false })

/**
 * "Being restarted by X since HH:MM" when another operator (or another MinerDesk) holds the site's
 * restart lock; `compact` for a table cell (the whole sentence in its tooltip).
 */
export function RestartLockText({ siteId, testId, canBreak, compact }: { siteId: string; testId?: string; canBreak?: boolean; compact?: boolean }) {
  const { t, i18n } = useTranslation()
  const ops = useOpDialog(siteId)
  const state = useTeamStore(selectTeam(siteId))
  const lock: SiteLock | null = state?.lock ?? null
  if (!state || !lock || lock.mine) return null
  // The heartbeat age as of the last read (the lock is read again every 30 s).
  const params = { operator: lock.operator, machine: lock.machine, since: hhmm(lock.since, i18n.language), minutes: Math.max(1, Math.round((state.readAt - lock.heartbeat) / 60_000)) }
  const breakIt = () =>
    ops.open({
      title: t('team.breakTitle'),
      make: () => previewBreakLock(siteId),
      extra: <p className="md-muted">{t('team.breakExplain', params)}</p>,
      onDone: () => void readTeam(siteId).catch(() => undefined)
    })
  return (
    <span>
      <StatusText tone={lock.stale ? 'warning' : 'busy'} testId={testId ?? 'restart-lock'} title={`${compact ? `${t(lock.stale ? 'team.lockStale' : 'team.lockHeld', params)}\n` : ''}${lock.operator} · ${lock.machine} · pid ${lock.pid} · ${lock.via}`}>
        {t(compact ? (lock.stale ? 'team.lockShortStale' : 'team.lockShort') : lock.stale ? 'team.lockStale' : 'team.lockHeld', params)}
      </StatusText>
      {canBreak && lock.stale && (
        <Button size="small" type="link" danger onClick={breakIt} data-testid="break-lock">
          {t('team.breakButton')}
        </Button>
      )}
      {ops.element}
    </span>
  )
}

/** The read-only mark of a monitoring-only site. */
export function ReadOnlyText({ readOnly }: { readOnly: boolean | undefined }) {
  const { t } = useTranslation()
  if (!readOnly) return null
  return (
    <StatusText tone="info" testId="site-read-only" title={t('team.readOnlyHint')}>
      {t('team.readOnlyTag')}
    </StatusText>
  )
}
