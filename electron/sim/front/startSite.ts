import { spawn } from 'node:child_process'
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { callRpc, RpcCallError } from '../common/rpcClient'
import { hasScenario, type SimSiteConfig } from '../common/siteConfig'
import { loginBaseEnv, type SiteAccount } from './account'
import type { SiteLayout } from './layout'
import { findSiteProcs, type SiteProc } from './procs'

/**
 * Starts a site the way its operator does (runbook §6), through the site's login environment:
 * `nohup lotus daemon >> daemon.log 2>&1 &`, wait for its API, `./runminer.sh`, wait for the
 * miner's API, `./runworker.sh` and `./runworkerC2.sh`, wait for the workers.
 */

export const API_WAIT_MS = 60_000

/**
 * The command lines that start a site's processes, run in its HOME through the login: what the
 * demo writes into each site's settings, so MinerDesk's restart starts them the same way.
 */
export const SITE_START_COMMANDS = {
  daemon: 'nohup lotus daemon >> daemon.log 2>&1 < /dev/null &',
  miner: './runminer.sh',
  worker: './runworker.sh',
  workerC2: './runworkerC2.sh'
} as const

/** Runs a command line in the site's login environment (login.sh), as the site account. */
export function runInLogin(account: SiteAccount, layout: SiteLayout, command: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', [layout.loginSh], {
      cwd: layout.home,
      env: { ...loginBaseEnv(account), SSH_ORIGINAL_COMMAND: command },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(account.switchTo ?? {})
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${layout.name}: \`${command}\` did not finish within ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    // 'exit', not 'close': a background process may keep an inherited descriptor open.
    child.on('exit', (code) => {
      clearTimeout(timer)
      if (code === 0) resolve(out)
      else reject(new Error(`${layout.name}: \`${command}\` exited with ${code}: ${out.trim()}`))
    })
  })
}

/** Last `bytes` of a log file, for error messages. */
export function logTail(path: string, bytes = 1500): string {
  try {
    const size = statSync(path).size
    const fd = openSync(path, 'r')
    try {
      const len = Math.min(size, bytes)
      const buf = Buffer.alloc(len)
      readSync(fd, buf, 0, len, size - len)
      return buf.toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return '(no log)'
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

interface WaitTarget {
  what: string
  port: number
  path: '/rpc/v0' | '/rpc/v1'
  log: string
  /** Is the process still there? (so a crash fails fast instead of at the timeout) */
  alive: () => boolean
}

/** Polls `Version` until the API answers (with a result or a JSON-RPC error). */
async function waitForApi(site: string, t: WaitTarget, timeoutMs = API_WAIT_MS): Promise<void> {
  const started = Date.now()
  let lastErr = ''
  for (;;) {
    try {
      await callRpc({ host: '127.0.0.1', port: t.port, token: null, path: t.path }, 'Version', [], 2000)
      return
    } catch (err) {
      // A JSON-RPC error is an answer too: the worker API wants admin rights even for Version.
      if (err instanceof RpcCallError) return
      lastErr = err instanceof Error ? err.message : String(err)
    }
    const elapsed = Date.now() - started
    // Give the process a moment to appear before concluding that it died.
    if (elapsed > 1500 && !t.alive()) {
      throw new Error(`${site}: ${t.what} exited before its API answered. Last lines of ${t.log}:\n${logTail(t.log)}`)
    }
    if (elapsed > timeoutMs) {
      throw new Error(`${site}: ${t.what} API on 127.0.0.1:${t.port} did not answer within ${timeoutMs} ms (${lastErr}). Last lines of ${t.log}:\n${logTail(t.log)}`)
    }
    await sleep(elapsed < 2000 ? 25 : 100)
  }
}

export interface StartedSite {
  procs: SiteProc[]
  timings: { daemonMs: number; minerMs: number; workersMs: number }
}

function running(siteDir: string, pick: (p: SiteProc) => boolean): () => boolean {
  return () => findSiteProcs(siteDir).some((p) => p.site === siteDir && pick(p))
}

export type StepReporter = (message: string) => void

export async function startSiteProcesses(account: SiteAccount, layout: SiteLayout, cfg: SimSiteConfig, step: StepReporter = () => undefined): Promise<StartedSite> {
  const t0 = Date.now()
  step(`starting lotus daemon (${SITE_START_COMMANDS.daemon})`)
  await runInLogin(account, layout, SITE_START_COMMANDS.daemon)
  await waitForApi(cfg.name, {
    what: 'lotus daemon',
    port: cfg.ports.daemon,
    path: '/rpc/v1',
    log: join(layout.home, 'daemon.log'),
    alive: running(layout.root, (p) => p.role === 'daemon')
  })
  const t1 = Date.now()
  step(`lotus daemon API answers (${t1 - t0} ms); starting lotus-miner (./runminer.sh)`)
  await runInLogin(account, layout, SITE_START_COMMANDS.miner)
  await waitForApi(cfg.name, {
    what: 'lotus-miner',
    port: cfg.ports.miner,
    path: '/rpc/v0',
    log: join(layout.home, 'miner.log'),
    alive: running(layout.root, (p) => p.role === 'miner')
  })
  const t2 = Date.now()
  step(`lotus-miner API answers (${t2 - t1} ms); starting workers (./runworker.sh, ./runworkerC2.sh)`)
  await Promise.all([runInLogin(account, layout, SITE_START_COMMANDS.worker), runInLogin(account, layout, SITE_START_COMMANDS.workerC2)])
  await Promise.all(
    cfg.workers.map((w) =>
      waitForApi(cfg.name, {
        what: `lotus-worker ${w.name}`,
        port: w.port,
        path: '/rpc/v0',
        log: join(layout.home, `worker-${w.name}.log`),
        alive: running(layout.root, (p) => p.role === 'worker' && p.worker === w.name)
      })
    )
  )
  const t3 = Date.now()
  step(`${cfg.workers.length} worker API(s) answer (${t3 - t2} ms)`)
  if (hasScenario(cfg, 'autopledge')) {
    step('starting autopledge.sh')
    await runInLogin(account, layout, 'nohup ./autopledge.sh >> autopledge.log 2>&1 < /dev/null &')
  }
  return {
    procs: findSiteProcs(layout.root).filter((p) => p.site === layout.root),
    timings: { daemonMs: t1 - t0, minerMs: t2 - t1, workersMs: t3 - t2 }
  }
}
