import { Alert, Button, Input, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CopyableCommand } from '@renderer/components/CopyableCommand'
import { Rich } from '@renderer/components/Rich'
import type { MutationPreview } from '@contract'
import { opWarningText } from './warningText'

/**
 * A change before it runs: the exact command lines (or signals), each with the host it runs on,
 * the warnings, and the confirmation (a click, or typing the value the preview asks for, e.g. the
 * PID a kill ends).
 */
export function PreviewBox({ preview, onConfirm, busy, confirmLabel, danger, testId }: { preview: MutationPreview; onConfirm?: (typed: string | null) => void; busy?: boolean; confirmLabel?: string; danger?: boolean; testId?: string }) {
  const { t } = useTranslation()
  const [typed, setTyped] = useState('')
  const needs = preview.confirm.kind === 'type' ? preview.confirm.expected : null
  const ready = needs === null || typed.trim() === needs
  return (
    <div className="md-wz-preview" data-testid={testId ?? 'wizard-preview'} data-preview={preview.id}>
      <ol className="md-wz-cmds">
        {preview.steps.map((s, i) => (
          <li key={i} data-testid="preview-step">
            <span className="md-muted md-mono">{s.host}$ </span>
            <CopyableCommand command={s.text} />
          </li>
        ))}
      </ol>
      {preview.warnings.map((w, i) => (
        <Alert key={i} type={danger ? 'warning' : 'info'} showIcon title={<Rich text={opWarningText(t, w)} />} className="md-wz-warn" data-testid="preview-warning" data-key={w.key} />
      ))}
      {onConfirm && (
        <Space className="md-gap-top" wrap>
          {needs !== null && (
            <Input
              className="md-mono"
              style={{ width: 220 }}
              placeholder={t('wizard.decision.typeToConfirm', { expected: needs })}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="preview-typed"
            />
          )}
          <Button type="primary" danger={danger} disabled={!ready} loading={busy} onClick={() => onConfirm(needs === null ? null : typed.trim())} data-testid="preview-confirm">
            {confirmLabel ?? t('wizard.decision.confirm')}
          </Button>
        </Space>
      )}
    </div>
  )
}
