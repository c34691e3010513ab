import { Alert, Button, Checkbox, Form, Input, Modal, Popconfirm, Space, Table } from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { cancelOp, executeOp } from '@renderer/ops/calls'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { useReportError } from '@renderer/components/useReportError'
import type { MutationPreview, RestartOptions, RestartPhase, RestartRun, RestartRunSummary, SiteConfig, SiteState } from '@contract'
import { formatDuration } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import type { StatusTone } from '@renderer/theme/tokens'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { DecisionPanel } from './DecisionPanel'
import { LogPanel } from './LogPanel'
import { PrecheckPanel } from './PrecheckPanel'
import { PreviewBox } from '@renderer/ops/PreviewBox'
import { RestartSettings } from './RestartSettings'
import { StepsPanel } from './StepsPanel'
import { loadRolling, loadSite, retainRestartEvents, restartCalls, selectSiteRestart, useRestartStore } from './store'
import { failureHint, failureText, processState } from './text'
import './restart.css'
import { Rich } from '@renderer/components/Rich'

const PHASE_TONE: Record<RestartPhase, StatusTone> = { ready: 'info', running: 'busy', waiting: 'warning', interrupted: 'warning', done: 'ok', failed: 'critical', aborted: 'unknown' }
const TAIL_RENEW_MS = 30_000

export function isFinishedPhase(p: RestartPhase): boolean {
  return p === 'done' || p === 'failed' || p === 'aborted'
}

function download(file: { filename: string; mime: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = file.filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Keeps the site's live log tail going while the tab is open. */
function useLogTail(siteId: string): void {
  useEffect(() => {
    let stop = false
    const lease = () =>
      restartCalls
        .tail(siteId)
        .then((tail) => {
          if (!stop) useRestartStore.getState().setLogs(siteId, tail.daemon, tail.miner, tail.files)
        })
        .catch((err: unknown) => console.warn('minerdesk: log tail', err))
    void lease()
    const timer = setInterval(() => void lease(), TAIL_RENEW_MS)
    return () => {
      stop = true
      clearInterval(timer)
    }
  }, [siteId])
}

function StartPanel({ site, compact }: { site: SiteConfig; compact: boolean }) {
  const siteId = site.id
  const { t } = useTranslation()
  const report = useReportError()
  const [busy, setBusy] = useState(false)
  const [form] = Form.useForm<{ miner?: string; daemon?: string; waitForWindow?: boolean }>()
  const start = async () => {
    const v = form.getFieldsValue()
    const options: RestartOptions = {
      ...(v.miner?.trim() ? { expectMinerVersion: v.miner.trim() } : {}),
      ...(v.daemon?.trim() ? { expectDaemonVersion: v.daemon.trim() } : {}),
      ...(v.waitForWindow ? { waitForWindow: true } : {})
    }
    setBusy(true)
    try {
      useRestartStore.getState().applyRun(await restartCalls.start(siteId, options))
    } catch (err) {
      report(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Section title={compact ? t('wizard.newRun') : t('wizard.title')} testId="wizard-start-panel">
      <div className="md-stack">
        {!compact && <div className="md-wz-intro">{t('wizard.intro')}</div>}
        <Form form={form} layout="inline" size="small">
          <Form.Item name="miner" label={t('wizard.expectMinerVersion')}>
            <Input className="md-mono" placeholder={t('wizard.expectHint')} style={{ width: 220 }} data-testid="wizard-expect-miner" />
          </Form.Item>
          <Form.Item name="daemon" label={t('wizard.expectDaemonVersion')}>
            <Input className="md-mono" placeholder={t('wizard.expectHint')} style={{ width: 220 }} />
          </Form.Item>
          <div className="md-wz-break" />
          <Form.Item name="waitForWindow" valuePropName="checked">
            <Checkbox data-testid="wizard-wait-window">{t('wizard.waitForWindow')}</Checkbox>
          </Form.Item>
        </Form>
        <Space>
          <Button type="primary" onClick={() => void start()} loading={busy} data-testid="wizard-start">
            {t('wizard.start')}
          </Button>
          <span className="md-muted">{t('wizard.startHint')}</span>
        </Space>
        <RestartSettings site={site} />
      </div>
    </Section>
  )
}

/** Status and the actions that fit it: next / run the rest / resume / abort / export. */
function Toolbar({ run, latest, onLatest }: { run: RestartRun; latest: boolean; onLatest: () => void }) {
  const { t } = useTranslation()
  const report = useReportError()
  const [busy, setBusy] = useState<string | null>(null)
  const [all, setAll] = useState<MutationPreview | null>(null)
  const now = useNow()
  const finished = isFinishedPhase(run.phase)
  const elsewhere = !finished && run.elsewhere === true
  // A "wait" verdict on a run that may wait for its window: everything can be confirmed now and runs once it is safe.
  const canRunAll = !elsewhere && run.owner !== null && run.phase === 'waiting' && run.decision?.kind === 'verdict' && run.decision.verdict.kind === 'wait' && run.options.waitForWindow === true
  const act = async (name: string, f: () => Promise<RestartRun | void>) => {
    setBusy(name)
    try {
      const r = await f()
      if (r) useRestartStore.getState().applyRun(r)
    } catch (err) {
      report(err)
    } finally {
      setBusy(null)
    }
  }
  const end = run.result?.endedAt ?? (finished ? run.updatedAt : now)
  return (
    <div className="md-toolbar md-subbar" data-testid="wizard-toolbar" data-phase={run.phase} data-run={run.id}>
      <StatusText tone={PHASE_TONE[run.phase]} strong testId="wizard-phase">
        {t(`wizard.phase.${run.phase}`)}
      </StatusText>
      <span className="md-muted">
        {t('wizard.at', { time: dayjs(run.createdAt).format('YYYY-MM-DD HH:mm:ss') })} · {t('wizard.took', { duration: formatDuration(Math.max(0, end - run.createdAt) / 1000) })} · {t('wizard.operator', { operator: run.operator, via: t(`audit.viaName.${run.via}`) })}
      </span>
      <span className="md-flex-fill" />
      {!latest && (
        <Button size="small" onClick={onLatest} data-testid="wizard-latest">
          {t('wizard.latest')}
        </Button>
      )}
      {elsewhere && <span className="md-muted">{t('wizard.elsewhere', { via: run.owner?.via ?? '' })}</span>}
      {!elsewhere && (run.phase === 'interrupted' || (run.owner === null && !finished)) ? (
        <Button type="primary" loading={busy === 'resume'} onClick={() => void act('resume', () => restartCalls.resume(run.id, {}))} data-testid="wizard-resume" title={t('wizard.resumeHint')}>
          {t('wizard.resume')}
        </Button>
      ) : null}
      {canRunAll && run.phase !== 'ready' && (
        <Button type="primary" loading={busy === 'all'} onClick={() => void act('all', async () => setAll(await restartCalls.previewAll(run.id)))} data-testid="wizard-run-all">
          {t('wizard.runAllWhenSafe')}
        </Button>
      )}
      {run.phase === 'ready' && !elsewhere && run.owner !== null && (
        <>
          <Button loading={busy === 'next'} onClick={() => void act('next', () => restartCalls.next(run.id))} title={t('wizard.nextHint')} data-testid="wizard-next">
            {t('wizard.next')}
          </Button>
          <Button type="primary" loading={busy === 'all'} onClick={() => void act('all', async () => setAll(await restartCalls.previewAll(run.id)))} data-testid="wizard-run-all">
            {t('wizard.runAll')}
          </Button>
        </>
      )}
      {!finished && !elsewhere && (
        <Popconfirm title={t('wizard.abortConfirm')} onConfirm={() => void act('abort', () => restartCalls.abort(run.id))} okButtonProps={{ danger: true, ...({ 'data-testid': 'wizard-abort-ok' } as Record<string, string>) }}>
          <Button danger loading={busy === 'abort'} data-testid="wizard-abort">
            {t('wizard.abort')}
          </Button>
        </Popconfirm>
      )}
      {finished && (
        <Space.Compact>
          <Button icon={<DownloadOutlined />} onClick={() => void act('md', async () => download(await restartCalls.report(run.id, 'markdown')))} data-testid="wizard-export-md">
            {t('wizard.export')} · {t('wizard.exportMarkdown')}
          </Button>
          <Button onClick={() => void act('json', async () => download(await restartCalls.report(run.id, 'json')))} data-testid="wizard-export-json">
            {t('wizard.exportJson')}
          </Button>
        </Space.Compact>
      )}
      <Modal
        open={all !== null}
        title={t('wizard.runAllTitle')}
        footer={null}
        onCancel={() => {
          if (all) void cancelOp(all.id)
          setAll(null)
        }}
        width={760}
        data-testid="wizard-run-all-modal"
      >
        <div className="md-stack">
          <div className="md-muted">{t('wizard.runAllHint')}</div>
          {all && (
            <PreviewBox
              preview={all}
              testId="wizard-run-all-preview"
              onConfirm={(typed) => {
                const p = all
                setAll(null)
                void act('all', async () => {
                  await executeOp(p.id, typed)
                })
              }}
            />
          )}
        </div>
      </Modal>
    </div>
  )
}

function SiteStateText({ state }: { state: SiteState }) {
  const { t } = useTranslation()
  const one = (x: SiteState['daemon']) => processState(t, x.running, x.pids.join(' '), x.apiUp)
  return (
    <span data-testid="wizard-site-state" data-daemon={String(state.daemon.running)} data-miner={String(state.miner.running)}>
      {t('wizard.siteState', { daemon: one(state.daemon), miner: one(state.miner) })}
    </span>
  )
}

function Outcome({ run }: { run: RestartRun }) {
  const { t, i18n } = useTranslation()
  const r = run.result
  return (
    <div className="md-stack" data-testid="wizard-outcome" data-ok={String(r?.ok ?? false)}>
      {r?.ok && <Alert type="success" showIcon title={t('wizard.doneTitle')} description={r.site ? <SiteStateText state={r.site} /> : undefined} />}
      {r && !r.ok && r.error && (
        <Alert
          type={r.aborted ? 'info' : 'error'}
          showIcon
          title={r.aborted ? t('wizard.phase.aborted') : <Rich text={failureText(t, r.error)} />}
          description={
            <div className="md-stack">
              {r.failedStep && <span>{t(`wizard.step.${r.failedStep}`)}</span>}
              {r.error.details && <pre className="md-wz-pre">{r.error.details}</pre>}
              {failureHint(t, r.error, i18n.language) && <span className="md-muted"><Rich text={failureHint(t, r.error, i18n.language) ?? ''} /></span>}
            </div>
          }
        />
      )}
      {r?.site && !r.ok && (
        <div>
          <span className="md-muted">{t('wizard.siteNow', { state: '' })}</span>
          <SiteStateText state={r.site} />
        </div>
      )}
      {run.override && <StatusText tone="warning">{t('wizard.override', { note: run.override.note })}</StatusText>}
    </div>
  )
}

function History({ history, current, onView }: { history: RestartRunSummary[]; current: string | null; onView: (id: string) => void }) {
  const { t } = useTranslation()
  const cols = [
    { title: '', dataIndex: 'createdAt', width: 160, render: (v: number) => <Mono>{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</Mono> },
    { title: '', dataIndex: 'phase', width: 110, render: (v: RestartPhase) => <StatusText tone={PHASE_TONE[v]}>{t(`wizard.phase.${v}`)}</StatusText> },
    { title: '', dataIndex: 'failedStep', render: (v: RestartRunSummary['failedStep'], r: RestartRunSummary) => (v ? t(`wizard.step.${v}`) : isFinishedPhase(r.phase) ? '' : t(`wizard.step.${r.current}`)) },
    { title: '', dataIndex: 'via', width: 60, render: (v: string) => <Mono>{v}</Mono> },
    {
      title: '',
      key: 'view',
      width: 80,
      render: (_: unknown, r: RestartRunSummary) =>
        r.id === current ? null : (
          <Button size="small" type="link" onClick={() => onView(r.id)} data-testid="wizard-history-view">
            {t('wizard.view')}
          </Button>
        )
    }
  ]
  return (
    <Section title={t('wizard.history')} testId="wizard-history">
      {history.length === 0 ? (
        <div className="md-muted">{t('wizard.historyEmpty')}</div>
      ) : (
        <Table<RestartRunSummary> size="small" showHeader={false} rowKey="id" columns={cols} dataSource={history.slice(0, 20)} pagination={false} rowClassName={(r) => (r.id === current ? 'md-row-current' : '')} />
      )}
    </Section>
  )
}

/** The site's Restart tab: the runbook's restart order with gates, decisions, live logs and reports. */
export function RestartTab({ site }: SiteTabProps) {
  const { t } = useTranslation()
  const report = useReportError()
  const { run, history, loaded } = useRestartStore(selectSiteRestart(site.id))
  const [viewing, setViewing] = useState<RestartRun | null>(null)
  useEffect(() => {
    const reload = () => {
      loadSite(site.id).catch(report)
      loadRolling().catch(() => undefined)
    }
    const release = retainRestartEvents()
    reload()
    return release
  }, [site.id, report])
  useLogTail(site.id)
  const shown = viewing && viewing.id !== run?.id ? viewing : run
  const finished = shown ? isFinishedPhase(shown.phase) : true
  const latest = !viewing || viewing.id === run?.id
  const view = async (id: string) => {
    try {
      setViewing(await restartCalls.get(id))
    } catch (err) {
      report(err)
    }
  }
  return (
    <div className="md-stack" data-testid="restart-tab">
      {shown && <Toolbar run={shown} latest={latest} onLatest={() => setViewing(null)} />}
      {!latest && shown && <div className="md-muted">{t('wizard.viewing', { time: dayjs(shown.createdAt).format('YYYY-MM-DD HH:mm:ss') })}</div>}
      <div className="md-wz-grid">
        <div className="md-stack">
          {shown?.phase === 'interrupted' && shown.interruptions.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="wizard-interrupted"
              title={t('wizard.interrupted', { step: t(`wizard.step.${shown.interruptions[shown.interruptions.length - 1]!.step}`), time: dayjs(shown.interruptions[shown.interruptions.length - 1]!.at).format('HH:mm:ss') })}
              description={t('wizard.resumeHint')}
            />
          )}
          {shown?.stateNotSaved && (
            <Alert
              type="error"
              showIcon
              data-testid="wizard-state-not-saved"
              title={t('wizard.stateNotSaved.title')}
              description={
                <div>
                  <div>{t('wizard.stateNotSaved.body', { file: shown.stateNotSaved.file })}</div>
                  <div className="md-muted">
                    <Mono>{shown.stateNotSaved.error}</Mono>
                  </div>
                  <div>{t('wizard.stateNotSaved.what')}</div>
                </div>
              }
            />
          )}
          {shown && latest && <DecisionPanel run={shown} />}
          {shown && finished && <Outcome run={shown} />}
          {shown && (
            <Section title={t('wizard.title')} testId="wizard-steps-panel">
              <StepsPanel run={shown} />
            </Section>
          )}
          {shown?.precheck && <PrecheckPanel precheck={shown.precheck} />}
          {/* A new restart starts below the last one's result, never above it. */}
          {loaded && (!run || (finished && latest)) && <StartPanel site={site} compact={run !== null} />}
          <History history={history} current={shown?.id ?? null} onView={(id) => void view(id)} />
        </div>
        <div className="md-wz-side">
          <LogPanel siteId={site.id} />
        </div>
      </div>
    </div>
  )
}
