import { Counter, Gauge, Registry } from 'prom-client'
import type { SiteConfig, SiteSnapshot } from '../../../preload/contract'
import type { PollStats } from '../overview/poller'
import { FAMILIES, POLL_ERROR_PARTS, SITE_LABELS, type Family, type FamilyName } from './families'
import { failingParts, liveSamples, staticSamples, type Samples } from './samples'

/**
 * The Prometheus text exposition of every site, built with prom-client.
 *
 * A scrape must stay cheap with 100 sites (tens of thousands of series), so each site has its
 * own registry, rendered once when its poll ends, and kept as text per metric family; a scrape
 * joins the families' texts (every family's samples together under one HELP/TYPE, as the format
 * wants) and renders only the few values that depend on the time of the scrape. A scrape never
 * asks a site anything.
 */

type Metric = Gauge<string> | Counter<string>

interface Parsed {
  /** `# HELP …\n# TYPE …\n` per family. */
  headers: Map<string, string>
  /** Sample lines per family (each ending in \n). */
  samples: Map<string, string>
}

/** Splits prom-client's text output into its families. */
export function splitFamilies(text: string): Parsed {
  const headers = new Map<string, string>()
  const samples = new Map<string, string>()
  let name = ''
  let header = ''
  let body = ''
  const flush = (): void => {
    if (!name) return
    headers.set(name, header)
    samples.set(name, body)
  }
  for (const line of text.split('\n')) {
    if (line === '') continue
    if (line.startsWith('# HELP ')) {
      flush()
      name = line.slice(7, line.indexOf(' ', 7) === -1 ? undefined : line.indexOf(' ', 7))
      header = `${line}\n`
      body = ''
    } else if (line.startsWith('# ')) header += `${line}\n`
    else body += `${line}\n`
  }
  flush()
  return { headers, samples }
}

function makeMetric(f: Family, registry: Registry): Metric {
  const labelNames = [...SITE_LABELS, ...f.labels]
  return f.type === 'counter' ? new Counter({ name: f.name, help: f.help, labelNames, registers: [registry] }) : new Gauge({ name: f.name, help: f.help, labelNames, registers: [registry] })
}

/** One site's registry and its last rendering. */
class SiteRegistry {
  private readonly registry = new Registry()
  /** Counters are kept under these labels; a renamed group starts a new registry (a counter reset). */
  readonly labels: string
  private readonly metrics = new Map<string, Metric>()
  text: Parsed = { headers: new Map(), samples: new Map() }

  constructor(site: SiteConfig) {
    this.labels = `${site.id}|${site.group}`
    for (const f of FAMILIES) if (!f.live) this.metrics.set(f.name, makeMetric(f, this.registry))
  }

  async render(site: SiteConfig, snapshot: SiteSnapshot | null, poll: PollStats | null, countPoll: boolean): Promise<void> {
    const base = { site: site.id, group: site.group }
    const values = staticSamples(site, snapshot, poll)
    for (const f of FAMILIES) {
      if (f.live || f.type === 'counter') continue
      const g = this.metrics.get(f.name) as Gauge<string>
      g.reset()
      for (const s of values[f.name] ?? []) g.set({ ...base, ...s.labels }, s.value)
    }
    const polls = this.metrics.get('minerdesk_polls_total') as Counter<string>
    const errors = this.metrics.get('minerdesk_poll_errors_total') as Counter<string>
    if (countPoll && snapshot) {
      polls.inc(base)
      for (const part of failingParts(snapshot)) errors.inc({ ...base, part })
    }
    polls.inc(base, 0)
    for (const part of POLL_ERROR_PARTS) errors.inc({ ...base, part }, 0)
    this.text = splitFamilies(await this.registry.metrics())
  }
}

export interface SiteView {
  config: SiteConfig
  snapshot: SiteSnapshot | null
  poll: PollStats | null
}

export class Exposition {
  private readonly sites = new Map<string, SiteRegistry>()
  private readonly live = new Registry()
  private readonly liveMetrics = new Map<FamilyName, Gauge<string>>()
  private headers = new Map<string, string>()

  constructor() {
    for (const f of FAMILIES) if (f.live) this.liveMetrics.set(f.name, makeMetric(f, this.live) as Gauge<string>)
  }

  get contentType(): string {
    return this.live.contentType
  }

  /** Renders a site's registry again: after its poll (`countPoll`), or after its settings changed. */
  async update(view: SiteView, countPoll: boolean): Promise<void> {
    let r = this.sites.get(view.config.id)
    if (!r || r.labels !== `${view.config.id}|${view.config.group}`) {
      r = new SiteRegistry(view.config)
      this.sites.set(view.config.id, r)
    }
    await r.render(view.config, view.snapshot, view.poll, countPoll)
    if (this.headers.size === 0) this.headers = r.text.headers
  }

  drop(siteId: string): void {
    this.sites.delete(siteId)
  }

  has(siteId: string): boolean {
    return this.sites.has(siteId)
  }

  /** The whole exposition: `sites` in the order given (those never rendered are skipped). */
  async render(sites: readonly SiteView[], now: number): Promise<string> {
    for (const g of this.liveMetrics.values()) g.reset()
    for (const v of sites) {
      const values: Samples = liveSamples(v.snapshot, now)
      const base = { site: v.config.id, group: v.config.group }
      for (const [name, list] of Object.entries(values)) {
        const g = this.liveMetrics.get(name as FamilyName)
        for (const s of list ?? []) g?.set({ ...base, ...s.labels }, s.value)
      }
    }
    const liveText = splitFamilies(await this.live.metrics())
    const rendered = sites.map((v) => this.sites.get(v.config.id)).filter((r): r is SiteRegistry => r !== undefined)
    const parts: string[] = []
    for (const f of FAMILIES) {
      if (f.live) {
        const body = liveText.samples.get(f.name) ?? ''
        if (body) parts.push(liveText.headers.get(f.name) ?? '', body)
        continue
      }
      const bodies: string[] = []
      for (const r of rendered) {
        const b = r.text.samples.get(f.name)
        if (b) bodies.push(b)
      }
      if (bodies.length === 0) continue
      parts.push(this.headers.get(f.name) ?? '', ...bodies)
    }
    return parts.join('')
  }
}
