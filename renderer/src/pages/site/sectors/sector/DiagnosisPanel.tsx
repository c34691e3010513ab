import { Alert, Button, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import type { StatusTone } from '@renderer/theme/tokens'
import type { Diagnosis, DiagnosisSeverity } from '@contract'

const TONE: Record<DiagnosisSeverity, StatusTone> = { critical: 'critical', warning: 'warning', info: 'info' }

/**
 * The diagnosis of the sector's last error: each known signature with the line that matched, the
 * operator's usual remedy and a button for it; what Lotus will do by itself; and a plain
 * statement when MinerDesk does not know the error.
 */
export function DiagnosisPanel({ diagnosis, onAction }: { diagnosis: Diagnosis; onAction: (action: string) => void }) {
  const { t } = useTranslation()
  return (
    <Section title={t('sectors.diag.title')} testId="sector-diagnosis">
      <div className="md-stack" data-clean={String(diagnosis.clean)} data-unknown={String(diagnosis.unknown !== null)}>
        {diagnosis.clean && (
          <StatusText tone="ok" testId="diagnosis-clean">
            {t('sectors.diag.clean')}
          </StatusText>
        )}
        {diagnosis.findings.map((f) => (
          <div key={f.id} className="md-diag-finding" data-severity={f.severity} data-testid="diagnosis-finding" data-id={f.id}>
            <StatusText tone={TONE[f.severity]} strong>
              {t(`sectors.diag.${f.id}.title`, { defaultValue: f.title, ...f.params })}
            </StatusText>
            <div>
              <span className="md-diag-label">{t('sectors.diag.seen')}</span>
              <span className="md-mono md-wrap" data-testid="diagnosis-evidence">
                {f.evidence}
              </span>
              {f.logIndex !== null && <span className="md-muted"> ({t('sectors.diag.logEntry', { index: f.logIndex })})</span>}
            </div>
            <div>
              <span className="md-diag-label">{t('sectors.diag.remedy')}</span>
              <span data-testid="diagnosis-remedy">{t(`sectors.diag.${f.id}.remedy`, { defaultValue: f.remedy, ...f.params })}</span>
            </div>
            {f.actions.length > 0 && (
              <Space size={6} wrap>
                {f.actions.map((a) => (
                  <Button key={a} size="small" danger={a === 'remove'} onClick={() => onAction(a)} data-testid="diagnosis-action" data-action={a}>
                    {a.startsWith('update-state:') ? (
                      <>
                        {t('sectors.action.updateState')} <Mono>{a.slice('update-state:'.length)}</Mono>
                      </>
                    ) : (
                      t(`sectors.diag.action.${a}`)
                    )}
                  </Button>
                ))}
              </Space>
            )}
          </div>
        ))}
        {diagnosis.unknown && (
          <Alert
            type="warning"
            showIcon
            data-testid="diagnosis-unknown"
            title={t('sectors.diag.unknown')}
            description={diagnosis.unknown.text ? <span className="md-mono md-wrap">{diagnosis.unknown.text}</span> : t('sectors.diag.noText')}
          />
        )}
        {diagnosis.next && (
          <div data-testid="diagnosis-next" data-key={diagnosis.next.key}>
            <span className="md-diag-label">{t('sectors.diag.lotusNext')}</span>
            {t(`sectors.next.${diagnosis.next.key}`, { defaultValue: diagnosis.next.text, ...diagnosis.next.params })}
          </div>
        )}
      </div>
    </Section>
  )
}
