import type { ComponentType } from 'react'
import type { SiteConfig, SiteSnapshot } from '@contract'
import type { SiteTab } from '@renderer/stores/navigation'
import { ChainTab } from './chain/ChainTab'
import { JobsTab } from './jobs/JobsTab'
import { PipelineTab } from './pipeline/PipelineTab'
import { ProvingTab } from './proving/ProvingTab'
import { SectorsTab } from './sectors/SectorsTab'
import { WorkersTab } from './workers/WorkersTab'
import { RestartTab } from './restart/RestartTab'

export interface SiteTabProps {
  snapshot: SiteSnapshot
  site: SiteConfig
}

/** The panel of each site tab; a later screen registers itself here and in SITE_TABS. */
export const SITE_TAB_PANELS: Record<SiteTab, ComponentType<SiteTabProps>> = {
  chain: ChainTab,
  pipeline: PipelineTab,
  sectors: SectorsTab,
  jobs: JobsTab,
  workers: WorkersTab,
  proving: ProvingTab,
  restart: RestartTab
}
