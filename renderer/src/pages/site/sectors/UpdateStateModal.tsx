import { Alert, Button, Checkbox, Modal, Select, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Rich } from '@renderer/components/Rich'
import type { UpdateTargetCheck } from '@contract'

/**
 * Choosing an update-state target. Offered first: the targets safe for every chosen sector —
 * where Lotus's own handlers can take it, with what the target's handler needs (CommitWait only with
 * a commit message, PreCommitWait only with a precommit message). Any other state Lotus names can
 * still be picked, but MinerDesk refuses it before anything is sent, saying why, unless the
 * operator ticks the override (recorded in the audit log).
 */
export function UpdateStateModal({
  sectors,
  currentStates,
  safe,
  all,
  refused,
  onChoose,
  onCancel
}: {
  sectors: number[]
  currentStates: string[]
  /** The safe targets of each chosen sector; null for one the list did not read (Proving): main checks it when it makes the preview. */
  safe: (string[] | null)[]
  all: string[]
  /** Why the other targets are refused, when known (one sector's page). */
  refused?: UpdateTargetCheck[]
  onChoose: (state: string, override: boolean) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [state, setState] = useState<string | null>(null)
  const [override, setOverride] = useState(false)
  const from = [...new Set(currentStates.filter(Boolean))]
  const known = safe.filter((x): x is string[] => x !== null)
  const usual = known.length ? known.reduce((acc, list) => acc.filter((s) => list.includes(s))) : []
  const unsafe = state !== null && known.length > 0 && !usual.includes(state)
  const why = state ? refused?.find((r) => r.state === state) : undefined
  return (
    <Modal
      open
      title={<Rich text={t('sectors.updateState.title', { n: sectors.length, count: sectors.length })} />}
      onCancel={onCancel}
      okText={t('sectors.updateState.preview')}
      okButtonProps={{ disabled: !state || (unsafe && !override), danger: unsafe, ...({ 'data-testid': 'update-state-preview' } as Record<string, string>) }}
      onOk={() => state && onChoose(state, unsafe && override)}
      data-testid="update-state-modal"
    >
      <div className="md-stack">
        <div>
          <span className="md-muted">{t('sectors.updateState.from')} </span>
          {from.length ? from.map((s) => <Mono key={s}>{s} </Mono>) : '—'}
          <span className="md-muted"> · {t('sectors.updateState.sectors')} </span>
          <Mono>{sectors.slice(0, 10).join(', ') + (sectors.length > 10 ? ' …' : '')}</Mono>
        </div>
        <div>
          <div className="md-muted" style={{ marginBottom: 4 }}>
            {t('sectors.updateState.safe')}
          </div>
          {known.length === 0 ? (
            <span className="md-muted" data-testid="update-state-unread">{t('sectors.updateState.unread')}</span>
          ) : usual.length > 0 ? (
            <Space wrap size={6}>
              {usual.map((s) => (
                <Button key={s} size="small" type={state === s ? 'primary' : 'default'} onClick={() => setState(s)} data-testid="update-state-usual" data-state={s}>
                  <Mono>{s}</Mono>
                </Button>
              ))}
            </Space>
          ) : (
            <span data-testid="update-state-none-safe">{t('sectors.updateState.noneSafe')}</span>
          )}
        </div>
        <div>
          <div className="md-muted" style={{ marginBottom: 4 }}>
            {t('sectors.updateState.any', { n: all.length })}
          </div>
          <Select
            showSearch
            value={state}
            onChange={(v) => {
              setState(v)
              setOverride(false)
            }}
            style={{ width: 320 }}
            className="md-mono"
            placeholder={t('sectors.updateState.pick')}
            options={all.map((s) => ({ value: s, label: s }))}
            data-testid="update-state-select"
          />
        </div>
        {unsafe && (
          <Alert
            type="error"
            showIcon
            data-testid="update-state-unsafe"
            title={t('sectors.updateState.unsafe', { state })}
            description={
              <div className="md-stack">
                {why ? (
                  <ul className="md-refusals">
                    {why.reasons.map((r) => (
                      <li key={r} data-testid="update-state-reason" data-reason={r}>
                        {t(`sectors.refusal.${r}`, { state })}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span>{t('sectors.updateState.unsafeList')}</span>
                )}
                <Checkbox checked={override} onChange={(e) => setOverride(e.target.checked)} data-testid="update-state-override">
                  {t('sectors.updateState.override')}
                </Checkbox>
              </div>
            }
          />
        )}
      </div>
    </Modal>
  )
}
