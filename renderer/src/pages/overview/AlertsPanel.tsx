import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Ago } from '@renderer/components/Ago'
import { Section } from '@renderer/components/Section'
import { SeverityText } from '@renderer/components/StatusTags'
import type { Alert } from '@contract'
import { alertText } from '@renderer/model/alertText'
import { sortAlerts } from '@renderer/model/summary'
import { navigate } from '@renderer/stores/navigation'
import { selectSummaries, useOverviewStore } from '@renderer/stores/overview'
import { selectSites, useSitesStore } from '@renderer/stores/sites'

/** Every site's current alerts, worst and oldest first. */
export function AlertsPanel() {
  const { t } = useTranslation()
  const summaries = useOverviewStore(selectSummaries)
  const sites = useSitesStore(selectSites)
  const names = useMemo(() => new Map(sites.map((s) => [s.id, s.name])), [sites])
  const alerts = useMemo(() => sortAlerts(Object.values(summaries).flatMap((s) => (names.has(s.siteId) ? s.alerts : []))), [summaries, names])
  const columns: ColumnsType<Alert> = [
    { title: t('alertsPanel.severity'), dataIndex: 'severity', width: 90, render: (_, a) => <SeverityText severity={a.severity} /> },
    {
      title: t('alertsPanel.site'),
      dataIndex: 'siteId',
      width: 160,
      render: (_, a) => (
        <button type="button" className="md-link" onClick={() => navigate({ page: 'site', siteId: a.siteId, tab: tabFor(a) })}>
          {names.get(a.siteId) ?? a.siteId}
        </button>
      )
    },
    { title: t('alertsPanel.alert'), key: 'text', render: (_, a) => <span data-testid="alert-text">{alertText(t, a)}</span> },
    { title: t('alertsPanel.since'), dataIndex: 'since', width: 120, align: 'right', render: (_, a) => <Ago at={a.since} /> }
  ]
  return (
    <Section title={`${t('alertsPanel.title')} (${alerts.length})`} testId="overview-alerts">
      <Table<Alert>
        size="small"
        rowKey="key"
        columns={columns}
        dataSource={alerts}
        pagination={false}
        scroll={alerts.length > 8 ? { y: 8 * 32 } : undefined}
        locale={{ emptyText: t('alertsPanel.none') }}
        onRow={(a) => ({ 'data-testid': `alert-row`, 'data-alert-kind': a.kind, 'data-site': a.siteId }) as React.HTMLAttributes<HTMLElement>}
      />
    </Section>
  )
}

/** The site tab where an alert's subject is shown. */
function tabFor(a: Alert) {
  switch (a.kind) {
    case 'job-overdue':
      return 'jobs' as const
    case 'worker-lost':
      return 'workers' as const
    case 'faults':
      return 'proving' as const
    case 'sectors-failed':
      return 'pipeline' as const
    default:
      return 'chain' as const
  }
}
