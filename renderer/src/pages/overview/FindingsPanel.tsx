import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Section } from '@renderer/components/Section'
import { FindingsTable } from '@renderer/findings/FindingsTable'
import { sortFindings } from '@renderer/model/summary'
import { selectSummaries, useOverviewStore } from '@renderer/stores/overview'
import { selectSites, useSitesStore } from '@renderer/stores/sites'

/**
 * Every site's findings, worst first: one row per root cause (a dead worker is one row with its
 * jobs and sectors inside), opening to cause, what is lost and by when, and the remedies.
 */
export function FindingsPanel() {
  const { t } = useTranslation()
  const summaries = useOverviewStore(selectSummaries)
  const sites = useSitesStore(selectSites)
  const names = useMemo(() => new Map(sites.map((s) => [s.id, s.name])), [sites])
  const findings = useMemo(() => sortFindings(Object.values(summaries).flatMap((s) => (names.has(s.siteId) ? s.findings : []))), [summaries, names])
  return (
    <Section title={`${t('findingsPanel.title')} (${findings.length})`} testId="overview-findings">
      <FindingsTable findings={findings} siteNames={names} testId="overview-findings-table" />
    </Section>
  )
}
