import { create } from 'zustand'
import { SITE_ID_RE } from '@contract'

/**
 * Tabs of the site page, in display order. Later screens (restart wizard, sectors…) add their id
 * here and a panel in pages/site/siteTabs.tsx; unknown tabs in a URL fall back to the first.
 */
export const SITE_TABS = ['chain', 'pipeline', 'sectors', 'jobs', 'workers', 'proving', 'restart'] as const
export type SiteTab = (typeof SITE_TABS)[number]

export const SETTINGS_SECTIONS = ['sites', 'general'] as const
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]

export type Route =
  | { page: 'overview' }
  /** `sector`: one sector's page inside the sectors tab (`#/site/a/sectors/36`). */
  | { page: 'site'; siteId: string; tab: SiteTab; sector?: number }
  | { page: 'settings'; section: SettingsSection; siteId?: string }
  | { page: 'audit' }

const isTab = (t: string | undefined): t is SiteTab => (SITE_TABS as readonly string[]).includes(t ?? '')
const isSection = (t: string | undefined): t is SettingsSection => (SETTINGS_SECTIONS as readonly string[]).includes(t ?? '')

/** `#/site/a/jobs` → route; anything unrecognised is the Overview (a stale bookmark lands somewhere useful). */
export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent)
  const [head, a, b] = parts
  if (head === 'site' && a && SITE_ID_RE.test(a)) {
    const c = parts[3]
    if (b === 'sectors' && c && /^\d{1,16}$/.test(c)) return { page: 'site', siteId: a, tab: 'sectors', sector: Number(c) }
    return { page: 'site', siteId: a, tab: isTab(b) ? b : SITE_TABS[0] }
  }
  if (head === 'settings') {
    if (a === 'site' && b && SITE_ID_RE.test(b)) return { page: 'settings', section: 'sites', siteId: b }
    return { page: 'settings', section: isSection(a) ? a : 'sites' }
  }
  if (head === 'audit') return { page: 'audit' }
  return { page: 'overview' }
}

export function formatRoute(r: Route): string {
  switch (r.page) {
    case 'overview':
      return '#/overview'
    case 'site':
      return `#/site/${encodeURIComponent(r.siteId)}/${r.tab}${r.sector !== undefined ? `/${r.sector}` : ''}`
    case 'settings':
      return r.siteId ? `#/settings/site/${encodeURIComponent(r.siteId)}` : `#/settings/${r.section}`
    case 'audit':
      return '#/audit'
  }
}

interface NavigationState {
  route: Route
  setRoute(r: Route): void
}

export const useNavigationStore = create<NavigationState>()((set) => ({
  route: typeof window === 'undefined' ? { page: 'overview' } : parseHash(window.location.hash),
  setRoute: (route) => set({ route })
}))

export const selectRoute = (s: NavigationState): Route => s.route
export const selectCurrentSiteId = (s: NavigationState): string | null => (s.route.page === 'site' ? s.route.siteId : null)

/** Changes the URL hash; the hashchange listener updates the store (so Back/Forward work too). */
export function navigate(r: Route): void {
  const hash = formatRoute(r)
  if (window.location.hash === hash) useNavigationStore.getState().setRoute(parseHash(hash))
  else window.location.hash = hash
}

export function startNavigation(): () => void {
  const onChange = () => useNavigationStore.getState().setRoute(parseHash(window.location.hash))
  window.addEventListener('hashchange', onChange)
  onChange()
  return () => window.removeEventListener('hashchange', onChange)
}
