import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { navigate, selectRoute, useNavigationStore } from '@renderer/stores/navigation'
import { groupSites, selectSites, useSitesStore } from '@renderer/stores/sites'
import { selectAppInfo, useSettingsStore } from '@renderer/stores/settings'
import { ShortcutsHelp } from './ShortcutsHelp'
import { SidebarSite } from './SidebarSite'

/** Navigation: Overview, the sites (grouped, in the operator's order), Settings, Audit log. */
export function Sidebar({ helpOpen, onHelpOpenChange }: { helpOpen: boolean; onHelpOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation()
  const route = useNavigationStore(selectRoute)
  const sites = useSitesStore(selectSites)
  const info = useSettingsStore(selectAppInfo)
  const groups = useMemo(() => groupSites(sites), [sites])
  let index = 0
  return (
    <nav className="md-sidebar" data-testid="sidebar" aria-label={t('sidebar.label')}>
      <div className="md-brand">
        <span className="md-brand-name">MinerDesk</span>
        {info && <span className="md-muted md-mono">{info.version}</span>}
      </div>
      <button type="button" className={`md-nav-item${route.page === 'overview' ? ' md-active' : ''}`} onClick={() => navigate({ page: 'overview' })} data-testid="nav-overview">
        {t('nav.overview')}
      </button>
      <div className="md-side-sites" data-testid="sidebar-sites">
        {groups.map((g) => (
          <div key={g.group} className="md-side-group" data-testid={`sidebar-group-${g.group || 'none'}`}>
            <div className="md-side-group-title">{g.group || t('sidebar.noGroup')}</div>
            {g.sites.map((s) => {
              index++
              const active = route.page === 'site' && route.siteId === s.id
              const tab = route.page === 'site' ? route.tab : 'chain'
              return <SidebarSite key={s.id} site={s} active={active} shortcut={index <= 9 ? index : null} onSelect={() => navigate({ page: 'site', siteId: s.id, tab })} />
            })}
          </div>
        ))}
        {sites.length === 0 && <div className="md-muted md-side-empty">{t('sidebar.noSites')}</div>}
      </div>
      <div className="md-side-bottom">
        <button type="button" className={`md-nav-item${route.page === 'settings' ? ' md-active' : ''}`} onClick={() => navigate({ page: 'settings', section: 'sites' })} data-testid="nav-settings">
          {t('nav.settings')}
        </button>
        <button type="button" className={`md-nav-item${route.page === 'audit' ? ' md-active' : ''}`} onClick={() => navigate({ page: 'audit' })} data-testid="nav-audit">
          {t('nav.audit')}
        </button>
        <ShortcutsHelp open={helpOpen} onOpenChange={onHelpOpenChange} />
      </div>
    </nav>
  )
}
