import type { SecretProtection } from './connection'
import type { Language, SettingsLoadProblem } from './settings'

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
  /** settings.json was unusable and is kept aside (shown until the operator deals with it). */
  settingsProblem?: SettingsLoadProblem
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
  /** SHA-256 over the previous entry's hash and this entry: the chain `audit verify` checks. */
  hash?: string
}

/** `audit:verify`: the audit log's hash chain checked from its first entry. */
export interface AuditVerifyResult {
  file: string
  ok: boolean
  /** Entries read (lines that parse). */
  entries: number
  /** Entries whose hash follows from the entry before them. */
  chained: number
  /** Entries written before the log was chained (by an older MinerDesk): counted, not checked. */
  unchained: number
  /** Lines cut short by a crash or a full disk (1-based): not entries, never part of the chain. */
  tornLines: number[]
  /** The first entry that breaks the chain. */
  broken?: {
    line: number
    time: string
    site: string
    action: string
    /**
     * does-not-follow: this entry, or one before it, was edited, removed or inserted;
     * not-chained: an entry without a hash after chained ones; not-an-entry: a JSON line that is not an entry.
     */
    reason: 'does-not-follow' | 'not-chained' | 'not-an-entry'
  }
}
