import './sectors.css'
import { selectRoute, useNavigationStore } from '@renderer/stores/navigation'
import { SectorPage } from './sector/SectorPage'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { SectorsScreen } from './SectorsScreen'

/** The sectors tab: the sectors screen, or one sector's page (`#/site/<id>/sectors/<n>`). */
export function SectorsTab({ site }: SiteTabProps) {
  const route = useNavigationStore(selectRoute)
  const sector = route.page === 'site' && route.tab === 'sectors' ? route.sector : undefined
  if (sector !== undefined) return <SectorPage key={sector} site={site} sector={sector} />
  return <SectorsScreen site={site} />
}
