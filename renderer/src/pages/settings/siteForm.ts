import { DURATION_KEYS, ENV_NAME_RE, sitePatchSchema, type DurationKey, type SiteConfig, type SitePatch, type StartCommands } from '@contract'

/** The site settings form's values (rows for the two maps, so they can be edited line by line). */
export interface SiteForm {
  name: string
  group: string
  pollIntervalSec: number
  durations: Partial<Record<DurationKey, number | undefined>>
  workDir: string
  startCommands: StartCommands
  env: { name: string; value: string }[]
  hosts: { ip: string; alias: string }[]
  readOnly: boolean
}

export function toForm(site: SiteConfig): SiteForm {
  return {
    name: site.name,
    group: site.group,
    pollIntervalSec: site.pollIntervalSec,
    durations: { ...site.durations },
    workDir: site.workDir,
    startCommands: { ...site.startCommands },
    env: Object.entries(site.expectedEnv).map(([name, value]) => ({ name, value })),
    hosts: Object.entries(site.workerHosts).map(([ip, alias]) => ({ ip, alias })),
    readOnly: site.readOnly === true
  }
}

/**
 * Form → the contract's SitePatch, checked by the contract's own schema (main checks again).
 * Empty duration fields are dropped: the site then follows the app's default durations.
 */
export function toPatch(f: SiteForm): { ok: true; patch: SitePatch } | { ok: false; message: string } {
  const durations: Partial<Record<DurationKey, number>> = {}
  for (const k of DURATION_KEYS) {
    const v = f.durations[k]
    if (v !== undefined && Number.isFinite(v)) durations[k] = v
  }
  const env = f.env.filter((r) => r.name.trim() !== '')
  const hosts = f.hosts.filter((r) => r.ip.trim() !== '')
  const patch: SitePatch = {
    name: f.name.trim(),
    group: f.group.trim(),
    pollIntervalSec: f.pollIntervalSec,
    durations,
    workDir: f.workDir.trim(),
    startCommands: f.startCommands,
    expectedEnv: Object.fromEntries(env.map((r) => [r.name.trim(), r.value])),
    workerHosts: Object.fromEntries(hosts.map((r) => [r.ip.trim(), r.alias.trim()])),
    readOnly: f.readOnly
  }
  const parsed = sitePatchSchema.safeParse(patch)
  if (!parsed.success) return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }
  return { ok: true, patch: parsed.data }
}

export function isEnvName(s: string): boolean {
  return ENV_NAME_RE.test(s)
}

/** IPv4 or IPv6 literal, as Lotus reports a worker's address. */
export function isIpAddress(s: string): boolean {
  return ipProblem(s) === null
}

/**
 * What is wrong with a worker IP as typed, as an i18n key under `siteSettings.ip.` with its
 * params, or null when it is an IPv4 or IPv6 address.
 */
export function ipProblem(raw: string): { key: 'empty' | 'hostname' | 'parts' | 'octet' | 'v6'; params?: Record<string, string> } | null {
  const s = raw.trim()
  if (s === '') return { key: 'empty' }
  if (s.includes(':')) return /^[0-9a-fA-F:]+$/.test(s) && s.split(':').length <= 8 && (s.match(/::/g) ?? []).length <= 1 ? null : { key: 'v6' }
  if (!/^[\d.]+$/.test(s)) return { key: 'hostname', params: { value: s } }
  const parts = s.split('.')
  if (parts.length !== 4 || parts.some((p) => p === '')) return { key: 'parts', params: { value: s } }
  const bad = parts.find((p) => Number(p) > 255 || (p.length > 1 && p.startsWith('0')))
  return bad === undefined ? null : { key: 'octet', params: { part: bad } }
}
