import { mkdirSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

/**
 * Where MinerDesk keeps its state: `MINERDESK_HOME` when set (tests, several profiles, the
 * CLI next to the app), else `~/.minerdesk`. Settings, the audit log and wizard state live there.
 */
export function minerdeskHome(env: NodeJS.ProcessEnv = process.env): string {
  const v = env['MINERDESK_HOME']?.trim()
  if (v) {
    if (v === '~') return homedir()
    if (v.startsWith('~/')) return join(homedir(), v.slice(2))
    return isAbsolute(v) ? v : resolve(v)
  }
  return join(homedir(), '.minerdesk')
}

export function settingsFile(home: string): string {
  return join(home, 'settings.json')
}

export function auditLogFile(home: string): string {
  return join(home, 'audit.log')
}

/** Creates the home directory (owner-only: it holds the audit log) if needed. */
export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 })
}
