import { selectDemoStatus, useDemoStore } from '@renderer/stores/demo'
import { selectSshConfigPath, useSettingsStore } from '@renderer/stores/settings'

/**
 * The OpenSSH config a site is reached through: the demo's generated file for demo sites, else
 * the configured file (null = ssh's default, ~/.ssh/config).
 */
export function useSshConfigFor(siteId: string): string | null {
  const configured = useSettingsStore(selectSshConfigPath)
  const demo = useDemoStore(selectDemoStatus)
  if (demo.sshConfigPath && demo.sites.includes(siteId)) return demo.sshConfigPath
  return configured
}
