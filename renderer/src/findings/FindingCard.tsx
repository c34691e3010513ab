import './findings.css'
import { Button, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { Ago, Until } from '@renderer/components/Ago'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { cliCommand, type Finding, type FindingAction, type I18nText } from '@contract'
import { navigate } from '@renderer/stores/navigation'
import { SEVERITY_TONE } from '@renderer/theme/tokens'

/** An i18n text of the core (key + params), translated. */
export function useFindingText(): (x: I18nText) => string {
  const { t } = useTranslation()
  return (x) => String(t(x.key, { ...x.params, defaultValue: x.key }))
}

/** What a remedy's button says: the action, with the Lotus name it concerns (never translated). */
function ActionLabel({ a }: { a: FindingAction }) {
  const { t } = useTranslation()
  const label = t(`findingsPanel.action.${a.kind}`)
  switch (a.kind) {
    case 'update-state':
      return (
        <>
          {label} <Mono>{a.state}</Mono>
        </>
      )
    case 'abort':
      return (
        <>
          {label} <Mono>{a.job.slice(0, 8)}</Mono>
        </>
      )
    case 'status':
      return (
        <>
          {label} <Mono>{a.sector}</Mono>
        </>
      )
    case 'proving-check':
      return (
        <>
          {label} <Mono>{a.deadline}</Mono>
        </>
      )
    default:
      return <>{label}</>
  }
}

/**
 * One finding, everything it says: what is wrong (title), why (cause), what is lost and by when,
 * what to do — each remedy with the button for the MinerDesk action that does it and the command
 * line — the evidence Lotus gave, and the sectors and jobs it holds.
 */
export function FindingCard({ finding: f, onAction, busy }: { finding: Finding; onAction: (a: FindingAction) => void; busy?: string | null }) {
  const { t } = useTranslation()
  const tx = useFindingText()
  const sectors = f.related.filter((r) => r.kind === 'sector').map((r) => Number(r.id))
  const jobs = f.related.filter((r) => r.kind === 'job')
  return (
    <div className="md-finding" data-severity={f.severity} data-kind={f.kind} data-testid="finding" data-id={f.id}>
      <div className="md-finding-title">
        <StatusText tone={SEVERITY_TONE[f.severity]} strong>
          {t(`severity.${f.severity}`)}
        </StatusText>
        <span data-testid="finding-title">{tx(f.title)}</span>
      </div>
      <div className="md-finding-row">
        <span className="md-finding-label">{t('findingsPanel.cause')}</span>
        <span data-testid="finding-cause">{tx(f.cause)}</span>
      </div>
      <div className="md-finding-row">
        <span className="md-finding-label">{t('findingsPanel.consequence')}</span>
        <span data-testid="finding-consequence">
          {tx(f.consequence)}
          {f.deadline !== null && (
            <span className="md-muted">
              {' '}
              ({t('findingsPanel.by')} <Until at={f.deadline} />)
            </span>
          )}
        </span>
      </div>
      <div className="md-finding-row">
        <span className="md-finding-label">{t('findingsPanel.remedy')}</span>
        <ol className="md-finding-remedies" data-testid="finding-remedies">
          {f.remedies.map((r, i) => (
            <li key={i} data-testid="finding-remedy">
              <span>{tx(r.text)}</span>
              {r.action && (
                <Space size={6} wrap className="md-finding-action">
                  <Button
                    size="small"
                    danger={r.action.kind === 'remove' || r.action.kind === 'killw'}
                    loading={busy === r.action.kind}
                    onClick={() => onAction(r.action!)}
                    data-testid="finding-action"
                    data-action={r.action.kind}
                  >
                    <ActionLabel a={r.action} />
                  </Button>
                  <span className="md-mono md-muted md-finding-cmd">{cliCommand(f.siteId, r.action)}</span>
                </Space>
              )}
            </li>
          ))}
        </ol>
      </div>
      {f.evidence.length > 0 && (
        <div className="md-finding-row">
          <span className="md-finding-label">{t('findingsPanel.evidence')}</span>
          <div className="md-finding-evidence" data-testid="finding-evidence">
            {f.evidence.map((e, i) => (
              <div key={i}>
                <span className="md-muted">{t(e.label)}: </span>
                <span className="md-mono md-wrap">{e.value}</span>
              </div>
            ))}
          </div>
        </div>
      )}
      {(sectors.length > 0 || jobs.length > 0) && (
        <div className="md-finding-row">
          <span className="md-finding-label">{t('findingsPanel.holds')}</span>
          <span data-testid="finding-related">
            {sectors.slice(0, 40).map((n) => (
              <button key={n} type="button" className="md-link md-mono md-finding-sector" onClick={() => navigate({ page: 'site', siteId: f.siteId, tab: 'sectors', sector: n })} data-testid="finding-sector">
                {n}
              </button>
            ))}
            {sectors.length > 40 && <span className="md-muted"> +{sectors.length - 40}</span>}
            {jobs.length > 0 && (
              <span className="md-muted">
                {' '}
                {t('findingsPanel.jobs')}: {jobs.map((j) => j.label ?? j.id.slice(0, 8)).join(', ')}
              </span>
            )}
          </span>
        </div>
      )}
      <div className="md-finding-row md-muted">
        <span className="md-finding-label">{t('findingsPanel.since')}</span>
        <Ago at={f.since} />
      </div>
    </div>
  )
}
