import { SCENARIOS, type Scenario, type SectorDeadlines } from '../common/siteConfig'
import { SimUsageError } from './errors'

/**
 * Arguments of `npm run sim -- up|down|status|scenario`, validated up front so a mistake gets a
 * one-line explanation and a non-zero exit before anything is created or started.
 */

export const MAX_SITES = 50
export const MAX_SECTORS = 1_000_000
export const MAX_WORKERS_PER_KIND = 8
export type WorkerKind = 'pc1' | 'pc2' | 'c2'
export const WORKER_KINDS: readonly WorkerKind[] = ['pc1', 'pc2', 'c2']
export type SshMode = 'auto' | 'openssh' | 'ssh2'

export interface WorkerCounts {
  pc1: number
  pc2: number
  c2: number
}

export const DEFAULT_WORKERS: WorkerCounts = { pc1: 1, pc2: 1, c2: 1 }
export const DEFAULT_SPEED = 60
export const DEFAULT_SECTORS = 1000

export interface UpArgs {
  sites: number
  dir: string
  speed: number
  sectors: number
  /** Scenarios of every site. */
  scenarios: Scenario[]
  /** Extra scenarios of single sites (`--scenario site-2:worker-dies`), by site name. */
  siteScenarios: Record<string, Scenario[]>
  deadlines: SectorDeadlines | undefined
  workers: WorkerCounts
  ssh: SshMode
  node: string | undefined
  nodeEnv: Record<string, string>
  bundle: string | undefined
  json: boolean
}

type FlagKind = 'value' | 'bool' | 'multi'
interface ParsedArgs {
  values: Map<string, string[]>
}

function parseLong(argv: readonly string[], spec: Record<string, FlagKind>): ParsedArgs {
  const values = new Map<string, string[]>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (!a.startsWith('--') || a === '--') {
      throw new SimUsageError(`unexpected argument ${JSON.stringify(a)} (see \`npm run sim -- help\`)`)
    }
    const eq = a.indexOf('=')
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2)
    const kind = spec[name]
    if (!kind) throw new SimUsageError(`unknown flag --${name} (see \`npm run sim -- help\`)`)
    let value: string
    if (kind === 'bool') {
      if (eq >= 0) throw new SimUsageError(`--${name} takes no value`)
      value = 'true'
    } else if (eq >= 0) value = a.slice(eq + 1)
    else {
      const next = argv[i + 1]
      if (next === undefined || next.startsWith('--')) throw new SimUsageError(`--${name} needs a value`)
      value = next
      i++
    }
    const list = values.get(name) ?? []
    if (list.length > 0 && kind !== 'multi') throw new SimUsageError(`--${name} given more than once`)
    list.push(value)
    values.set(name, list)
  }
  return { values }
}

function one(p: ParsedArgs, name: string): string | undefined {
  return p.values.get(name)?.[0]
}

function intIn(value: string, flag: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) throw new SimUsageError(`--${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`)
  const n = Number(value)
  if (n < min || n > max) throw new SimUsageError(`--${flag} must be from ${min} to ${max}, not ${n}`)
  return n
}

function requireDir(p: ParsedArgs, command: string): string {
  const dir = one(p, 'dir')
  if (dir === undefined || dir.trim() === '') throw new SimUsageError(`--dir DIR is required (npm run sim -- ${command} --dir DIR …)`)
  return dir
}

function parseScenarioName(s: string): Scenario {
  if (!(SCENARIOS as readonly string[]).includes(s)) {
    throw new SimUsageError(`unknown scenario ${JSON.stringify(s)}; known scenarios: ${SCENARIOS.join(', ')}`)
  }
  return s as Scenario
}

/** `a,b` → scenario names; empty string or `none` → []. */
export function parseScenarioList(value: string): Scenario[] {
  const v = value.trim()
  if (v === '' || v === 'none') return []
  const out: Scenario[] = []
  for (const item of v.split(',')) {
    const s = parseScenarioName(item.trim())
    if (!out.includes(s)) out.push(s)
  }
  return out
}

/** `--scenario warmup-fail,site-2:worker-dies`: plain names apply to all sites, `site-N:` to one. */
function parseScenarioFlag(value: string, sites: number): Pick<UpArgs, 'scenarios' | 'siteScenarios'> {
  const scenarios: Scenario[] = []
  const siteScenarios: Record<string, Scenario[]> = {}
  for (const raw of value.split(',')) {
    const item = raw.trim()
    if (item === '') throw new SimUsageError(`--scenario: empty item in ${JSON.stringify(value)}`)
    const m = /^(site-(\d+)):(.+)$/.exec(item)
    if (m) {
      const n = Number(m[2])
      if (n < 1 || n > sites) throw new SimUsageError(`--scenario ${item}: there is no ${m[1]} (sites are site-1…site-${sites})`)
      const list = (siteScenarios[m[1] as string] ??= [])
      const s = parseScenarioName(m[3] as string)
      if (!list.includes(s)) list.push(s)
    } else {
      const s = parseScenarioName(item)
      if (!scenarios.includes(s)) scenarios.push(s)
    }
  }
  return { scenarios, siteScenarios }
}

function parseDeadlines(value: string): SectorDeadlines {
  if (value.trim() === 'soon') return 'soon'
  const out: number[] = []
  for (const raw of value.split(',')) {
    const d = intIn(raw.trim(), 'deadlines', 0, 47)
    if (out.includes(d)) throw new SimUsageError(`--deadlines lists deadline ${d} twice`)
    out.push(d)
  }
  return out
}

/** `pc1=2,pc2,c2=0`: worker processes per kind; kinds not named get none. */
export function parseWorkers(value: string): WorkerCounts {
  const counts: WorkerCounts = { pc1: 0, pc2: 0, c2: 0 }
  const seen = new Set<string>()
  for (const raw of value.split(',')) {
    const item = raw.trim()
    const m = /^([a-z0-9]+)(?:=(.*))?$/.exec(item)
    const kind = m?.[1]
    if (!m || !kind || !(WORKER_KINDS as readonly string[]).includes(kind)) {
      throw new SimUsageError(`--workers: ${JSON.stringify(item)} is not one of ${WORKER_KINDS.join(', ')} (optionally =COUNT), e.g. --workers pc1=2,pc2,c2`)
    }
    if (seen.has(kind)) throw new SimUsageError(`--workers names ${kind} twice`)
    seen.add(kind)
    counts[kind as WorkerKind] = m[2] === undefined ? 1 : intIn(m[2], 'workers', 0, MAX_WORKERS_PER_KIND)
  }
  if (counts.pc1 + counts.pc2 + counts.c2 === 0) throw new SimUsageError('--workers: a site needs at least one worker')
  return counts
}

function parseNodeEnv(list: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const item of list ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(item)
    if (!m) throw new SimUsageError(`--node-env must be NAME=VALUE, not ${JSON.stringify(item)}`)
    env[m[1] as string] = m[2] as string
  }
  return env
}

function parseSshMode(value: string | undefined): SshMode {
  const v = value ?? 'auto'
  if (v !== 'auto' && v !== 'openssh' && v !== 'ssh2') throw new SimUsageError(`--ssh must be auto, openssh or ssh2, not ${JSON.stringify(v)}`)
  return v
}

/** Checks values that may also come from the programmatic API (upSites), with the CLI's messages. */
export function validateUpArgs(a: UpArgs): UpArgs {
  if (!Number.isInteger(a.sites) || a.sites < 1 || a.sites > MAX_SITES) throw new SimUsageError(`--sites must be from 1 to ${MAX_SITES}, not ${a.sites}`)
  if (typeof a.dir !== 'string' || a.dir.trim() === '') throw new SimUsageError('--dir DIR is required')
  if (!Number.isFinite(a.speed) || a.speed < 0.01 || a.speed > 3000) throw new SimUsageError(`--speed must be a number from 0.01 to 3000, not ${a.speed}`)
  if (!Number.isInteger(a.sectors) || a.sectors < 0 || a.sectors > MAX_SECTORS) throw new SimUsageError(`--sectors must be from 0 to ${MAX_SECTORS}, not ${a.sectors}`)
  for (const s of a.scenarios) parseScenarioName(s)
  for (const [site, list] of Object.entries(a.siteScenarios)) {
    const m = /^site-(\d+)$/.exec(site)
    if (!m || Number(m[1]) < 1 || Number(m[1]) > a.sites) throw new SimUsageError(`--scenario ${site}:…: there is no ${site} (sites are site-1…site-${a.sites})`)
    for (const s of list) parseScenarioName(s)
  }
  if (a.deadlines && a.deadlines !== 'soon') {
    if (a.deadlines.length === 0) throw new SimUsageError('--deadlines needs at least one deadline')
    if (new Set(a.deadlines).size !== a.deadlines.length) throw new SimUsageError('--deadlines lists a deadline twice')
    for (const d of a.deadlines) if (!Number.isInteger(d) || d < 0 || d > 47) throw new SimUsageError(`--deadlines must be from 0 to 47, not ${d}`)
  }
  for (const k of WORKER_KINDS) {
    const n = a.workers[k]
    if (!Number.isInteger(n) || n < 0 || n > MAX_WORKERS_PER_KIND) throw new SimUsageError(`--workers ${k}=${n}: must be from 0 to ${MAX_WORKERS_PER_KIND}`)
  }
  if (a.workers.pc1 + a.workers.pc2 + a.workers.c2 === 0) throw new SimUsageError('--workers: a site needs at least one worker')
  parseSshMode(a.ssh)
  return a
}

export function parseUpArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): UpArgs {
  const p = parseLong(argv, {
    sites: 'value',
    dir: 'value',
    speed: 'value',
    sectors: 'value',
    scenario: 'multi',
    deadlines: 'value',
    workers: 'value',
    ssh: 'value',
    node: 'value',
    'node-env': 'multi',
    bundle: 'value',
    json: 'bool'
  })
  const dir = requireDir(p, 'up')
  const sitesRaw = one(p, 'sites')
  const sites = sitesRaw === undefined ? 1 : intIn(sitesRaw, 'sites', 1, MAX_SITES)
  const speedRaw = one(p, 'speed')
  let speed = DEFAULT_SPEED
  if (speedRaw !== undefined) {
    speed = Number(speedRaw)
    if (speedRaw.trim() === '' || !Number.isFinite(speed) || speed < 0.01 || speed > 3000) {
      throw new SimUsageError(`--speed must be a number from 0.01 to 3000 (1 = real time), not ${JSON.stringify(speedRaw)}`)
    }
  }
  const sectorsRaw = one(p, 'sectors')
  const sectors = sectorsRaw === undefined ? DEFAULT_SECTORS : intIn(sectorsRaw, 'sectors', 0, MAX_SECTORS)
  const scenarios: Scenario[] = []
  const siteScenarios: Record<string, Scenario[]> = {}
  for (const v of p.values.get('scenario') ?? []) {
    const parsed = parseScenarioFlag(v, sites)
    for (const s of parsed.scenarios) if (!scenarios.includes(s)) scenarios.push(s)
    for (const [site, list] of Object.entries(parsed.siteScenarios)) {
      const into = (siteScenarios[site] ??= [])
      for (const s of list) if (!into.includes(s)) into.push(s)
    }
  }
  const deadlinesRaw = one(p, 'deadlines')
  const workersRaw = one(p, 'workers')
  return validateUpArgs({
    sites,
    dir,
    speed,
    sectors,
    scenarios,
    siteScenarios,
    deadlines: deadlinesRaw === undefined ? undefined : parseDeadlines(deadlinesRaw),
    workers: workersRaw === undefined ? { ...DEFAULT_WORKERS } : parseWorkers(workersRaw),
    ssh: parseSshMode(one(p, 'ssh') ?? (env.MDSIM_SSH || undefined)),
    node: one(p, 'node'),
    nodeEnv: parseNodeEnv(p.values.get('node-env')),
    bundle: one(p, 'bundle'),
    json: p.values.has('json')
  })
}

export function parseDirArgs(argv: readonly string[], command: string): { dir: string; json: boolean } {
  const p = parseLong(argv, { dir: 'value', json: 'bool' })
  return { dir: requireDir(p, command), json: p.values.has('json') }
}

export interface ScenarioArgs {
  dir: string
  site: string
  set: Scenario[]
}

export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs {
  const p = parseLong(argv, { dir: 'value', site: 'value', set: 'value' })
  const dir = requireDir(p, 'scenario')
  const site = one(p, 'site')
  if (site === undefined || !/^site-\d+$/.test(site)) throw new SimUsageError('--site site-N is required')
  const set = one(p, 'set')
  if (set === undefined) throw new SimUsageError(`--set a,b is required (--set none clears; known: ${SCENARIOS.join(', ')})`)
  return { dir, site, set: parseScenarioList(set) }
}

/** Worker names of a site, in start order: `<site>-pc1`, `<site>-pc1-2`, …, `<site>-c2`. */
export function workerNames(site: string, counts: WorkerCounts): { name: string; kind: WorkerKind }[] {
  const out: { name: string; kind: WorkerKind }[] = []
  for (const kind of WORKER_KINDS) {
    for (let i = 1; i <= counts[kind]; i++) out.push({ name: i === 1 ? `${site}-${kind}` : `${site}-${kind}-${i}`, kind })
  }
  return out
}
