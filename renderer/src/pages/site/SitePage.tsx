import { Alert, Button, Empty, Result, Tabs } from 'antd'
import { useTranslation } from 'react-i18next'
import { ConnectionAdvice } from '@renderer/components/ConnectionAdvice'
import { useSshConfigFor } from '@renderer/hooks/useSshConfigFor'
import { navigate, SITE_TABS, type SiteTab } from '@renderer/stores/navigation'
import { selectConnection, useOverviewStore, useSiteSnapshot } from '@renderer/stores/overview'
import { selectSite, selectSitesLoaded, useSitesStore } from '@renderer/stores/sites'
import { SiteHeader } from './SiteHeader'
import { OthersActivity } from './team/OthersActivity'
import { SITE_TAB_PANELS } from './siteTabs'

/** One site: header, what to do if it is not connected, and its tabs. */
export function SitePage({ siteId, tab }: { siteId: string; tab: SiteTab }) {
  const { t } = useTranslation()
  const site = useSitesStore(selectSite(siteId))
  const loaded = useSitesStore(selectSitesLoaded)
  const connection = useOverviewStore(selectConnection(siteId))
  const snapshot = useSiteSnapshot(siteId)
  const sshConfig = useSshConfigFor(siteId)
  if (!site) {
    if (!loaded) return null
    return (
      <Result
        status="warning"
        title={t('site.notFound', { id: siteId })}
        data-testid="site-not-found"
        extra={<Button onClick={() => navigate({ page: 'overview' })}>{t('nav.overview')}</Button>}
      />
    )
  }
  return (
    <div className="md-page" data-testid="site-page" data-site={site.id}>
      <SiteHeader site={site} />
      <OthersActivity siteId={site.id} />
      {connection && connection.state !== 'connected' && <ConnectionAdvice site={site} info={connection} sshConfigPath={sshConfig} />}
      {connection?.hostKeyCheckingOff && connection.hostKeyCheckingOff.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="site-hostkey-off-warning"
          title={t('hostKey.checkingOffTitle', { aliases: connection.hostKeyCheckingOff.join(', ') })}
          description={t('hostKey.checkingOffBody', { config: sshConfig ?? '~/.ssh/config' })}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate({ page: 'site', siteId, tab: key as SiteTab })}
        data-testid="site-tabs"
        items={SITE_TABS.map((key) => {
          const Panel = SITE_TAB_PANELS[key]
          return {
            key,
            label: <span data-testid={`site-tab-${key}`}>{t(`site.tab.${key}`)}</span>,
            children: snapshot ? <Panel snapshot={snapshot} site={site} /> : <Empty description={t('site.noSnapshot')} data-testid="site-no-snapshot" />
          }
        })}
        destroyOnHidden
      />
    </div>
  )
}
