import { create } from 'zustand'
import { DEFAULT_SETTINGS, type AppInfo, type AppSettings, type Language, type SettingsPatch } from '@contract'
import { call, getApi } from '@renderer/api'

interface SettingsState {
  /** null until the first `settings.get` answers. */
  settings: AppSettings | null
  appInfo: AppInfo | null
  setSettings(settings: AppSettings): void
  setAppInfo(info: AppInfo): void
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  appInfo: null,
  setSettings: (settings) => set({ settings }),
  setAppInfo: (appInfo) => set({ appInfo })
}))

export const selectSettings = (s: SettingsState): AppSettings => s.settings ?? DEFAULT_SETTINGS
export const selectLanguage = (s: SettingsState): Language => s.settings?.language ?? s.appInfo?.language ?? 'zh-CN'
export const selectThemeSetting = (s: SettingsState) => s.settings?.theme ?? DEFAULT_SETTINGS.theme
export const selectAppInfo = (s: SettingsState): AppInfo | null => s.appInfo
export const selectSettingsLoaded = (s: SettingsState): boolean => s.settings !== null
export const selectNotificationsOn = (s: SettingsState): boolean => s.settings?.notifications ?? false
export const selectSshConfigPath = (s: SettingsState): string | null => s.settings?.sshConfigPath ?? null

/** Saves a partial change; the store takes the main side's answer (it may normalise values). */
export async function updateSettings(patch: SettingsPatch): Promise<AppSettings> {
  const next = await getApi().settings.update(patch)
  useSettingsStore.getState().setSettings(next)
  return next
}

/** The hosts of the operator's SSH config, for adding a site. */
export const listSshConfig = call('sshConfig', 'list')
