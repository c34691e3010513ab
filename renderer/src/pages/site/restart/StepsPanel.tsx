import { Progress, Steps, Tag } from 'antd'
import dayjs from 'dayjs'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { describeError } from '@renderer/model/errorText'
import { formatDuration } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import type { StatusTone } from '@renderer/theme/tokens'
import type { CommandRecord, ErrorInfo, ObservationTone, RestartRun, RestartStepState, RestartStepStatus } from '@contract'
import { failureHint, failureText, observationText } from './text'
import { Rich } from '@renderer/components/Rich'

const STEP_TONE: Record<RestartStepStatus, StatusTone> = { pending: 'unknown', running: 'busy', waiting: 'warning', ok: 'ok', failed: 'critical', skipped: 'ok' }
const OBS_TONE: Record<ObservationTone, StatusTone> = { info: 'info', ok: 'ok', warning: 'warning', critical: 'critical' }
const CMD_TONE: Record<CommandRecord['status'], StatusTone> = { previewed: 'unknown', sending: 'busy', ok: 'ok', error: 'critical', uncertain: 'warning', skipped: 'unknown' }

function antStatus(s: RestartStepStatus): 'wait' | 'process' | 'finish' | 'error' {
  if (s === 'ok' || s === 'skipped') return 'finish'
  if (s === 'failed') return 'error'
  if (s === 'running' || s === 'waiting') return 'process'
  return 'wait'
}

function Duration({ step }: { step: RestartStepState }) {
  const { t } = useTranslation()
  const now = useNow()
  if (!step.startedAt) return null
  const end = step.endedAt ?? (step.status === 'running' || step.status === 'waiting' ? now : null)
  if (end === null) return null
  const sec = Math.max(0, end - step.startedAt) / 1000
  // Steps of a healthy site take seconds: a tenth of a second still says something there.
  return <span className="md-muted">{t('wizard.took', { duration: sec < 10 ? `${sec.toFixed(1)}s` : formatDuration(sec) })}</span>
}

function SyncBar({ step }: { step: RestartStepState }) {
  const { t } = useTranslation()
  const p = step.sync
  // How far the gap has closed, measured from the largest gap this step has seen.
  const first = useMemo(() => step.observations.find((o) => o.code === 'sync-progress')?.params.behind, [step.observations])
  if (!p) return null
  const start = Math.max(Number(first ?? 0), p.behindEpochs, 1)
  const pct = step.status === 'ok' ? 100 : Math.max(0, Math.min(99, Math.round((1 - p.behindEpochs / start) * 100)))
  return (
    <div className="md-wz-sync" data-testid="wizard-sync">
      <Progress percent={pct} size="small" status={step.status === 'ok' ? 'success' : 'active'} showInfo={false} />
      <div className="md-wz-sync-nums">
        <span>
          <span className="md-muted">{t('wizard.sync.height')} </span>
          <Mono testId="sync-height">{p.height}</Mono>
          {p.targetHeight !== null && (
            <span className="md-muted">
              {' '}
              / {t('wizard.sync.target')} <Mono>{p.targetHeight}</Mono>
            </span>
          )}
        </span>
        <span>
          <span className="md-muted">{t('wizard.sync.behind')} </span>
          <Mono testId="sync-behind">{p.behindEpochs}</Mono>
        </span>
        <span>
          <span className="md-muted">{t('wizard.sync.rate')} </span>
          <Mono>{p.ratePerSec === null ? '—' : t('wizard.sync.rateValue', { rate: p.ratePerSec })}</Mono>
        </span>
        <span>
          <span className="md-muted">{t('wizard.sync.eta')} </span>
          <Mono testId="sync-eta">{p.etaSec === null ? '—' : formatDuration(p.etaSec)}</Mono>
        </span>
        {p.stage && (
          <span>
            <span className="md-muted">{t('wizard.sync.stage')} </span>
            <Mono>{p.stage}</Mono>
          </span>
        )}
      </div>
    </div>
  )
}

/** A command's failure: what happened in the operator's language, then the specifics verbatim. */
function CommandError({ error }: { error: ErrorInfo }) {
  const { t } = useTranslation()
  const e = describeError(t, error)
  return (
    <span className="md-wz-err" data-testid="wizard-command-error" data-error-code={error.code}>
      {e.title}
      {e.details && <span className="md-wz-err-detail">{e.details}</span>}
    </span>
  )
}

function StepBody({ step, open }: { step: RestartStepState; open: boolean }) {
  const { t, i18n } = useTranslation()
  const shown = open ? step.observations : step.observations.slice(-3)
  return (
    <div className="md-wz-step-body" data-testid={`wizard-step-body-${step.id}`}>
      {step.commands.map((c, i) => (
        <div key={i} className="md-wz-cmd" data-testid="wizard-command" data-status={c.status}>
          <StatusText tone={CMD_TONE[c.status]}>{t(`wizard.cmdStatus.${c.status}`)}</StatusText>
          <Mono>{c.text}</Mono>
          {c.error && <CommandError error={c.error} />}
        </div>
      ))}
      {step.id === 'startDaemon' && <SyncBar step={step} />}
      {shown.length > 0 && (
        <ul className="md-wz-obs" data-testid="wizard-observations">
          {step.droppedObservations && open ? <li className="md-muted">…</li> : null}
          {shown.map((o, i) => (
            <li key={`${o.at}-${i}`} data-code={o.code} data-tone={o.tone}>
              <Mono>{dayjs(o.at).format('HH:mm:ss')}</Mono>
              <StatusText tone={OBS_TONE[o.tone]} wrap>
                <Rich text={observationText(t, o)} />
              </StatusText>
            </li>
          ))}
        </ul>
      )}
      {step.error && step.status === 'failed' && (
        <div className="md-wz-failure" data-testid="wizard-step-error">
          <StatusText tone="critical" strong wrap>
            <Rich text={failureText(t, step.error)} />
          </StatusText>
          {failureHint(t, step.error, i18n.language) && <div className="md-muted"><Rich text={failureHint(t, step.error, i18n.language) ?? ''} /></div>}
        </div>
      )}
      {open &&
        step.excerpts.map((e, i) => (
          <div key={i} className="md-wz-excerpt" data-testid="wizard-excerpt">
            <div className="md-muted md-mono">{e.file}</div>
            <pre className="md-wz-pre">{e.lines.join('\n')}</pre>
          </div>
        ))}
    </div>
  )
}

/** The runbook's steps with their gates: state, duration, what ran, what each gate saw (live). */
export function StepsPanel({ run }: { run: RestartRun }) {
  const { t } = useTranslation()
  const finished = run.phase === 'done' || run.phase === 'failed' || run.phase === 'aborted'
  const current = run.steps.findIndex((s) => s.id === run.current)
  return (
    <Steps
      direction="vertical"
      size="small"
      current={current}
      className="md-wz-steps"
      data-testid="wizard-steps"
      items={run.steps.map((s) => ({
        status: antStatus(s.status),
        title: (
          <span className="md-wz-step-title" data-testid={`wizard-step-${s.id}`} data-status={s.status}>
            <span>{t(`wizard.step.${s.id}`)}</span>
            <StatusText tone={STEP_TONE[s.status]}>{t(`wizard.stepStatus.${s.status}`)}</StatusText>
            <Duration step={s} />
            {s.id === run.current && !finished && <Tag color="blue">{t(`wizard.phase.${run.phase}`)}</Tag>}
          </span>
        ),
        description: (
          <div>
            <div className="md-muted md-wz-gate">{t(`wizard.gate.${s.id}`)}</div>
            {(s.status !== 'pending' || s.commands.length > 0) && <StepBody step={s} open={finished || s.id === run.current || s.status === 'failed'} />}
          </div>
        )
      }))}
    />
  )
}
