import type { SettingsFileContent } from './store'
import { redactEnvValue, redactSecrets } from '../util/redact'

/**
 * What a settings change changes, field by field, as the audit log records it: for each site
 * (and for the global settings, site `-`) the changed fields as `path: old → new`, with secrets
 * redacted. Window preferences (language, theme, notifications) and the sites' display order are
 * left out: they decide nothing that runs on a site.
 */

export const GLOBAL_SITE = '-'
const UNAUDITED_SETTINGS = new Set(['language', 'theme', 'notifications'])
const UNAUDITED_SITE = new Set(['order'])

export interface SettingsChange {
  site: string
  /** `added`, `removed` or `changed`. */
  kind: 'added' | 'removed' | 'changed'
  /** `startCommands.miner: "nohup lotus-miner run …" → "./runminer.sh"`, one per changed field. */
  fields: string[]
}

function flatten(v: unknown, path: string, out: Map<string, unknown>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>)
    if (entries.length === 0 && path) out.set(path, {})
    for (const [k, x] of entries) flatten(x, path ? `${path}.${k}` : k, out)
    return
  }
  out.set(path, v)
}

function shown(path: string, v: unknown): string {
  if (v === undefined) return '(none)'
  if (typeof v === 'string') {
    const env = /^expectedEnv\.(.+)$/.exec(path)
    return JSON.stringify(env ? redactEnvValue(env[1]!, v) : redactSecrets(v))
  }
  return redactSecrets(JSON.stringify(v))
}

function diff(before: object | undefined, after: object | undefined, skip: ReadonlySet<string>): string[] {
  const a = new Map<string, unknown>()
  const b = new Map<string, unknown>()
  flatten(before ?? {}, '', a)
  flatten(after ?? {}, '', b)
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => !skip.has(k.split('.')[0]!))
  const out: string[] = []
  for (const k of keys) {
    const x = a.get(k)
    const y = b.get(k)
    if (JSON.stringify(x) === JSON.stringify(y)) continue
    out.push(`${k}: ${shown(k, x)} → ${shown(k, y)}`)
  }
  return out
}

export function settingsChanges(before: SettingsFileContent, after: SettingsFileContent): SettingsChange[] {
  const out: SettingsChange[] = []
  const global = diff(before.settings, after.settings, UNAUDITED_SETTINGS)
  if (global.length > 0) out.push({ site: GLOBAL_SITE, kind: 'changed', fields: global })
  const was = new Map(before.sites.map((s) => [s.id, s]))
  const now = new Map(after.sites.map((s) => [s.id, s]))
  for (const [id, s] of now) {
    const old = was.get(id)
    const fields = diff(old, s, UNAUDITED_SITE)
    if (!old) out.push({ site: id, kind: 'added', fields })
    else if (fields.length > 0) out.push({ site: id, kind: 'changed', fields })
  }
  for (const [id, s] of was) if (!now.has(id)) out.push({ site: id, kind: 'removed', fields: diff(s, undefined, UNAUDITED_SITE) })
  return out
}
