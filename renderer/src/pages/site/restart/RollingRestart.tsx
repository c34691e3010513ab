import { Badge, Button, Checkbox, Modal, Space, Table } from 'antd'
import { SyncOutlined } from '@ant-design/icons'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { cancelOp, executeOp } from '@renderer/ops/calls'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { useReportError } from '@renderer/components/useReportError'
import type { MutationPreview, RestartRun, RestartRunSummary, RollingRun, SiteConfig } from '@contract'
import { navigate } from '@renderer/stores/navigation'
import { selectSites, useSitesStore } from '@renderer/stores/sites'
import type { StatusTone } from '@renderer/theme/tokens'
import { PreviewBox } from '@renderer/ops/PreviewBox'
import { loadRolling, retainRestartEvents, restartCalls, selectRolling, useRestartStore } from './store'
import { rollingFailureText, verdictClock } from './text'
import './restart.css'

const PHASE_TONE: Record<RollingRun['phase'], StatusTone> = { running: 'busy', done: 'ok', failed: 'critical', aborted: 'unknown', interrupted: 'warning' }

function siteRun(siteId: string) {
  return (s: ReturnType<typeof useRestartStore.getState>): RestartRun | null => s.sites[siteId]?.run ?? null
}

function SiteProgress({ rolling, siteId, index }: { rolling: RollingRun; siteId: string; index: number }) {
  const { t } = useTranslation()
  const run = useRestartStore(siteRun(siteId))
  const mine = run && rolling.runs[siteId] === run.id ? run : null
  let tone: StatusTone = 'unknown'
  let text = t('wizard.rolling.pending')
  if (mine) {
    tone = mine.phase === 'done' ? 'ok' : mine.phase === 'failed' ? 'critical' : mine.phase === 'aborted' ? 'unknown' : 'busy'
    text = mine.phase === 'done' || mine.phase === 'failed' || mine.phase === 'aborted' ? t(`wizard.phase.${mine.phase}`) : `${t(`wizard.phase.${mine.phase}`)} · ${t(`wizard.step.${mine.current}`)}`
  } else if (rolling.runs[siteId]) {
    tone = index < rolling.index ? 'ok' : 'busy'
    text = index < rolling.index ? t('wizard.phase.done') : t('wizard.phase.running')
  }
  return (
    <Space data-testid={`rolling-site-${siteId}`} data-state={mine?.phase ?? (index < rolling.index ? 'done' : 'pending')}>
      <StatusText tone={tone}>{text}</StatusText>
      {rolling.runs[siteId] && (
        <Button
          size="small"
          type="link"
          onClick={() => {
            navigate({ page: 'site', siteId, tab: 'restart' })
          }}
        >
          {t('wizard.rolling.open')}
        </Button>
      )}
    </Space>
  )
}

/** The rolling restart's progress: each site, in order, with its run's state. */
function RollingProgress({ rolling, sites }: { rolling: RollingRun; sites: SiteConfig[] }) {
  const { t } = useTranslation()
  const report = useReportError()
  useEffect(() => {
    for (const runId of Object.values(rolling.runs)) {
      restartCalls
        .get(runId)
        .then((run) => useRestartStore.getState().applyRun(run))
        .catch(() => undefined)
    }
  }, [rolling.runs])
  const rows = rolling.siteIds.map((id, index) => ({ id, index, name: sites.find((s) => s.id === id)?.name ?? id }))
  return (
    <div className="md-stack" data-testid="rolling-progress" data-phase={rolling.phase}>
      <Space>
        <span className="md-muted">{t('wizard.rolling.progress')}</span>
        <StatusText tone={PHASE_TONE[rolling.phase]} strong testId="rolling-phase">
          {t(`wizard.rolling.phase.${rolling.phase}`)}
        </StatusText>
      </Space>
      <Table
        size="small"
        rowKey="id"
        showHeader={false}
        pagination={false}
        dataSource={rows}
        columns={[
          { key: 'n', width: 40, render: (_: unknown, r: (typeof rows)[number]) => <Mono>{r.index + 1}</Mono> },
          { key: 'name', render: (_: unknown, r: (typeof rows)[number]) => <span>{r.name}</span> },
          { key: 'state', render: (_: unknown, r: (typeof rows)[number]) => <SiteProgress rolling={rolling} siteId={r.id} index={r.index} /> }
        ]}
      />
      {rolling.failure && (
        <StatusText tone="critical" testId="rolling-failure">
          {t('wizard.rolling.failure', { site: rolling.failure.siteId, message: rollingFailureText(t, rolling.failure, verdictClock), interpolation: { escapeValue: false } })}
        </StatusText>
      )}
      {rolling.phase === 'running' && (
        <Button danger onClick={() => restartCalls.abortRolling().catch(report)} data-testid="rolling-abort">
          {t('wizard.rolling.abort')}
        </Button>
      )}
    </div>
  )
}

/**
 * Restarts MinerDesk was stopped in (or that wait for the operator), named on the Overview so they
 * are not forgotten: each links to its site's Restart tab, where it is shown where it was.
 */
function UnfinishedRestarts() {
  const { t } = useTranslation()
  const [list, setList] = useState<RestartRunSummary[]>([])
  // Listed again when a run's phase changes (not on every progress update).
  const version = useRestartStore((s) => Object.values(s.sites).map((x) => `${x.run?.id}:${x.run?.phase}`).join(','))
  useEffect(() => {
    let stop = false
    restartCalls
      .list(null)
      .then((runs) => {
        if (!stop) setList(runs.filter((r) => r.phase === 'interrupted' || ((r.phase === 'waiting' || r.phase === 'ready') && !r.elsewhere)))
      })
      .catch(() => undefined)
    return () => {
      stop = true
    }
  }, [version])
  return (
    <>
      {list.map((r) => (
        <Button key={r.id} size="small" type="link" danger={r.phase === 'interrupted'} onClick={() => navigate({ page: 'site', siteId: r.siteId, tab: 'restart' })} data-testid={`unfinished-restart-${r.siteId}`}>
          {t(r.phase === 'interrupted' ? 'wizard.unfinished.interrupted' : 'wizard.unfinished.waiting', { site: r.siteId, step: t(`wizard.step.${r.current}`) })}
        </Button>
      ))}
    </>
  )
}

/** Overview toolbar: choose sites, preview every command, confirm once, follow the progress. */
export function RollingRestartButton() {
  const { t } = useTranslation()
  const report = useReportError()
  const sites = useSitesStore(selectSites)
  const rolling = useRestartStore(selectRolling)
  const [open, setOpen] = useState(false)
  const [chosen, setChosen] = useState<string[]>([])
  const [waitForWindow, setWaitForWindow] = useState(true)
  const [allowKill, setAllowKill] = useState(false)
  const [preview, setPreview] = useState<MutationPreview | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    const release = retainRestartEvents()
    loadRolling().catch(() => undefined)
    return release
  }, [])
  const ordered = useMemo(() => sites.filter((s) => chosen.includes(s.id)).map((s) => s.id), [sites, chosen])
  const active = rolling?.phase === 'running'
  const close = () => {
    if (preview) void cancelOp(preview.id)
    setPreview(null)
    setOpen(false)
  }
  const makePreview = async () => {
    setBusy(true)
    try {
      setPreview(await restartCalls.previewRolling(ordered, { waitForWindow, allowKill }))
    } catch (err) {
      report(err)
    } finally {
      setBusy(false)
    }
  }
  const confirm = async (typed: string | null) => {
    if (!preview) return
    setBusy(true)
    try {
      const out = await executeOp(preview.id, typed)
      if (!out.ok && out.error) report(out.error)
      setPreview(null)
      await loadRolling()
    } catch (err) {
      report(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <UnfinishedRestarts />
      <Badge dot={active}>
        <Button icon={<SyncOutlined spin={active} />} onClick={() => setOpen(true)} disabled={sites.length === 0} data-testid="rolling-open">
          {t('wizard.rolling.button')}
        </Button>
      </Badge>
      <Modal open={open} title={t('wizard.rolling.title')} onCancel={close} footer={null} width={820} data-testid="rolling-modal" destroyOnHidden>
        <div className="md-stack" data-testid="rolling-body">
          {rolling && (rolling.phase === 'running' || !preview) && rolling.siteIds.length > 0 && <RollingProgress rolling={rolling} sites={sites} />}
          {!active && !preview && (
            <>
              <div className="md-muted">{t('wizard.rolling.intro')}</div>
              <div className="md-wz-sub">{t('wizard.rolling.sites')}</div>
              <Checkbox.Group value={chosen} onChange={(v) => setChosen(v as string[])} data-testid="rolling-sites">
                <Space direction="vertical" size={2}>
                  {sites.map((s) => (
                    <Checkbox key={s.id} value={s.id} data-testid={`rolling-choose-${s.id}`}>
                      {s.name} <Mono>{s.alias}</Mono>
                    </Checkbox>
                  ))}
                </Space>
              </Checkbox.Group>
              <Checkbox checked={waitForWindow} onChange={(e) => setWaitForWindow(e.target.checked)}>
                {t('wizard.rolling.waitForWindow')}
              </Checkbox>
              <Checkbox checked={allowKill} onChange={(e) => setAllowKill(e.target.checked)}>
                {t('wizard.rolling.allowKill')}
              </Checkbox>
              <Space>
                <Button type="primary" disabled={ordered.length === 0} loading={busy} onClick={() => void makePreview()} data-testid="rolling-preview">
                  {t('wizard.rolling.preview')}
                </Button>
                <span className="md-muted">{ordered.join(' → ')}</span>
              </Space>
            </>
          )}
          {preview && <PreviewBox preview={preview} busy={busy} confirmLabel={t('wizard.rolling.start')} onConfirm={(typed) => void confirm(typed)} testId="rolling-preview-box" />}
        </div>
      </Modal>
    </>
  )
}
