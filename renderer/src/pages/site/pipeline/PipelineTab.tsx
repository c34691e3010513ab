import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { Unavailable } from '@renderer/components/Unavailable'
import type { SectorGroup } from '@contract'
import { formatInt } from '@renderer/model/format'
import { GROUP_ORDER, groupStates, type StateCount } from '@renderer/model/sectorStates'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { PipelineHistory, SealedPerDay } from '@renderer/charts/HistoryCharts'
import { StatusText } from '@renderer/components/StatusText'
import type { StatusTone } from '@renderer/theme/tokens'

const GROUP_TONE: Record<SectorGroup, StatusTone> = { sealing: 'info', failed: 'critical', proving: 'ok', removed: 'unknown', other: 'unknown' }

/** SectorsSummary by Lotus state, grouped sealing / failed / proving (/ removed / other). */
export function PipelineTab({ snapshot, site }: SiteTabProps) {
  const { t, i18n } = useTranslation()
  const pipeline = snapshot.pipeline
  const grouped = useMemo(() => (pipeline ? groupStates(pipeline.byState) : null), [pipeline])
  if (!pipeline || !grouped) return <Unavailable error={snapshot.partErrors?.pipeline ?? snapshot.miner.error} what={t('site.tab.pipeline')} testId="pipeline-unavailable" />
  const columns: ColumnsType<StateCount> = [
    { title: t('pipeline.state'), dataIndex: 'state', render: (v: string) => <Mono>{v || '(undefined)'}</Mono> },
    { title: t('pipeline.count'), dataIndex: 'count', align: 'right', width: 90, render: (v: number) => <Mono>{formatInt(v, i18n.language)}</Mono> }
  ]
  const shown = GROUP_ORDER.filter((g) => g === 'sealing' || g === 'failed' || g === 'proving' || grouped[g].length > 0)
  return (
    <div className="md-stack" data-testid="pipeline-tab">
      <div className="md-toolbar md-subbar">
        <span className="md-muted">{t('pipeline.total')}</span> <Mono testId="pipeline-total">{formatInt(pipeline.total, i18n.language)}</Mono>
        {shown.map((g) => (
          <span key={g} data-testid={`pipeline-group-count-${g}`}>
            <StatusText tone={GROUP_TONE[g]}>{t(`group.${g}`)}</StatusText> <Mono>{formatInt(pipeline.byGroup[g] ?? 0, i18n.language)}</Mono>
          </span>
        ))}
        <span className="md-flex-fill" />
        <span className="md-muted md-mono">lotus-miner sectors list</span>
      </div>
      <div className="md-three-col">
        {shown.map((g) => (
          <Section key={g} title={<StatusText tone={GROUP_TONE[g]}>{t(`group.${g}`)}</StatusText>} extra={<Mono>{formatInt(pipeline.byGroup[g] ?? 0, i18n.language)}</Mono>} testId={`pipeline-group-${g}`}>
            <Table<StateCount>
              size="small"
              rowKey="state"
              columns={columns}
              dataSource={grouped[g]}
              pagination={false}
              showHeader={false}
              locale={{ emptyText: t('pipeline.none') }}
              onRow={(r) => ({ 'data-state': r.state }) as React.HTMLAttributes<HTMLElement>}
            />
          </Section>
        ))}
      </div>
      <div className="md-two-col">
        <PipelineHistory siteId={site.id} />
        <SealedPerDay siteId={site.id} />
      </div>
    </div>
  )
}
