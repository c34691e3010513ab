import { Table } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import type { SyncWorker } from '@contract'
import { syncProgress } from '@renderer/model/chain'

/** Active sync workers as `lotus sync status` lists them; an empty list means nothing to catch up. */
export function SyncTable({ workers }: { workers: SyncWorker[] }) {
  const { t } = useTranslation()
  const columns: ColumnsType<SyncWorker> = [
    { title: t('chain.syncWorker'), dataIndex: 'workerId', width: 100, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('col.stage'), dataIndex: 'stage', width: 160, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('chain.base'), dataIndex: 'baseHeight', align: 'right', width: 110, render: (v: number | null) => <Mono>{v ?? '—'}</Mono> },
    { title: t('chain.target'), dataIndex: 'targetHeight', align: 'right', width: 110, render: (v: number | null) => <Mono>{v ?? '—'}</Mono> },
    {
      title: t('col.heightDiff'),
      key: 'diff',
      align: 'right',
      width: 100,
      render: (_, w) => <Mono>{w.targetHeight !== null && w.baseHeight !== null ? w.targetHeight - w.baseHeight : '—'}</Mono>
    },
    { title: t('col.height'), dataIndex: 'height', align: 'right', width: 110, render: (v: number) => <Mono>{v}</Mono> },
    { title: t('chain.progress'), key: 'progress', align: 'right', width: 90, render: (_, w) => <Mono>{syncProgress(w)}</Mono> },
    { title: t('chain.syncMessage'), dataIndex: 'message', render: (v: string | undefined) => v ?? '' }
  ]
  return (
    <Table<SyncWorker>
      size="small"
      rowKey="workerId"
      columns={columns}
      dataSource={workers}
      pagination={false}
      locale={{ emptyText: t('chain.noActiveSync') }}
      data-testid="sync-table"
    />
  )
}

