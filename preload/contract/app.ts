import type { SecretProtection } from './connection'
import type { Language } from './settings'

export type HostKind = 'electron' | 'web'

export interface AppInfo {
  version: string
  host: HostKind
  platform: string
  /** Where settings, the audit log and wizard state live (MINERDESK_HOME). */
  home: string
  /** OS user written into the audit log. */
  operator: string
  secretProtection: SecretProtection
  /** Language the main side starts in (the renderer may switch). */
  language: Language
}

export type DemoPhase = 'off' | 'starting' | 'running' | 'stopping' | 'failed'

/**
 * The steps `DemoStatus.step` reports while the demo starts, in order (the renderer shows them as
 * progress and translates them as `demo.step.<step>`; an unknown step is shown verbatim).
 */
export const DEMO_STEPS = ['prepare', 'keys', 'sites', 'sshd', 'ssh-config', 'add-sites', 'connect'] as const
export type DemoStep = (typeof DEMO_STEPS)[number]

export interface DemoStatus {
  phase: DemoPhase
  /** Progress text keys while starting (i18n `demo.step.<step>`). */
  step?: string
  sites: string[]
  /** The generated OpenSSH config the demo sites are reached by. */
  sshConfigPath?: string
  error?: string
}

/** One line of the append-only audit log (JSON lines in MINERDESK_HOME/audit.log). */
export interface AuditEntry {
  /** ISO 8601 time. */
  time: string
  site: string
  operator: string
  /** Where it came from: the app window, the browser host or the CLI. */
  via: 'electron' | 'web' | 'cli'
  action: string
  /** The exact remote command line or API call (method and params). */
  command: string
  result: 'ok' | 'error' | 'refused' | 'started'
  detail?: string
}
