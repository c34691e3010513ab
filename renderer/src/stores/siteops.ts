import { call } from '@renderer/api'

/** The jobs, workers and chain tabs' calls: reads, and the previews of their changes. */
export const readSchedRequests = call('siteops', 'schedRequests')
export const previewAbort = call('siteops', 'previewAbort')
export const readPeers = call('siteops', 'peers')
export const previewBlockPeer = call('siteops', 'previewBlockPeer')
export const previewMpoolReplace = call('siteops', 'previewMpoolReplace')
export const readWorkerProcesses = call('siteops', 'wps')
export const previewKillWorkers = call('siteops', 'previewKillWorkers')
export const previewRunWorker = call('siteops', 'previewRunWorker')
export const previewUnmarkBad = call('siteops', 'previewUnmarkBad')
export const syncCheckBad = call('siteops', 'syncCheckBad')
export const startProvingCheck = call('siteops', 'provingCheckStart')
