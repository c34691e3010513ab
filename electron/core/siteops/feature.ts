import type { siteopsChannels } from '../../../preload/contract/siteops'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { previewAbort, schedRequests } from './abort'
import { previewKillWorkers, wps } from './killWorkers'
import { previewMpoolReplace } from './mpoolReplace'
import { listPeers, previewBlockPeer } from './peers'
import { ProvingChecks } from './provingCheck'
import { previewRunWorker } from './runWorker'
import { previewUnmarkBad, syncCheckBad } from './syncBad'

/**
 * Jobs, workers and their processes, proving checks, chain and messages as a core
 * feature. Every change is a preview (ops.ts) that `ops:execute` runs once, audited; reads and
 * the proving check run directly. Arguments arrive validated by the contract's schemas.
 */
export interface SiteOpsFeature extends Feature<keyof typeof siteopsChannels> {
  readonly provingChecks: ProvingChecks
}

export function createSiteOpsFeature(ctx: ServiceContext): SiteOpsFeature {
  const checks = new ProvingChecks(ctx)
  return {
    provingChecks: checks,
    handlers: {
      'siteops:previewAbort': async ([site, input]) => previewAbort(ctx, site, input),
      'siteops:schedRequests': async ([site]) => schedRequests(ctx, site),
      'siteops:wps': async ([site, flag]) => wps(ctx, site, flag),
      'siteops:previewKillWorkers': async ([site, flag]) => previewKillWorkers(ctx, site, flag),
      'siteops:previewRunWorker': async ([site, input]) => previewRunWorker(ctx, site, input),
      'siteops:provingCheckStart': async ([site, deadline]) => checks.start(site, deadline),
      'siteops:provingCheckCancel': async ([id]) => {
        checks.cancel(id)
        return null
      },
      'siteops:provingCheckGet': async ([id]) => checks.get(id),
      'siteops:provingChecks': async ([site]) => checks.list(site),
      'siteops:peers': async ([site]) => listPeers(ctx, site),
      'siteops:previewBlockPeer': async ([site, peer]) => previewBlockPeer(ctx, site, peer),
      'siteops:previewMpoolReplace': async ([site, input]) => previewMpoolReplace(ctx, site, input),
      'siteops:syncCheckBad': async ([site, cid]) => syncCheckBad(ctx, site, cid),
      'siteops:previewUnmarkBad': async ([site, cid]) => previewUnmarkBad(ctx, site, cid)
    },
    async close() {
      checks.close()
    }
  }
}
