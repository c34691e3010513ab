import { create } from 'zustand'
import type { NewSite, SiteConfig, SitePatch } from '@contract'
import { getApi } from '@renderer/api'

interface SitesState {
  /** Sorted by `order` (the operator's order); group membership is kept as configured. */
  sites: SiteConfig[]
  loaded: boolean
  setSites(sites: SiteConfig[]): void
}

function byOrder(sites: SiteConfig[]): SiteConfig[] {
  return [...sites].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

export const useSitesStore = create<SitesState>()((set) => ({
  sites: [],
  loaded: false,
  setSites: (sites) => set({ sites: byOrder(sites), loaded: true })
}))

export const selectSites = (s: SitesState): SiteConfig[] => s.sites
export const selectSitesLoaded = (s: SitesState): boolean => s.loaded
export const selectSiteCount = (s: SitesState): number => s.sites.length
export const selectSite =
  (id: string) =>
  (s: SitesState): SiteConfig | undefined =>
    s.sites.find((x) => x.id === id)

export interface SiteGroup {
  /** '' = sites without a group. */
  group: string
  sites: SiteConfig[]
}

/**
 * Sites grouped for the sidebar: groups appear in the order of their first site, sites keep
 * their order inside a group. Call inside useMemo (it builds new arrays).
 */
export function groupSites(sites: SiteConfig[]): SiteGroup[] {
  const groups = new Map<string, SiteConfig[]>()
  for (const s of sites) {
    const g = groups.get(s.group)
    if (g) g.push(s)
    else groups.set(s.group, [s])
  }
  return [...groups].map(([group, list]) => ({ group, sites: list }))
}

/** The order the sidebar shows sites in (grouped), which keyboard navigation follows too. */
export function navigationOrder(sites: SiteConfig[]): SiteConfig[] {
  return groupSites(sites).flatMap((g) => g.sites)
}

export async function addSite(site: NewSite): Promise<SiteConfig> {
  const added = await getApi().sites.add(site)
  useSitesStore.getState().setSites(await getApi().sites.list())
  return added
}

export async function updateSite(id: string, patch: SitePatch): Promise<SiteConfig> {
  const next = await getApi().sites.update(id, patch)
  const { sites, setSites } = useSitesStore.getState()
  setSites(sites.map((s) => (s.id === id ? next : s)))
  return next
}

export async function removeSite(id: string): Promise<void> {
  await getApi().sites.remove(id)
  const { sites, setSites } = useSitesStore.getState()
  setSites(sites.filter((s) => s.id !== id))
}

/** Moves a site one place up or down in the global order and saves the whole order. */
export async function moveSite(id: string, delta: -1 | 1): Promise<void> {
  const { sites, setSites } = useSitesStore.getState()
  const ids = sites.map((s) => s.id)
  const i = ids.indexOf(id)
  const j = i + delta
  if (i < 0 || j < 0 || j >= ids.length) return
  ;[ids[i], ids[j]] = [ids[j] as string, ids[i] as string]
  setSites(await getApi().sites.reorder(ids))
}
