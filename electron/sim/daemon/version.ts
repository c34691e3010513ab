import { API_VERSIONS, apiVersionString } from '../../../preload/contract/lotus/types'

/**
 * The build the simulated node claims to be: Lotus's NodeBuildVersion of the reference snapshot,
 * the `+mainnet` build type and a `+git.<commit>` suffix as release builds print it.
 */
export const NODE_BUILD_VERSION = 'v1.36.2-dev'
export const NODE_USER_VERSION = `${NODE_BUILD_VERSION}+mainnet+git.b835fab70`

/** `Version.APIVersion` the daemon reports on each RPC path. */
export function apiVersionFor(path: string): number {
  return path === '/rpc/v0' ? API_VERSIONS.fullV0 : API_VERSIONS.fullV1
}

/** `api.APIVersion.String()`: `<version>+api<semver>`, as `lotus version` prints it. */
export function apiVersionLine(version: string, apiVersion: number): string {
  return `${version}+api${apiVersionString(apiVersion)}`
}

/** Network name of mainnet (`StateNetworkName`), also the pubsub topic suffix. */
export const NETWORK_NAME = 'testnetnet'
export const NETWORK_VERSION = 27
