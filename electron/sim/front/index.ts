/**
 * The simulator front's programmatic API, for the app's embedded demo and the test harness:
 *
 *   const r = await upSites({ dir, sites: 3, bundle, node: process.execPath,
 *                             nodeEnv: { ELECTRON_RUN_AS_NODE: '1' }, onProgress })
 *   … r.sshConfigPath, r.sites …
 *   await downSites(r.dir)
 *
 * Inside Electron pass the app's own binary with ELECTRON_RUN_AS_NODE=1 and out/main/sim.js.
 * `attachSites(dir)` returns the same information for sites a previous run left running.
 * With the in-process ssh2 server (no usable sshd), the SSH servers live in the calling process
 * until `downSites(dir)` is called from it.
 */
export { upSites, type UpOptions, type UpProgress, type UpResult, type UpSite } from './up'
export { downSites, type DownOptions, type DownResult, type StoppedProc } from './down'
export { attachSites } from './attach'
export { SITE_START_COMMANDS } from './startSite'
export { siteStatus, formatStatus, type DirStatus, type SiteStatus } from './status'
export { setScenarios } from './scenario'
export { SimUsageError } from './errors'
export { readSimState, type SimState, type SiteState } from './state'
