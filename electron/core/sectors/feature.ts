import type { sectorsChannels } from '../../../preload/contract/sectors'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { previewPledge, previewRemove, previewUpdateState } from './actions'
import { Autopledge } from './autopledge'
import { previewClear } from './clear'
import { findFiles, sectorFiles, storageFind } from './files'
import { sectorDetail } from './sectorDetail'
import { sectorTable } from './sectorTable'

/** Sectors: list, sector page, diagnosis, files and sector actions as a core feature. */
export function createSectorsFeature(ctx: ServiceContext): Feature<keyof typeof sectorsChannels> & { autopledge: Autopledge } {
  const autopledge = new Autopledge(ctx)
  return {
    autopledge,
    handlers: {
      'sectors:list': async ([site]) => sectorTable(ctx, site),
      'sectors:status': async ([site, n]) => sectorDetail(ctx, site, n),
      'sectors:files': async ([site, n]) => sectorFiles(ctx, site, n),
      'sectors:storageFind': async ([site, n]) => storageFind(ctx, site, n),
      'sectors:findFiles': async ([site, pattern]) => findFiles(ctx, site, pattern),
      'sectors:previewUpdateState': async ([site, sectors, state, override]) => previewUpdateState(ctx, site, sectors, state, override),
      'sectors:previewRemove': async ([site, sectors]) => previewRemove(ctx, site, sectors),
      'sectors:previewPledge': async ([site]) => previewPledge(ctx, site),
      'sectors:previewClear': async ([site, n, port]) => previewClear(ctx, site, n, port),
      'sectors:previewAutopledge': async ([site, cfg]) => autopledge.preview(site, cfg),
      'sectors:autopledgeStatus': async ([site]) => {
        if (site !== null) ctx.sites.get(site)
        return autopledge.status(site)
      },
      'sectors:stopAutopledge': async ([site]) => autopledge.stop(site, 'operator')
    },
    async start() {
      await autopledge.recoverAfterRestart()
    },
    async close() {
      await autopledge.close()
    }
  }
}
