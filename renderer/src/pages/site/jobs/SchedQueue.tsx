import { Button, Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { readSchedRequests } from '@renderer/stores/siteops'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import type { ErrorInfo, SchedRequest } from '@contract'

/**
 * `lotus-miner sealing sched-diag`: requests still waiting in the scheduler queue (not yet in a
 * worker's window, so `sealing jobs` does not list them), read on demand; each can be removed
 * with `sealing abort --sched <uuid>`.
 */
export function SchedQueue({ siteId, onRemove }: { siteId: string; onRemove: (r: SchedRequest) => void }) {
  const { t } = useTranslation()
  const [rows, setRows] = useState<SchedRequest[] | null>(null)
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const load = async () => {
    setLoading(true)
    setError(null)
    try {
      setRows(await readSchedRequests(siteId))
    } catch (err) {
      setError(asMinerDeskError(err).toInfo())
    } finally {
      setLoading(false)
    }
  }
  const columns: ColumnsType<SchedRequest> = [
    { title: <Mono>SchedId</Mono>, dataIndex: 'schedId', width: 320, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('jobs.sector'), dataIndex: 'sector', width: 90, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    { title: t('jobs.task'), dataIndex: 'task', width: 70, render: (v: string, r) => <Mono title={r.taskType}>{v}</Mono> },
    { title: t('col.priority'), dataIndex: 'priority', width: 80, align: 'right', render: (v: number) => <Mono>{v}</Mono> },
    {
      title: '',
      key: 'remove',
      align: 'right',
      render: (_, r) => (
        <Button size="small" type="link" danger onClick={() => onRemove(r)} data-testid="sched-remove">
          {t('siteops.sched.remove')}
        </Button>
      )
    }
  ]
  return (
    <Section
      title={
        <>
          {t('siteops.sched.title')} {rows && <span className="md-muted">({rows.length})</span>} <span className="md-muted md-mono">lotus-miner sealing sched-diag</span>
        </>
      }
      extra={
        <Button size="small" loading={loading} onClick={() => void load()} data-testid="sched-load">
          {rows ? t('siteops.common.reload') : t('siteops.sched.load')}
        </Button>
      }
      testId="sched-section"
    >
      {error && <ErrorNotice error={error} testId="sched-error" />}
      {rows ? (
        <Table<SchedRequest> size="small" rowKey="schedId" columns={columns} dataSource={rows} pagination={false} locale={{ emptyText: t('siteops.sched.empty') }} data-testid="sched-table" />
      ) : (
        !error && <div className="md-muted">{t('siteops.sched.hint')}</div>
      )}
    </Section>
  )
}
