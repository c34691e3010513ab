import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { OVERVIEW_CARDS_UP_TO } from '@contract'
import { selectSettings, useSettingsStore } from '@renderer/stores/settings'
import { groupSites, selectSites, selectSitesLoaded, useSitesStore } from '@renderer/stores/sites'
import { FleetTable } from './FleetTable'
import { FindingsPanel } from './FindingsPanel'
import { DemoBar } from './DemoBar'
import { DemoOffer } from './DemoOffer'
import { OverviewToolbar } from './OverviewToolbar'
import { SiteCard } from './SiteCard'

/** Every site at a glance. With no sites, the demo offer. */
export function OverviewPage() {
  const sites = useSitesStore(selectSites)
  const loaded = useSitesStore(selectSitesLoaded)
  const groups = useMemo(() => groupSites(sites), [sites])
  const layout = useSettingsStore(selectSettings).overviewLayout
  const table = layout === 'table' || (layout === 'auto' && sites.length > OVERVIEW_CARDS_UP_TO)
  if (loaded && sites.length === 0) {
    return (
      <div className="md-page" data-testid="overview-page">
        <OverviewToolbar />
        <DemoOffer />
      </div>
    )
  }
  return (
    <div className="md-page" data-testid="overview-page">
      <OverviewToolbar />
      <DemoBar />
      {table ? (
        <>
          <FleetTable sites={sites} />
          <FindingsPanel />
        </>
      ) : (
        <>
          <FindingsPanel />
          <Cards groups={groups} />
        </>
      )}
    </div>
  )
}

function Cards({ groups }: { groups: ReturnType<typeof groupSites> }) {
  const { t } = useTranslation()
  return (
    <>
      {groups.map((g) => (
        <div key={g.group} className="md-site-group" data-testid={`overview-group-${g.group || 'none'}`}>
          {groups.length > 1 && <h2 className="md-group-title">{g.group || t('sidebar.noGroup')}</h2>}
          <div className="md-card-grid">
            {g.sites.map((s) => (
              <SiteCard key={s.id} site={s} />
            ))}
          </div>
        </div>
      ))}
    </>
  )
}
