import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import type { SiteAuditEntry } from '@contract'
import { readTeam, selectTeam, useTeamStore } from '@renderer/stores/team'

const SHOWN = 6

const tone = (r: string) => (r === 'ok' ? 'ok' : r === 'error' ? 'critical' : r === 'refused' ? 'warning' : 'info')

/**
 * What other operators' MinerDesks did on this site lately, from the site's own audit log: a team
 * sees who changed what whatever laptop they use.
 */
export function OthersActivity({ siteId }: { siteId: string }) {
  const { t, i18n } = useTranslation()
  const state = useTeamStore(selectTeam(siteId))
  useEffect(() => {
    readTeam(siteId).catch((err: unknown) => console.warn('minerdesk: reading the site log failed', err))
  }, [siteId])
  if (!state) return null
  const others: SiteAuditEntry[] = state.recent.filter((e) => !e.mine && e.result !== 'started').slice(0, SHOWN)
  const when = (iso: string) => new Date(iso).toLocaleString(i18n.language, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
  return (
    <section className="md-others" data-testid="others-activity" aria-label={t('team.othersTitle')}>
      <span className="md-muted">{t('team.othersTitle')}</span>
      {others.length === 0 ? (
        <span className="md-muted" data-testid="others-none">
          {' '}
          {t('team.othersNone')}
        </span>
      ) : (
        <ul className="md-others-list">
          {others.map((e, i) => (
            <li key={`${e.time}-${i}`} data-testid="others-entry">
              <span className="md-muted">{when(e.time)}</span> <strong>{e.operator}</strong> <span className="md-muted">({e.machine})</span> <Mono>{e.action}</Mono>{' '}
              <StatusText tone={tone(e.result)}>{t(`team.result.${e.result}`, { defaultValue: e.result })}</StatusText> <span className="md-mono md-others-command" title={e.command}>{e.command}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
