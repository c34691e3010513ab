/** MinerDesk's own settings and sites, persisted under MINERDESK_HOME. */
export { minerdeskHome, settingsFile, auditLogFile, ensureHome } from './paths'
export { SettingsStore, effectiveDurations, slugFromAlias, newSiteConfig, SETTINGS_FILE_VERSION, type LoadProblem, type SettingsStoreOptions } from './store'
