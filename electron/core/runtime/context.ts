import type { AuditLog } from '../audit/auditLog'
import type { HealthInputs } from '../health/inputs'
import type { SettingsStore } from '../settings/store'
import type { ManagedSshPool } from '../ssh/pool'
import type { EventBus } from './eventBus'
import type { OpsRegistry } from './ops'
import type { SitesRuntime } from './sitesRuntime'
import type { TeamService } from '../team/service'

/** What the feature services (overview, restart wizard, triage) are built from. */
export interface ServiceContext {
  home: string
  store: SettingsStore
  sites: SitesRuntime
  audit: AuditLog
  pool: ManagedSshPool
  events: EventBus
  ops: OpsRegistry
  /** What the health model knows beyond the polls (logs read, proving checks). */
  health: HealthInputs
  /** The operator's identity, site locks, the site's own audit log, read-only sites. */
  team: TeamService
}
