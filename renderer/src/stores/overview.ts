import { create } from 'zustand'
import type { ConnectionInfo, OverviewState, SiteSnapshot } from '@contract'
import { call, getApi } from '@renderer/api'
import { summarize, type SiteSummary } from '@renderer/model/summary'

/**
 * Full snapshots (job lists, workers, 48 deadlines, pending messages) stay out of reactive state:
 * only the site page reads them, through `useSiteSnapshot`, which re-renders on a version counter.
 * Reactive state holds the per-site summaries the Overview and sidebar need.
 */
const fullSnapshots = new Map<string, SiteSnapshot>()

interface OverviewStore {
  summaries: Record<string, SiteSummary>
  connections: Record<string, ConnectionInfo>
  /** Bumped whenever the full snapshot of a site changes. */
  versions: Record<string, number>
  /** Refreshes the operator asked for and that have not answered yet ('*' = all sites). */
  refreshing: Record<string, boolean>
  applySnapshot(s: SiteSnapshot): void
  applyConnection(c: ConnectionInfo): void
  applyState(state: OverviewState): void
  /** Forget sites that were removed. */
  retain(siteIds: string[]): void
  setRefreshing(key: string, on: boolean): void
}

function newerConnection(current: ConnectionInfo | undefined, incoming: ConnectionInfo): boolean {
  return !current || incoming.since >= current.since
}

export const useOverviewStore = create<OverviewStore>()((set) => ({
  summaries: {},
  connections: {},
  versions: {},
  refreshing: {},
  applySnapshot: (s) => {
    fullSnapshots.set(s.siteId, s)
    set((st) => ({
      summaries: { ...st.summaries, [s.siteId]: summarize(s) },
      versions: { ...st.versions, [s.siteId]: (st.versions[s.siteId] ?? 0) + 1 },
      // A snapshot carries the connection as of its poll; a later `ssh:connection` event wins.
      connections: newerConnection(st.connections[s.siteId], s.connection) ? { ...st.connections, [s.siteId]: s.connection } : st.connections,
      refreshing: st.refreshing[s.siteId] ? { ...st.refreshing, [s.siteId]: false } : st.refreshing
    }))
  },
  applyConnection: (c) => set((st) => ({ connections: { ...st.connections, [c.siteId]: c } })),
  applyState: (state) => {
    fullSnapshots.clear()
    const summaries: Record<string, SiteSummary> = {}
    for (const s of Object.values(state.snapshots)) {
      fullSnapshots.set(s.siteId, s)
      summaries[s.siteId] = summarize(s)
    }
    set((st) => {
      const versions: Record<string, number> = {}
      for (const id of Object.keys(summaries)) versions[id] = (st.versions[id] ?? 0) + 1
      return { summaries, versions, connections: { ...state.connections } }
    })
  },
  retain: (ids) => {
    const keep = new Set(ids)
    for (const id of [...fullSnapshots.keys()]) if (!keep.has(id)) fullSnapshots.delete(id)
    const pick = <T,>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).filter(([k]) => keep.has(k)))
    set((st) => ({ summaries: pick(st.summaries), connections: pick(st.connections), versions: pick(st.versions) }))
  },
  setRefreshing: (key, on) => set((st) => ({ refreshing: { ...st.refreshing, [key]: on } }))
}))

export const selectSummary =
  (id: string) =>
  (s: OverviewStore): SiteSummary | undefined =>
    s.summaries[id]
export const selectConnection =
  (id: string) =>
  (s: OverviewStore): ConnectionInfo | undefined =>
    s.connections[id]
export const selectSummaries = (s: OverviewStore) => s.summaries
export const selectConnections = (s: OverviewStore) => s.connections
export const selectRefreshing =
  (key: string) =>
  (s: OverviewStore): boolean =>
    s.refreshing[key] === true || s.refreshing['*'] === true

/** The latest full snapshot of one site; re-renders only when that site's snapshot changes. */
export function useSiteSnapshot(siteId: string): SiteSnapshot | undefined {
  useOverviewStore((s) => s.versions[siteId])
  return fullSnapshots.get(siteId)
}

/** Test and bootstrap access to the non-reactive cache. */
export function getFullSnapshot(siteId: string): SiteSnapshot | undefined {
  return fullSnapshots.get(siteId)
}

/**
 * Asks the main side to poll now. The spinner stops when the next snapshot arrives (or at once for
 * all sites, since main answers `refresh(null)` only after it queued the polls).
 */
export async function refreshSites(siteId: string | null): Promise<void> {
  const key = siteId ?? '*'
  const { setRefreshing } = useOverviewStore.getState()
  setRefreshing(key, true)
  try {
    await getApi().overview.refresh(siteId)
  } finally {
    if (siteId === null) setRefreshing(key, false)
    // A single site's spinner waits for its snapshot, but never longer than a poll could take.
    else setTimeout(() => useOverviewStore.getState().setRefreshing(key, false), 30_000)
  }
}

/** New findings as main raises them (for the desktop notifications). */
export const onNewFindings = call('events', 'onFindingsNew')

/** Asks main to poll one site again now, without the refresh spinner (after a change ran). */
export const pollSiteNow = call('overview', 'refresh')
