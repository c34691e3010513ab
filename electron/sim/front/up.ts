import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { SectorDeadlines, SimSiteConfig } from '../common/siteConfig'
import { writeClientFiles } from '../ssh/clientFiles'
import { writeEd25519KeyPair } from '../ssh/keys'
import { checkAccountReach, chownTree, siteAccount } from './account'
import { DEFAULT_SECTORS, DEFAULT_SPEED, DEFAULT_WORKERS, validateUpArgs, workerNames, type SshMode, type UpArgs, type WorkerCounts } from './args'
import { planSite, writeSiteFiles, type SitePlan } from './createSite'
import { initSiteState } from './initState'
import { downSites } from './down'
import { SimUsageError } from './errors'
import { newMinerIds } from './identity'
import { dirLayout } from './layout'
import { freePorts } from '../../common/ports'
import { findSiteProcs, pidAlive } from './procs'
import { resolveSshMode, startSshServers, type ResolvedSshMode } from './sshFront'
import { startSiteProcesses } from './startSite'
import { readSimState, writeSimState, type SimState, type SiteState } from './state'

/**
 * `up`: creates N sites in DIR and starts them behind SSH (one sshd per site, layout.ts).
 * Used by the CLI, by the test harness and by the app's embedded demo.
 */

export interface UpProgress {
  site?: string
  message: string
}

export interface UpOptions {
  dir: string
  sites?: number
  speed?: number
  sectors?: number
  /** Scenarios of every site. */
  scenarios?: string[]
  /** Scenarios of single sites, by name (`site-2`). */
  siteScenarios?: Record<string, string[]>
  deadlines?: SectorDeadlines
  workers?: Partial<WorkerCounts>
  ssh?: SshMode
  /** Node binary the shims run (default: this process's). Inside Electron: process.execPath with nodeEnv ELECTRON_RUN_AS_NODE=1. */
  node?: string
  nodeEnv?: Record<string, string>
  /** The simulator bundle (out/node/sim.cjs, or out/main/sim.js in the app); copied into DIR/.sim/. */
  bundle: string
  onProgress?: (p: UpProgress) => void
}

export interface UpSite {
  alias: string
  siteDir: string
  config: SimSiteConfig
  sshPort: number
  pids: SiteState['pids']
}

export interface UpResult {
  dir: string
  sshConfigPath: string
  knownHostsPath: string
  keyPath: string
  sshMode: ResolvedSshMode
  user: string
  sites: UpSite[]
  timings: { totalMs: number; createMs: number; startMs: number }
}

/** Characters that ssh_config, sshd_config (tokens, %-expansion) and the shims cannot carry safely. */
const BAD_DIR_CHARS = /[\s'"\\%$`!*?[\]{}()<>|;&#~]/

function hasControlChars(s: string): boolean {
  return [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)
}

/** Files and directories `up` creates in DIR (a stopped DIR is cleared of these only). */
function isOurEntry(name: string): boolean {
  return /^site-\d+$/.test(name) || ['.sim', 'ssh_config', 'id_ed25519', 'id_ed25519.pub', 'known_hosts', 'sim-state.json'].includes(name)
}

/**
 * `mkdir -p` one level at a time (Node's recursive mkdir spins forever on some pseudo file
 * systems such as /proc instead of failing).
 */
function mkdirParents(path: string): void {
  if (existsSync(path)) return
  const parent = dirname(path)
  if (parent !== path) mkdirParents(parent)
  mkdirSync(path, { mode: 0o755 })
}

/** Creates or checks DIR; returns its real path. */
export function prepareDir(dir: string): string {
  const abs = resolve(dir)
  if (BAD_DIR_CHARS.test(abs) || hasControlChars(abs)) {
    throw new SimUsageError(`--dir ${JSON.stringify(abs)}: use a path without spaces, quotes or shell characters (it goes into sshd_config, ssh_config and shell scripts)`)
  }
  const existed = existsSync(abs)
  try {
    mkdirParents(abs)
  } catch (err) {
    throw new SimUsageError(`cannot create ${abs}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  if (!statSync(abs).isDirectory()) throw new SimUsageError(`${abs} is not a directory`)
  const real = realpathSync(abs)
  if (!existed) chmodSync(real, 0o755)
  const running = findSiteProcs(real)
  const state = readSimState(real)
  const host = state?.ssh.mode === 'ssh2' ? state.ssh.hostPid : null
  if (running.length > 0 || (host !== null && host !== process.pid && pidAlive(host))) {
    throw new SimUsageError(`${real} holds running sites (${running.length} process(es)); stop them first: npm run sim -- down --dir ${real}`)
  }
  const entries = readdirSync(real)
  if (entries.length > 0) {
    if (!state) throw new SimUsageError(`${real} is not empty and holds no simulated sites; choose an empty or new directory`)
    // A stopped run of ours: replace its sites, keep anything else the operator put there.
    for (const name of entries.filter(isOurEntry)) rmSync(`${real}/${name}`, { recursive: true, force: true })
  }
  return real
}

function toArgs(o: UpOptions): UpArgs {
  return validateUpArgs({
    sites: o.sites ?? 1,
    dir: o.dir,
    speed: o.speed ?? DEFAULT_SPEED,
    sectors: o.sectors ?? DEFAULT_SECTORS,
    scenarios: (o.scenarios ?? []) as UpArgs['scenarios'],
    siteScenarios: (o.siteScenarios ?? {}) as UpArgs['siteScenarios'],
    deadlines: o.deadlines,
    workers: { ...DEFAULT_WORKERS, ...o.workers },
    ssh: o.ssh ?? 'auto',
    node: o.node,
    nodeEnv: o.nodeEnv ?? {},
    bundle: o.bundle,
    json: false
  })
}

export async function upSites(opts: UpOptions): Promise<UpResult> {
  const t0 = Date.now()
  const args = toArgs(opts)
  const progress = opts.onProgress ?? (() => undefined)
  const sshMode = resolveSshMode(args.ssh)
  const bundleSrc = resolve(opts.bundle)
  if (!existsSync(bundleSrc)) throw new SimUsageError(`simulator bundle ${bundleSrc} not found`)
  const node = args.node ?? process.execPath
  const account = siteAccount()
  const dir = prepareDir(args.dir)
  const L = dirLayout(dir)

  mkdirSync(L.simDir, { recursive: true, mode: 0o755 })
  copyFileSync(bundleSrc, L.bundle)
  chmodSync(L.bundle, 0o644)
  checkAccountReach(account, dir, node)
  const client = writeEd25519KeyPair(L.clientKey, 'minerdesk-sim')

  const workerCount = workerNames('x', args.workers).length
  const perSite = 3 + workerCount
  const ports = await freePorts(args.sites * perSite)
  const minerIds = newMinerIds(args.sites)
  const nowMs = Date.now()
  const plans: { plan: SitePlan; sshPort: number }[] = []
  for (let i = 1; i <= args.sites; i++) {
    const mine = ports.slice((i - 1) * perSite, i * perSite)
    const name = `site-${i}`
    const scenarios = [...args.scenarios]
    for (const s of args.siteScenarios[name] ?? []) if (!scenarios.includes(s)) scenarios.push(s)
    const plan = planSite({
      dir,
      index: i,
      minerId: minerIds[i - 1] as number,
      speed: args.speed,
      sectors: args.sectors,
      scenarios,
      deadlines: args.deadlines,
      workers: args.workers,
      ports: mine.slice(0, 2 + workerCount),
      node,
      nodeEnv: args.nodeEnv,
      bundle: L.bundle,
      nowMs
    })
    plans.push({ plan, sshPort: mine[perSite - 1] as number })
  }

  const state: SimState = {
    version: 1,
    dir,
    status: 'starting',
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    user: account.user.name,
    ssh: { mode: sshMode, hostPid: sshMode === 'ssh2' ? process.pid : null },
    sshConfigPath: L.sshConfig,
    knownHostsPath: L.knownHosts,
    keyPath: L.clientKey,
    sites: plans.map(({ plan, sshPort }) => ({
      alias: plan.cfg.name,
      siteDir: plan.layout.root,
      sshPort,
      ports: { daemon: plan.cfg.ports.daemon, miner: plan.cfg.ports.miner, workers: Object.fromEntries(plan.cfg.workers.map((w) => [w.name, w.port])) },
      pids: { daemon: null, miner: null, workers: {}, sshd: null }
    }))
  }
  writeSimState(state)

  try {
    const hostKeys: string[] = []
    for (const { plan } of plans) {
      progress({ site: plan.cfg.name, message: `creating ${plan.layout.root} (${plan.cfg.initialSectors} sectors)` })
      hostKeys.push(writeSiteFiles(plan, client.publicLine))
      await initSiteState(plan.cfg)
      chownTree(account, plan.layout.root, ['sshd'])
    }
    writeClientFiles(
      L.sshConfig,
      L.knownHosts,
      L.clientKey,
      plans.map(({ plan, sshPort }, i) => ({
        alias: plan.cfg.name,
        hostName: '127.0.0.1',
        port: sshPort,
        user: account.user.name,
        hostKeyPublicLine: hostKeys[i] as string
      }))
    )
    const t1 = Date.now()
    progress({ message: `${args.sites} site(s) created in ${t1 - t0} ms; starting processes and SSH servers` })

    const [started, ssh] = await Promise.all([
      Promise.all(
        plans.map(({ plan }) =>
          startSiteProcesses(account, plan.layout, plan.cfg, (message) => progress({ site: plan.cfg.name, message }))
        )
      ),
      startSshServers(
        sshMode,
        dir,
        account,
        client.publicLine,
        plans.map(({ plan, sshPort }) => ({ layout: plan.layout, port: sshPort }))
      )
    ])
    state.sites.forEach((s, i) => {
      const procs = started[i]?.procs ?? []
      s.pids = {
        daemon: procs.find((p) => p.role === 'daemon')?.pid ?? null,
        miner: procs.find((p) => p.role === 'miner')?.pid ?? null,
        workers: Object.fromEntries(procs.filter((p) => p.role === 'worker' && p.worker).map((p) => [p.worker as string, p.pid])),
        sshd: ssh.pids[i] ?? null
      }
    })
    state.status = 'running'
    writeSimState(state)
    const t2 = Date.now()
    progress({ message: `${args.sites} site(s) up in ${t2 - t0} ms` })
    return {
      dir,
      sshConfigPath: L.sshConfig,
      knownHostsPath: L.knownHosts,
      keyPath: L.clientKey,
      sshMode,
      user: account.user.name,
      sites: plans.map(({ plan, sshPort }, i) => ({
        alias: plan.cfg.name,
        siteDir: plan.layout.root,
        config: plan.cfg,
        sshPort,
        pids: (state.sites[i] as SiteState).pids
      })),
      timings: { totalMs: t2 - t0, createMs: t1 - t0, startMs: t2 - t1 }
    }
  } catch (err) {
    progress({ message: `start failed, stopping what was started: ${err instanceof Error ? err.message : String(err)}` })
    await downSites(dir, { graceMs: 3000 }).catch(() => undefined)
    writeSimState({ ...state, status: 'failed' })
    throw err
  }
}
