import { existsSync, realpathSync } from 'node:fs'
import { readSiteConfig } from '../common/siteConfig'
import { findSiteProcs, pidAlive } from './procs'
import { hasInProcessSsh } from './sshFront'
import { readSimState } from './state'
import type { UpResult } from './up'

/**
 * The sites a previous `up` left running in DIR, when all of them still run (daemon, miner and
 * an SSH server each): lets the app reuse its demo sites across restarts instead of recreating
 * them. Null when anything is missing — then `downSites` + `upSites` start afresh.
 */
export function attachSites(dir: string): UpResult | null {
  if (!existsSync(dir)) return null
  const real = realpathSync(dir)
  const state = readSimState(real)
  if (!state || state.status !== 'running') return null
  if (state.ssh.mode === 'ssh2') {
    // In-process servers die with their process: usable if they are ours, or their host lives.
    const host = state.ssh.hostPid
    const serving = host === process.pid ? hasInProcessSsh(real) : host !== null && pidAlive(host)
    if (!serving) return null
  }
  const procs = findSiteProcs(real)
  const sites: UpResult['sites'] = []
  for (const s of state.sites) {
    const mine = procs.filter((p) => p.site === s.siteDir)
    const daemon = mine.find((p) => p.role === 'daemon')
    const miner = mine.find((p) => p.role === 'miner')
    const sshd = mine.find((p) => p.role === 'sshd')
    if (!daemon || !miner || (state.ssh.mode === 'openssh' && !sshd)) return null
    sites.push({
      alias: s.alias,
      siteDir: s.siteDir,
      config: readSiteConfig(s.siteDir),
      sshPort: s.sshPort,
      pids: {
        daemon: daemon.pid,
        miner: miner.pid,
        workers: Object.fromEntries(mine.filter((p) => p.role === 'worker' && p.worker).map((p) => [p.worker as string, p.pid])),
        sshd: sshd?.pid ?? null
      }
    })
  }
  return {
    dir: real,
    sshConfigPath: state.sshConfigPath,
    knownHostsPath: state.knownHostsPath,
    keyPath: state.keyPath,
    sshMode: state.ssh.mode,
    user: state.user,
    sites,
    timings: { totalMs: 0, createMs: 0, startMs: 0 }
  }
}
