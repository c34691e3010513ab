import { Alert, Button, Table } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError, getApi } from '@renderer/api'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import type { ErrorInfo, SectorFilesReport, StorageFindReport } from '@contract'
import { formatBytes } from '@renderer/model/format'
import { listingRows, type FileRow } from '@renderer/pages/site/sectors/FindFilesModal'

/**
 * Where the sector's files are: what Lotus reports (StorageFindSector per file type), what is on
 * disk in every storage path of the site (listed over SSH), and the check against the files the
 * sector's stage needs — missing, extra and empty files named.
 */
export function FilesPanel({ siteId, sector, files, error, loading, onReload, onClear }: { siteId: string; sector: number; files: SectorFilesReport | null; error: ErrorInfo | null; loading: boolean; onReload: () => void; onClear: () => void }) {
  const { t } = useTranslation()
  const [find, setFind] = useState<StorageFindReport | null>(null)
  const [findError, setFindError] = useState<ErrorInfo | null>(null)
  const storageFind = async () => {
    setFindError(null)
    try {
      setFind(await getApi().sectors.storageFind(siteId, sector))
    } catch (err) {
      setFindError(asMinerDeskError(err).toInfo())
    }
  }
  const rows = files ? listingRows(files.listings) : []
  const c = files?.check
  return (
    <Section
      title={<>{t('sectors.files.title')} {files && <span className="md-mono md-muted">{files.fileName}</span>}</>}
      extra={
        <span style={{ display: 'inline-flex', gap: 6 }}>
          <Button size="small" onClick={() => void storageFind()} data-testid="sector-storage-find">
            storage find
          </Button>
          <Button size="small" onClick={onClear} data-testid="sector-clear-files">
            {t('sectors.action.clearFiles')}
          </Button>
          <Button size="small" loading={loading} onClick={onReload} data-testid="sector-files-reload">
            {t('sectors.files.reload')}
          </Button>
        </span>
      }
      testId="sector-files"
    >
      <div className="md-stack">
        {error && <ErrorNotice error={error} testId="sector-files-error" />}
        {!files && !error && <span className="md-muted">{t('sectors.files.loading')}</span>}
        {c && (
          <div className="md-files-check" data-testid="files-check" data-ok={String(c.ok)} data-stage={c.stage}>
            <div>
              <span className="md-muted">{t('sectors.files.stage')} </span>
              <Mono>{c.stage}</Mono> · {t(`sectors.files.stageName.${c.stage}`)}
            </div>
            {c.ok && c.stage !== 'none' && c.stage !== 'unknown' && <StatusText tone="ok">{t('sectors.files.allThere')}</StatusText>}
            {c.missing.map((m) => (
              <StatusText key={m} tone="critical" testId="files-missing">
                {t('sectors.files.missing')} <span className="md-mono">{m}</span>
              </StatusText>
            ))}
            {c.extra.map((m) => (
              <StatusText key={m} tone="warning" testId="files-extra">
                {t('sectors.files.extra')} <span className="md-mono">{m}</span>
              </StatusText>
            ))}
            {c.empty.map((m) => (
              <StatusText key={m} tone="critical" testId="files-empty">
                {t('sectors.files.empty')} <span className="md-mono">{m}</span>
              </StatusText>
            ))}
            {c.copies.map((m) => (
              <StatusText key={m} tone="warning" testId="files-copies">
                {t('sectors.files.copies')} <span className="md-mono">{m}</span>
              </StatusText>
            ))}
          </div>
        )}
        {files && files.locations.length > 0 && (
          <div className="md-files-check" data-testid="files-locations">
            <span className="md-muted">{t('sectors.files.lotusSays')}</span>
            {files.locations.map((l, i) => (
              <span key={i} className="md-mono" data-testid="files-location" data-kind={l.kind}>
                {l.kind.padEnd(8, ' ')} {l.storage ? `${l.storage.alias}:${l.storage.path}` : `${l.storageId} (${l.urls[0] ?? ''})`}
              </span>
            ))}
          </div>
        )}
        {files?.problems.map((p, i) => <Alert key={i} type="warning" showIcon title={p.message} data-testid="files-problem" />)}
        {files && (
          <Table<FileRow>
            size="small"
            rowKey="key"
            dataSource={rows}
            pagination={false}
            scroll={rows.length > 14 ? { y: 14 * 32 } : undefined}
            locale={{ emptyText: t('sectors.files.none') }}
            columns={[
              { title: t('sectors.files.host'), dataIndex: 'alias', width: 90, render: (v: string) => <Mono>{v}</Mono> },
              { title: t('sectors.files.path'), dataIndex: 'path', render: (_: string, r) => <span className="md-mono md-wrap" title={r.path}>{`…/${r.path.split('/').slice(-1)[0]}/${r.kind}/${r.rel ? `…/${r.rel}` : r.name}`}</span> },
              { title: t('sectors.files.size'), dataIndex: 'size', width: 100, align: 'right', render: (v: number, r) => <Mono>{r.type === 'dir' ? 'dir' : formatBytes(v)}</Mono> }
            ]}
            onRow={(r) => ({ 'data-testid': 'file-row', 'data-kind': r.kind, 'data-rel': r.rel }) as React.HTMLAttributes<HTMLElement>}
            data-testid="sector-files-table"
          />
        )}
        {findError && <ErrorNotice error={findError} compact />}
        {find && (
          <pre className="md-pre" data-testid="storage-find-output">
            {`$ lotus-miner storage find ${sector}\n${find.text}`}
          </pre>
        )}
      </div>
    </Section>
  )
}
