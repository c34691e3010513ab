import {
  MinerDeskError,
  type AppSettings,
  type ConnectionInfo,
  type OverviewState,
  type SiteConfig,
  type SiteSnapshot
} from '../../../preload/contract'
import type { HealthInputs } from '../health/inputs'
import { SiteLotus } from '../lotus/siteLotus'
import { observedFor } from '../overview/observed'
import { SitePoller } from '../overview/poller'
import type { ManagedSshPool } from '../ssh/pool'
import type { SshHost } from '../ssh/types'
import type { EventBus } from './eventBus'
import { logProblem } from '../util/log'

/** Where the runtime gets its sites: the settings store, or a fixed list (the CLI over an SSH config). */
export interface SiteSource {
  listSites(): SiteConfig[]
  getSite(id: string): SiteConfig | undefined
  getSettings(): AppSettings
  onSitesChanged(listener: (sites: SiteConfig[]) => void): () => void
}

/** What every feature needs to reach one site. */
export interface SiteHandle {
  readonly config: SiteConfig
  readonly host: SshHost
  readonly lotus: SiteLotus
  readonly poller: SitePoller
}

interface Entry {
  alias: string
  host: SshHost
  lotus: SiteLotus
  poller: SitePoller
  unsubscribe: Array<() => void>
}

/**
 * The live side of the configured sites: one SiteLotus and one poller per site, over the one
 * pooled SSH connection of its alias. Follows the settings store (sites added, removed, alias
 * changes) and republishes connection states, snapshots and new findings as events.
 */
export class SitesRuntime {
  private readonly entries = new Map<string, Entry>()
  private readonly connections = new Map<string, ConnectionInfo>()
  private readonly stopSettings: () => void
  private polling = false

  constructor(
    private readonly store: SiteSource,
    private readonly pool: ManagedSshPool,
    private readonly events: EventBus,
    /** `home`: MINERDESK_HOME, where what pollers saw over time is shared with the other hosts. */
    private readonly opts: { poll: boolean; health?: HealthInputs; home?: string }
  ) {
    this.stopSettings = store.onSitesChanged(() => this.sync())
    this.sync()
  }

  /** Starts every poller (the app); the CLI polls on demand instead. */
  startPolling(): void {
    this.polling = true
    for (const e of this.entries.values()) e.poller.start()
  }

  get(siteId: string): SiteHandle {
    const e = this.entries.get(siteId)
    const config = this.store.getSite(siteId)
    if (!e || !config) throw new MinerDeskError({ code: 'not-found', message: `no site "${siteId}" (see minerdesk sites)` })
    return { config, host: e.host, lotus: e.lotus, poller: e.poller }
  }

  /** Every site's handle, in the operator's order (one read of the settings for all). */
  handles(): SiteHandle[] {
    const out: SiteHandle[] = []
    for (const config of this.store.listSites()) {
      const e = this.entries.get(config.id)
      if (e) out.push({ config, host: e.host, lotus: e.lotus, poller: e.poller })
    }
    return out
  }

  ids(): string[] {
    return this.store.listSites().map((s) => s.id)
  }

  /** The SshHost of any alias (worker and storage hosts), shared with the sites. */
  hostFor(alias: string, siteId: string): SshHost {
    return this.pool.host(alias, siteId)
  }

  overview(): OverviewState {
    const snapshots: Record<string, SiteSnapshot> = {}
    const connections: Record<string, ConnectionInfo> = {}
    for (const [id, e] of this.entries) {
      if (e.poller.snapshot) snapshots[id] = e.poller.snapshot
      connections[id] = this.connections.get(id) ?? { ...e.host.info, siteId: id }
    }
    return { snapshots, connections }
  }

  async refresh(siteId: string | null): Promise<void> {
    const ids = siteId === null ? [...this.entries.keys()] : [siteId]
    await Promise.all(
      ids.map(async (id) => {
        const e = this.entries.get(id)
        if (!e) throw new MinerDeskError({ code: 'not-found', message: `no site "${id}"` })
        await e.poller.refresh()
      })
    )
  }

  /** Re-reads the SSH config for every host (the operator chose another file). */
  setSshConfigPath(path: string): void {
    this.pool.setConfigPath(path)
  }

  private sync(): void {
    const sites = this.store.listSites()
    const wanted = new Map(sites.map((s) => [s.id, s]))
    for (const [id, e] of this.entries) {
      const s = wanted.get(id)
      if (!s || s.alias !== e.alias) void this.drop(id)
    }
    for (const s of sites) if (!this.entries.has(s.id)) this.create(s)
  }

  private create(site: SiteConfig): void {
    const host = this.pool.host(site.alias, site.id)
    const lotus = new SiteLotus({ host })
    const poller = new SitePoller({
      siteId: site.id,
      lotus,
      getSite: () => this.store.getSite(site.id),
      getSettings: () => this.store.getSettings(),
      ...(this.opts.home ? { observed: observedFor(this.opts.home, site.id) } : {}),
      ...(this.opts.health ? { extras: () => this.opts.health!.extras(site.id) } : {})
    })
    const entry: Entry = { alias: site.alias, host, lotus, poller, unsubscribe: [] }
    entry.unsubscribe.push(
      host.onState((info) => {
        // One alias may serve several sites; each site sees the state under its own id.
        const mine = { ...info, siteId: site.id }
        this.connections.set(site.id, mine)
        this.events.emit('ssh:connection', mine)
      }),
      poller.onSnapshot((snap) => this.events.emit('overview:snapshot', snap)),
      poller.onNewFindings((findings) => {
        if (findings.length > 0) this.events.emit('findings:new', findings)
      }),
      poller.onError((err) => logProblem(`polling ${site.id} failed`, err))
    )
    this.entries.set(site.id, entry)
    if (this.polling && this.opts.poll) poller.start()
  }

  private async drop(id: string): Promise<void> {
    const e = this.entries.get(id)
    if (!e) return
    this.entries.delete(id)
    this.connections.delete(id)
    for (const u of e.unsubscribe) u()
    await e.poller.stop()
    await e.lotus.close()
  }

  async close(): Promise<void> {
    this.stopSettings()
    await Promise.all([...this.entries.keys()].map((id) => this.drop(id)))
  }
}
