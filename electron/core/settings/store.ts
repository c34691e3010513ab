import { lstatSync, readdirSync, renameSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
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
import { DurableWriteError, NotRegularFileError, readRegularFile, writeDurably } from '../util/durableFile'
import { redactEnvValue } from '../util/redact'
import { ensureHome, minerdeskHome, settingsFile } from './paths'

/**
 * AppSettings and the sites, persisted in MINERDESK_HOME/settings.json:
 * `{ "version": 1, "settings": {…}, "sites": [{…}, …] }`.
 *
 * Every change is validated with the contract's zod schemas before it is written; writes are
 * complete or not at all (util/durableFile: length checked, fsync, rename, fsync of the
 * directory), so a crash or a full disk never leaves half a file, and a failed write keeps the
 * previous file and says so (`storage/write-failed`). A file that does not parse or validate, or
 * is not a regular file, is moved aside to `settings.json.bad-<time>` and reported — by every
 * MinerDesk process until the operator restores or deletes that copy — never silently
 * overwritten. Before each change the file is re-read if another process (the CLI next to the
 * app) changed it, so neither loses the other's edits. Expected environment values are kept
 * with their secrets replaced by fingerprints (util/redact), never the tokens themselves.
 */

export const SETTINGS_FILE_VERSION = 1
/** Beside a kept unusable settings.json: why it was unusable. */
const WHY = '.why'

const fileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  settings: appSettingsSchema,
  sites: z.array(siteConfigSchema).max(1000)
})
type SettingsFileContent = z.infer<typeof fileSchema>

/** Expected environment values as they may be stored: secrets as fingerprints. */
function storedEnv(env: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, redactEnvValue(k, v)]))
}

export type { SettingsLoadProblem as LoadProblem } from '../../../preload/contract'
import type { SettingsLoadProblem as LoadProblem } from '../../../preload/contract'

/** A change the store would make, validated but not written (see plan…/apply). */
export interface SettingsPlan {
  readonly before: SettingsFileContent
  readonly after: SettingsFileContent
  /** Re-applied to the file's content at apply time (another process may have written since). */
  readonly change: (c: SettingsFileContent) => SettingsFileContent
}
export type { SettingsFileContent }

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
          startCommands: { ...DEFAULT_START_COMMANDS, ...(startCommands as object) },
          ...(site['expectedEnv'] && typeof site['expectedEnv'] === 'object' && !Array.isArray(site['expectedEnv'])
            ? { expectedEnv: storedEnvOf(site['expectedEnv'] as Record<string, unknown>) }
            : {})
        }
      })
    : []
  return {
    version: r['version'] ?? SETTINGS_FILE_VERSION,
    settings: { ...DEFAULT_SETTINGS, ...settings, defaultDurations: { ...RUNBOOK_DURATIONS, ...(defaultDurations as object) } },
    sites
  }
}

function storedEnvOf(raw: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, typeof v === 'string' ? redactEnvValue(k, v) : v]))
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

  /**
   * Set while an unusable settings.json is kept aside: moved by this process at load, or by an
   * earlier one and not yet restored or removed by the operator.
   */
  get loadProblem(): LoadProblem | null {
    return this.problem ?? this.keptBadCopy()
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
    this.apply(this.planSettings(patch))
    return this.getSettings()
  }

  addSite(input: unknown): SiteConfig {
    const plan = this.planAddSite(input)
    this.apply(plan)
    return this.getSite(plan.after.sites[plan.after.sites.length - 1]!.id)!
  }

  updateSite(id: string, patch: unknown): SiteConfig {
    this.apply(this.planUpdateSite(id, patch))
    return this.getSite(id)!
  }

  removeSite(id: string): void {
    this.apply(this.planRemoveSite(id))
  }

  /** `ids` must list every site exactly once, in the new order. */
  reorderSites(ids: readonly string[]): SiteConfig[] {
    this.apply(
      this.plan((c) => {
        const known = new Set(c.sites.map((s) => s.id))
        if (ids.length !== known.size || new Set(ids).size !== ids.length || ids.some((id) => !known.has(id))) {
          throw new MinerDeskError({ code: 'invalid-input', message: 'the new order must list every site exactly once' })
        }
        const pos = new Map(ids.map((id, i) => [id, i]))
        return { ...c, sites: c.sites.map((s) => ({ ...s, order: pos.get(s.id)! })).sort((a, b) => a.order - b.order) }
      })
    )
    return this.listSites()
  }

  /* ---------------------------------------------- changes planned, then applied */

  planSettings(patch: unknown): SettingsPlan {
    const p = settingsPatchSchema.safeParse(patch)
    if (!p.success) throw invalid('settings', p.error)
    return this.plan((c) => {
      const next = appSettingsSchema.safeParse({ ...c.settings, ...p.data })
      if (!next.success) throw invalid('settings', next.error)
      return { ...c, settings: next.data }
    })
  }

  planAddSite(input: unknown): SettingsPlan {
    const p = newSiteSchema.safeParse(input)
    if (!p.success) throw invalid('new site', p.error)
    return this.plan((c) => {
      if (c.sites.some((s) => s.alias === p.data.alias)) {
        throw new MinerDeskError({ code: 'conflict', message: `a site for the SSH alias ${p.data.alias} already exists`, params: { alias: p.data.alias } })
      }
      const site = siteConfigSchema.safeParse(newSiteConfig(p.data, c.sites, c.settings))
      if (!site.success) throw invalid('new site', site.error)
      return { ...c, sites: [...c.sites, site.data] }
    })
  }

  planUpdateSite(id: string, patch: unknown): SettingsPlan {
    const p = sitePatchSchema.safeParse(patch)
    if (!p.success) throw invalid(`site ${id}`, p.error)
    const data = p.data.expectedEnv ? { ...p.data, expectedEnv: storedEnv(p.data.expectedEnv) } : p.data
    return this.plan((c) => {
      const i = c.sites.findIndex((s) => s.id === id)
      if (i < 0) throw new MinerDeskError({ code: 'not-found', message: `no site ${id}`, params: { site: id } })
      const next = siteConfigSchema.safeParse({ ...c.sites[i], ...data })
      if (!next.success) throw invalid(`site ${id}`, next.error)
      const sites = [...c.sites]
      sites[i] = next.data
      return { ...c, sites }
    })
  }

  planRemoveSite(id: string): SettingsPlan {
    return this.plan((c) => {
      if (!c.sites.some((s) => s.id === id)) throw new MinerDeskError({ code: 'not-found', message: `no site ${id}`, params: { site: id } })
      return { ...c, sites: sortSites(c.sites.filter((s) => s.id !== id)) }
    })
  }

  /** Writes a planned change (computed again over the file as it is now). */
  apply(plan: SettingsPlan): void {
    this.mutate(plan.change)
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
    let text: string | null
    let reason: string | null = null
    try {
      text = readRegularFile(this.file)
    } catch (err) {
      if (!(err instanceof NotRegularFileError)) {
        // Unreadable (permissions…): refuse to go on rather than overwrite it later.
        throw new MinerDeskError({ code: 'internal', message: `cannot read ${this.file}`, details: (err as Error).message })
      }
      text = null
      reason = `not a regular file (a ${err.kind})`
    }
    if (text === null && reason === null) {
      this.stamp = null
      return
    }
    this.stamp = this.readStamp()
    let parsed: unknown
    if (reason === null) {
      try {
        parsed = JSON.parse(text!)
      } catch (err) {
        reason = `not JSON: ${(err as Error).message}`
      }
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
    try {
      renameSync(this.file, movedTo)
      this.problem = { file: this.file, movedTo, reason: reason! }
      // The reason, for the MinerDesk processes that start after this one (best effort).
      try {
        writeDurably(`${movedTo}${WHY}`, `${reason}\n`)
      } catch {
        /* a full disk: later processes give a general reason */
      }
    } catch (err) {
      // Another MinerDesk process moved it aside first: its copy is reported instead.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    this.stamp = null
    this.content = { version: SETTINGS_FILE_VERSION, settings: clone(DEFAULT_SETTINGS), sites: [] }
  }

  /**
   * The newest copy of an unusable settings.json kept earlier (by this or another MinerDesk
   * process) that the operator has neither restored nor removed yet.
   */
  private keptBadCopy(): LoadProblem | null {
    let names: string[]
    try {
      names = readdirSync(this.home)
    } catch {
      return null
    }
    const prefix = `${basename(this.file)}.bad-`
    let best: { path: string; mtimeMs: number } | null = null
    for (const n of names) {
      if (!n.startsWith(prefix) || n.endsWith(WHY)) continue
      try {
        const st = lstatSync(join(this.home, n))
        if (!st.isDirectory() && (!best || st.ctimeMs > best.mtimeMs)) best = { path: join(this.home, n), mtimeMs: st.ctimeMs }
      } catch {
        /* removed meanwhile */
      }
    }
    if (!best) return null
    let why: string | null = null
    try {
      why = readRegularFile(`${best.path}${WHY}`, 64 * 1024)?.trim() || null
    } catch {
      /* not ours */
    }
    return { file: this.file, movedTo: best.path, reason: why ?? 'it could not be used when MinerDesk read it' }
  }

  private plan(change: (c: SettingsFileContent) => SettingsFileContent): SettingsPlan {
    if (this.changedOnDisk()) this.load()
    const before = clone(this.content)
    return { before, after: this.validated(change(clone(before))), change }
  }

  private validated(next: SettingsFileContent): SettingsFileContent {
    const checked = fileSchema.safeParse(next)
    if (!checked.success) throw invalid('settings', checked.error)
    const dup = checkUnique(checked.data.sites)
    if (dup) throw new MinerDeskError({ code: 'conflict', message: dup })
    return checked.data
  }

  private mutate(fn: (c: SettingsFileContent) => SettingsFileContent): void {
    if (this.changedOnDisk()) this.load()
    const before = this.content
    const next = this.validated(fn(clone(before)))
    this.write(next)
    this.content = next
    this.emit(before)
  }

  private write(content: SettingsFileContent): void {
    ensureHome(this.home)
    try {
      writeDurably(this.file, `${JSON.stringify(content, null, 2)}\n`)
    } catch (err) {
      const full = err instanceof DurableWriteError && (err.code === 'ENOSPC' || err.code === 'EDQUOT')
      throw new MinerDeskError({
        code: 'storage/write-failed',
        message: `the settings were not saved: ${(err as Error).message}`,
        hint: full ? `free space on the disk holding ${this.home}; the previous settings are kept unchanged` : `check ${this.file} and its directory; the previous settings are kept unchanged`,
        params: { file: this.file, reason: err instanceof DurableWriteError ? err.code : 'EIO' }
      })
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
