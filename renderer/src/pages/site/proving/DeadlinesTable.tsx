import { Button, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Num } from '@renderer/components/Num'
import { StatusText } from '@renderer/components/StatusText'
import type { DeadlineRow, PartitionFaults } from '@contract'
import { formatInt } from '@renderer/model/format'

/** Sector numbers shown per list before "and N more" (the counts above stay exact). */
const SHOWN = 200

function SectorLinks({ siteId, numbers, total, testId }: { siteId: string; numbers: number[]; total: number; testId: string }) {
  const { t } = useTranslation()
  return (
    <span className="md-sector-links" data-testid={testId}>
      {numbers.slice(0, SHOWN).map((s) => (
        <a key={s} href={`#/site/${siteId}/sectors/${s}`} className="md-mono" data-testid="deadline-sector-link">
          {s}
        </a>
      ))}
      {total > Math.min(numbers.length, SHOWN) && <span className="md-muted">{t('proving.moreSectors', { count: total - Math.min(numbers.length, SHOWN) })}</span>}
    </span>
  )
}

/** Under a deadline with faults: each partition's faulty and recovering sectors, each a link to its page. */
function DeadlineFaults({ siteId, row }: { siteId: string; row: DeadlineRow }) {
  const { t } = useTranslation()
  const parts: PartitionFaults[] = row.faultsByPartition ?? []
  const listed = parts.reduce((n, p) => n + p.faulty.length + p.recovering.length, 0)
  return (
    <div className="md-deadline-faults" data-testid="deadline-faults">
      {listed < row.faults + row.recoveries && <span className="md-muted">{t('proving.listCut', { count: row.faults + row.recoveries - listed })}</span>}
      {parts.map((p) => (
        <div key={p.partition} className="md-deadline-faults-row" data-partition={p.partition}>
          <span className="md-muted">{t('proving.partitionN', { n: p.partition })}</span>
          {p.faulty.length > 0 && (
            <span>
              <StatusText tone="critical">{t('proving.faultySectors', { count: p.faulty.length })}</StatusText> <SectorLinks siteId={siteId} numbers={p.faulty} total={p.faulty.length} testId="deadline-faulty" />
            </span>
          )}
          {p.recovering.length > 0 && (
            <span>
              <StatusText tone="warning">{t('proving.recoveringSectors', { count: p.recovering.length })}</StatusText> <SectorLinks siteId={siteId} numbers={p.recovering} total={p.recovering.length} testId="deadline-recovering" />
            </span>
          )}
        </div>
      ))}
    </div>
  )
}

/**
 * The columns of `lotus-miner proving deadlines` (Lotus's own headers), current deadline
 * highlighted; a deadline with faulty or recovering sectors opens onto their numbers.
 */
export function DeadlinesTable({ siteId, deadlines, onCheck, checkBusy }: { siteId: string; deadlines: DeadlineRow[]; onCheck?: (index: number) => void; checkBusy?: boolean }) {
  const { t, i18n } = useTranslation()
  const n = (v: number) => formatInt(v, i18n.language)
  const columns: ColumnsType<DeadlineRow> = [
    { title: t('col.deadline'), dataIndex: 'index', width: 80, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.open'), dataIndex: 'openAt', width: 100, render: (v: number, d) => <Mono title={`epoch ${d.openEpoch}`}>{dayjs(v).format('HH:mm:ss')}</Mono> },
    { title: t('col.partitions'), dataIndex: 'partitions', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    { title: t('col.sectors'), dataIndex: 'sectors', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    {
      title: t('col.faults'),
      dataIndex: 'faults',
      width: 90,
      align: 'right',
      render: (v: number) => (v > 0 ? <StatusText tone="critical" strong>{n(v)}</StatusText> : <Num n={0} />)
    },
    { title: t('col.recoveries'), dataIndex: 'recoveries', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    { title: t('col.provenPartitions'), dataIndex: 'proven', width: 140, align: 'right', render: (v: number) => <Num n={v} /> },
    {
      title: '',
      key: 'current',
      render: (_, d) =>
        d.current ? (
          <StatusText tone="info" strong testId="deadline-current">
            {t('proving.current')}
          </StatusText>
        ) : null
    },
    ...(onCheck
      ? [
          {
            title: '',
            key: 'check',
            width: 110,
            align: 'right' as const,
            render: (_: unknown, d: DeadlineRow) => (
              <Button
                size="small"
                type="link"
                disabled={checkBusy || d.sectors === 0}
                onClick={() => onCheck(d.index)}
                title={`lotus-miner proving check --slow ${d.index}`}
                data-testid="deadline-check"
              >
                {t('siteops.proving.checkButton')}
              </Button>
            )
          }
        ]
      : [])
  ]
  return (
    <Table<DeadlineRow>
      size="small"
      rowKey="index"
      columns={columns}
      dataSource={deadlines}
      pagination={false}
      expandable={{
        rowExpandable: (d) => (d.faultsByPartition?.length ?? 0) > 0,
        defaultExpandAllRows: true,
        expandedRowRender: (d) => <DeadlineFaults siteId={siteId} row={d} />
      }}
      rowClassName={(d) => (d.current ? 'md-row-current' : d.faults > 0 ? 'md-row-critical' : '')}
      onRow={(d) => ({ 'data-testid': 'deadline-row', 'data-index': d.index, 'data-current': String(d.current) }) as React.HTMLAttributes<HTMLElement>}
      data-testid="deadlines-table"
    />
  )
}
