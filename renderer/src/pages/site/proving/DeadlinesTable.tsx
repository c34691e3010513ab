import { Button, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import dayjs from 'dayjs'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Num } from '@renderer/components/Num'
import { StatusText } from '@renderer/components/StatusText'
import type { DeadlineRow } from '@contract'
import { formatInt } from '@renderer/model/format'

/** The columns of `lotus-miner proving deadlines` (Lotus's own headers), current deadline highlighted. */
export function DeadlinesTable({ deadlines, onCheck, checkBusy }: { deadlines: DeadlineRow[]; onCheck?: (index: number) => void; checkBusy?: boolean }) {
  const { t, i18n } = useTranslation()
  const n = (v: number) => formatInt(v, i18n.language)
  const columns: ColumnsType<DeadlineRow> = [
    { title: 'deadline', dataIndex: 'index', width: 80, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: 'open', dataIndex: 'openAt', width: 100, render: (v: number, d) => <Mono title={`epoch ${d.openEpoch}`}>{dayjs(v).format('HH:mm:ss')}</Mono> },
    { title: 'partitions', dataIndex: 'partitions', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    { title: 'sectors', dataIndex: 'sectors', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    {
      title: 'faults',
      dataIndex: 'faults',
      width: 90,
      align: 'right',
      render: (v: number) => (v > 0 ? <StatusText tone="critical" strong>{n(v)}</StatusText> : <Num n={0} />)
    },
    { title: 'recoveries', dataIndex: 'recoveries', width: 100, align: 'right', render: (v: number) => <Num n={v} /> },
    { title: 'proven partitions', dataIndex: 'proven', width: 140, align: 'right', render: (v: number) => <Num n={v} /> },
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
      rowClassName={(d) => (d.current ? 'md-row-current' : d.faults > 0 ? 'md-row-critical' : '')}
      onRow={(d) => ({ 'data-testid': 'deadline-row', 'data-index': d.index, 'data-current': String(d.current) }) as React.HTMLAttributes<HTMLElement>}
      data-testid="deadlines-table"
    />
  )
}
