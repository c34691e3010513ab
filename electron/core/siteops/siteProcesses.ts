import { MinerDeskError, toErrorInfo, type HostProcesses, type SiteProcess, type WpsResult } from '../../../preload/contract'
import { parseApiAddress, parseApiInfo } from '../lotus/apiInfo'
import type { Discovery } from '../lotus/discover'
import { listProcesses, lotusRole, repoOf, type RemoteProcess } from '../remote/processes'
import type { SshHost } from '../ssh/types'

/**
 * wps.sh: the Lotus processes of ONE site whose command line contains a flag, on the site host
 * and its worker hosts. Several sites can share a host and even a login, so a process counts as
 * the site's only when it provably is:
 * - `lotus daemon` / `lotus-miner run` on the site host: its repo is the site's repo (as the
 *   endpoints were discovered);
 * - `lotus-worker run` anywhere: its MINER_API_INFO points at the site's miner API port (every
 *   worker needs MINER_API_INFO); when the miner is down and its port unknown, a worker running
 *   under the same HOME as the login on that host.
 * Processes whose environment cannot be read (another user) are never the site's. Other
 * programs (the listing itself, `lotus-miner sealing jobs` …) are not worker processes.
 */

export interface SiteIdentity {
  /** SSH alias of the site host. */
  alias: string
  daemonRepo: string | null
  minerRepo: string | null
  /** Port of the miner API (null when the miner is down and its endpoint unknown). */
  minerPort: number | null
}

export function siteIdentity(alias: string, d: Discovery): SiteIdentity {
  return {
    alias,
    daemonRepo: d.daemon.ok ? d.daemon.endpoint.repoPath : null,
    minerRepo: d.miner.ok ? d.miner.endpoint.repoPath : null,
    minerPort: d.miner.ok ? d.miner.endpoint.port : null
  }
}

/** The port a worker dials its miner on, from its MINER_API_INFO (deprecated STORAGE_API_INFO), or null. */
export function workerMinerPort(p: RemoteProcess): number | null {
  const info = p.env?.MINER_API_INFO ?? p.env?.STORAGE_API_INFO
  if (!info) return null
  try {
    return parseApiAddress(parseApiInfo(info.split(',')[0] ?? '').addr).port
  } catch {
    return null
  }
}

/** `--name X` / `--name=X` of a worker, else LOTUS_WORKER_NAME (Lotus's default is the hostname). */
export function workerName(p: RemoteProcess): string | null {
  const a = p.argv
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--name') return a[i + 1] ?? null
    if (a[i]?.startsWith('--name=')) return a[i]!.slice('--name='.length)
  }
  return p.env?.LOTUS_WORKER_NAME ?? null
}

export function belongsToSite(p: RemoteProcess, host: string, site: SiteIdentity): boolean {
  const role = lotusRole(p)
  if (role === null || p.env === null || p.state === 'Z') return false
  if (role === 'daemon' || role === 'miner') {
    const repo = role === 'daemon' ? site.daemonRepo : site.minerRepo
    return host === site.alias && repo !== null && repoOf(p, role) === repo
  }
  if (site.minerPort !== null) return workerMinerPort(p) === site.minerPort
  return (p.env.HOME ?? '') === p.loginHome && p.loginHome !== ''
}

export function toSiteProcess(host: string, p: RemoteProcess): SiteProcess {
  const role = lotusRole(p)
  return { host, pid: p.pid, ppid: p.ppid, state: p.state, startedAt: p.startedAt, role, argv: p.argv, workerName: role === 'worker' ? workerName(p) : null }
}

/** One host's matching processes, split into the site's and the number left out. */
export function pickSiteProcesses(all: readonly RemoteProcess[], host: string, site: SiteIdentity): { mine: RemoteProcess[]; others: number } {
  const lotus = all.filter((p) => lotusRole(p) !== null && p.state !== 'Z')
  const mine = lotus.filter((p) => belongsToSite(p, host, site))
  return { mine, others: lotus.length - mine.length }
}

export interface HostHandle {
  alias: string
  host: SshHost
}

/** Lists every host at once; a host that fails is reported with its error, the others still count. */
export async function findSiteProcesses(siteId: string, flag: string, hosts: readonly HostHandle[], site: SiteIdentity, signal?: AbortSignal): Promise<WpsResult> {
  const per = await Promise.all(
    hosts.map(async ({ alias, host }): Promise<HostProcesses> => {
      try {
        const all = await listProcesses(host, { match: flag, ...(signal ? { signal } : {}) })
        const { mine, others } = pickSiteProcesses(all, alias, site)
        return { host: alias, processes: mine.map((p) => toSiteProcess(alias, p)).sort((a, b) => a.pid - b.pid), othersSkipped: others }
      } catch (err) {
        return { host: alias, error: toErrorInfo(err), processes: [], othersSkipped: 0 }
      }
    })
  )
  return { siteId, flag, hosts: per, matchedBy: site.minerPort !== null ? 'miner-api' : 'home' }
}

/** The same process still: same PID and start time (a PID can be reused after an exit). */
export function sameProcess(a: Pick<SiteProcess, 'pid' | 'startedAt'>, b: Pick<RemoteProcess, 'pid' | 'startedAt'>): boolean {
  return a.pid === b.pid && Math.abs(a.startedAt - b.startedAt) < 20
}

export function requireSomeHost(result: WpsResult): void {
  if (result.hosts.every((h) => h.error)) {
    const first = result.hosts[0]?.error
    throw new MinerDeskError(first ?? { code: 'ssh/unreachable', message: 'no host of the site could be listed' })
  }
}
