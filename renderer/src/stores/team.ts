import { create } from 'zustand'
import type { SiteTeamState } from '@contract'
import { getApi } from '@renderer/api'

/** Per site: who restarts it now (the lock on the site host) and what operators did there lately. */
interface TeamState {
  bySite: Record<string, SiteTeamState>
  apply(state: SiteTeamState): void
  applyAll(states: Record<string, SiteTeamState>): void
}

export const useTeamStore = create<TeamState>()((set) => ({
  bySite: {},
  apply: (state) => set((s) => ({ bySite: { ...s.bySite, [state.siteId]: state } })),
  applyAll: (states) => set((s) => ({ bySite: { ...s.bySite, ...states } }))
}))

export const selectTeam = (siteId: string) => (s: TeamState): SiteTeamState | undefined => s.bySite[siteId]

/** Reads the site's lock and its recent actions now. */
export async function readTeam(siteId: string): Promise<void> {
  useTeamStore.getState().apply(await getApi().team.site(siteId))
}

/** The preview of breaking a stale restart lock (run through the mutation dialog). */
export function previewBreakLock(siteId: string) {
  return getApi().team.previewBreakLock(siteId)
}

export async function loadTeam(): Promise<void> {
  useTeamStore.getState().applyAll(await getApi().team.locks())
}
