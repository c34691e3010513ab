import { Alert, Button, Checkbox, Input, Space, Table } from 'antd'
import dayjs from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { executeOp } from '@renderer/ops/calls'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import type { AuditEntry, RestartRun } from '@contract'
import { VerdictBlock } from './PrecheckPanel'
import { PreviewBox } from '@renderer/ops/PreviewBox'
import { processState } from './text'
import { restartCalls, useRestartStore } from './store'
import { Rich } from '@renderer/components/Rich'

const ROLE: Record<'miner' | 'daemon', string> = { miner: 'lotus-miner', daemon: 'lotus daemon' }

/** What the operator has to decide now: confirm a command, an unsafe verdict, a stop that timed out, a command that may have been sent. */
export function DecisionPanel({ run }: { run: RestartRun }) {
  const { t } = useTranslation()
  const report = useReportError()
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState('')
  const [ack, setAck] = useState(false)
  const d = run.decision
  if (!d) return null
  const act = async (f: () => Promise<unknown>) => {
    setBusy(true)
    try {
      const r = await f()
      if (r && typeof r === 'object' && 'steps' in r && 'siteId' in r) useRestartStore.getState().applyRun(r as RestartRun)
    } catch (err) {
      report(err)
    } finally {
      setBusy(false)
    }
  }

  if (d.kind === 'confirm') {
    const kill = d.preview.steps.some((s) => s.kind === 'signal')
    return (
      <Alert
        type={kill ? 'warning' : 'info'}
        className="md-wz-decision"
        data-testid="wizard-decision"
        data-kind={kill ? 'kill' : 'confirm'}
        title={`${t('wizard.decision.confirmTitle')} · ${t(`wizard.step.${d.step}`)}`}
        description={<PreviewBox preview={d.preview} busy={busy} danger={kill} onConfirm={(typed) => void act(() => executeOp(d.preview.id, typed))} />}
      />
    )
  }

  if (d.kind === 'verdict') {
    return (
      <Alert
        type={d.verdict.kind === 'wait' ? 'warning' : 'error'}
        className="md-wz-decision"
        data-testid="wizard-decision"
        data-kind="verdict"
        title={t('wizard.decision.verdictTitle')}
        description={
          <div className="md-stack">
            <VerdictBlock precheck={{ ...run.precheck!, verdict: d.verdict }} />
            <div className="md-muted">{t('wizard.decision.verdictHint')}</div>
            <Space wrap>
              <Button onClick={() => void act(() => restartCalls.decide(run.id, { kind: 'recheck' }))} loading={busy} data-testid="wizard-recheck">
                {t('wizard.recheck')}
              </Button>
            </Space>
            <div className="md-wz-override">
              <Checkbox checked={ack} onChange={(e) => setAck(e.target.checked)} data-testid="wizard-override-ack">
                {t('wizard.decision.overrideAck')}
              </Checkbox>
              <Input value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('wizard.decision.overrideNote')} maxLength={500} data-testid="wizard-override-note" />
              <Button danger disabled={!ack || note.trim().length < 4} loading={busy} onClick={() => void act(() => restartCalls.override(run.id, note.trim()))} data-testid="wizard-override">
                {t('wizard.decision.override')}
              </Button>
            </div>
          </div>
        }
      />
    )
  }

  if (d.kind === 'stop-timeout') {
    const more = 60
    return (
      <Alert
        type="warning"
        className="md-wz-decision"
        data-testid="wizard-decision"
        data-kind="stop-timeout"
        title={t('wizard.decision.stopTimeoutTitle', { role: ROLE[d.role], pids: d.pids.join(' '), sec: d.waitedSec })}
        description={
          <div className="md-stack">
            <div><Rich text={t('wizard.decision.stopTimeoutHint')} /></div>
            <Space wrap>
              <Button onClick={() => void act(() => restartCalls.decide(run.id, { kind: 'wait-longer', seconds: more }))} loading={busy} data-testid="wizard-wait-longer">
                {t('wizard.decision.waitLonger', { sec: more })}
              </Button>
              <Button danger onClick={() => void act(() => restartCalls.decide(run.id, { kind: 'kill' }))} loading={busy} data-testid="wizard-kill">
                {t('wizard.decision.kill')}
              </Button>
            </Space>
          </div>
        }
      />
    )
  }

  const auditCols = [
    { title: t('col.time'), dataIndex: 'time', width: 170, render: (v: string) => <Mono>{dayjs(v).format('YYYY-MM-DD HH:mm:ss')}</Mono> },
    { title: t('col.via'), dataIndex: 'via', width: 60 },
    { title: t('col.result'), dataIndex: 'result', width: 80, render: (v: string) => <Mono>{v}</Mono> },
    { title: t('col.command'), dataIndex: 'command', ellipsis: true, render: (v: string) => <Mono title={v}>{v}</Mono> }
  ]
  return (
    <Alert
      type="warning"
      className="md-wz-decision"
      data-testid="wizard-decision"
      data-kind="resend"
      title={t('wizard.decision.resendTitle')}
      description={
        <div className="md-stack">
          <Mono>{d.command}</Mono>
          <div>{t('wizard.decision.resendHint')}</div>
          {d.audit.length > 0 ? (
            <Table<AuditEntry> size="small" tableLayout="fixed" rowKey={(e) => `${e.time}-${e.result}`} columns={auditCols} dataSource={d.audit} pagination={false} data-testid="wizard-resend-audit" />
          ) : (
            <div className="md-muted">{t('wizard.decision.noAudit')}</div>
          )}
          <div data-testid="wizard-resend-facts">
            {t('wizard.decision.resendFacts', { facts: `${ROLE[d.role]} ${processState(t, d.running, d.pids.join(' '), d.running)}`, interpolation: { escapeValue: false } })}
          </div>
          <Space wrap>
            <Button onClick={() => void act(() => restartCalls.decide(run.id, { kind: 'recheck' }))} loading={busy} data-testid="wizard-recheck">
              {t('wizard.decision.recheckSite')}
            </Button>
            <Button
              danger
              loading={busy}
              onClick={() =>
                void act(async () => {
                  await restartCalls.decide(run.id, { kind: 'resend' })
                  return restartCalls.next(run.id)
                })
              }
              data-testid="wizard-resend"
            >
              {t('wizard.decision.resend')}
            </Button>
          </Space>
        </div>
      }
    />
  )
}
