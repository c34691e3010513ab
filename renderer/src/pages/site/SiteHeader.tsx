import { Button } from 'antd'
import { ReloadOutlined, SettingOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import { Ago } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import { ConnectionText, HealthText, HostKeyCheckingOffText } from '@renderer/components/StatusTags'
import { ReadOnlyText, RestartLockText } from '@renderer/components/RestartLockText'
import { useReportError } from '@renderer/components/useReportError'
import type { SiteConfig } from '@contract'
import { healthOf } from '@renderer/model/summary'
import { navigate } from '@renderer/stores/navigation'
import { refreshSites, selectConnection, selectRefreshing, selectSummary, useOverviewStore } from '@renderer/stores/overview'

/** Name, alias, SSH state, health, last refresh and the refresh button of one site. */
export function SiteHeader({ site }: { site: SiteConfig }) {
  const { t } = useTranslation()
  const summary = useOverviewStore(selectSummary(site.id))
  const connection = useOverviewStore(selectConnection(site.id))
  const refreshing = useOverviewStore(selectRefreshing(site.id))
  const report = useReportError()
  return (
    <div className="md-toolbar" data-testid="site-header">
      <h1 className="md-title" data-testid="site-name">
        {site.name}
      </h1>
      <Mono testId="site-alias">{site.alias}</Mono>
      {site.group && <span className="md-muted">{site.group}</span>}
      <HealthText health={healthOf(summary, connection)} testId="site-health" />
      <ReadOnlyText readOnly={site.readOnly} />
      <RestartLockText siteId={site.id} testId="site-restart-lock" canBreak />
      <span>
        <span className="md-muted">SSH </span>
        <ConnectionText info={connection} state={connection ? undefined : 'idle'} testId="site-connection" /> <HostKeyCheckingOffText info={connection} testId="site-hostkey-off" />
      </span>
      <span>
        <span className="md-muted">{t('overview.refreshed')} </span>
        <Ago at={summary?.takenAt} testId="site-refreshed" />
        {summary && <span className="md-muted"> · {t('site.took', { ms: summary.tookMs })}</span>}
      </span>
      <span className="md-flex-fill" />
      <Button icon={<SettingOutlined />} onClick={() => navigate({ page: 'settings', section: 'sites', siteId: site.id })} data-testid="site-settings">
        {t('site.settings')}
      </Button>
      <Button icon={<ReloadOutlined spin={refreshing} />} onClick={() => refreshSites(site.id).catch(report)} data-testid="site-refresh">
        {t('site.refresh')}
      </Button>
    </div>
  )
}
