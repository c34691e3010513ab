import type { ErrorInfo } from '../../../preload/contract'
import { apiVersionString, type VersionInfo } from '../../../preload/contract/lotus/types'

/**
 * The oldest Lotus APIs MinerDesk talks to.
 *
 * Miner: API 1.5.0 (66816), the version current lotus-miner reports and whose method shapes
 * preload/contract/lotus/types.ts describes (WorkerJobs with Hostname, WorkerStats with Enabled and
 * TaskCounts, SectorsSummary, SealingRemoveRequest). Older miners lack some of these or shape
 * them differently, and mutating them blind is not safe.
 *
 * Daemon: the v1 API's major version must be 2 (Lotus's own v1 clients check major.minor;
 * MinerDesk only uses methods that exist throughout 2.x, so any 2.x minor is accepted).
 */
export const MIN_MINER_API = (1 << 16) | (5 << 8) | 0
export const DAEMON_API_MAJOR = 2

export function apiMajor(v: number): number {
  return (v >> 16) & 0xff
}

/** null when both are new enough, else a `lotus/version-too-old` error naming both versions. */
export function checkVersions(daemon: VersionInfo | null, miner: VersionInfo | null, alias: string): ErrorInfo | null {
  return versionProblem(daemon, miner, alias)?.error ?? null
}

/** Like checkVersions, also saying which node is the problem. */
export function versionProblem(daemon: VersionInfo | null, miner: VersionInfo | null, alias: string): { node: 'daemon' | 'miner'; error: ErrorInfo } | null {
  const params: Record<string, string | number> = {
    alias,
    minMiner: apiVersionString(MIN_MINER_API),
    daemonMajor: DAEMON_API_MAJOR
  }
  if (daemon) {
    params['daemonVersion'] = daemon.Version
    params['daemonApi'] = apiVersionString(daemon.APIVersion)
  }
  if (miner) {
    params['minerVersion'] = miner.Version
    params['minerApi'] = apiVersionString(miner.APIVersion)
  }
  const both = `lotus-miner ${miner?.Version ?? '?'} (API ${miner ? apiVersionString(miner.APIVersion) : '?'}), daemon ${daemon?.Version ?? '?'} (API ${daemon ? apiVersionString(daemon.APIVersion) : '?'})`
  if (miner && miner.APIVersion < MIN_MINER_API) {
    const error: ErrorInfo = {
      code: 'lotus/version-too-old',
      message: `lotus-miner on ${alias} is too old: miner API ${apiVersionString(miner.APIVersion)} < ${apiVersionString(MIN_MINER_API)} (${both})`,
      hint: 'upgrade Lotus on this site',
      params
    }
    return { node: 'miner', error }
  }
  if (daemon && apiMajor(daemon.APIVersion) !== DAEMON_API_MAJOR) {
    const error: ErrorInfo = {
      code: 'lotus/version-too-old',
      message: `the daemon on ${alias} speaks v1 API ${apiVersionString(daemon.APIVersion)}, MinerDesk needs ${DAEMON_API_MAJOR}.x (${both})`,
      hint: apiMajor(daemon.APIVersion) < DAEMON_API_MAJOR ? 'upgrade Lotus on this site' : 'this Lotus is newer than MinerDesk knows; upgrade MinerDesk',
      params
    }
    return { node: 'daemon', error }
  }
  return null
}
