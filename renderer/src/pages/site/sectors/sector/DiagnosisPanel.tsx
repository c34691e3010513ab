import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { Until } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import { Section } from '@renderer/components/Section'
import { StatusText } from '@renderer/components/StatusText'
import { FindingCard, useFindingText } from '@renderer/findings/FindingCard'
import { useFindingActions } from '@renderer/findings/useFindingActions'
import { findingForSector, type SectorDetail } from '@contract'

/**
 * What MinerDesk judges about the sector: that the chain counts it faulty (whatever its sealing
 * state says), the site's findings that concern it — the same the Overview shows, each with cause,
 * what is lost, remedies and their actions — and what Lotus's state machine does by itself next.
 */
export function DiagnosisPanel({ siteId, detail }: { siteId: string; detail: SectorDetail }) {
  const { t } = useTranslation()
  const tx = useFindingText()
  const actions = useFindingActions(siteId)
  const d = detail.diagnosis
  const fault = detail.fault
  return (
    <Section title={t('sectors.diag.title')} testId="sector-diagnosis">
      <div className="md-stack" data-clean={String(d.clean)} data-findings={d.findings.length}>
        {fault && (
          <Alert
            type={fault.status === 'faulty' ? 'error' : 'warning'}
            showIcon
            data-testid="sector-fault"
            data-status={fault.status}
            title={t(`sectors.fault.${fault.status}`, { deadline: fault.deadline, partition: fault.partition })}
            description={
              <span>
                {t('sectors.fault.due', { deadline: fault.deadline })} {fault.dueAt !== null ? <Until at={fault.dueAt} /> : '—'}
                {' · '}
                <Mono>lotus-miner proving check {fault.deadline}</Mono>
              </span>
            }
          />
        )}
        {d.clean && (
          <StatusText tone="ok" testId="diagnosis-clean">
            {t('sectors.diag.clean')}
          </StatusText>
        )}
        {d.findings.map((f) => (
          <FindingCard key={f.id} finding={findingForSector(f, detail.sector)} onAction={actions.run} busy={actions.busy} />
        ))}
        {d.next && (
          <div data-testid="diagnosis-next" data-key={d.next.key}>
            <span className="md-diag-label">{t('sectors.diag.lotusNext')}</span>
            {tx(d.next)}
          </div>
        )}
      </div>
      {actions.element}
    </Section>
  )
}
