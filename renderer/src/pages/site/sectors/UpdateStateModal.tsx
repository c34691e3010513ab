import { Button, Modal, Select, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'

/**
 * Choosing an update-state target: the usual targets for the sectors' current states first (and
 * the runbook's CommitWait / PreCommitWait shortcuts), then any of the states Lotus accepts.
 * Only names from Lotus's list can be chosen; main checks them again before anything runs.
 */
export function UpdateStateModal({
  sectors,
  currentStates,
  targets,
  onChoose,
  onCancel
}: {
  sectors: number[]
  currentStates: string[]
  targets: { all: string[]; usual: Record<string, string[]> }
  onChoose: (state: string) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const [state, setState] = useState<string | null>(null)
  const from = [...new Set(currentStates.filter(Boolean))]
  const usual = [...new Set(from.flatMap((s) => targets.usual[s] ?? []))]
  return (
    <Modal
      open
      title={t('sectors.updateState.title', { n: sectors.length })}
      onCancel={onCancel}
      okText={t('sectors.updateState.preview')}
      okButtonProps={{ disabled: !state, ...({ 'data-testid': 'update-state-preview' } as Record<string, string>) }}
      onOk={() => state && onChoose(state)}
      data-testid="update-state-modal"
    >
      <div className="md-stack">
        <div>
          <span className="md-muted">{t('sectors.updateState.from')} </span>
          {from.length ? from.map((s) => <Mono key={s}>{s} </Mono>) : '—'}
          <span className="md-muted"> · {t('sectors.updateState.sectors')} </span>
          <Mono>{sectors.slice(0, 10).join(', ') + (sectors.length > 10 ? ' …' : '')}</Mono>
        </div>
        {usual.length > 0 && (
          <div>
            <div className="md-muted" style={{ marginBottom: 4 }}>
              {t('sectors.updateState.usual')}
            </div>
            <Space wrap size={6}>
              {usual.map((s) => (
                <Button key={s} size="small" type={state === s ? 'primary' : 'default'} onClick={() => setState(s)} data-testid="update-state-usual" data-state={s}>
                  <Mono>{s}</Mono>
                </Button>
              ))}
            </Space>
          </div>
        )}
        <div>
          <div className="md-muted" style={{ marginBottom: 4 }}>
            {t('sectors.updateState.any', { n: targets.all.length })}
          </div>
          <Select
            showSearch
            value={state}
            onChange={setState}
            style={{ width: 320 }}
            className="md-mono"
            placeholder={t('sectors.updateState.pick')}
            options={targets.all.map((s) => ({ value: s, label: s }))}
            data-testid="update-state-select"
          />
        </div>
      </div>
    </Modal>
  )
}
