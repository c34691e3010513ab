import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { readSiteConfig, type Scenario } from '../common/siteConfig'
import { resolveSimDir } from './down'
import { findSiteProcs, pidAlive, type SiteProc } from './procs'
import { readSimState } from './state'

/** `status`: which processes run per site right now (from /proc, not from what `up` recorded). */
export interface SiteStatus {
  alias: string
  siteDir: string
  sshPort: number | null
  scenarios: Scenario[]
  daemon: number | null
  miner: number | null
  workers: { name: string; pid: number | null }[]
  sshd: number[]
  /** Anything else running in the site's environment (SSH sessions, their children). */
  other: { pid: number; cmdline: string }[]
}

export interface DirStatus {
  dir: string
  sshMode: 'openssh' | 'ssh2' | null
  /** Foreground `up` (or app) process serving the ssh2 servers, when alive. */
  ssh2Host: number | null
  sites: SiteStatus[]
}

export function siteStatus(dir: string): DirStatus {
  const real = resolveSimDir(dir)
  const state = readSimState(real)
  const procs = findSiteProcs(real)
  const siteDirs = readdirSync(real)
    .filter((n) => /^site-\d+$/.test(n) && existsSync(join(real, n, 'sim.json')))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))
  const sites = siteDirs.map((name): SiteStatus => {
    const root = join(real, name)
    const cfg = readSiteConfig(root)
    const mine = procs.filter((p) => p.site === root)
    const pidOf = (pick: (p: SiteProc) => boolean): number | null => mine.find(pick)?.pid ?? null
    return {
      alias: name,
      siteDir: root,
      sshPort: state?.sites.find((s) => s.siteDir === root)?.sshPort ?? null,
      scenarios: cfg.scenarios,
      daemon: pidOf((p) => p.role === 'daemon'),
      miner: pidOf((p) => p.role === 'miner'),
      workers: cfg.workers.map((w) => ({ name: w.name, pid: pidOf((p) => p.role === 'worker' && p.worker === w.name) })),
      sshd: mine.filter((p) => p.role === 'sshd').map((p) => p.pid),
      other: mine.filter((p) => p.role === 'other').map((p) => ({ pid: p.pid, cmdline: p.cmdline }))
    }
  })
  const host = state?.ssh.mode === 'ssh2' ? state.ssh.hostPid : null
  return { dir: real, sshMode: state?.ssh.mode ?? null, ssh2Host: host !== null && pidAlive(host) ? host : null, sites }
}

function cell(pid: number | null): string {
  return pid === null ? 'stopped' : `running (${pid})`
}

export function formatStatus(s: DirStatus): string {
  const lines = [`Simulated sites in ${s.dir}` + (s.sshMode ? ` (SSH: ${s.sshMode === 'openssh' ? 'OpenSSH sshd' : `in-process ssh2${s.ssh2Host ? `, pid ${s.ssh2Host}` : ', not running'}`})` : '')]
  for (const site of s.sites) {
    const ssh = s.sshMode === 'ssh2' ? (s.ssh2Host ? `ssh2 (${s.ssh2Host})` : 'stopped') : site.sshd.length > 0 ? `running (${site.sshd[0]})` : 'stopped'
    lines.push(`${site.alias}  ssh 127.0.0.1:${site.sshPort ?? '?'} ${ssh}`)
    lines.push(`  lotus daemon     ${cell(site.daemon)}`)
    lines.push(`  lotus-miner run  ${cell(site.miner)}`)
    for (const w of site.workers) lines.push(`  lotus-worker ${w.name.padEnd(Math.max(0, 16 - 13))} ${cell(w.pid)}`)
    if (site.scenarios.length > 0) lines.push(`  scenarios: ${site.scenarios.join(', ')}`)
    if (site.other.length > 0) lines.push(`  other: ${site.other.map((o) => `${o.pid} ${o.cmdline.slice(0, 60)}`).join('; ')}`)
  }
  return lines.join('\n')
}
