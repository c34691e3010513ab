import type { wizardChannels } from '../../../preload/contract/wizard'
import type { ServiceContext } from '../services/context'
import type { Feature } from '../services/feature'

/** The restart wizard (issue #4) as a core feature. */
export function createWizardFeature(_ctx: ServiceContext): Feature<keyof typeof wizardChannels> {
  return { handlers: {} }
}
