import { Alert, Button, Input, Modal, Space, Table } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { findFiles } from './sectorsStore'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import type { ErrorInfo, FindFilesReport, PathListing, SiteConfig } from '@contract'
import { formatBytes } from '@renderer/model/format'
import { Rich } from '@renderer/components/Rich'
import { HostProblemNotice, PathText } from './sector/fileText'

export interface FileRow {
  key: string
  alias: string
  path: string
  owner: string
  kind: string
  name: string
  rel: string
  type: string
  size: number
}

export function listingRows(listings: readonly PathListing[]): FileRow[] {
  return listings.flatMap((l) =>
    l.entries.map((e, i) => ({
      key: `${l.storage.alias}|${l.storage.path}|${e.kind}|${e.name}|${e.rel}|${i}`,
      alias: l.storage.alias,
      path: l.storage.path,
      owner: l.storage.owner === 'worker' ? `worker :${l.storage.port ?? '?'}` : 'miner',
      kind: e.kind,
      name: e.name,
      rel: e.rel,
      type: e.type,
      size: e.size
    }))
  )
}

/** findsector.sh: a sector's files — or every sector's, with `s-t*` — on each worker and storage host of the site. */
export function FindFilesModal({ site, onClose, initial }: { site: SiteConfig; onClose: () => void; initial?: string }) {
  const { t } = useTranslation()
  const [pattern, setPattern] = useState(initial ?? 's-t*')
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<FindFilesReport | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const search = async () => {
    setBusy(true)
    setError(null)
    try {
      setReport(await findFiles(site.id, pattern.trim()))
    } catch (err) {
      setError(asMinerDeskError(err).toInfo())
      setReport(null)
    } finally {
      setBusy(false)
    }
  }
  const rows = report ? listingRows(report.listings) : []
  return (
    <Modal open title={t('sectors.find.title')} onCancel={onClose} footer={null} width={1100} data-testid="find-files-modal">
      <div className="md-stack">
        <span className="md-muted"><Rich text={t('sectors.find.hint')} /></span>
        <Space>
          <Input value={pattern} onChange={(e) => setPattern(e.target.value)} onPressEnter={() => void search()} className="md-mono" style={{ width: 260 }} data-testid="find-files-pattern" />
          <Button type="primary" loading={busy} onClick={() => void search()} data-testid="find-files-run">
            {t('sectors.find.run')}
          </Button>
          <span className="md-mono md-muted">findsector.sh {pattern}</span>
        </Space>
        {error && <ErrorNotice error={error} testId="find-files-error" />}
        {report && (
          <>
            <span data-testid="find-files-total" data-total={report.total}>
              {t('sectors.find.total', { n: report.total, pattern: report.pattern })}
            </span>
            {report.truncated && <Alert type="warning" showIcon title={t('sectors.find.truncated')} />}
            {report.problems.map((p, i) => (
              <HostProblemNotice key={i} problem={p} testId="find-files-problem" />
            ))}
            <Table<FileRow>
              size="small"
              rowKey="key"
              dataSource={rows}
              pagination={false}
              virtual={rows.length > 100}
              scroll={{ y: 480, x: 1000 }}
              columns={[
                { title: t('sectors.files.host'), dataIndex: 'alias', width: 110, render: (v: string) => <Mono>{v}</Mono> },
                { title: t('sectors.files.owner'), dataIndex: 'owner', width: 110, render: (v: string) => <Mono>{v}</Mono> },
                { title: t('sectors.files.path'), dataIndex: 'path', ellipsis: true, render: (_: string, r) => <PathText path={`${r.path}/${r.kind}/${r.name}${r.rel ? `/${r.rel}` : ''}`} /> },
                { title: t('sectors.files.size'), dataIndex: 'size', width: 110, align: 'right', render: (v: number, r) => (r.type === 'dir' ? <span className="md-muted">{t('sectors.files.dir')}</span> : <Mono>{formatBytes(v)}</Mono>) }
              ]}
              onRow={(r) => ({ 'data-testid': 'find-files-row', 'data-name': r.name, 'data-kind': r.kind }) as React.HTMLAttributes<HTMLElement>}
              data-testid="find-files-table"
            />
          </>
        )}
      </div>
    </Modal>
  )
}
