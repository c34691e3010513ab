import { existsSync, readdirSync, realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { SimUsageError } from './errors'
import { dirLayout } from './layout'
import { findSiteProcs, pidAlive, type SiteProc } from './procs'
import { closeInProcessSsh } from './sshFront'
import { readSimState, writeSimState } from './state'

/**
 * `down`: stops every process of the sites under DIR — what `up` started and whatever was
 * started since through SSH (found by MDSIM_SITE in /proc/<pid>/environ) — by PID: SIGTERM,
 * a grace period, then SIGKILL. Idempotent.
 */
export interface StoppedProc {
  pid: number
  site: string
  what: string
  /** True when SIGTERM was not enough. */
  killed: boolean
}

export interface DownResult {
  dir: string
  stopped: StoppedProc[]
  /** The in-process or foreground ssh2 server that was closed, if any. */
  ssh2Host: 'in-process' | number | null
}

export interface DownOptions {
  /** Grace period per stage before SIGKILL. */
  graceMs?: number
  onProgress?: (message: string) => void
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

function describe(p: SiteProc): string {
  if (p.role === 'daemon') return 'lotus daemon'
  if (p.role === 'miner') return 'lotus-miner run'
  if (p.role === 'worker') return `lotus-worker run --name ${p.worker ?? '?'}`
  if (p.role === 'sshd') return 'sshd'
  return p.cmdline.slice(0, 80) || '(process)'
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // Already gone.
  }
}

/** TERM, wait up to graceMs, KILL the rest, wait until they are gone. */
async function stopProcs(procs: SiteProc[], graceMs: number): Promise<StoppedProc[]> {
  for (const p of procs) signal(p.pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  let left = procs.filter((p) => pidAlive(p.pid))
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50)
    left = left.filter((p) => pidAlive(p.pid))
  }
  const killed = new Set(left.map((p) => p.pid))
  for (const p of left) signal(p.pid, 'SIGKILL')
  const killDeadline = Date.now() + 5000
  while (left.length > 0 && Date.now() < killDeadline) {
    await sleep(25)
    left = left.filter((p) => pidAlive(p.pid))
  }
  return procs.map((p) => ({ pid: p.pid, site: p.site, what: describe(p), killed: killed.has(p.pid) }))
}

/** Resolves DIR and refuses one that holds no simulated sites. */
export function resolveSimDir(dir: string): string {
  const abs = resolve(dir)
  if (!existsSync(abs)) throw new SimUsageError(`${abs} does not exist`)
  const real = realpathSync(abs)
  const hasSites = readSimState(real) !== null || readdirSync(real).some((n) => /^site-\d+$/.test(n) && existsSync(`${real}/${n}/sim.json`))
  if (!hasSites) throw new SimUsageError(`${real} holds no simulated sites (no ${dirLayout(real).state})`)
  return real
}

export async function downSites(dir: string, opts: DownOptions = {}): Promise<DownResult> {
  const real = resolveSimDir(dir)
  const graceMs = opts.graceMs ?? 8000
  const state = readSimState(real)
  let ssh2Host: DownResult['ssh2Host'] = null
  if (await closeInProcessSsh(real)) ssh2Host = 'in-process'
  const hostPid = state?.ssh.mode === 'ssh2' ? state.ssh.hostPid : null
  if (ssh2Host === null && hostPid && hostPid !== process.pid && pidAlive(hostPid)) {
    opts.onProgress?.(`stopping the ssh2 server process ${hostPid}`)
    await stopProcs([{ pid: hostPid, site: real, cmdline: '', role: 'sshd' }], graceMs)
    ssh2Host = hostPid
  }
  // Sessions, workers and the miner first; daemons last (as the runbook's restart order stops them).
  const stopped: StoppedProc[] = []
  const first = findSiteProcs(real).filter((p) => p.role !== 'daemon')
  if (first.length > 0) {
    opts.onProgress?.(`stopping ${first.length} process(es): SSH servers, sessions, workers, miners`)
    stopped.push(...(await stopProcs(first, graceMs)))
  }
  // Then the daemons, and anything a dying session managed to start meanwhile.
  for (let round = 0; round < 3; round++) {
    const rest = findSiteProcs(real)
    if (rest.length === 0) break
    opts.onProgress?.(`stopping ${rest.length} process(es): ${rest.map(describe).join(', ')}`)
    stopped.push(...(await stopProcs(rest, graceMs)))
  }
  if (state && state.status !== 'stopped') writeSimState({ ...state, status: 'stopped' })
  return { dir: real, stopped, ssh2Host }
}
