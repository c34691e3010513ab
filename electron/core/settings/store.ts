import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import {
  appSettingsSchema,
  DEFAULT_SETTINGS,
  DEFAULT_START_COMMANDS,
  MinerDeskError,
  newSiteSchema,
  RUNBOOK_DURATIONS,
  settingsPatchSchema,
  siteConfigSchema,
  sitePatchSchema,
  SITE_ID_RE,
  type AppSettings,
  type Durations,
  type NewSite,
  type SiteConfig
} from '../../../preload/contract'
import { ensureHome, minerdeskHome, settingsFile } from './paths'

/**
 * AppSettings and the sites, persisted in MINERDESK_HOME/settings.json:
 * `{ "version": 1, "settings": {…}, "sites": [{…}, …] }`.
 *
 * Every change is validated with the contract's zod schemas before it is written; writes are
 * atomic (temp file, fsync, rename) so a crash never leaves half a file; a file that does not
 * parse or validate is moved aside to `settings.json.bad-<time>` and reported, never silently
 * overwritten. Before each change the file is re-read if another process (the CLI next to the
 * app) changed it, so neither loses the other's edits.
 */

export const SETTINGS_FILE_VERSION = 1

const fileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  settings: appSettingsSchema,
  sites: z.array(siteConfigSchema).max(1000)
})
type SettingsFileContent = z.infer<typeof fileSchema>

export interface LoadProblem {
  file: string
  /** Where the unusable file now is. */
  movedTo: string
  reason: string
}

type Listener<T> = (value: T) => void

function invalid(what: string, err: z.ZodError): MinerDeskError {
  const issue = err.issues[0]
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''
  return new MinerDeskError({ code: 'invalid-input', message: `${what}: ${where}${issue?.message ?? 'invalid'}`, details: z.prettifyError(err) })
}

/** The site's expected durations: its own values over the global defaults. */
export function effectiveDurations(settings: AppSettings, site: Pick<SiteConfig, 'durations'> | null | undefined): Durations {
  const out: Durations = { ...settings.defaultDurations }
  for (const [k, v] of Object.entries(site?.durations ?? {})) {
    if (typeof v === 'number') out[k as keyof Durations] = v
  }
  return out
}

/** A site id from its SSH alias: lower-case slug, unique among `taken`. */
export function slugFromAlias(alias: string, taken: ReadonlySet<string>): string {
  let base = alias
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 56)
    .replace(/-+$/, '')
  if (base === '') base = 'site'
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`
  if (!SITE_ID_RE.test(id)) throw new MinerDeskError({ code: 'internal', message: `could not make a site id from ${JSON.stringify(alias)}` })
  return id
}

/** A new site's configuration with MinerDesk's defaults. */
export function newSiteConfig(input: NewSite, existing: readonly SiteConfig[], settings: AppSettings): SiteConfig {
  return {
    id: slugFromAlias(input.alias, new Set(existing.map((s) => s.id))),
    alias: input.alias,
    name: input.name ?? input.alias,
    group: input.group ?? '',
    order: existing.length,
    pollIntervalSec: settings.defaultPollIntervalSec,
    durations: {},
    workDir: '~',
    startCommands: { ...DEFAULT_START_COMMANDS },
    expectedEnv: {},
    workerHosts: {}
  }
}

/** Fills what older files may lack (fields added later) before strict validation. */
function withDefaults(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw
  const r = raw as Record<string, unknown>
  const settings = r['settings'] && typeof r['settings'] === 'object' ? (r['settings'] as Record<string, unknown>) : {}
  const defaultDurations = settings['defaultDurations'] && typeof settings['defaultDurations'] === 'object' ? settings['defaultDurations'] : {}
  const pollDefault = typeof settings['defaultPollIntervalSec'] === 'number' ? settings['defaultPollIntervalSec'] : DEFAULT_SETTINGS.defaultPollIntervalSec
  const sites = Array.isArray(r['sites'])
    ? r['sites'].map((s: unknown, i) => {
        if (!s || typeof s !== 'object') return s
        const site = s as Record<string, unknown>
        const startCommands = site['startCommands'] && typeof site['startCommands'] === 'object' ? site['startCommands'] : {}
        return {
          group: '',
          order: i,
          pollIntervalSec: pollDefault,
          durations: {},
          workDir: '~',
          expectedEnv: {},
          workerHosts: {},
          ...site,
          name: site['name'] ?? site['alias'],
          startCommands: { ...DEFAULT_START_COMMANDS, ...(startCommands as object) }
        }
      })
    : []
  return {
    version: r['version'] ?? SETTINGS_FILE_VERSION,
    settings: { ...DEFAULT_SETTINGS, ...settings, defaultDurations: { ...RUNBOOK_DURATIONS, ...(defaultDurations as object) } },
    sites
  }
}

function checkUnique(sites: readonly SiteConfig[]): string | null {
  const ids = new Set<string>()
  const aliases = new Set<string>()
  for (const s of sites) {
    if (ids.has(s.id)) return `site id ${s.id} appears twice`
    if (aliases.has(s.alias)) return `alias ${s.alias} appears twice`
    ids.add(s.id)
    aliases.add(s.alias)
  }
  return null
}

function sortSites(sites: SiteConfig[]): SiteConfig[] {
  return sites.sort((a, b) => a.order - b.order).map((s, i) => ({ ...s, order: i }))
}

function clone<T>(v: T): T {
  return structuredClone(v)
}

interface FileStamp {
  mtimeMs: number
  size: number
  ino: number
}

export interface SettingsStoreOptions {
  /** MINERDESK_HOME; default from the environment. */
  home?: string
  now?: () => number
}

export class SettingsStore {
  readonly home: string
  readonly file: string
  private content: SettingsFileContent
  private stamp: FileStamp | null = null
  private readonly now: () => number
  private problem: LoadProblem | null = null
  private readonly settingsListeners = new Set<Listener<AppSettings>>()
  private readonly sitesListeners = new Set<Listener<SiteConfig[]>>()

  constructor(opts: SettingsStoreOptions = {}) {
    this.home = opts.home ?? minerdeskHome()
    this.file = settingsFile(this.home)
    this.now = opts.now ?? Date.now
    this.content = { version: SETTINGS_FILE_VERSION, settings: clone(DEFAULT_SETTINGS), sites: [] }
    this.load()
  }

  /** Set when the file on disk was unusable and moved aside at load. */
  get loadProblem(): LoadProblem | null {
    return this.problem
  }

  getSettings(): AppSettings {
    return clone(this.content.settings)
  }

  /** Sites in the operator's order. */
  listSites(): SiteConfig[] {
    return clone(this.content.sites)
  }

  getSite(id: string): SiteConfig | undefined {
    const s = this.content.sites.find((x) => x.id === id)
    return s ? clone(s) : undefined
  }

  effectiveDurations(siteId: string): Durations {
    return effectiveDurations(this.content.settings, this.content.sites.find((s) => s.id === siteId))
  }

  onSettingsChanged(l: Listener<AppSettings>): () => void {
    this.settingsListeners.add(l)
    return () => this.settingsListeners.delete(l)
  }

  onSitesChanged(l: Listener<SiteConfig[]>): () => void {
    this.sitesListeners.add(l)
    return () => this.sitesListeners.delete(l)
  }

  updateSettings(patch: unknown): AppSettings {
    const p = settingsPatchSchema.safeParse(patch)
    if (!p.success) throw invalid('settings', p.error)
    this.mutate((c) => {
      const next = appSettingsSchema.safeParse({ ...c.settings, ...p.data })
      if (!next.success) throw invalid('settings', next.error)
      return { ...c, settings: next.data }
    })
    return this.getSettings()
  }

  addSite(input: unknown): SiteConfig {
    const p = newSiteSchema.safeParse(input)
    if (!p.success) throw invalid('new site', p.error)
    let added: SiteConfig | null = null
    this.mutate((c) => {
      if (c.sites.some((s) => s.alias === p.data.alias)) {
        throw new MinerDeskError({ code: 'conflict', message: `a site for the SSH alias ${p.data.alias} already exists`, params: { alias: p.data.alias } })
      }
      const site = siteConfigSchema.safeParse(newSiteConfig(p.data, c.sites, c.settings))
      if (!site.success) throw invalid('new site', site.error)
      added = site.data
      return { ...c, sites: [...c.sites, site.data] }
    })
    return clone(added!)
  }

  updateSite(id: string, patch: unknown): SiteConfig {
    const p = sitePatchSchema.safeParse(patch)
    if (!p.success) throw invalid(`site ${id}`, p.error)
    this.mutate((c) => {
      const i = c.sites.findIndex((s) => s.id === id)
      if (i < 0) throw new MinerDeskError({ code: 'not-found', message: `no site ${id}`, params: { site: id } })
      const next = siteConfigSchema.safeParse({ ...c.sites[i], ...p.data })
      if (!next.success) throw invalid(`site ${id}`, next.error)
      const sites = [...c.sites]
      sites[i] = next.data
      return { ...c, sites }
    })
    return this.getSite(id)!
  }

  removeSite(id: string): void {
    this.mutate((c) => {
      if (!c.sites.some((s) => s.id === id)) throw new MinerDeskError({ code: 'not-found', message: `no site ${id}`, params: { site: id } })
      return { ...c, sites: sortSites(c.sites.filter((s) => s.id !== id)) }
    })
  }

  /** `ids` must list every site exactly once, in the new order. */
  reorderSites(ids: readonly string[]): SiteConfig[] {
    this.mutate((c) => {
      const known = new Set(c.sites.map((s) => s.id))
      if (ids.length !== known.size || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id))) {
        throw new MinerDeskError({ code: 'invalid-input', message: 'the new order must list every site exactly once' })
      }
      const pos = new Map(ids.map((id, i) => [id, i]))
      return { ...c, sites: c.sites.map((s) => ({ ...s, order: pos.get(s.id)! })).sort((a, b) => a.order - b.order) }
    })
    return this.listSites()
  }

  /** Re-reads the file if another process changed it; true when something changed. */
  reload(): boolean {
    const before = JSON.stringify(this.content)
    if (!this.changedOnDisk()) return false
    this.load()
    const changed = JSON.stringify(this.content) !== before
    if (changed) this.emit(JSON.parse(before) as SettingsFileContent)
    return changed
  }

  /* ------------------------------------------------------------------ internals */

  private readStamp(): FileStamp | null {
    try {
      const st = statSync(this.file)
      return { mtimeMs: st.mtimeMs, size: st.size, ino: st.ino }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  private changedOnDisk(): boolean {
    const now = this.readStamp()
    const was = this.stamp
    if (now === null || was === null) return now !== was
    return now.mtimeMs !== was.mtimeMs || now.size !== was.size || now.ino !== was.ino
  }

  private load(): void {
    let text: string
    try {
      text = readFileSync(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.stamp = null
        return
      }
      // Unreadable (permissions…): refuse to go on rather than overwrite it later.
      throw new MinerDeskError({ code: 'internal', message: `cannot read ${this.file}`, details: (err as Error).message })
    }
    this.stamp = this.readStamp()
    let reason: string | null = null
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      reason = `not JSON: ${(err as Error).message}`
    }
    if (reason === null) {
      const r = fileSchema.safeParse(withDefaults(parsed))
      if (!r.success) reason = `does not validate: ${invalid('settings.json', r.error).message}`
      else {
        const dup = checkUnique(r.data.sites)
        if (dup) reason = `does not validate: ${dup}`
        else {
          this.content = { ...r.data, sites: sortSites(r.data.sites) }
          return
        }
      }
    }
    const movedTo = `${this.file}.bad-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`
    renameSync(this.file, movedTo)
    this.problem = { file: this.file, movedTo, reason: reason! }
    this.stamp = null
    this.content = { version: SETTINGS_FILE_VERSION, settings: clone(DEFAULT_SETTINGS), sites: [] }
  }

  private mutate(fn: (c: SettingsFileContent) => SettingsFileContent): void {
    if (this.changedOnDisk()) this.load()
    const before = this.content
    const next = fn(clone(before))
    const checked = fileSchema.safeParse(next)
    if (!checked.success) throw invalid('settings', checked.error)
    const dup = checkUnique(checked.data.sites)
    if (dup) throw new MinerDeskError({ code: 'conflict', message: dup })
    this.write(checked.data)
    this.content = checked.data
    this.emit(before)
  }

  private write(content: SettingsFileContent): void {
    ensureHome(this.home)
    const tmp = `${this.file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      const buf = Buffer.from(`${JSON.stringify(content, null, 2)}\n`)
      let off = 0
      while (off < buf.length) off += writeSync(fd, buf, off)
      fsyncSync(fd)
    } catch (err) {
      closeSync(fd)
      unlinkSync(tmp)
      throw err
    }
    closeSync(fd)
    renameSync(tmp, this.file)
    try {
      // Make the rename itself durable.
      const dfd = openSync(dirname(this.file), 'r')
      fsyncSync(dfd)
      closeSync(dfd)
    } catch {
      /* not every platform can fsync a directory */
    }
    this.stamp = this.readStamp()
  }

  private emit(before: SettingsFileContent): void {
    if (JSON.stringify(before.settings) !== JSON.stringify(this.content.settings)) {
      const v = this.getSettings()
      for (const l of this.settingsListeners) l(v)
    }
    if (JSON.stringify(before.sites) !== JSON.stringify(this.content.sites)) {
      const v = this.listSites()
      for (const l of this.sitesListeners) l(v)
    }
  }
}
