import { Button, Table } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { readStorageFind } from '@renderer/pages/site/sectors/sectorsStore'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import type { ErrorInfo, SectorFilesReport, StorageFindReport } from '@contract'
import { formatBytes } from '@renderer/model/format'
import { listingRows, type FileRow } from '@renderer/pages/site/sectors/FindFilesModal'
import { Rich } from '@renderer/components/Rich'
import { compareFiles, HostProblemNotice, PathText } from './fileText'

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
      setFind(await readStorageFind(siteId, sector))
    } catch (err) {
      setFindError(asMinerDeskError(err).toInfo())
    }
  }
  const rows = files ? listingRows(files.listings).sort(compareFiles) : []
  const c = files?.check
  return (
    <Section
      title={<>{t('sectors.files.title')} {files && <span className="md-mono md-muted">{files.fileName}</span>}</>}
      extra={
        <span style={{ display: 'inline-flex', gap: 6 }}>
          <Button size="small" onClick={() => void storageFind()} data-testid="sector-storage-find">
            <Rich text={t('sectors.files.storageFind')} />
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
              <Mono>{c.stage}</Mono> · <Rich text={t(`sectors.files.stageName.${c.stage}`)} />
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
            <span className="md-muted"><Rich text={t('sectors.files.lotusSays')} /></span>
            {files.locations.map((l, i) => (
              <span key={i} data-testid="files-location" data-kind={l.kind}>
                <Mono>{l.kind.padEnd(8, ' ')}</Mono> {l.storage ? <PathText path={`${l.storage.alias}:${l.storage.path}`} /> : <Mono title={l.urls.join(' ')}>{`${l.storageId} (${l.urls[0] ?? ''})`}</Mono>}
              </span>
            ))}
          </div>
        )}
        {files?.problems.map((p, i) => <HostProblemNotice key={i} problem={p} testId="files-problem" />)}
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
              { title: t('sectors.files.path'), dataIndex: 'path', ellipsis: true, render: (_: string, r) => <PathText path={`${r.path}/${r.kind}/${r.name}${r.rel ? `/${r.rel}` : ''}`} testId="file-path" /> },
              { title: t('sectors.files.size'), dataIndex: 'size', width: 100, align: 'right', render: (v: number, r) => (r.type === 'dir' ? <span className="md-muted">{t('sectors.files.dir')}</span> : <Mono>{formatBytes(v)}</Mono>) }
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
