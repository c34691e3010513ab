/**
 * The Lotus client (plain Node): API info parsing, endpoint discovery over SSH, JSON-RPC over
 * forwarded SSH streams, typed daemon and miner APIs, bitfields, and SiteLotus that ties them
 * together per site. Test doubles live in ./testing and are not exported.
 */
export { parseApiInfo, parseApiInfoMulti, parseApiAddress, parseMultiaddr, parseApiUrl, parseRepoApiFile, parseRepoTokenFile, formatHostPort, ApiAddressError, type ApiInfo, type ApiAddress } from './apiInfo'
export { discoverEndpoints, discoverCommand, parseDiscoverOutput, resolveEndpoint, resolveDiscovery, describeEndpoint, displayPath, DISCOVER_SCRIPT, type Discovery, type DiscoverFacts, type EndpointResult, type LotusEndpoint, type NodeKind } from './discover'
export { ApiToken, sameToken } from './token'
export { RpcClient, toInfo, type CallOptions, type RpcCall, type RpcClientOptions, type RpcStats, type RpcTarget } from './rpc'
export { FullNodeApi, fullCalls } from './fullApi'
export { MinerApi, minerCalls } from './minerApi'
export { runBatch, runSpec, spec, type BatchResults, type CallSpec, type RpcTransport } from './shapes'
export * as bitfield from './bitfield'
export { SiteLotus, type SiteLotusOptions, type SiteLotusStats, type VersionCheck } from './siteLotus'
export { checkVersions, versionProblem, MIN_MINER_API, DAEMON_API_MAJOR } from './versions'
