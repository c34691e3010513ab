import type { siteopsChannels } from '../../../preload/contract/siteops'
import type { ServiceContext } from '../services/context'
import type { Feature } from '../services/feature'

/** Jobs, workers and their processes, proving checks, chain and messages (issue #5) as a core feature. */
export function createSiteOpsFeature(_ctx: ServiceContext): Feature<keyof typeof siteopsChannels> {
  return { handlers: {} }
}
