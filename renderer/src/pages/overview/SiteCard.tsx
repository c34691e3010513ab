import { Button, Tooltip } from 'antd'
import { ReloadOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { Ago } from '@renderer/components/Ago'
import { ConnectionAdvice } from '@renderer/components/ConnectionAdvice'
import { Metric, MetricGap, MetricGrid, MetricRow } from '@renderer/components/Metrics'
import { Mono } from '@renderer/components/Mono'
import { ConnectionText, HealthText, HostKeyCheckingOffText, ProcessText } from '@renderer/components/StatusTags'
import type { Finding, SiteConfig } from '@contract'
import { StatusText } from '@renderer/components/StatusText'
import { SEVERITY_TONE } from '@renderer/theme/tokens'
import { useSshConfigFor } from '@renderer/hooks/useSshConfigFor'
import { formatBytes, formatDuration, formatInt } from '@renderer/model/format'
import { healthOf, type SiteSummary } from '@renderer/model/summary'
import { navigate } from '@renderer/stores/navigation'
import { refreshSites, selectConnection, selectRefreshing, selectSummary, useOverviewStore } from '@renderer/stores/overview'
import { useReportError } from '@renderer/components/useReportError'
import { NextDeadline } from './NextDeadline'
import { ReadOnlyText, RestartLockText } from '@renderer/components/RestartLockText'

/**
 * One site at a glance: health, SSH, the key numbers, and what to do when it cannot be reached.
 * Only numbers whose label names a bad thing (failed, overdue, missing, faults, disabled) are
 * coloured; judgements come as the health model's findings, counted here by severity.
 */
export function SiteCard({ site }: { site: SiteConfig }) {
  const { t } = useTranslation()
  const summary = useOverviewStore(selectSummary(site.id))
  const connection = useOverviewStore(selectConnection(site.id))
  const refreshing = useOverviewStore(selectRefreshing(site.id))
  const sshConfig = useSshConfigFor(site.id)
  const report = useReportError()
  const health = healthOf(summary, connection)
  const connected = connection?.state === 'connected'
  const open = () => navigate({ page: 'site', siteId: site.id, tab: 'chain' })
  return (
    <section className="md-site-card" data-testid={`site-card-${site.id}`} data-health={health} aria-label={site.name}>
      <header className="md-site-card-head">
        <button type="button" className="md-link md-site-card-name" onClick={open} data-testid="site-card-open">
          {site.name}
        </button>
        <Mono>{site.alias}</Mono>
        <span className="md-flex-fill" />
        <ReadOnlyText readOnly={site.readOnly} />
        <HealthText health={health} testId="site-card-health" />
      </header>
      <RestartLockText siteId={site.id} testId="site-card-restart-lock" />
      <div className="md-site-card-sub">
        <span>
          <span className="md-muted">SSH </span>
          <ConnectionText info={connection} state={connection ? undefined : 'idle'} testId="site-card-connection" /> <HostKeyCheckingOffText info={connection} testId="site-card-hostkey-off" />
        </span>
        <span>
          <span className="md-muted">{t('overview.refreshed')} </span>
          <Ago at={summary?.takenAt} testId="site-card-refreshed" />
        </span>
        <FindingCounts findings={summary?.findings ?? []} />
        <span className="md-flex-fill" />
        <Tooltip title={t('overview.refreshSite')}>
          <Button size="small" type="text" icon={<ReloadOutlined spin={refreshing} />} onClick={() => refreshSites(site.id).catch(report)} aria-label={t('overview.refreshSite')} data-testid="site-card-refresh" />
        </Tooltip>
      </div>
      {connection && !connected && <ConnectionAdvice site={site} info={connection} sshConfigPath={sshConfig} />}
      {summary && (connected || hasData(summary)) ? (
        <>
          {!connected && <div className="md-muted md-last-known">{t('overview.lastKnown')}</div>}
          <SiteMetrics summary={summary} dimmed={!connected} />
        </>
      ) : (
        connected && <div className="md-muted md-last-known">{t('overview.waitingFirstPoll')}</div>
      )}
    </section>
  )
}

function SiteMetrics({ summary: s, dimmed }: { summary: SiteSummary; dimmed: boolean }) {
  const { t, i18n } = useTranslation()
  const n = (v: number | null | undefined) => formatInt(v, i18n.language)
  const d = s.daemon
  const behind = d.behindEpochs
  return (
    <MetricGrid dimmed={dimmed} testId="site-card-metrics">
      <MetricRow label={<Mono>lotus</Mono>}>
        <Metric value={<ProcessText up={d.up} testId="metric-daemon-up" />} />
        <Metric label={t('metric.height')} value={<Mono>{d.height ?? '—'}</Mono>} testId="metric-height" />
        <Metric label={t('metric.behind')} value={<Mono>{n(behind)}</Mono>} testId="metric-behind" />
        <Metric label={t('metric.headAge')} value={d.headAgeSec !== undefined ? formatDuration(d.headAgeSec) : undefined} />
        <Metric label={t('metric.peers')} value={n(d.peers)} testId="metric-peers" />
      </MetricRow>
      <MetricRow label={<Mono>lotus-miner</Mono>}>
        <Metric value={<ProcessText up={s.miner.up} testId="metric-miner-up" />} />
        <Metric label={t('metric.actor')} value={s.miner.actor ? <Mono testId="metric-actor">{s.miner.actor}</Mono> : undefined} span={2} />
        <Metric label={t('metric.sectorSize')} value={s.miner.sectorSize ? formatBytes(s.miner.sectorSize) : undefined} span={2} />
      </MetricRow>
      <MetricRow label={t('overview.sectors')}>
        <Metric label={t('group.sealing')} value={n(s.pipeline?.sealing)} testId="metric-sealing" />
        <Metric label={t('group.proving')} value={n(s.pipeline?.proving)} testId="metric-proving" />
        <Metric label={t('group.failed')} value={n(s.pipeline?.failed)} tone={s.pipeline && s.pipeline.failed > 0 ? 'critical' : undefined} testId="metric-failed" />
        <Metric label={t('metric.total')} value={n(s.pipeline?.total)} />
        <MetricGap span={1} />
      </MetricRow>
      <MetricRow label={t('overview.jobs')}>
        <Metric label={t('metric.running')} value={n(s.jobs?.running)} testId="metric-jobs-running" />
        <Metric label={t('metric.queued')} value={n(s.jobs?.queued)} testId="metric-jobs-queued" />
        <Metric label={t('metric.overdue')} value={n(s.jobs?.overdue)} tone={s.jobs && s.jobs.overdue > 0 ? 'warning' : undefined} testId="metric-jobs-overdue" />
        <Metric label={t('metric.total')} value={n(s.jobs?.total)} />
        <MetricGap span={1} />
      </MetricRow>
      <MetricRow label={t('overview.workers')}>
        <Metric label={t('metric.online')} value={n(s.workers?.online)} testId="metric-workers-online" />
        <Metric label={t('metric.disabled')} value={n(s.workers?.disabled)} tone={s.workers && s.workers.disabled > 0 ? 'warning' : undefined} />
        <Metric label={t('metric.missing')} value={n(s.workers?.missing)} tone={s.workers && s.workers.missing > 0 ? 'critical' : undefined} testId="metric-workers-missing" />
        <Metric label={t('metric.total')} value={n(s.workers?.total)} />
        <MetricGap span={1} />
      </MetricRow>
      <MetricRow label={t('overview.proving')}>
        <Metric label={t('metric.currentDeadline')} value={s.proving ? <Mono>{s.proving.deadlineIndex}</Mono> : undefined} testId="metric-current-deadline" />
        <Metric label={t('metric.nextDeadline')} value={s.proving?.next ? <NextDeadline next={s.proving.next} compact /> : undefined} span={2} testId="metric-next-deadline" />
        <Metric label={t('metric.faults')} value={n(s.proving?.faults)} tone={s.proving && s.proving.faults > 0 ? 'critical' : undefined} testId="metric-faults" />
        <Metric label={t('metric.recoveries')} value={n(s.proving?.recoveries)} />
      </MetricRow>
      <MetricRow label={t('overview.messages')}>
        <Metric label={t('metric.pending')} value={n(s.messages?.count)} testId="metric-messages" />
        <Metric
          label={t('metric.oldest')}
          value={s.messages?.oldestAgeSec != null ? formatDuration(s.messages.oldestAgeSec) : undefined}
        />
        <MetricGap span={3} />
      </MetricRow>
      <MetricRow label={t('overview.versions')}>
        <Metric label={<Mono>lotus</Mono>} value={<Mono title={d.version}>{shortVersion(d.version)}</Mono>} span={2} testId="metric-daemon-version" />
        <Metric label={<Mono>lotus-miner</Mono>} value={<Mono title={s.miner.version}>{shortVersion(s.miner.version)}</Mono>} span={2} />
        <MetricGap span={1} />
      </MetricRow>
    </MetricGrid>
  )
}

/** Whether a poll ever got numbers from the site (an unreachable site's snapshot has none). */
function hasData(s: SiteSummary): boolean {
  return s.daemon.height !== undefined || s.pipeline !== null || s.workers !== null
}

/** `1.36.2-dev+mainnet+git.b835fab7` → `1.36.2-dev` (the full string stays in the tooltip). */
function shortVersion(v: string | undefined): string {
  if (!v) return '—'
  return v.split('+')[0] ?? v
}

/** The site's findings by severity, each with its word (the colour never stands alone). */
function FindingCounts({ findings }: { findings: Finding[] }) {
  const { t } = useTranslation()
  const n = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length
  const parts = (['critical', 'warning', 'info'] as const).filter((s) => n(s) > 0)
  return (
    <span data-testid="site-card-finding-count" data-count={findings.length}>
      <span className="md-muted">{t('overview.findings')} </span>
      {parts.length === 0 ? (
        <span>0</span>
      ) : (
        parts.map((s) => (
          <span key={s} className="md-site-card-badge" data-severity={s} data-testid={`site-card-findings-${s}`}>
            <StatusText tone={SEVERITY_TONE[s]} strong={s === 'critical'}>
              {n(s)} {t(`severity.${s}`)}
            </StatusText>
          </span>
        ))
      )}
    </span>
  )
}
