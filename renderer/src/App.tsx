import { App as AntApp, ConfigProvider, Layout } from 'antd'
import enUS from 'antd/locale/en_US'
import zhCN from 'antd/locale/zh_CN'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useEffectiveTheme } from './hooks/useEffectiveTheme'
import { useKeyboardShortcuts } from './hooks/useKeyboardShortcuts'
import { setLanguage } from './i18n'
import { BootError } from './layout/BootError'
import { Sidebar } from './layout/Sidebar'
import { SettingsProblemBanner } from './layout/SettingsProblemBanner'
import { TransportBanner } from './layout/TransportBanner'
import { BrowserNotifications } from './notifications/BrowserNotifications'
import { AuditPage } from './pages/audit/AuditPage'
import { OverviewPage } from './pages/overview/OverviewPage'
import { SettingsPage } from './pages/settings/SettingsPage'
import { SitePage } from './pages/site/SitePage'
import { HostKeyChangedWarning } from './prompts/HostKeyChangedWarning'
import { HostKeyModal } from './prompts/HostKeyModal'
import { PassphraseModal } from './prompts/PassphraseModal'
import { useReportError } from './components/useReportError'
import { selectRoute, useNavigationStore } from './stores/navigation'
import { selectLanguage, selectThemeSetting, useSettingsStore } from './stores/settings'
import { ThemeModeContext } from './theme/context'
import { antdTheme, PALETTES, SIDEBAR_WIDTH, type ThemeMode } from './theme/tokens'

const BUTTON = { autoInsertSpace: false }

/** Theme, locale and antd's App context around the shell. */
export function App() {
  const language = useSettingsStore(selectLanguage)
  const mode = useEffectiveTheme(useSettingsStore(selectThemeSetting))
  useEffect(() => setLanguage(language), [language])
  const theme = useMemo(() => antdTheme(mode), [mode])
  useRootCssVars(mode)
  return (
    // antd would space out two-character Chinese labels ("删 除"); MinerDesk writes its labels as meant.
    <ConfigProvider theme={theme} locale={language === 'en' ? enUS : zhCN} button={BUTTON}>
      <ThemeModeContext.Provider value={mode}>
        <AntApp>
          <Shell mode={mode} />
        </AntApp>
      </ThemeModeContext.Provider>
    </ConfigProvider>
  )
}

/**
 * The palette as CSS variables for the few styles antd tokens do not cover (styles.css). Set on
 * <html> so that popovers, modals and notifications (portals outside the shell) see them too.
 */
function cssVars(mode: ThemeMode): Record<string, string> {
  const p = PALETTES[mode]
  return {
    '--md-muted': p.mutedText,
    '--md-highlight': p.highlightBg,
    '--md-border': p.border,
    '--md-panel': p.panelBg,
    '--md-page': p.pageBg,
    '--md-primary': p.primary,
    '--md-critical': p.tones.critical,
    '--md-warning': p.tones.warning,
    '--md-critical-bg': mode === 'dark' ? '#2a1618' : '#fdf1f1',
    '--md-warning-bg': mode === 'dark' ? '#2a2114' : '#fdf7ec'
  }
}

function useRootCssVars(mode: ThemeMode): void {
  useEffect(() => {
    const root = document.documentElement
    for (const [k, v] of Object.entries(cssVars(mode))) root.style.setProperty(k, v)
    root.dataset.theme = mode
  }, [mode])
}

function Shell({ mode }: { mode: ThemeMode }) {
  const route = useNavigationStore(selectRoute)
  const [helpOpen, setHelpOpen] = useState(false)
  const report = useReportError()
  const toggleHelp = useCallback(() => setHelpOpen((o) => !o), [])
  useKeyboardShortcuts(toggleHelp, report)
  return (
    <Layout className="md-shell" data-theme={mode} data-testid="app-shell">
      <Layout.Sider width={SIDEBAR_WIDTH} className="md-sider" theme={mode}>
        <Sidebar helpOpen={helpOpen} onHelpOpenChange={setHelpOpen} />
      </Layout.Sider>
      <Layout className="md-main">
        <TransportBanner />
        <SettingsProblemBanner />
        <BootError />
        <Layout.Content className="md-content">
          {route.page === 'overview' && <OverviewPage />}
          {route.page === 'site' && <SitePage key={route.siteId} siteId={route.siteId} tab={route.tab} />}
          {route.page === 'settings' && <SettingsPage section={route.section} siteId={route.siteId} />}
          {route.page === 'audit' && <AuditPage />}
        </Layout.Content>
      </Layout>
      <HostKeyModal />
      <PassphraseModal />
      <HostKeyChangedWarning />
      <BrowserNotifications />
    </Layout>
  )
}
