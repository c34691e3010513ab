import { Button, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import type { JobRow } from '@contract'
import { formatDuration, shortUuid } from '@renderer/model/format'
import { jobStateLabel } from '@renderer/model/lotusNames'

const VIRTUAL_FROM = 100
const ZERO_ID = '00000000-0000-0000-0000-000000000000'

/** Jobs that `sealing abort` can name: every one with a call id (queued requests have none yet). */
export function canAbort(j: JobRow): boolean {
  return j.id !== ZERO_ID && j.state !== 'ret-done'
}

/**
 * Jobs as `sealing jobs` lists them (ret-wait first, then running, prepared, assigned; oldest
 * first), with elapsed against the site's expected duration and overdue ones marked.
 */
export function JobsTable({ jobs, onAbort }: { jobs: JobRow[]; onAbort?: (job: JobRow) => void }) {
  const { t } = useTranslation()
  const rows = [...jobs].sort((a, b) => a.runWait - b.runWait || (a.start ?? Infinity) - (b.start ?? Infinity) || a.id.localeCompare(b.id))
  const columns: ColumnsType<JobRow> = [
    { title: 'ID', dataIndex: 'id', width: 100, render: (v: string) => <Mono title={v}>{shortUuid(v)}</Mono> },
    { title: t('jobs.sector'), dataIndex: 'sector', width: 90, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.worker'), dataIndex: 'workerId', width: 100, render: (v: string) => <Mono title={v}>{shortUuid(v)}</Mono> },
    { title: t('jobs.host'), dataIndex: 'hostname', width: 160, ellipsis: true, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('jobs.task'), dataIndex: 'task', width: 70, render: (v: string, j) => <Mono title={j.taskType}>{v}</Mono> },
    { title: t('jobs.state'), dataIndex: 'state', width: 120, render: (_, j) => <Mono>{jobStateLabel(j.state, j.runWait)}</Mono> },
    { title: t('jobs.elapsed'), dataIndex: 'elapsedSec', width: 90, align: 'right', render: (v: number | null) => <Mono>{v === null ? '—' : formatDuration(v)}</Mono> },
    // The stage's one elapsed time and verdict (the same the sectors tab, the Overview and the CLI show).
    { title: t('jobs.inStage'), key: 'inStage', width: 90, align: 'right', render: (_, j) => <Mono>{j.timing ? formatDuration(j.timing.elapsedSec) : '—'}</Mono> },
    { title: t('jobs.expected'), key: 'expected', width: 90, align: 'right', render: (_, j) => <Mono>{j.timing ? formatDuration(j.timing.expectedSec) : '—'}</Mono> },
    {
      title: '',
      key: 'overdue',
      render: (_, j) =>
        j.timing && j.timing.level !== 'ok' ? (
          <StatusText tone={j.timing.level === 'overdue' ? 'warning' : 'info'} strong={j.timing.level === 'overdue'} testId={j.timing.level === 'overdue' ? 'job-overdue' : 'job-late'}>
            {t(j.timing.level === 'overdue' ? 'jobs.overdueBy' : 'jobs.lateBy', { ratio: (j.timing.elapsedSec / j.timing.expectedSec).toFixed(1) })}
          </StatusText>
        ) : null
    },
    ...(onAbort
      ? [
          {
            title: '',
            key: 'actions',
            width: 80,
            align: 'right' as const,
            render: (_: unknown, j: JobRow) =>
              canAbort(j) ? (
                <Button size="small" type="link" danger onClick={() => onAbort(j)} data-testid="job-abort" title={`lotus-miner sealing abort ${j.id.slice(0, 8)}`}>
                  {t('siteops.jobs.abort')}
                </Button>
              ) : null
          }
        ]
      : [])
  ]
  const virtual = rows.length >= VIRTUAL_FROM
  return (
    <Table<JobRow>
      size="small"
      // Queued requests all carry the zero call id: the key needs the worker, sector and task too.
      rowKey={(j) => `${j.workerId}:${j.id}:${j.sector}:${j.task}`}
      columns={columns}
      dataSource={rows}
      pagination={false}
      virtual={virtual}
      scroll={virtual ? { y: 20 * 32, x: 1000 } : undefined}
      locale={{ emptyText: t('jobs.none') }}
      rowClassName={(j) => (j.overdue ? 'md-row-warning' : '')}
      onRow={(j) => ({ 'data-testid': 'job-row', 'data-task': j.task, 'data-overdue': String(j.overdue), 'data-job': j.id, 'data-sector': j.sector }) as React.HTMLAttributes<HTMLElement>}
      data-testid="jobs-table"
    />
  )
}
