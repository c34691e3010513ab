import { readdirSync, readFileSync } from 'node:fs'
import { SITE_ENV } from '../common/siteConfig'

/**
 * The processes of simulated sites, found the way `down` must find them: every simulated
 * process (and everything started from an SSH session of a site) carries MDSIM_SITE in its
 * environment, whoever started it and whenever.
 */
export type ProcRole = 'daemon' | 'miner' | 'worker' | 'sshd' | 'other'

export interface SiteProc {
  pid: number
  /** MDSIM_SITE of the process. */
  site: string
  /** /proc/<pid>/cmdline joined with spaces (the process title for the Lotus programs). */
  cmdline: string
  role: ProcRole
  /** Worker name (`--name`) for workers. */
  worker?: string
}

function readEnv(pid: number): Map<string, string> | null {
  try {
    const raw = readFileSync(`/proc/${pid}/environ`, 'latin1')
    const env = new Map<string, string>()
    for (const kv of raw.split('\0')) {
      const i = kv.indexOf('=')
      if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1))
    }
    return env
  } catch {
    return null
  }
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((s) => s !== '').join(' ').trim()
  } catch {
    return ''
  }
}

/** Process state letter from /proc/<pid>/stat (`Z` for zombies), or null when gone. */
export function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || null
  } catch {
    return null
  }
}

/** A live (non-zombie) process. */
export function pidAlive(pid: number): boolean {
  const s = procState(pid)
  return s !== null && s !== 'Z' && s !== 'X'
}

export function parentPid(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ppid = Number(fields[1])
    return Number.isInteger(ppid) ? ppid : null
  } catch {
    return null
  }
}

/** This process and its ancestors: never stopped by `down`, even inside a site's session. */
export function selfAndAncestors(): Set<number> {
  const out = new Set<number>()
  let pid: number | null = process.pid
  while (pid !== null && pid > 0 && !out.has(pid)) {
    out.add(pid)
    pid = parentPid(pid)
  }
  return out
}

/** What a process is, from its title/argv (`lotus daemon`, `lotus-miner run`, `lotus-worker run --name X`). */
export function classify(cmdline: string): { role: ProcRole; worker?: string } {
  const argv = cmdline.split(/\s+/)
  const at = argv.findIndex((a) => a === 'lotus' || a === 'lotus-miner' || a === 'lotus-worker')
  if (at >= 0) {
    const prog = argv[at]
    const sub = argv[at + 1]
    if (prog === 'lotus' && sub === 'daemon' && argv[at + 2] !== 'stop') return { role: 'daemon' }
    if (prog === 'lotus-miner' && sub === 'run') return { role: 'miner' }
    if (prog === 'lotus-worker' && sub === 'run') {
      const n = argv.indexOf('--name', at)
      const inline = argv.find((a) => a.startsWith('--name='))
      const worker = n >= 0 ? argv[n + 1] : inline?.slice('--name='.length)
      return worker ? { role: 'worker', worker } : { role: 'worker' }
    }
  }
  if (/(^|\/|\s)sshd(:|\s|$)/.test(cmdline)) return { role: 'sshd' }
  return { role: 'other' }
}

/** The site of an sshd started for it: `sshd … -f <site>/sshd/sshd_config …`. */
export function sshdSite(cmdline: string): string | null {
  const m = /sshd\b.* -f (\S+)\/sshd\/sshd_config(\s|$)/.exec(cmdline)
  return m?.[1] ?? null
}

/** True when `site` (an MDSIM_SITE value) is `dir` or inside it. */
export function siteUnder(site: string, dir: string): boolean {
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir
  return site === d || site.startsWith(`${d}/`)
}

/** Live processes whose MDSIM_SITE lies under `dir`, except this process and its ancestors. */
export function findSiteProcs(dir: string): SiteProc[] {
  const skip = selfAndAncestors()
  const out: SiteProc[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return out
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue
    const pid = Number(name)
    if (skip.has(pid)) continue
    const env = readEnv(pid)
    if (env === null) continue
    let site = env.get(SITE_ENV)
    let cmdline: string | null = null
    if (!site) {
      // sshd's setproctitle overwrites its environ block: know a site's sshd by its config path.
      cmdline = readCmdline(pid)
      site = sshdSite(cmdline) ?? undefined
    }
    if (!site || !siteUnder(site, dir)) continue
    if (!pidAlive(pid)) continue
    cmdline ??= readCmdline(pid)
    out.push({ pid, site, cmdline, ...classify(cmdline) })
  }
  return out.sort((a, b) => a.pid - b.pid)
}
