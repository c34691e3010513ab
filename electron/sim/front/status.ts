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
  return pid === null ? 'stopped' : `running (pid ${pid})`
}

export function formatStatus(s: DirStatus): string {
  const how = s.sshMode === 'openssh' ? 'OpenSSH sshd' : s.sshMode === 'ssh2' ? `in-process ssh2, ${s.ssh2Host ? `pid ${s.ssh2Host}` : 'not running'}` : 'unknown'
  const lines = [`Simulated sites in ${s.dir} (SSH: ${how})`]
  for (const site of s.sites) {
    const sshPid = s.sshMode === 'ssh2' ? s.ssh2Host : (site.sshd[0] ?? null)
    const rows: [string, string][] = [
      [`ssh 127.0.0.1:${site.sshPort ?? '?'}`, cell(sshPid)],
      ['lotus daemon', cell(site.daemon)],
      ['lotus-miner run', cell(site.miner)],
      ...site.workers.map((w): [string, string] => [`lotus-worker ${w.name}`, cell(w.pid)])
    ]
    const width = Math.max(...rows.map(([label]) => label.length))
    lines.push(`${site.alias}${site.scenarios.length > 0 ? `  (scenarios: ${site.scenarios.join(', ')})` : ''}`)
    for (const [label, value] of rows) lines.push(`  ${label.padEnd(width)}  ${value}`)
    for (const o of site.other) lines.push(`  ${'other'.padEnd(width)}  pid ${o.pid}: ${o.cmdline.slice(0, 80)}`)
  }
  return lines.join('\n')
}
