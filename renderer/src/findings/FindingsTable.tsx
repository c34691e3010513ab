import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Ago } from '@renderer/components/Ago'
import { SeverityText } from '@renderer/components/StatusTags'
import type { Finding } from '@contract'
import { navigate } from '@renderer/stores/navigation'
import { FindingCard, useFindingText } from './FindingCard'
import { useFindingActions } from './useFindingActions'

/**
 * Findings as a dense table, worst first; a row opens to the whole finding (cause, what is lost,
 * remedies with their actions, evidence). One table for the Overview (with the site column) and
 * for the site pages (the jobs, workers, proving and chain tabs show the findings of their subjects).
 */
export function FindingsTable({ findings, siteNames, testId, emptyText, expandFirst }: { findings: Finding[]; siteNames?: ReadonlyMap<string, string>; testId: string; emptyText?: string; expandFirst?: boolean }) {
  const { t } = useTranslation()
  const tx = useFindingText()
  const columns: ColumnsType<Finding> = [
    { title: t('findingsPanel.severity'), dataIndex: 'severity', width: 90, render: (_, f) => <SeverityText severity={f.severity} /> },
    ...(siteNames
      ? [
          {
            title: t('findingsPanel.site'),
            dataIndex: 'siteId',
            width: 150,
            render: (_: unknown, f: Finding) => (
              <button type="button" className="md-link" onClick={() => navigate({ page: 'site', siteId: f.siteId, tab: 'chain' })}>
                {siteNames.get(f.siteId) ?? f.siteId}
              </button>
            )
          }
        ]
      : []),
    { title: t('findingsPanel.finding'), key: 'title', render: (_, f) => <span data-testid="finding-row-title">{tx(f.title)}</span> },
    { title: t('findingsPanel.since'), dataIndex: 'since', width: 110, align: 'right', render: (_, f) => <Ago at={f.since} /> }
  ]
  return (
    <Table<Finding>
      size="small"
      rowKey="id"
      columns={columns}
      dataSource={findings}
      pagination={false}
      scroll={findings.length > 10 ? { y: 10 * 32 } : undefined}
      locale={{ emptyText: emptyText ?? t('findingsPanel.none') }}
      expandable={{
        expandedRowRender: (f) => <FindingDetail finding={f} />,
        ...(expandFirst && findings[0] ? { defaultExpandedRowKeys: [findings[0].id] } : {})
      }}
      data-testid={testId}
      onRow={(f) => ({ 'data-testid': 'finding-row', 'data-kind': f.kind, 'data-site': f.siteId, 'data-severity': f.severity }) as React.HTMLAttributes<HTMLElement>}
    />
  )
}

function FindingDetail({ finding }: { finding: Finding }) {
  const actions = useFindingActions(finding.siteId)
  return (
    <>
      <FindingCard finding={finding} onAction={actions.run} busy={actions.busy} />
      {actions.element}
    </>
  )
}
