import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Ago } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { Unavailable } from '@renderer/components/Unavailable'
import type { WorkerRow } from '@contract'
import { formatBytes, formatPercent, shortUuid } from '@renderer/model/format'
import { compareTasks } from '@renderer/model/lotusNames'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { WorkerProcesses } from './WorkerProcesses'
import { SiteFindings } from '@renderer/findings/SiteFindings'

const WORKER_FINDINGS = ['worker-down', 'worker-lost-miner'] as const

/** `lotus-miner sealing workers`: hosts, tasks they take, CPU/RAM/GPU, what runs, who went missing. */
export function WorkersTab({ snapshot, site }: SiteTabProps) {
  const { t } = useTranslation()
  const workers = snapshot.workers
  if (!workers) {
    return (
      <div className="md-stack">
        <Unavailable error={snapshot.partErrors?.workers ?? snapshot.miner.error} what={t('site.tab.workers')} testId="workers-unavailable" />
        {/* The processes can still be looked at (and started) when the miner does not answer. */}
        <WorkerProcesses site={site} />
      </div>
    )
  }
  // Missing workers first: they are what the operator came here for.
  const rows = [...workers.list].sort((a, b) => Number(b.missing) - Number(a.missing) || a.hostname.localeCompare(b.hostname) || a.id.localeCompare(b.id))
  const columns: ColumnsType<WorkerRow> = [
    { title: t('workers.host'), dataIndex: 'hostname', width: 130, ellipsis: true, render: (v: string) => <Mono>{v}</Mono> },
    { title: 'ID', dataIndex: 'id', width: 90, render: (v: string) => <Mono title={v}>{shortUuid(v)}</Mono> },
    {
      title: t('workers.state'),
      key: 'state',
      width: 170,
      ellipsis: true,
      render: (_, w) =>
        w.missing ? (
          <StatusText tone="critical" strong testId="worker-missing">
            {t('workers.missingSince')} <Ago at={w.missingSince ?? w.lastSeen} />
          </StatusText>
        ) : w.enabled ? (
          <StatusText tone="ok">{t('workers.enabled')}</StatusText>
        ) : (
          <StatusText tone="warning">{t('workers.disabled')}</StatusText>
        )
    },
    {
      title: t('workers.tasks'),
      dataIndex: 'tasks',
      width: 170,
      ellipsis: { showTitle: false },
      render: (v: string[]) => {
        const text = [...v].sort(compareTasks).join(' ')
        return <Mono title={text}>{text}</Mono>
      }
    },
    { title: 'CPU', key: 'cpu', width: 80, align: 'right', render: (_, w) => <Mono>{`${w.cpuUse}/${w.cpus}`}</Mono> },
    {
      title: 'RAM',
      key: 'ram',
      width: 170,
      align: 'right',
      render: (_, w) => (
        <Mono>
          {formatPercent(w.memUsed, w.memPhysical)} {formatBytes(w.memUsed)}/{formatBytes(w.memPhysical)}
        </Mono>
      )
    },
    {
      title: 'GPU',
      key: 'gpu',
      width: 180,
      ellipsis: true,
      render: (_, w) =>
        w.gpus.length === 0 ? (
          <span className="md-muted">—</span>
        ) : (
          <span title={w.gpus.join('\n')}>
            <Mono>{`${w.gpuUsed.toFixed(2)}/${w.gpus.length}`}</Mono> <span className="md-muted">{w.gpus[0]}</span>
          </span>
        )
    },
    {
      title: t('workers.running'),
      key: 'counts',
      width: 180,
      ellipsis: true,
      render: (_, w) => (
        <Mono>
          {Object.entries(w.taskCounts)
            .filter(([, n]) => n > 0)
            .sort(([a], [b]) => compareTasks(a, b))
            .map(([task, n]) => `${task}(${n})`)
            .join(' ') || '—'}
        </Mono>
      )
    }
  ]
  return (
    <div className="md-stack" data-testid="workers-tab">
      <div className="md-toolbar md-subbar">
        <StatusText tone="ok">{t('metric.online')}</StatusText> <Mono testId="workers-online">{workers.online}</Mono>
        <StatusText tone="warning">{t('metric.disabled')}</StatusText> <Mono>{workers.disabled}</Mono>
        <StatusText tone={workers.missing > 0 ? 'critical' : 'unknown'}>{t('metric.missing')}</StatusText> <Mono testId="workers-missing">{workers.missing}</Mono>
        <span className="md-flex-fill" />
        <span className="md-muted md-mono">lotus-miner sealing workers</span>
      </div>
      <SiteFindings snapshot={snapshot} kinds={WORKER_FINDINGS} testId="workers-findings" />
      <Section title={`${t('site.tab.workers')} (${rows.length})`}>
        <Table<WorkerRow>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={rows}
          pagination={false}
          locale={{ emptyText: t('workers.none') }}
          rowClassName={(w) => (w.missing ? 'md-row-critical' : '')}
          tableLayout="fixed"
          scroll={{ x: 1100 }}
          onRow={(w) => ({ 'data-testid': 'worker-row', 'data-host': w.hostname, 'data-missing': String(w.missing) }) as React.HTMLAttributes<HTMLElement>}
          data-testid="workers-table"
        />
      </Section>
      <WorkerProcesses site={site} />
    </div>
  )
}
