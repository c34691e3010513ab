import { SEALING_ORDER, SECTOR_GROUPS, sectorGroup, type SectorGroup } from '@contract'

/** SectorsSummary by state, grouped for showing (the grouping itself is the contract's sectorGroup). */

export const GROUP_ORDER = SECTOR_GROUPS

export interface StateCount {
  state: string
  count: number
}

/** SectorsSummary → per group, states in pipeline order (sealing) or by count (the rest). */
export function groupStates(byState: Record<string, number>): Record<SectorGroup, StateCount[]> {
  const out: Record<SectorGroup, StateCount[]> = { sealing: [], failed: [], proving: [], removed: [], other: [] }
  for (const [state, count] of Object.entries(byState)) {
    if (count > 0) out[sectorGroup(state)].push({ state, count })
  }
  out.sealing.sort((a, b) => SEALING_ORDER.indexOf(a.state) - SEALING_ORDER.indexOf(b.state))
  for (const g of ['failed', 'proving', 'removed', 'other'] as const) out[g].sort((a, b) => b.count - a.count || a.state.localeCompare(b.state))
  return out
}
