import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { freePort } from '../../../electron/common/ports'
import { genesisFor } from '../../../electron/sim/common/clock'
import type { Scenario, SimSiteConfig } from '../../../electron/sim/common/siteConfig'
import { keyAddress, peerIdFrom } from '../../../electron/sim/daemon/ids'
import { initChainState } from '../../../electron/sim/daemon/init'

/**
 * Test support for the daemon's integration tests: a site directory made from a SimSiteConfig
 * and initChainState (no SSH, no miner), real `node out/node/sim.cjs lotus …` processes with
 * the site's HOME / LOTUS_PATH / MDSIM_SITE, and JSON-RPC calls over HTTP.
 */

export const ROOT = resolve(__dirname, '..', '..', '..')
export const BUNDLE = join(ROOT, 'out', 'node', 'sim.cjs')

/** Builds the simulator bundle (`node electron/tools/bundle.mjs sim`). */
export function buildBundle(): void {
  execFileSync(process.execPath, [join(ROOT, 'electron', 'tools', 'bundle.mjs'), 'sim'], { cwd: ROOT, stdio: 'pipe' })
}

export interface TestSite {
  dir: string
  cfg: SimSiteConfig
  repo: string
  port: number
  env: NodeJS.ProcessEnv
  daemon: ChildProcess | null
  /** Sector numbers the chain was told are active. */
  active: number
}

export interface SiteOptions {
  sectors?: number
  speed?: number
  scenarios?: Scenario[]
  deadlines?: number[]
  /** Precommitted (sector, epochs before now) pairs. */
  precommitted?: number
}

const MAINNET_GENESIS = 1598306400

export async function makeSite(opts: SiteOptions = {}): Promise<TestSite> {
  const dir = mkdtempSync(join(tmpdir(), 'md-chain-'))
  const home = join(dir, 'home')
  mkdirSync(home, { recursive: true })
  const speed = opts.speed ?? 120
  const port = await freePort()
  const now = Date.now()
  const sectors = opts.sectors ?? 1000
  const cfg: SimSiteConfig = {
    version: 1,
    name: 'site-1',
    index: 1,
    root: dir,
    home,
    minerId: 1_000_000 + Math.floor(Math.random() * 2_000_000),
    sectorSize: 34359738368,
    sealProof: 8,
    speed,
    genesisTime: genesisFor(Math.floor((now / 1000 - MAINNET_GENESIS) / 30), speed, now),
    scenarios: opts.scenarios ?? [],
    initialSectors: sectors,
    ports: { daemon: port, miner: await freePort() },
    workers: [],
    storePaths: [join(dir, 'store')],
    wallets: { owner: keyAddress(3, `owner:${dir}`), worker: keyAddress(3, `worker:${dir}`), control: [keyAddress(1, `control:${dir}`)] },
    peerId: peerIdFrom(`daemon:${dir}`),
    node: process.execPath,
    bundle: BUNDLE
  }
  if (opts.deadlines) cfg.sectorDeadlines = opts.deadlines
  writeFileSync(join(dir, 'sim.json'), JSON.stringify(cfg, null, 2))
  const pipeline = opts.precommitted ?? 0
  const active = Math.max(0, sectors - pipeline)
  const head = Math.floor((now / 1000 - cfg.genesisTime) / (30 / speed))
  initChainState(cfg, {
    active: Array.from({ length: active }, (_, i) => i),
    precommitted: Array.from({ length: pipeline }, (_, i) => ({ sector: active + i, epoch: head - 10 - i }))
  })
  const repo = join(home, '.lotus')
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, LOTUS_PATH: repo, MDSIM_SITE: dir }
  delete env.FULLNODE_API_INFO
  return { dir, cfg, repo, port, env, daemon: null, active }
}

export function token(site: TestSite): string {
  return readFileSync(join(site.repo, 'token'), 'utf8').trim()
}

export interface RpcReply<T> {
  status: number
  body: string
  result?: T
  error?: { code: number; message: string }
}

/** One JSON-RPC request (or a batch when `body` is given) to the site's daemon. */
export function rpcRaw<T>(site: TestSite, method: string, params: unknown[], opts: { token?: string | null; path?: string; body?: string } = {}): Promise<RpcReply<T>> {
  const body = opts.body ?? JSON.stringify({ jsonrpc: '2.0', id: 1, method: `Filecoin.${method}`, params })
  const tok = opts.token === undefined ? token(site) : opts.token
  return new Promise((resolvePromise, reject) => {
    const headers: Record<string, string | number> = { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }
    if (tok !== null) headers.Authorization = `Bearer ${tok}`
    const req = request({ host: '127.0.0.1', port: site.port, path: opts.path ?? '/rpc/v1', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: { result?: T; error?: { code: number; message: string } } = {}
        try {
          parsed = text ? (JSON.parse(text) as typeof parsed) : {}
        } catch {
          // not JSON (401, 404)
        }
        resolvePromise({ status: res.statusCode ?? 0, body: text, result: parsed.result, error: parsed.error })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

export async function rpc<T>(site: TestSite, method: string, params: unknown[] = [], opts: { token?: string | null; path?: string } = {}): Promise<T> {
  const r = await rpcRaw<T>(site, method, params, opts)
  if (r.error) throw new Error(`${method}: ${r.error.message}`)
  if (r.status !== 200) throw new Error(`${method}: HTTP ${r.status}`)
  return r.result as T
}

export function httpGet(site: TestSite, path: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: '127.0.0.1', port: site.port, path, method: 'GET' }, (res) => {
      res.resume()
      res.on('end', () => resolvePromise(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs
  let lastErr: unknown = null
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      lastErr = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** `nohup lotus daemon >> daemon.log 2>&1 &`, then waits until the API answers. */
export async function startDaemon(site: TestSite, args: string[] = []): Promise<ChildProcess> {
  const log = openSync(join(site.cfg.home, 'daemon.log'), 'a')
  const child = spawn(process.execPath, [BUNDLE, 'lotus', 'daemon', ...args], { env: site.env, cwd: site.cfg.home, stdio: ['ignore', log, log], detached: true })
  closeSync(log)
  site.daemon = child
  await waitFor('daemon API', async () => existsSync(join(site.repo, 'api')) && (await rpc(site, 'Version')) !== null, 15_000)
  return child
}

export function daemonLog(site: TestSite): string {
  const p = join(site.cfg.home, 'daemon.log')
  return existsSync(p) ? readFileSync(p, 'utf8') : ''
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode)
  return new Promise((r) => child.once('exit', (code) => r(code)))
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `lotus <args…>` as the site's shim would. */
export function lotus(site: TestSite, args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BUNDLE, 'lotus', ...args], { env: { ...site.env, ...opts.env }, cwd: site.cfg.home })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })
}

/** Stops the daemon cleanly (SIGTERM) and waits for it to exit. */
export async function stopDaemon(site: TestSite): Promise<number | null> {
  const d = site.daemon
  if (!d) return 0
  if (d.exitCode === null && d.signalCode === null) d.kill('SIGTERM')
  const code = await exited(d)
  site.daemon = null
  return code
}

export async function removeSite(site: TestSite): Promise<void> {
  if (site.daemon && site.daemon.exitCode === null) {
    site.daemon.kill('SIGKILL')
    await exited(site.daemon)
  }
  rmSync(site.dir, { recursive: true, force: true })
}

/** Epoch length of the site in milliseconds. */
export function epochMs(site: TestSite): number {
  return (30 / site.cfg.speed) * 1000
}
