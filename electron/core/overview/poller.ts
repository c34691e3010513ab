import { DEFAULT_SETTINGS, MinerDeskError, type AppSettings, type Finding, type ProvingCheckState, type SiteConfig, type SiteSnapshot } from '../../../preload/contract'
import { newFindings } from '../health/evaluate'
import type { HealthThresholds, LogFacts } from '../health/facts'
import type { SiteLotus } from '../lotus/siteLotus'
import type { ObservedMemory } from './observed'
import { collectPoll, type CollectMode } from './collect'
import { emptyMemory, type PollMemory, type RawPoll } from './raw'
import { buildSnapshot } from './snapshot'

/**
 * One poller per site: polls every `pollIntervalSec` (the site's, else the global default,
 * re-read each cycle), never two polls at once, `refresh()` on demand (joining a poll already
 * running), and `stop()` that aborts the poll in flight and resolves once it has ended.
 * Every poll yields exactly one snapshot, also when the site cannot be reached.
 */

export interface SitePollerOptions {
  siteId: string
  lotus: SiteLotus
  getSite: () => SiteConfig | null | undefined
  getSettings: () => AppSettings
  now?: () => number
  /** Per-call timeout (ms), default 20 s. */
  callTimeoutMs?: number
  /** 'batch' (default): a few JSON-RPC batches per poll; 'concurrent': every call on its own. */
  mode?: CollectMode
  thresholds?: HealthThresholds
  /** What the health model knows beyond the poll (logs read over SSH, finished proving checks). */
  extras?: () => { logs: LogFacts | null; provingChecks: readonly ProvingCheckState[] }
  /** Where first sightings are kept for every host on the same MINERDESK_HOME (read at the first poll). */
  observed?: ObservedMemory
}

export interface PollStats {
  seq: number
  tookMs: number
  calls: number
  httpRequests: number
  /** JSON-RPC bytes sent and received by the poll. */
  bytes: number
}

type Listener<T> = (v: T) => void

export class SitePoller {
  readonly siteId: string
  private readonly o: SitePollerOptions
  private readonly now: () => number
  private memory: PollMemory = emptyMemory()
  private observedLoaded = false
  private last: SiteSnapshot | null = null
  private lastRaw: RawPoll | null = null
  private seq = 0
  private inflight: Promise<SiteSnapshot> | null = null
  private abort: AbortController | null = null
  private timer: NodeJS.Timeout | null = null
  private started = false
  private stopped = false
  private readonly snapshotListeners = new Set<Listener<SiteSnapshot>>()
  private readonly findingListeners = new Set<Listener<Finding[]>>()
  private readonly errorListeners = new Set<Listener<Error>>()

  constructor(o: SitePollerOptions) {
    this.o = o
    this.siteId = o.siteId
    this.now = o.now ?? Date.now
  }

  /** The latest snapshot (null before the first poll ends). */
  get snapshot(): SiteSnapshot | null {
    return this.last
  }

  /** What the health model remembers between polls (sector digests, receipts, job first-seen times). */
  get healthMemory(): Pick<PollMemory, 'sectors' | 'receipts' | 'jobFirstSeen'> {
    return { sectors: this.memory.sectors, receipts: this.memory.receipts, jobFirstSeen: this.memory.jobFirstSeen }
  }

  get running(): boolean {
    return this.started && !this.stopped
  }

  /** Figures of the last poll. */
  get lastPoll(): PollStats | null {
    if (!this.lastRaw || !this.last) return null
    return { seq: this.last.seq, tookMs: this.last.tookMs, calls: this.lastRaw.calls, httpRequests: this.lastRaw.httpRequests, bytes: this.lastRaw.bytes }
  }

  onSnapshot(l: Listener<SiteSnapshot>): () => void {
    this.snapshotListeners.add(l)
    return () => this.snapshotListeners.delete(l)
  }

  /** Findings (warning or worse) that appeared in the latest snapshot (for notifications). */
  onNewFindings(l: Listener<Finding[]>): () => void {
    this.findingListeners.add(l)
    return () => this.findingListeners.delete(l)
  }

  /** A poll that failed in MinerDesk itself (a bug); polling goes on. */
  onError(l: Listener<Error>): () => void {
    this.errorListeners.add(l)
    return () => this.errorListeners.delete(l)
  }

  intervalMs(): number {
    const site = this.o.getSite()
    const settings = this.o.getSettings()
    return (site?.pollIntervalSec ?? settings.defaultPollIntervalSec ?? DEFAULT_SETTINGS.defaultPollIntervalSec) * 1000
  }

  /** Starts polling now and then every interval. */
  start(): void {
    if (this.started || this.stopped) return
    this.started = true
    this.schedule(0)
  }

  /** A poll now; if one is running, its result. */
  refresh(): Promise<SiteSnapshot> {
    if (this.stopped) return Promise.reject(new MinerDeskError({ code: 'cancelled', message: `polling of ${this.siteId} stopped` }))
    if (this.inflight) return this.inflight
    // Cleared before anyone awaiting the poll resumes, so a refresh() right after gets a new poll.
    const run = this.poll().finally(() => {
      this.inflight = null
      if (this.started && !this.stopped) this.schedule(Math.max(0, this.intervalMs() - (this.last?.tookMs ?? 0)))
    })
    this.inflight = run
    return run
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.abort?.abort()
    await this.inflight?.catch(() => undefined)
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.refresh().catch((err: unknown) => {
        if (!(err instanceof MinerDeskError && err.code === 'cancelled')) this.emitError(err)
      })
    }, delayMs)
    this.timer.unref()
  }

  /** A listener's failure must not fail the poll or the other listeners. */
  private safely(fn: () => void): void {
    try {
      fn()
    } catch (err) {
      this.emitError(err)
    }
  }

  private safelyGet<T>(fn: () => T | null): T | null {
    try {
      return fn()
    } catch (err) {
      this.emitError(err)
      return null
    }
  }

  private emitError(err: unknown): void {
    const e = err instanceof Error ? err : new Error(String(err))
    for (const l of this.errorListeners) l(e)
  }

  private async poll(): Promise<SiteSnapshot> {
    const ac = new AbortController()
    this.abort = ac
    if (!this.observedLoaded) {
      this.observedLoaded = true
      const o = this.safelyGet(() => this.o.observed?.load() ?? null)
      if (o) this.memory = { ...this.memory, messageFirstSeen: { ...o.messageFirstSeen, ...this.memory.messageFirstSeen }, workers: { ...o.workers, ...this.memory.workers } }
    }
    try {
      const raw = await collectPoll(this.o.lotus, {
        memory: this.memory,
        signal: ac.signal,
        timeoutMs: this.o.callTimeoutMs ?? 20_000,
        mode: this.o.mode ?? 'batch',
        // A watched sector whose state did not change is read again every 10 polls.
        sectorRefreshMs: this.intervalMs() * 10,
        now: this.now
      })
      if (this.stopped) throw new MinerDeskError({ code: 'cancelled', message: `polling of ${this.siteId} stopped` })
      const settings = this.o.getSettings()
      const site = this.o.getSite() ?? null
      const prev = this.last
      const { snapshot, memory } = buildSnapshot({
        siteId: this.siteId,
        alias: this.o.lotus.host.alias,
        seq: ++this.seq,
        raw,
        prev,
        memory: this.memory,
        settings,
        site,
        now: this.now(),
        ...(this.o.thresholds ? { thresholds: this.o.thresholds } : {}),
        ...(this.o.extras ? { extras: this.o.extras() } : {})
      })
      this.memory = memory
      this.safely(() => this.o.observed?.save({ messageFirstSeen: memory.messageFirstSeen, workers: memory.workers }))
      this.last = snapshot
      this.lastRaw = raw
      for (const l of this.snapshotListeners) this.safely(() => l(snapshot))
      const fresh = newFindings(prev?.findings ?? [], snapshot.findings)
      if (fresh.length > 0) for (const l of this.findingListeners) this.safely(() => l(fresh))
      return snapshot
    } finally {
      if (this.abort === ac) this.abort = null
    }
  }
}
