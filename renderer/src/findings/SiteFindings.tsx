import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '@renderer/components/Section'
import type { Finding, FindingKind, SiteSnapshot } from '@contract'
import { FindingsTable } from './FindingsTable'

/**
 * The findings of a site that a tab is about (the jobs tab: uncollected jobs, dead workers,
 * overdue stages; the workers tab: workers down or cut off from the miner) — the same findings the
 * Overview lists, so both say the same. Nothing is shown when there is none.
 */
export function SiteFindings({ snapshot, kinds, testId }: { snapshot: SiteSnapshot; kinds: readonly FindingKind[]; testId: string }) {
  const { t } = useTranslation()
  const findings = useMemo<Finding[]>(() => snapshot.findings.filter((f) => kinds.includes(f.kind)), [snapshot.findings, kinds])
  if (findings.length === 0) return null
  return (
    <Section title={`${t('findingsPanel.title')} (${findings.length})`} testId={testId}>
      <FindingsTable findings={findings} testId={`${testId}-table`} />
    </Section>
  )
}
