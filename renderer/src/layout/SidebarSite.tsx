import { useTranslation } from 'react-i18next'
import { ConnectionText, HealthText } from '@renderer/components/StatusTags'
import type { SiteConfig } from '@contract'
import { healthOf } from '@renderer/model/summary'
import { selectConnection, selectSummary, useOverviewStore } from '@renderer/stores/overview'

/** One site in the sidebar: name and health; alias and the SSH state underneath. */
export function SidebarSite({ site, active, shortcut, onSelect }: { site: SiteConfig; active: boolean; shortcut: number | null; onSelect: () => void }) {
  const { t } = useTranslation()
  const summary = useOverviewStore(selectSummary(site.id))
  const connection = useOverviewStore(selectConnection(site.id))
  const health = healthOf(summary, connection)
  return (
    <button
      type="button"
      className={`md-side-site${active ? ' md-active' : ''}`}
      onClick={onSelect}
      data-testid={`sidebar-site-${site.id}`}
      data-health={health}
      aria-current={active ? 'page' : undefined}
      title={shortcut !== null ? t('sidebar.shortcutHint', { key: shortcut }) : undefined}
    >
      <span className="md-side-line">
        <span className="md-side-name">{site.name}</span>
        <HealthText health={health} />
      </span>
      <span className="md-side-line md-side-sub">
        <span className="md-mono md-side-alias">{site.alias}</span>
        <ConnectionText info={connection} state={connection ? undefined : 'idle'} testId={`sidebar-connection-${site.id}`} />
      </span>
    </button>
  )
}
