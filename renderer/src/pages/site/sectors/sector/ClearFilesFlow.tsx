import { Modal, Select, Table } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { previewClear } from '@renderer/pages/site/sectors/sectorsStore'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { formatBytes } from '@renderer/model/format'
import { MutationDialog, type MutationRequest } from '@renderer/ops/MutationDialog'
import type { ClearPlanItem, HostProblem } from '@contract'
import { PathText, problemText } from './fileText'

/**
 * clearsector.sh <n> <reservePort>: choose the worker whose copy stays, then MinerDesk lists what
 * it would delete and what it keeps (Lotus's current storage is never deleted); deleting needs
 * the sector number typed.
 */
export function ClearFilesFlow({ siteId, sector, ports, onClose, onDone }: { siteId: string; sector: number; ports: number[]; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation()
  const [port, setPort] = useState<number | null>(null)
  const [plan, setPlan] = useState<{ items: ClearPlanItem[]; problems: HostProblem[] } | null>(null)
  const [request, setRequest] = useState<MutationRequest | null>(null)
  if (request) {
    return (
      <MutationDialog
        request={request}
        onClose={onClose}
        extra={plan && <PlanTable items={plan.items} problems={plan.problems} port={port} />}
      />
    )
  }
  return (
    <Modal
      open
      title={t('sectors.clear.title', { sector })}
      onCancel={onClose}
      okText={t('sectors.clear.list')}
      okButtonProps={{ 'data-testid': 'clear-list' } as Record<string, string>}
      onOk={() =>
        setRequest({
          title: t('sectors.clear.title', { sector }),
          make: async () => {
            const cp = await previewClear(siteId, sector, port)
            setPlan({ items: cp.plan, problems: cp.problems })
            return cp.preview
          },
          onDone
        })
      }
      data-testid="clear-modal"
    >
      <div className="md-stack">
        <span className="md-muted">{t('sectors.clear.explain')}</span>
        <div>
          <span>{t('sectors.clear.reserve')} </span>
          <Select
            value={port ?? 0}
            onChange={(v) => setPort(v === 0 ? null : v)}
            style={{ width: 220 }}
            className="md-mono"
            options={[{ value: 0, label: t('sectors.clear.noReserve') }, ...ports.map((p) => ({ value: p, label: `${t('sectors.clear.port')} ${p}` }))]}
            data-testid="clear-port"
          />
        </div>
      </div>
    </Modal>
  )
}

function PlanTable({ items, problems, port }: { items: ClearPlanItem[]; problems: HostProblem[]; port: number | null }) {
  const { t } = useTranslation()
  return (
    <div className="md-stack" data-testid="clear-plan">
      <Table<ClearPlanItem>
        size="small"
        rowKey="path"
        dataSource={items}
        pagination={false}
        locale={{ emptyText: t('sectors.clear.none') }}
        columns={[
          {
            title: t('sectors.clear.action'),
            dataIndex: 'action',
            width: 200,
            render: (_: string, r) =>
              r.action === 'delete' ? (
                <StatusText tone="critical" strong>
                  {t('sectors.clear.delete')}
                </StatusText>
              ) : (
                <StatusText tone="ok">{r.reason === 'current' ? t('sectors.clear.keepCurrent') : t('sectors.clear.keepReserved', { port: port ?? '' })}</StatusText>
              )
          },
          { title: t('sectors.files.host'), dataIndex: ['storage', 'alias'], width: 90, render: (v: string) => <Mono>{v}</Mono> },
          { title: t('sectors.files.path'), dataIndex: 'path', ellipsis: true, render: (v: string) => <PathText path={v} /> },
          { title: t('sectors.files.size'), dataIndex: 'size', width: 90, align: 'right', render: (v: number, r) => (r.kind === 'cache' ? <span className="md-muted">{t('sectors.files.dir')}</span> : <Mono>{formatBytes(v)}</Mono>) }
        ]}
        onRow={(r) => ({ 'data-testid': 'clear-item', 'data-action': r.action, 'data-reason': r.reason, 'data-kind': r.kind }) as React.HTMLAttributes<HTMLElement>}
      />
      {problems.map((p, i) => (
        <StatusText key={i} tone="warning">
          {t('sectors.clear.notSearched')} {problemText(t, p)}
        </StatusText>
      ))}
    </div>
  )
}
