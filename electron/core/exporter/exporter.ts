import { MinerDeskError, parseListen, toErrorInfo, type ErrorInfo, type ExporterStatus, type SiteConfig } from '../../../preload/contract'
import type { EventBus } from '../runtime/eventBus'
import type { SitesRuntime } from '../runtime/sitesRuntime'
import { Exposition, type SiteView } from './exposition'
import { startMetricsServer, type MetricsServer } from './server'
import { logProblem } from '../util/log'

/**
 * The exporter over the live sites: it follows the pollers' snapshots (the one poll loop of the
 * app or of `minerdesk exporter`), renders each site when its poll ends, and serves the latest
 * state on scrape. A scrape adds no load on the sites.
 */
export class MetricsExporter {
  private readonly exposition = new Exposition()
  /** Renders of one site run one after another, so an older poll never overwrites a newer one. */
  private readonly chains = new Map<string, Promise<void>>()
  private readonly stop: Array<() => void> = []
  private server: MetricsServer | null = null
  private listen: string | null = null
  private error: ErrorInfo | null = null
  private scrapes = 0
  private enabled = false
  private serving: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly sites: SitesRuntime,
    private readonly events: EventBus,
    private readonly now: () => number = Date.now
  ) {
    this.stop.push(
      events.on('overview:snapshot', (snap) => this.queue(snap.siteId, true)),
      events.on('sites:changed', (list) => this.follow(list))
    )
    this.follow(this.configs())
  }

  private configs(): SiteConfig[] {
    return this.sites.ids().flatMap((id) => {
      try {
        return [this.sites.get(id).config]
      } catch {
        return []
      }
    })
  }

  private view(id: string): SiteView | null {
    try {
      const h = this.sites.get(id)
      return { config: h.config, snapshot: h.poller.snapshot, poll: h.poller.lastPoll }
    } catch {
      return null
    }
  }

  /** Sites added, removed or edited (a new group or name): render them again. */
  private follow(list: readonly SiteConfig[]): void {
    const ids = new Set(list.map((s) => s.id))
    for (const id of [...this.chains.keys()]) {
      if (!ids.has(id)) {
        this.chains.delete(id)
        this.exposition.drop(id)
      }
    }
    for (const s of list) this.queue(s.id, false)
  }

  private queue(id: string, countPoll: boolean): void {
    const prev = this.chains.get(id) ?? Promise.resolve()
    const next = prev.then(async () => {
      const v = this.view(id)
      if (v) await this.exposition.update(v, countPoll)
    })
    const settled = next.catch((err: unknown) => logProblem(`exporter: rendering ${id} failed`, err))
    this.chains.set(id, settled)
  }

  /** Waits until every render queued so far has finished (tests, benches). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()])
  }

  /** The exposition now. */
  async scrape(): Promise<string> {
    const views: SiteView[] = this.sites.handles().map((h) => ({ config: h.config, snapshot: h.poller.snapshot, poll: h.poller.lastPoll }))
    const text = await this.exposition.render(views, this.now())
    this.scrapes++
    return text
  }

  get contentType(): string {
    return this.exposition.contentType
  }

  status(): ExporterStatus {
    return { enabled: this.enabled, listen: this.listen ?? '', url: this.server?.url ?? null, error: this.error, scrapes: this.scrapes }
  }

  /**
   * Serves on `listen` (HOST:PORT), replacing a server on another address; `null` stops serving.
   * A failure to listen is kept in the status (the app shows it) and thrown.
   */
  serve(listen: string | null): Promise<ExporterStatus> {
    // One change at a time: a second settings change waits for the first server to close or bind.
    const run = this.serving.catch(() => undefined).then(() => this.switchTo(listen))
    this.serving = run
    return run
  }

  private async switchTo(listen: string | null): Promise<ExporterStatus> {
    if (listen !== null && this.server && this.listen === listen) return this.status()
    await this.server?.close()
    this.server = null
    this.error = null
    this.enabled = listen !== null
    this.listen = listen
    if (listen !== null) {
      const address = parseListen(listen)
      try {
        if (!address) throw new MinerDeskError({ code: 'invalid-input', message: `not HOST:PORT: ${listen}`, hint: 'for example 127.0.0.1:9720' })
        this.server = await startMetricsServer(address, { contentType: this.contentType, render: () => this.scrape() })
      } catch (err) {
        this.error = toErrorInfo(err)
        this.events.emit('exporter:status', this.status())
        throw err
      }
    }
    this.events.emit('exporter:status', this.status())
    return this.status()
  }

  async close(): Promise<void> {
    for (const s of this.stop) s()
    await this.serving.catch(() => undefined)
    await this.server?.close()
    this.server = null
  }
}
