import { Button, Segmented } from 'antd'
import { AppstoreOutlined, BarsOutlined, ReloadOutlined } from '@ant-design/icons'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { HealthText } from '@renderer/components/StatusTags'
import { useReportError } from '@renderer/components/useReportError'
import { OVERVIEW_CARDS_UP_TO, type Health } from '@contract'
import { healthOf } from '@renderer/model/summary'
import { refreshSites, selectConnections, selectRefreshing, selectSummaries, useOverviewStore } from '@renderer/stores/overview'
import { selectSettings, updateSettings, useSettingsStore } from '@renderer/stores/settings'
import { selectSites, useSitesStore } from '@renderer/stores/sites'
import { RollingRestartButton } from '@renderer/pages/site/restart/RollingRestart'

const ORDER: Health[] = ['critical', 'warning', 'ok', 'unknown']

/** Title, how many sites are in each health, and refresh-all. */
export function OverviewToolbar() {
  const { t } = useTranslation()
  const sites = useSitesStore(selectSites)
  const summaries = useOverviewStore(selectSummaries)
  const connections = useOverviewStore(selectConnections)
  const refreshing = useOverviewStore(selectRefreshing('*'))
  const report = useReportError()
  const layout = useSettingsStore(selectSettings).overviewLayout
  const shown = layout === 'table' || (layout === 'auto' && sites.length > OVERVIEW_CARDS_UP_TO) ? 'table' : 'cards'
  const counts = useMemo(() => {
    const c: Record<Health, number> = { ok: 0, warning: 0, critical: 0, unknown: 0 }
    for (const s of sites) c[healthOf(summaries[s.id], connections[s.id])]++
    return c
  }, [sites, summaries, connections])
  return (
    <div className="md-toolbar" data-testid="overview-toolbar">
      <h1 className="md-title">{t('overview.title')}</h1>
      <span className="md-muted" data-testid="overview-site-count">
        {t('overview.siteCount', { n: sites.length, count: sites.length })}
      </span>
      {ORDER.filter((h) => counts[h] > 0).map((h) => (
        <span key={h} data-testid={`overview-count-${h}`}>
          <HealthText health={h} /> <span className="md-strong">{counts[h]}</span>
        </span>
      ))}
      <span className="md-flex-fill" />
      {sites.length > 0 && (
        <Segmented<'cards' | 'table'>
          value={shown}
          onChange={(v) => void updateSettings({ overviewLayout: v }).catch(report)}
          options={[
            { value: 'cards', icon: <AppstoreOutlined />, label: t('overview.layout.cards') },
            { value: 'table', icon: <BarsOutlined />, label: t('overview.layout.table') }
          ]}
          data-testid="overview-layout"
        />
      )}
      <RollingRestartButton />
      <Button icon={<ReloadOutlined spin={refreshing} />} onClick={() => refreshSites(null).catch(report)} data-testid="refresh-all" disabled={sites.length === 0}>
        {t('overview.refreshAll')}
      </Button>
    </div>
  )
}
