import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, type Dirent } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChannelArgs, ChannelName, ChannelResult, SiteSnapshot } from '../../preload/contract'
import type { RestartRun } from '../../preload/contract/restart'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { callDirect } from '../../electron/core/runtime/dispatch'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { simDemo, type DemoShape } from '../../electron/demo/demo'
import { simBundle } from './simSites'

/**
 * The demo as an operator lives with it: the app's core (polling, as the window does) runs the
 * demo's three sites, and restarts each of them through the restart wizard on a schedule, with
 * the settings the demo wrote and nothing changed. Meanwhile every snapshot is kept; at the end
 * the sectors are read back. The figures say whether the demo makes trouble of its own:
 *
 * - alerts on site-1 (no failure scenario) outside its restarts: its warning and critical findings,
 * - faulty sectors anywhere (no scenario makes any),
 * - site-1 sectors that ever entered a failed state,
 * - finalized sectors without what Lotus keeps (sealed, p_aux, t_aux, tree-r-last) or with layers left.
 *
 * Used by `npm run bench -- --only demo-soak` (an hour at the demo's speed) and by a shorter
 * integration test in CI.
 */

const SITES = ['site-1', 'site-2', 'site-3'] as const

export interface SoakOptions {
  shape: DemoShape
  /** Restarts are scheduled in periods that begin within this time after the warm-up (ms). */
  durationMs: number
  /** Each site is restarted once per period, the three spread over it (ms). */
  periodMs: number
  /** Before the first restart (ms). */
  warmupMs: number
  /** After the last restart: how long sectors may take to finish what they were sealing (ms). */
  drainMs: number
  /** Extra steps after the warm-up (the CI test's CLI rolling restart); restarts it returns count as restarts. */
  between?: (core: AppCore, home: string) => Promise<RestartRecord[] | void>
  log?: (line: string) => void
}

export interface RestartRecord {
  site: string
  start: number
  end: number
  phase: RestartRun['phase'] | 'refused'
  detail: string
}

export interface SoakFigures {
  restarts: RestartRecord[]
  /** Alerts on site-1 seen outside its restarts: kind, subject, when, what it said, how long after site-1's last restart. */
  site1AlertsOutside: Array<{ key: string; at: number; detail: string; afterRestartSec: number | null }>
  /** The highest faulty-sector count any snapshot of any site showed. */
  maxFaults: number
  /** site-1 sectors whose event log has a failed state, with the events. */
  site1Failed: Array<{ sector: number; events: string[] }>
  /** Finalized sectors (all sites) missing what Lotus keeps, or keeping what it drops. */
  badFinalized: Array<{ site: string; sector: number; missing: string[]; extra: number; found: string[]; events: string[] }>
  /** Sectors that reached Proving during the soak, per site. */
  sealed: Record<string, number>
  /** Sites whose miner did not answer the read-back at the end (a restart left it down), with the error. */
  unreadable: Array<{ site: string; error: string }>
  snapshots: number
}

function call<C extends ChannelName>(core: AppCore, channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>> {
  return callDirect(core.handlers, channel, args, { via: 'web' }) as Promise<ChannelResult<C>>
}

/** One restart of a site through the wizard, as "run all" in the window does it. */
export async function restartSite(core: AppCore, site: string): Promise<RestartRecord> {
  const start = Date.now()
  let run = await call(core, 'restart:start', site, { waitForWindow: true })
  if (run.decision?.kind === 'verdict' && run.decision.verdict.kind === 'unsafe') {
    // The handlers answer with the live run, which the abort then finishes (its decision cleared): keep the text first.
    const refusal = run.decision.verdict.text
    await call(core, 'restart:abort', run.id)
    return { site, start, end: Date.now(), phase: 'refused', detail: refusal }
  }
  const preview = await call(core, 'restart:previewAll', run.id)
  await call(core, 'ops:execute', preview.id, null)
  run = await call(core, 'restart:wait', run.id)
  const detail = run.phase === 'done' ? 'restarted' : `${run.result?.failedStep ?? run.current}: ${run.result?.error?.message ?? run.phase}${failedStepDigest(run)}`
  return { site, start, end: run.result?.endedAt ?? Date.now(), phase: run.phase, detail }
}

/** What the failed step sent and saw (commands with their outcome, observations, log excerpt), to find why afterwards. */
function failedStepDigest(run: RestartRun): string {
  const step = run.steps.find((s) => s.id === (run.result?.failedStep ?? run.current))
  if (!step) return ''
  const at = (t: number): string => `+${((t - (step.startedAt ?? run.createdAt)) / 1000).toFixed(1)}s`
  const cmds = step.commands.map((c) => `${c.status}${c.endedAt ? ` ${at(c.endedAt)}` : ''} [${c.text}] ${c.error ? `${c.error.code}: ${c.error.message}` : ''} ${(c.output ?? '').slice(0, 200)}`)
  const obs = step.observations.map((o) => `${at(o.at)} ${o.code}: ${o.text}`)
  const logs = step.excerpts.map((e) => `${e.file}: ${e.lines.slice(-8).join(' / ')}`)
  const before = run.steps.filter((x) => x !== step && x.status !== 'pending').map((x) => `${x.id} ${x.status}: ${x.observations.map((o) => `${o.code}${o.code === 'already-running' || o.code === 'stopped' ? ` (${o.text})` : ''}`).join(', ')}`)
  return `\n      before: ${before.join(' ; ')}\n      commands: ${cmds.join(' ; ')}\n      seen: ${obs.join(' ; ')}\n      log: ${logs.join(' ; ').slice(0, 1500)}`
}

/** The jobs and workers a snapshot showed, in one line (what an alert was judged from). */
function siteDigest(s: SiteSnapshot): string {
  const jobs = (s.jobs?.list ?? []).map((j) => `${j.sector}:${j.task}:${j.state}@${j.hostname || j.workerId.slice(0, 8)}`).join(',')
  const workers = (s.workers?.list ?? []).map((w) => `${w.hostname}${w.missing ? '(missing)' : w.enabled ? '' : '(disabled)'}`).join(',')
  return `jobs [${jobs}] workers [${workers}]`.slice(0, 900)
}

/** Where a sector's files are under the demo's directory (relative paths), to tell a lost file from a moved one. */
function filesOf(dir: string, name: string, depth = 0): string[] {
  if (depth > 7) return []
  let entries: Dirent[]
  try {
    entries = readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
  return entries.flatMap((e) => (e.name === name ? [join(dir, e.name)] : e.isDirectory() ? filesOf(join(dir, e.name), name, depth + 1) : []))
}

const FAILED_EVENT = /^event;sealing\.Sector\w*Failed$/

/** What the demo's sites hold at the end: failed events of site-1's sectors, files of finalized sectors. */
async function readBack(core: AppCore, demoDir: string, since: Record<string, number>): Promise<Pick<SoakFigures, 'site1Failed' | 'badFinalized' | 'sealed' | 'unreadable'>> {
  const site1Failed: SoakFigures['site1Failed'] = []
  const badFinalized: SoakFigures['badFinalized'] = []
  const sealed: Record<string, number> = {}
  const unreadable: SoakFigures['unreadable'] = []
  for (const site of SITES) {
    const miner = core.sites.get(site).lotus.miner
    let all: number[]
    try {
      all = await miner.sectorsList()
    } catch (err) {
      unreadable.push({ site, error: err instanceof Error ? err.message : String(err) })
      continue
    }
    const numbers = all.filter((n) => n >= (since[site] ?? 0))
    const store = join(demoDir, site, 'storage', 'store-1')
    const sealedDir = join(store, 'sealed')
    const name = existsSync(sealedDir) ? readdirSync(sealedDir).find((f) => /^s-t0\d+-\d+$/.test(f)) : undefined
    const miner0 = name ? name.split('-')[1] : null
    sealed[site] = 0
    for (const n of numbers) {
      const st = await miner.sectorsStatus(n, false)
      if (site === 'site-1') {
        const failed = (st.Log ?? []).filter((l) => FAILED_EVENT.test(l.Kind)).map((l) => `${l.Kind.replace('event;sealing.', '')}: ${l.Message.slice(0, 200)}`)
        if (failed.length > 0) site1Failed.push({ sector: n, events: failed })
      }
      if (st.State !== 'Proving' || !miner0) continue
      sealed[site] = (sealed[site] ?? 0) + 1
      const cache = join(store, 'cache', `s-${miner0}-${n}`)
      const files = existsSync(cache) ? readdirSync(cache) : []
      const missing = ['p_aux', 't_aux'].filter((f) => !files.includes(f))
      if (!files.some((f) => f.startsWith('sc-02-data-tree-r-last'))) missing.push('tree-r-last')
      if (!existsSync(join(sealedDir, `s-${miner0}-${n}`))) missing.push('sealed')
      const extra = files.filter((f) => /layer|tree-c|tree-d/.test(f)).length
      if (missing.length > 0 || extra > 0) {
        const found = filesOf(demoDir, `s-${miner0}-${n}`).map((f) => f.slice(demoDir.length + 1))
        const events = (st.Log ?? []).map((l) => l.Kind.replace('event;sealing.', '')).slice(-25)
        badFinalized.push({ site, sector: n, missing, extra, found, events })
      }
    }
  }
  return { site1Failed, badFinalized, sealed, unreadable }
}

export async function runDemoSoak(o: SoakOptions): Promise<SoakFigures> {
  const log = o.log ?? (() => undefined)
  const home = mkdtempSync(join(tmpdir(), 'md-soak-home-'))
  const bundle = await simBundle()
  const core = createAppCore({
    host: 'web',
    version: 'soak',
    home,
    secrets: createMemoryOnlySecretStore(),
    poll: true,
    demo: simDemo({ node: process.execPath, nodeEnv: {}, bundle }, o.shape)
  })
  const snaps: Array<{ t: number; site: string; alerts: string[]; details: string[]; faults: number }> = []
  const restarts: RestartRecord[] = []
  try {
    await core.start()
    const status = await core.demo.start()
    if (status.phase !== 'running') throw new Error(`the demo did not start: ${status.phase === 'failed' ? status.error : status.phase}`)
    const demoDir = (JSON.parse(readFileSync(join(home, 'demo.json'), 'utf8')) as { dir: string }).dir
    // Sectors from here on were sealed during the soak (the initial pipeline included).
    const since: Record<string, number> = {}
    for (const s of SITES) since[s] = Math.max(0, o.shape.sectors - 12)
    core.events.on('overview:snapshot', (s) => {
      const alerts = s.findings.filter((f) => f.severity !== 'info')
      snaps.push({
        t: s.takenAt,
        site: s.siteId,
        alerts: alerts.map((f) => `${f.kind}:${f.subject.kind}:${f.subject.id}`),
        // What the finding said, kept for site-1 only (the figures name the alerts there).
        details: s.siteId === 'site-1' ? alerts.map((f) => `${JSON.stringify(f.cause.params)} ${f.evidence.map((e) => e.value).join(' | ')}`.slice(0, 600) + ` · ${siteDigest(s)}`) : [],
        faults: s.proving?.faults ?? 0
      })
    })
    log(`demo up: ${SITES.length} sites, speed ${o.shape.speed}, ${o.shape.sectors} sectors each, in ${demoDir}`)
    const wait = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)))
    await wait(o.warmupMs)
    const extra = (o.between ? await o.between(core, home) : undefined) ?? []
    // Each site once per period, a third of a period apart; one restart at a time; as many
    // periods as begin within the duration.
    const tr = Date.now()
    const plan: Array<{ at: number; site: string }> = []
    for (let k = 0; k * o.periodMs < o.durationMs; k++) SITES.forEach((site, i) => plan.push({ at: tr + k * o.periodMs + (i * o.periodMs) / SITES.length, site }))
    for (const p of plan) {
      await wait(p.at - Date.now())
      const r = await restartSite(core, p.site).catch((err: unknown): RestartRecord => ({ site: p.site, start: Date.now(), end: Date.now(), phase: 'failed', detail: err instanceof Error ? err.message : String(err) }))
      restarts.push(r)
      log(`${new Date(r.start).toISOString().slice(11, 19)} ${r.site} ${r.phase} in ${Math.round((r.end - r.start) / 1000)} s: ${r.detail}`)
    }
    await wait(o.drainMs)
    const poll = Math.max(...SITES.map((s) => core.store.getSite(s)?.pollIntervalSec ?? 5)) * 1000
    const windows = [...extra, ...restarts].filter((r) => r.site === 'site-1').map((r) => [r.start, r.end + poll + 2000] as const)
    const outside = new Map<string, { at: number; detail: string; afterRestartSec: number | null }>()
    for (const s of snaps) {
      if (s.site !== 'site-1' || windows.some(([a, b]) => s.t >= a && s.t <= b)) continue
      const lastEnd = Math.max(-1, ...windows.map(([, b]) => b).filter((b) => b < s.t))
      s.alerts.forEach((k, i) => {
        if (!outside.has(k)) outside.set(k, { at: s.t, detail: s.details[i] ?? '', afterRestartSec: lastEnd < 0 ? null : Math.round((s.t - lastEnd) / 1000) })
      })
    }
    const back = await readBack(core, demoDir, since)
    return {
      restarts,
      site1AlertsOutside: [...outside].map(([key, a]) => ({ key, ...a })),
      maxFaults: Math.max(0, ...snaps.map((s) => s.faults)),
      ...back,
      snapshots: snaps.length
    }
  } finally {
    await core.demo.stop().catch(() => undefined)
    await core.close().catch(() => undefined)
    rmSync(home, { recursive: true, force: true })
  }
}
