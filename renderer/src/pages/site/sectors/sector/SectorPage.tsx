import { Button, Space, Table, Tooltip } from 'antd'
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import type { ErrorInfo, SectorDetail, SectorFilesReport, SectorJob, SectorGroup, SiteConfig } from '@contract'
import { formatDuration, formatFil } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import { navigate } from '@renderer/stores/navigation'
import type { StatusTone } from '@renderer/theme/tokens'
import { MutationDialog, type MutationRequest } from '@renderer/ops/MutationDialog'
import { loadSectors, previewRemove, previewUpdateState, readSectorFiles, readSectorStatus } from '@renderer/pages/site/sectors/sectorsStore'
import { UpdateStateModal } from '@renderer/pages/site/sectors/UpdateStateModal'
import { ClearFilesFlow } from './ClearFilesFlow'
import { DiagnosisPanel } from './DiagnosisPanel'
import { EventTimeline } from './EventTimeline'
import { FilesPanel } from './FilesPanel'
import { Rich } from '@renderer/components/Rich'

const GROUP_TONE: Record<SectorGroup, StatusTone> = { failed: 'critical', sealing: 'info', proving: 'ok', removed: 'unknown', other: 'unknown' }
const REFRESH_MS = 10_000

/**
 * One sector (status.sh --log and more): its state and on-chain info, the diagnosis of its last
 * error with the usual remedy, its jobs, where its files are and whether they are complete, the
 * event log as a timeline, and the runbook's actions on it.
 */
export function SectorPage({ site, sector }: { site: SiteConfig; sector: number }) {
  const { t } = useTranslation()
  const now = useNow()
  const [detail, setDetail] = useState<SectorDetail | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [files, setFiles] = useState<SectorFilesReport | null>(null)
  const [filesError, setFilesError] = useState<ErrorInfo | null>(null)
  const [filesLoading, setFilesLoading] = useState(false)
  const [dialog, setDialog] = useState<{ id: number; request: MutationRequest } | null>(null)
  const [updateOpen, setUpdateOpen] = useState(false)
  const [clearOpen, setClearOpen] = useState(false)
  const [tick, setTick] = useState(0)

  // Reads can overlap (open, reload, after an action): only the latest one's answer is shown, so a
  // slow read started before a deletion never replaces what was read after it.
  const filesSeq = useRef(0)
  const reloadFiles = useCallback(() => {
    const seq = ++filesSeq.current
    setFilesLoading(true)
    readSectorFiles(site.id, sector)
      .then(
        (f) => {
          if (seq !== filesSeq.current) return
          setFiles(f)
          setFilesError(null)
        },
        (err: unknown) => seq === filesSeq.current && setFilesError(asMinerDeskError(err).toInfo())
      )
      .finally(() => seq === filesSeq.current && setFilesLoading(false))
  }, [site.id, sector])

  // The sector's state, read again every REFRESH_MS after the previous answer (a slow answer is never dropped).
  useEffect(() => {
    let live = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () => {
      readSectorStatus(site.id, sector)
        .then(
          (d) => {
            if (!live) return
            setDetail(d)
            setError(null)
          },
          (err: unknown) => live && setError(asMinerDeskError(err).toInfo())
        )
        .finally(() => {
          if (live) timer = setTimeout(load, REFRESH_MS)
        })
    }
    load()
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [site.id, sector, tick])

  useEffect(() => {
    // Files are read over SSH on every host: once on open, then when asked or after an action.
    const timer = setTimeout(reloadFiles, 0)
    return () => clearTimeout(timer)
  }, [reloadFiles])

  const refresh = () => {
    setTick((n) => n + 1)
    reloadFiles()
  }
  const afterAction = () => {
    refresh()
    void loadSectors(site.id)
  }
  const dialogSeq = useRef(0)
  const open = (request: MutationRequest) => setDialog({ id: ++dialogSeq.current, request })
  const updateTo = (state: string, override = false) =>
    open({ title: <Rich text={t('sectors.action.updateStateTo', { state })} />, make: () => previewUpdateState(site.id, [sector], state, ...(override ? [{ override: true as const }] : [])), onDone: afterAction })
  const remove = () => open({ title: t('sectors.action.removeOne', { sector }), make: () => previewRemove(site.id, [sector]), onDone: afterAction })
  const ports = [...new Set((files?.listings ?? []).map((l) => l.storage.port).filter((p): p is number => p !== null))].sort((a, b) => a - b)
  const inState = detail?.enteredAt ? (now - detail.enteredAt) / 1000 : null

  return (
    <div className="md-stack" data-testid="sector-page" data-sector={sector} data-state={detail?.state ?? ''}>
      <div className="md-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate({ page: 'site', siteId: site.id, tab: 'sectors' })} data-testid="sector-back">
          {t('sectors.page.back')}
        </Button>
        <h2 className="md-title">
          {t('sectors.page.title')} <Mono testId="sector-number">{sector}</Mono>
        </h2>
        {detail && (
          <>
            <StatusText tone={detail.fault?.status === 'faulty' ? 'critical' : detail.timing?.level === 'overdue' ? 'warning' : GROUP_TONE[detail.group]} strong testId="sector-state">
              <span className="md-mono">{detail.state}</span>
            </StatusText>
            {detail.fault && (
              <StatusText tone={detail.fault.status === 'faulty' ? 'critical' : 'warning'} strong testId="sector-fault-tag">
                {t(`sectors.fault.tag.${detail.fault.status}`)}
              </StatusText>
            )}
            {detail.timing && detail.timing.level !== 'ok' && (
              <StatusText tone={detail.timing.level === 'overdue' ? 'warning' : 'info'} testId="sector-timing">
                {t(`sectors.timing.${detail.timing.level}`)}
              </StatusText>
            )}
            <span className="md-muted">
              {t('sectors.page.inState', { time: inState === null ? '—' : formatDuration(inState) })}
              {detail.timing && ` · ${t('sectors.page.expected', { time: formatDuration(detail.timing.expectedSec) })}`}
            </span>
          </>
        )}
        <span className="md-flex-fill" />
        <Space size={6} wrap>
          <Button onClick={() => setUpdateOpen(true)} disabled={!detail} data-testid="sector-update-state">
            {t('sectors.action.updateState')}
          </Button>
          {(['CommitWait', 'PreCommitWait'] as const).map((target) => {
            // The runbook's shortcuts are offered only where Lotus's handler can take them.
            const refusal = detail?.updateTargets.refused.find((r) => r.state === target)
            return (
              <Tooltip key={target} title={refusal ? refusal.reasons.map((r) => t(`sectors.refusal.${r}`, { state: target })).join(' ') : undefined}>
                <Button onClick={() => updateTo(target)} disabled={!detail || refusal !== undefined} data-testid={target === 'CommitWait' ? 'sector-commitwait' : 'sector-precommitwait'}>
                  <Mono>{target.toLowerCase()}</Mono>
                </Button>
              </Tooltip>
            )
          })}
          <Button danger onClick={remove} data-testid="sector-remove">
            {t('sectors.action.remove')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="sector-refresh" />
        </Space>
      </div>
      {error && <ErrorNotice error={error} testId="sector-error" />}
      {detail && (
        <div className="md-two-col" style={{ alignItems: 'start' }}>
          <div className="md-stack">
            <DiagnosisPanel siteId={site.id} detail={detail} />
            <InfoPanel d={detail} />
            <JobsPanel jobs={detail.jobs} now={now} />
          </div>
          <div className="md-stack">
            <FilesPanel siteId={site.id} sector={sector} files={files} error={filesError} loading={filesLoading} onReload={reloadFiles} onClear={() => setClearOpen(true)} />
          </div>
        </div>
      )}
      {detail && <EventTimeline log={detail.log} />}

      {dialog && <MutationDialog key={dialog.id} request={dialog.request} onClose={() => setDialog(null)} />}
      {updateOpen && detail && (
        <UpdateStateModal
          sectors={[sector]}
          currentStates={[detail.state]}
          safe={[detail.updateTargets.suggested]}
          all={detail.updateTargets.all}
          refused={detail.updateTargets.refused}
          onCancel={() => setUpdateOpen(false)}
          onChoose={(s, override) => {
            setUpdateOpen(false)
            updateTo(s, override)
          }}
        />
      )}
      {clearOpen && <ClearFilesFlow siteId={site.id} sector={sector} ports={ports} onClose={() => setClearOpen(false)} onDone={afterAction} />}
    </div>
  )
}

function InfoPanel({ d }: { d: SectorDetail }) {
  const { t } = useTranslation()
  const kv: [string, React.ReactNode][] = [
    ['SectorID', <Mono key="id">{d.sector}</Mono>],
    ['Status', <Mono key="s">{d.state}</Mono>],
    [t('sectors.page.since'), <Mono key="since">{d.enteredAt ? dayjs(d.enteredAt).format('YYYY-MM-DD HH:mm:ss') : '—'}</Mono>],
    ['CIDcommD', <Mono key="d">{d.commD ?? '<nil>'}</Mono>],
    ['CIDcommR', <Mono key="r">{d.commR ?? '<nil>'}</Mono>],
    ['TicketH', <Mono key="t">{d.ticketEpoch}</Mono>],
    ['SeedH', <Mono key="seed">{d.seedEpoch}</Mono>],
    ['Precommit', <Mono key="pc">{d.preCommitMsg ?? '<nil>'}</Mono>],
    ['Commit', <Mono key="c">{d.commitMsg ?? '<nil>'}</Mono>],
    ['Deals', <Mono key="deals">[{d.deals.join(' ')}]</Mono>],
    ['Retries', <Mono key="retries">{d.retries}</Mono>],
    ['Last Error', <span key="le" className="md-mono md-wrap">{d.lastErr || '—'}</span>],
    ['SealProof', <Mono key="sp">{d.sealProof}{d.sectorSize ? ` (${d.sectorSize / 1024 ** 3} GiB)` : ''}</Mono>],
    ['Activation', <Mono key="a">{d.onChain.activation || '—'}</Mono>],
    ['Expiration', <Mono key="e">{d.onChain.expiration || '—'}</Mono>],
    ['InitialPledge', <Mono key="ip">{d.onChain.initialPledge !== '0' ? formatFil(d.onChain.initialPledge) : '—'}</Mono>]
  ]
  return (
    <Section title={<>{t('sectors.page.info')} <span className="md-muted md-mono">lotus-miner sectors status -c {d.sector}</span></>} testId="sector-info">
      <div className="md-kv-grid">
        {kv.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <span className="md-mono">{k}</span>
            <span style={{ minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>{v}</span>
          </div>
        ))}
      </div>
    </Section>
  )
}

function JobsPanel({ jobs, now }: { jobs: SectorJob[]; now: number }) {
  const { t } = useTranslation()
  return (
    <Section title={t('sectors.page.jobs')} testId="sector-jobs">
      <Table<SectorJob>
        size="small"
        rowKey={(j) => `${j.workerId}:${j.id}:${j.task}`}
        dataSource={jobs}
        pagination={false}
        locale={{ emptyText: t('sectors.page.noJobs') }}
        columns={[
          { title: 'ID', dataIndex: 'id', width: 90, render: (v: string) => <Mono title={v}>{v.replace(/-/g, '').slice(0, 8)}</Mono> },
          { title: t('sectors.grid.job'), dataIndex: 'task', width: 60, render: (v: string, j) => <Mono title={j.taskType}>{v}</Mono> },
          { title: t('sectors.grid.state'), dataIndex: 'state', width: 90, render: (v: string) => <Mono>{v}</Mono> },
          { title: t('sectors.files.host'), dataIndex: 'hostname', render: (v: string) => <Mono>{v || '—'}</Mono> },
          { title: t('sectors.page.elapsed'), dataIndex: 'start', width: 90, align: 'right', render: (v: number | null) => <Mono>{v ? formatDuration((now - v) / 1000) : 'n/a'}</Mono> }
        ]}
        onRow={(j) => ({ 'data-testid': 'sector-job', 'data-task': j.task }) as React.HTMLAttributes<HTMLElement>}
      />
    </Section>
  )
}
