import './sectors.css'
import { selectRoute, useNavigationStore } from '@renderer/stores/navigation'
import { SectorPage } from './sector/SectorPage'
import type { SiteTabProps } from '@renderer/pages/site/siteTabs'
import { SectorsScreen } from './SectorsScreen'
import type { SiteSnapshot } from '@contract'

/** Where the chain holds a sector faulty or recovering (the deadlines' partitions), if it does. */
export function onChainFault(snapshot: SiteSnapshot, sector: number): { kind: 'faulty' | 'recovering'; deadline: number; partition: number } | null {
  for (const d of snapshot.proving?.deadlines ?? []) {
    for (const p of d.faultsByPartition ?? []) {
      if (p.faulty.includes(sector)) return { kind: 'faulty', deadline: d.index, partition: p.partition }
      if (p.recovering.includes(sector)) return { kind: 'recovering', deadline: d.index, partition: p.partition }
    }
  }
  return null
}

/** The sectors tab: the sectors screen, or one sector's page (`#/site/<id>/sectors/<n>`). */
export function SectorsTab({ site, snapshot }: SiteTabProps) {
  const route = useNavigationStore(selectRoute)
  const sector = route.page === 'site' && route.tab === 'sectors' ? route.sector : undefined
  if (sector !== undefined) return <SectorPage key={sector} site={site} sector={sector} onChain={onChainFault(snapshot, sector)} />
  return <SectorsScreen site={site} />
}
