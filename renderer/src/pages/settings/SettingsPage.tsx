import { Tabs } from 'antd'
import { useTranslation } from 'react-i18next'
import { navigate, type SettingsSection } from '@renderer/stores/navigation'
import { GeneralSettings } from './GeneralSettings'
import { SitesSettings } from './SitesSettings'

/** Sites (from the OpenSSH config) and the app's own settings. */
export function SettingsPage({ section, siteId }: { section: SettingsSection; siteId?: string }) {
  const { t } = useTranslation()
  return (
    <div className="md-page" data-testid="settings-page">
      <div className="md-toolbar">
        <h1 className="md-title">{t('nav.settings')}</h1>
      </div>
      <Tabs
        activeKey={section}
        onChange={(k) => navigate({ page: 'settings', section: k as SettingsSection })}
        items={[
          { key: 'sites', label: <span data-testid="settings-tab-sites">{t('settings.sites')}</span>, children: <SitesSettings editing={siteId ?? null} /> },
          { key: 'general', label: <span data-testid="settings-tab-general">{t('settings.general')}</span>, children: <GeneralSettings /> }
        ]}
      />
    </div>
  )
}
