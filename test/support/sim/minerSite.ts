import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ChainClock, EPOCH_SECONDS, genesisFor, provingDeadline, WPOST_PROVING_PERIOD } from '../../../electron/sim/common/clock'
import { callRpc } from '../../../electron/sim/common/rpcClient'
import type { Scenario, SimSiteConfig, WorkerSpec } from '../../../electron/sim/common/siteConfig'
import { freePort } from '../../../electron/common/ports'
import { seededInt } from '../../../electron/sim/daemon/ids'
import { initChainState } from '../../../electron/sim/daemon/init'
import { newBlsAddress, newPeerId, newSecpAddress } from '../../../electron/sim/front/identity'
import { initMinerState, type OnChainFacts } from '../../../electron/sim/miner/init'

/**
 * A throw-away simulated site for the miner's integration tests: sim.json written from a
 * SimSiteConfig, repos created by the real init functions (initMinerState, initChainState), and
 * the site's programs run as real processes of the bundle (`node out/node/sim.cjs lotus-miner …`)
 * with the environment the site's shims and login script give them.
 */

export interface TestSite {
  cfg: SimSiteConfig
  onChain: OnChainFacts
  dir: string
  bundle: string
  env: NodeJS.ProcessEnv
  /** Starts a long-running program; output goes to `<home>/<logName>`. */
  start(program: string, args: string[], logName: string, extraEnv?: NodeJS.ProcessEnv): SiteProcess
  /** Runs a short command and returns its exit code and output. */
  run(program: string, args: string[], extraEnv?: NodeJS.ProcessEnv): { code: number; stdout: string; stderr: string }
  /** Same, without blocking the event loop (needed while this process serves something). */
  runAsync(program: string, args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }>
  stopAll(): Promise<void>
}

export interface SiteProcess {
  proc: ChildProcess
  log: string
  /** Resolves when the process's log has a line matching `re` (after `from` bytes). */
  waitFor(re: RegExp, timeoutMs?: number, from?: number): Promise<string>
  logSize(): number
  exited(): Promise<number | null>
}

const MAINNET_GENESIS = 1598306400
const REPO_ROOT = resolve(__dirname, '../../..')

/**
 * The simulator bundle (rebuilt when its sources changed), copied into `dir` so that other
 * builds running meanwhile cannot swap it under the test's processes.
 */
export async function prepareBundle(dir: string): Promise<string> {
  const mod = (await import(pathToFileURL(join(REPO_ROOT, 'electron/tools/bundle.mjs')).href)) as { ensureBundle(name: string): Promise<string> }
  const built = await mod.ensureBundle('sim')
  mkdirSync(dir, { recursive: true })
  const copy = join(dir, 'sim.cjs')
  copyFileSync(built, copy)
  return copy
}

export interface TestSiteOptions {
  dir: string
  bundle: string
  speed: number
  sectors: number
  scenarios?: Scenario[]
  kinds?: WorkerSpec['kind'][]
  minerId?: number
  /**
   * Deadlines of the initial sectors; 'far' = the deadline half a proving period from now;
   * `{ after: N }` = the deadline opening N deadlines from now (N × 60 epochs).
   */
  sectorDeadlines?: number[] | 'far' | { after: number }
}

export async function createTestSite(o: TestSiteOptions): Promise<TestSite> {
  const root = join(o.dir, 'site-1')
  const home = join(root, 'home')
  const store = join(root, 'storage', 'store-1')
  for (const d of [home, store, join(home, 'tmp')]) mkdirSync(d, { recursive: true })
  const workers: WorkerSpec[] = []
  for (const kind of o.kinds ?? ['pc1', 'pc2', 'c2']) {
    const name = `site-1-${kind}`
    workers.push({ name, kind, port: await freePort(), repo: join(home, `.lotusworker-${name}`) })
  }
  const nowMs = Date.now()
  const cfg: SimSiteConfig = {
    version: 1,
    name: 'site-1',
    index: 1,
    root,
    home,
    minerId: o.minerId ?? 1000 + Math.floor(Math.random() * 50000),
    sectorSize: 34359738368,
    sealProof: 8,
    speed: o.speed,
    genesisTime: genesisFor(Math.floor((nowMs / 1000 - MAINNET_GENESIS) / EPOCH_SECONDS), o.speed, nowMs),
    scenarios: o.scenarios ?? [],
    initialSectors: o.sectors,
    ports: { daemon: await freePort(), miner: await freePort() },
    workers,
    storePaths: [store],
    wallets: { owner: newBlsAddress(), worker: newBlsAddress(), control: [newSecpAddress()] },
    peerId: newPeerId(),
    node: process.execPath,
    bundle: o.bundle
  }
  if (o.sectorDeadlines === 'far' || (o.sectorDeadlines && !Array.isArray(o.sectorDeadlines))) {
    // The chain's proving period offset for this miner (daemon/init.ts), so the initial sectors'
    // deadline is nowhere near open while the site starts.
    const after = o.sectorDeadlines === 'far' ? 24 : o.sectorDeadlines.after
    const di = provingDeadline(ChainClock.of(cfg).epochAt(nowMs), seededInt(`period:${cfg.minerId}`) % WPOST_PROVING_PERIOD)
    cfg.sectorDeadlines = [(di.Index + after) % 48]
  } else if (o.sectorDeadlines) cfg.sectorDeadlines = o.sectorDeadlines
  writeFileSync(join(root, 'sim.json'), JSON.stringify(cfg, null, 2))
  const onChain = initMinerState(cfg)
  initChainState(cfg, onChain)
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MDSIM_SITE: root,
    HOME: home,
    LOTUS_PATH: join(home, '.lotus'),
    LOTUS_MINER_PATH: join(home, '.lotusminer')
  }
  for (const k of ['FULLNODE_API_INFO', 'MINER_API_INFO', 'WORKER_API_INFO', 'LOTUS_WORKER_PATH', 'GOLOG_LOG_FMT']) delete env[k]
  const procs: ChildProcess[] = []

  const start = (program: string, args: string[], logName: string, extraEnv: NodeJS.ProcessEnv = {}): SiteProcess => {
    const log = join(home, logName)
    const out = createWriteStream(log, { flags: 'a' })
    const proc = spawn(process.execPath, [o.bundle, program, ...args], { cwd: home, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] })
    proc.stdout?.pipe(out, { end: false })
    proc.stderr?.pipe(out, { end: false })
    procs.push(proc)
    // Resolved once everything the process printed is in its log file ('close' comes after its
    // output ended; the file stream then writes what it still holds).
    const exit = new Promise<number | null>((r) => proc.once('close', (code) => out.end(() => r(code))))
    const logSize = () => (existsSync(log) ? readFileSync(log).length : 0)
    return {
      proc,
      log,
      logSize,
      exited: () => exit,
      waitFor: async (re, timeoutMs = 60_000, from = 0) => {
        const t0 = Date.now()
        for (;;) {
          const text = existsSync(log) ? readFileSync(log, 'utf8').slice(from) : ''
          const m = text.split('\n').find((l) => re.test(l))
          if (m) return m
          if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${re} in ${log}:\n${text.slice(-3000)}`)
          await new Promise((r) => setTimeout(r, 100))
        }
      }
    }
  }

  const run = (program: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [o.bundle, program, ...args], { cwd: home, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 120_000 })
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
  }

  const runAsync = (program: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [o.bundle, program, ...args], { cwd: home, env: { ...env, ...extraEnv } })
      let stdout = ''
      let stderr = ''
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    })

  const stopAll = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((r) => {
            if (p.exitCode !== null || p.signalCode !== null) return r()
            const t = setTimeout(() => p.kill('SIGKILL'), 5000)
            p.once('exit', () => {
              clearTimeout(t)
              r()
            })
            p.kill('SIGINT')
          })
      )
    )
  }

  return { cfg, onChain, dir: o.dir, bundle: o.bundle, env, start, run, runAsync, stopAll }
}

/** Calls the miner's JSON-RPC API (admin token unless given). */
export function minerRpc<T>(site: TestSite, method: string, params: unknown[] = [], token?: string | null): Promise<T> {
  const t = token === undefined ? readFileSync(join(site.cfg.home, '.lotusminer', 'token'), 'utf8').trim() : token
  return callRpc<T>({ host: '127.0.0.1', port: site.cfg.ports.miner, token: t, path: '/rpc/v0' }, method, params)
}

export interface Booted {
  daemon: SiteProcess
  miner: SiteProcess
  workers: Map<string, SiteProcess>
}

/** Starts the daemon, the miner and the workers, each once it can: like `npm run sim -- up`. */
export async function bootSite(site: TestSite, opts: { workers?: boolean } = {}): Promise<Booted> {
  const daemon = site.start('lotus', ['daemon'], 'daemon.log')
  const apiFile = join(site.cfg.home, '.lotus', 'api')
  const t0 = Date.now()
  while (!existsSync(apiFile)) {
    if (Date.now() - t0 > 30_000) throw new Error(`daemon did not start:\n${readFileSync(daemon.log, 'utf8')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const miner = site.start('lotus-miner', ['run'], 'miner.log')
  await miner.waitFor(/Remote version/, 60_000)
  const workers = new Map<string, SiteProcess>()
  if (opts.workers !== false) {
    for (const w of site.cfg.workers) workers.set(w.name, site.start('lotus-worker', workerArgs(w), `worker-${w.name}.log`, workerEnv(site, w)))
    for (const p of workers.values()) await p.waitFor(/Worker registered successfully/, 30_000)
  }
  return { daemon, miner, workers }
}

/** Environment of a worker started like runworker.sh does (MINER_API_INFO from `auth api-info`). */
export function workerEnv(site: TestSite, w: WorkerSpec): NodeJS.ProcessEnv {
  const info = site.run('lotus-miner', ['auth', 'api-info', '--perm', 'admin'])
  if (info.code !== 0) throw new Error(`auth api-info failed: ${info.stderr}`)
  const [k, v] = info.stdout.trim().split(/=(.*)/s) as [string, string]
  return { [k]: v, LOTUS_WORKER_PATH: w.repo }
}

/** `lotus-worker run` arguments of a worker kind, as the site's runworker scripts pass them. */
export function workerArgs(w: WorkerSpec): string[] {
  const on = { pc1: ['addpiece', 'precommit1'], pc2: ['precommit2'], c2: ['commit'] }[w.kind]
  const all = ['addpiece', 'precommit1', 'unseal', 'precommit2', 'commit', 'replica-update', 'prove-replica-update2', 'regen-sector-key']
  return ['run', '--name', w.name, '--listen', `127.0.0.1:${w.port}`, ...all.map((t) => `--${t}=${on.includes(t) ? 'true' : 'false'}`)]
}
