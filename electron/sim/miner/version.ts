import { API_VERSIONS, apiVersionString } from '../../../preload/contract/lotus/types'

/**
 * What the simulated `lotus-miner` / `lotus-worker` claim to be: Lotus's MinerBuildVersion of the
 * reference snapshot with the `+mainnet` build type and a `+git.<commit>` suffix (build/version.go).
 */
export const MINER_BUILD_VERSION = 'v1.36.2-dev'
export const MINER_USER_VERSION = `${MINER_BUILD_VERSION}+mainnet+git.b835fab70`

/** `api.APIVersion.String()` as `Remote version …` and `version` print it: `<version>+api1.5.0`. */
export function versionLine(version: string, apiVersion: number): string {
  return `${version}+api${apiVersionString(apiVersion)}`
}

export const MINER_API_VERSION = API_VERSIONS.miner
export const WORKER_API_VERSION = API_VERSIONS.worker
export const FULL_V1_API_VERSION = API_VERSIONS.fullV1
