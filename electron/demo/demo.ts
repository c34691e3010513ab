import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import { MinerDeskError, RUNBOOK_DURATIONS, type DemoStatus, type Durations, type SiteConfig } from '../../preload/contract'
import { attachSites, downSites, SITE_START_COMMANDS, upSites, type UpResult, type UpSite } from '../sim/front'
import type { Demo, DemoDeps, DemoFactory } from '../core/runtime/demo'
import type { SettingsStore } from '../core/settings/store'
import type { EventBus } from '../core/runtime/eventBus'
import { readRegularFile, writeDurably } from '../core/util/durableFile'

/** How the host runs simulator processes: plain Node with out/node/sim.cjs, or Electron as Node. */
export interface SimRuntime {
  node: string
  nodeEnv: Record<string, string>
  bundle: string
}

/** The demo: three simulated sites, each showing different things an operator meets. */
const DEMO_SPEED = 60
const DEMO_SITES = 3
const DEMO_SECTORS = 1200
const DEMO_SCENARIOS: Record<string, string[]> = {
  'site-1': ['autopledge'],
  'site-2': ['autopledge', 'compute-proof-failed', 'stuck-message'],
  'site-3': ['autopledge', 'worker-dies']
}
const DEMO_GROUPS: Record<string, string> = { 'site-1': 'demo-a', 'site-2': 'demo-a', 'site-3': 'demo-b' }

const demoFileSchema = z.object({
  dir: z.string(),
  previousSshConfigPath: z.string().nullable(),
  siteIds: z.array(z.string())
})
type DemoFile = z.infer<typeof demoFileSchema>

/** Runbook durations divided by the simulator's speed, so overdue jobs mean the same as on a real site. */
export function scaledDurations(speed: number): Durations {
  const out = { ...RUNBOOK_DURATIONS }
  for (const k of Object.keys(out) as (keyof Durations)[]) out[k] = Math.max(1, Math.round(out[k] / speed))
  return out
}

/** `export NAME=value` lines of a site's runminer.sh: the environment the demo miner is expected to have. */
export function exportsOf(script: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of script.split('\n')) {
    const m = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line)
    if (!m || !m[1]) continue
    let v = (m[2] ?? '').trim()
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1)
    // Values that depend on the shell ($HOME, $(…)) are checked for presence only.
    env[m[1]] = /[$`]/.test(v) ? '*' : v
  }
  return env
}

/** The demo's pace and size: the app's are fixed; tests run the same demo faster and smaller. */
export interface DemoShape {
  speed: number
  sectors: number
}

export const DEMO_SHAPE: DemoShape = { speed: DEMO_SPEED, sectors: DEMO_SECTORS }

/** The demo of a host that runs the simulator with `runtime` (the Electron shell, the browser host). */
export function simDemo(runtime: SimRuntime, shape: DemoShape = DEMO_SHAPE): DemoFactory {
  return (deps: DemoDeps) => new DemoManager(deps.home, deps.store, deps.events, runtime, deps.onSshConfig, shape)
}

export class DemoManager implements Demo {
  private status: DemoStatus = { phase: 'off', sites: [] }
  private readonly file: string
  private readonly dir: string
  private busy: Promise<DemoStatus> | null = null
  /** This process started or took over the running demo (its exit stops the sites). */
  private here = false

  constructor(
    home: string,
    private readonly store: SettingsStore,
    private readonly events: EventBus,
    private readonly runtime: SimRuntime,
    private readonly onSshConfig: (path: string | null) => void,
    private readonly shape: DemoShape = DEMO_SHAPE
  ) {
    this.file = join(home, 'demo.json')
    // The simulated sites run under their own login account (mdsim when MinerDesk runs as root),
    // which cannot enter MINERDESK_HOME (0700: it holds secrets and the audit log).
    this.dir = join(tmpdir(), `minerdesk-demo-${createHash('sha256').update(home).digest('hex').slice(0, 10)}`)
  }

  current(): DemoStatus {
    return this.status
  }

  private set(s: DemoStatus): DemoStatus {
    this.status = s
    this.events.emit('demo:status', s)
    return s
  }

  private readFile(): DemoFile | null {
    let text: string | null
    try {
      text = readRegularFile(this.file)
    } catch {
      return null
    }
    if (text === null) return null
    let raw: unknown
    try {
      raw = JSON.parse(text)
    } catch {
      return null
    }
    const parsed = demoFileSchema.safeParse(raw)
    return parsed.success ? parsed.data : null
  }

  /** At host start: reattach to demo sites still running, or start them again if the demo was on. */
  async resume(): Promise<void> {
    const f = this.readFile()
    if (!f) return
    const attached = attachSites(f.dir)
    if (attached) {
      // Settings written by an older MinerDesk are brought up to how the demo starts its sites.
      this.applySiteSettings(attached.sites)
      this.here = true
      this.set({ phase: 'running', sites: f.siteIds, sshConfigPath: attached.sshConfigPath })
      return
    }
    await this.start(true)
  }

  runsHere(): boolean {
    return this.here && this.status.phase === 'running'
  }

  async suspend(): Promise<boolean> {
    if (!this.runsHere()) return false
    const f = this.readFile()
    if (!f) return false
    this.here = false
    // demo.json and the sites' settings stay: the next host start brings the demo back.
    await downSites(f.dir).catch(() => undefined)
    this.set({ phase: 'off', sites: [] })
    return true
  }

  /**
   * What the demo's sites need in their settings to be judged and restarted as they really run:
   * durations at the demo's speed, how each process is started (the site's runminer.sh and worker
   * scripts, in its HOME) and the environment runminer.sh gives the miner.
   */
  private applySiteSettings(sites: readonly UpSite[]): string[] {
    const ids: string[] = []
    for (const s of sites) {
      const already = this.store.listSites().find((c) => c.alias === s.alias)
      const site: SiteConfig = already ?? this.store.addSite({ alias: s.alias, name: `Demo ${s.alias}`, group: DEMO_GROUPS[s.alias] ?? 'demo' })
      const runminer = join(s.config.home, 'runminer.sh')
      this.store.updateSite(site.id, {
        durations: scaledDurations(s.config.speed),
        workDir: s.config.home,
        startCommands: { ...SITE_START_COMMANDS },
        expectedEnv: existsSync(runminer) ? exportsOf(readFileSync(runminer, 'utf8')) : {},
        pollIntervalSec: 5
      })
      ids.push(site.id)
    }
    return ids
  }

  start(restart = false): Promise<DemoStatus> {
    if (this.busy) return this.busy
    const run = this.doStart(restart).finally(() => {
      this.busy = null
    })
    this.busy = run
    return run
  }

  private async doStart(restart: boolean): Promise<DemoStatus> {
    if (this.status.phase === 'running') return this.status
    const existing = this.readFile()
    if (!restart && !existing && this.store.listSites().length > 0) {
      throw new MinerDeskError({
        code: 'conflict',
        message: 'the demo runs only when no sites are configured',
        hint: 'remove your sites in Settings first, or run the simulator yourself: npm run sim -- up --sites 3 --dir /tmp/s'
      })
    }
    this.set({ phase: 'starting', step: 'prepare', sites: [] })
    let up: UpResult
    try {
      if (existing) await downSites(existing.dir).catch(() => undefined)
      this.set({ phase: 'starting', step: 'sites', sites: [] })
      up = await upSites({
        dir: this.dir,
        sites: DEMO_SITES,
        speed: this.shape.speed,
        sectors: this.shape.sectors,
        siteScenarios: DEMO_SCENARIOS,
        node: this.runtime.node,
        nodeEnv: this.runtime.nodeEnv,
        bundle: this.runtime.bundle,
        onProgress: (p) => {
          const step = /sshd|ssh server|ssh2/i.test(p.message) ? 'sshd' : /ssh_config|known_hosts/i.test(p.message) ? 'ssh-config' : 'sites'
          this.set({ phase: 'starting', step, sites: [] })
        }
      })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      return this.set({ phase: 'failed', sites: [], error: message })
    }
    this.set({ phase: 'starting', step: 'add-sites', sites: [] })
    const previous = existing ? existing.previousSshConfigPath : this.store.getSettings().sshConfigPath
    this.store.updateSettings({ sshConfigPath: up.sshConfigPath })
    this.onSshConfig(up.sshConfigPath)
    const ids = this.applySiteSettings(up.sites)
    this.here = true
    writeDurably(this.file, JSON.stringify({ dir: up.dir, previousSshConfigPath: previous, siteIds: ids } satisfies DemoFile, null, 2))
    this.set({ phase: 'starting', step: 'connect', sites: ids, sshConfigPath: up.sshConfigPath })
    return this.set({ phase: 'running', sites: ids, sshConfigPath: up.sshConfigPath })
  }

  async stop(): Promise<DemoStatus> {
    this.here = false
    const f = this.readFile()
    if (!f) return this.set({ phase: 'off', sites: [] })
    this.set({ ...this.status, phase: 'stopping' })
    for (const id of f.siteIds) if (this.store.getSite(id)) this.store.removeSite(id)
    this.store.updateSettings({ sshConfigPath: f.previousSshConfigPath })
    this.onSshConfig(f.previousSshConfigPath)
    try {
      await downSites(f.dir)
    } catch (err) {
      return this.set({ phase: 'failed', sites: [], error: err instanceof Error ? err.message : String(err) })
    }
    rmSync(this.file, { force: true })
    rmSync(f.dir, { recursive: true, force: true })
    return this.set({ phase: 'off', sites: [] })
  }
}
