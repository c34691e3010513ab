import { Alert, Button, Input, Modal, Spin, Table } from 'antd'
import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { asMinerDeskError } from '@renderer/api'
import { cancelOp, executeOp, onOpsProgress } from './calls'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { Rich } from '@renderer/components/Rich'
import { opWarningText } from './warningText'
import type { ErrorInfo, MutationOutcome, MutationPreview, StepStatus } from '@contract'
import type { StatusTone } from '@renderer/theme/tokens'

/**
 * One change to a site, the way every sector action runs: MinerDesk's main side makes the
 * preview (the exact API calls or command lines), the operator reads it, confirms (typing the
 * sector number for destructive ones), and `ops:execute` runs it once; each step's result shows
 * as it ends, then the outcome (per sector for bulk actions). Nothing is retried.
 */
export interface MutationRequest {
  title: ReactNode
  make: () => Promise<MutationPreview | null>
  /** Shown above the steps (the list of files a clear would delete, say). */
  extra?: ReactNode
  onDone?: (o: MutationOutcome) => void
}

const STEP_TONE: Record<StepStatus, StatusTone> = { pending: 'unknown', running: 'busy', ok: 'ok', error: 'critical', skipped: 'unknown' }

type Phase = { kind: 'loading' } | { kind: 'failed'; error: ErrorInfo } | { kind: 'empty' } | { kind: 'ready'; preview: MutationPreview } | { kind: 'running'; preview: MutationPreview } | { kind: 'done'; preview: MutationPreview; outcome: MutationOutcome }

export function MutationDialog({ request, onClose, extra }: { request: MutationRequest; onClose: () => void; extra?: ReactNode }) {
  const { t } = useTranslation()
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' })
  const [typed, setTyped] = useState('')
  const [progress, setProgress] = useState<Record<number, StepStatus>>({})
  const [execError, setExecError] = useState<ErrorInfo | null>(null)

  useEffect(() => {
    let live = true
    request.make().then(
      (preview) => live && setPhase(preview ? { kind: 'ready', preview } : { kind: 'empty' }),
      (err: unknown) => live && setPhase({ kind: 'failed', error: asMinerDeskError(err).toInfo() })
    )
    return () => {
      live = false
    }
  }, [request])

  const previewId = phase.kind === 'ready' || phase.kind === 'running' || phase.kind === 'done' ? phase.preview.id : null
  useEffect(() => {
    if (!previewId) return
    return onOpsProgress((p) => {
      if (p.id === previewId) setProgress((cur) => ({ ...cur, [p.index]: p.status }))
    })
  }, [previewId])

  const close = () => {
    if (phase.kind === 'ready') void cancelOp(phase.preview.id).catch(() => undefined)
    onClose()
  }

  const run = async () => {
    if (phase.kind !== 'ready') return
    const preview = phase.preview
    setPhase({ kind: 'running', preview })
    setExecError(null)
    try {
      const outcome = await executeOp(preview.id, preview.confirm.kind === 'type' ? typed : null)
      setPhase({ kind: 'done', preview, outcome })
      request.onDone?.(outcome)
    } catch (err) {
      const info = asMinerDeskError(err).toInfo()
      // A wrong confirmation leaves the preview waiting: the operator may type again.
      setPhase(info.code === 'mutation/not-confirmed' ? { kind: 'ready', preview } : { kind: 'failed', error: info })
      setExecError(info)
    }
  }

  const preview = phase.kind === 'ready' || phase.kind === 'running' || phase.kind === 'done' ? phase.preview : null
  const outcome = phase.kind === 'done' ? phase.outcome : null
  const needsTyping = preview?.confirm.kind === 'type'
  const expected = preview?.confirm.kind === 'type' ? preview.confirm.expected : ''
  const canRun = phase.kind === 'ready' && (!needsTyping || typed.trim() === expected)

  const footer =
    phase.kind === 'done' || phase.kind === 'failed' || phase.kind === 'empty'
      ? [
          <Button key="close" type="primary" onClick={onClose} data-testid="mutation-close">
            {t('sectors.op.close')}
          </Button>
        ]
      : [
          <Button key="cancel" onClick={close} disabled={phase.kind === 'running'} data-testid="mutation-cancel">
            {t('common.cancel')}
          </Button>,
          <Button key="run" type="primary" danger={needsTyping} disabled={!canRun} loading={phase.kind === 'running'} onClick={() => void run()} data-testid="mutation-run">
            {t('sectors.op.run')}
          </Button>
        ]

  return (
    <Modal open title={request.title} onCancel={phase.kind === 'running' ? undefined : close} footer={footer} width={860} maskClosable={false} destroyOnHidden data-testid="mutation-dialog">
      <div className="md-stack" data-testid="mutation-body" data-phase={phase.kind}>
        {phase.kind === 'loading' && <Spin />}
        {phase.kind === 'failed' && <ErrorNotice error={phase.error} testId="mutation-error" />}
        {extra ?? request.extra}
        {phase.kind === 'empty' && <Alert type="info" showIcon title={t('sectors.op.nothing')} data-testid="mutation-nothing" />}
        {preview && (
          <>
            <div className="md-muted">{t('sectors.op.steps', { n: preview.steps.length, count: preview.steps.length })}</div>
            <ol className="md-op-steps">
              {preview.steps.map((s, i) => {
                const done = outcome?.steps[i]
                const status = done?.status ?? progress[i] ?? 'pending'
                return (
                  <li key={i} data-testid="mutation-step" data-status={status}>
                    <div className="md-op-step">
                      <StatusText tone={STEP_TONE[status]}>{t(`sectors.op.status.${status}`)}</StatusText>
                      <Mono>{s.host}</Mono>
                      <span className="md-mono md-wrap">{s.text}</span>
                    </div>
                    {done?.output && <pre className="md-pre md-muted">{done.output}</pre>}
                    {done?.error && <pre className="md-pre" style={{ color: 'var(--md-critical)' }}>{done.error.message}</pre>}
                  </li>
                )
              })}
            </ol>
            {preview.warnings.length > 0 && (
              <Alert
                type="warning"
                showIcon
                data-testid="mutation-warnings"
                title={t('sectors.op.warnings')}
                description={
                  <ul className="md-op-warnings">
                    {preview.warnings.map((w, i) => (
                      <li key={i} data-testid="mutation-warning" data-key={w.key}>
                        <Rich text={opWarningText(t, w)} />
                      </li>
                    ))}
                  </ul>
                }
              />
            )}
            {needsTyping && phase.kind !== 'done' && (
              <div className="md-stack" style={{ gap: 4 }}>
                <span>{t('sectors.op.typeToConfirm', { expected })}</span>
                <Input value={typed} onChange={(e) => setTyped(e.target.value)} className="md-mono" style={{ maxWidth: 240 }} autoFocus placeholder={expected} data-testid="mutation-confirm-input" onPressEnter={() => canRun && void run()} />
              </div>
            )}
            {execError && phase.kind === 'ready' && <ErrorNotice error={execError} compact testId="mutation-exec-error" />}
          </>
        )}
        {outcome && <OutcomeView outcome={outcome} />}
      </div>
    </Modal>
  )
}

function OutcomeView({ outcome }: { outcome: MutationOutcome }) {
  const { t } = useTranslation()
  const rows = Object.entries(outcome.data ?? {}).map(([key, value]) => ({ key, value: String(value) }))
  return (
    <div className="md-stack" data-testid="mutation-result" data-ok={String(outcome.ok)}>
      {outcome.auditFailure ? (
        // It ran: say so first, and that running it again would do it twice.
        <Alert
          type="warning"
          showIcon
          data-testid="mutation-unaudited"
          title={t('ops.unaudited.title')}
          description={
            <div>
              <div>
                {t('ops.unaudited.ran', { n: outcome.auditFailure.step + 1 })} <Mono>{outcome.steps[outcome.auditFailure.step]?.step.text ?? ''}</Mono>
              </div>
              <div>{t('ops.unaudited.why', { message: outcome.auditFailure.error.message })}</div>
              <div className="md-gap-top">
                <strong>{t('ops.unaudited.noRetry')}</strong>
              </div>
            </div>
          }
        />
      ) : (
        <Alert type={outcome.ok ? 'success' : 'error'} showIcon title={outcome.ok ? t('sectors.op.ok') : t('sectors.op.failed')} description={outcome.error?.message} />
      )}
      {rows.length > 0 && (
        <Table
          size="small"
          pagination={false}
          dataSource={rows}
          scroll={rows.length > 12 ? { y: 12 * 32 } : undefined}
          columns={[
            { title: t('sectors.op.item'), dataIndex: 'key', width: 160, render: (v: string) => <Mono>{v}</Mono> },
            {
              title: t('sectors.op.result'),
              dataIndex: 'value',
              render: (v: string) => (
                <StatusText tone={v.startsWith('error') ? 'critical' : 'ok'}>
                  <span className="md-mono">{v}</span>
                </StatusText>
              )
            }
          ]}
          onRow={(r) => ({ 'data-testid': 'mutation-result-row', 'data-key': r.key }) as React.HTMLAttributes<HTMLElement>}
        />
      )}
    </div>
  )
}
