import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Num } from '@renderer/components/Num'
import { StatusText } from '@renderer/components/StatusText'
import type { JobState, JobsSnapshot } from '@contract'
import { compareTasks } from '@renderer/model/lotusNames'

const STATES: JobState[] = ['running', 'prepared', 'assigned', 'ret-wait', 'returned', 'ret-done']

interface MatrixRow {
  task: string
  counts: Partial<Record<JobState, number>>
  total: number
  overdue: number
}

/** Task type × job state (Lotus names), with overdue counts; clicking a row filters the job list. */
export function JobsMatrix({ jobs, selected, onSelect }: { jobs: JobsSnapshot; selected: string | null; onSelect: (task: string | null) => void }) {
  const { t } = useTranslation()
  const rows = useMemo<MatrixRow[]>(() => {
    const overdue = new Map<string, number>()
    for (const j of jobs.list) if (j.overdue) overdue.set(j.task, (overdue.get(j.task) ?? 0) + 1)
    return Object.entries(jobs.byTask)
      .map(([task, counts]) => ({ task, counts, total: Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0), overdue: overdue.get(task) ?? 0 }))
      .sort((a, b) => compareTasks(a.task, b.task))
  }, [jobs])
  const shownStates = STATES.filter((s) => s === 'running' || s === 'assigned' || rows.some((r) => (r.counts[s] ?? 0) > 0))
  const columns: ColumnsType<MatrixRow> = [
    { title: t('jobs.task'), dataIndex: 'task', width: 90, render: (v: string) => <Mono>{v}</Mono> },
    ...shownStates.map((s) => ({
      title: <Mono>{s}</Mono>,
      key: s,
      align: 'right' as const,
      width: 90,
      render: (_: unknown, r: MatrixRow) => <Num n={r.counts[s] ?? 0} />
    })),
    { title: t('metric.total'), dataIndex: 'total', align: 'right', width: 80, render: (v: number) => <Mono>{v}</Mono> },
    {
      title: t('metric.overdue'),
      dataIndex: 'overdue',
      align: 'right',
      width: 100,
      render: (v: number) => (v > 0 ? <StatusText tone="warning" strong>{v}</StatusText> : <Num n={0} />)
    },
    { title: '', key: 'fill' }
  ]
  return (
    <Table<MatrixRow>
      size="small"
      rowKey="task"
      columns={columns}
      dataSource={rows}
      pagination={false}
      locale={{ emptyText: t('jobs.none') }}
      rowClassName={(r) => `md-clickable${r.task === selected ? ' md-row-current' : ''}`}
      onRow={(r) => ({ onClick: () => onSelect(r.task === selected ? null : r.task), 'data-task': r.task }) as React.HTMLAttributes<HTMLElement>}
      data-testid="jobs-matrix"
    />
  )
}

