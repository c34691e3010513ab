import type { triageChannels } from '../../../preload/contract/triage'
import type { ServiceContext } from '../services/context'
import type { Feature } from '../services/feature'

/** Sectors: list, sector page, diagnosis, files and sector actions (issue #5) as a core feature. */
export function createTriageFeature(_ctx: ServiceContext): Feature<keyof typeof triageChannels> {
  return { handlers: {} }
}
