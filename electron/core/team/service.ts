import {
  LOCK_HEARTBEAT_SEC,
  MinerDeskError,
  STALE_LOCK_SEC,
  type AuditEntry,
  type SiteLock,
  type SiteTeamState
} from '../../../preload/contract'
import { AuditLog, type AuditInput, type AuditLogOptions } from '../audit/auditLog'
import type { EventBus } from '../runtime/eventBus'
import type { SitesRuntime } from '../runtime/sitesRuntime'
import type { SettingsStore } from '../settings/store'
import { operatorIdentity, thisMachine } from './identity'
import { readSiteAudit, appendSiteAudit } from './siteAudit'
import { describeLock, lockedError, lockOp, type LockOwner } from './siteLock'
import { logProblem } from '../util/log'

/**
 * Team safety on shared sites: the operator's identity, the restart lock on each site host, the
 * site's own audit log (every audited change mirrored there), and read-only sites. The ops
 * registry and the restart engine ask it before anything changes a site.
 */

/** Changes that must not interleave with a restart (remove, update-state, killw, runworker). */
export const LOCK_GUARDED_ACTIONS: ReadonlySet<string> = new Set(['sector.remove', 'sector.update-state', 'workers.kill', 'workers.start', 'workers.start-c2'])

/** Entries of the site's log kept for the site page (newest first). */
export const RECENT_ENTRIES = 50
/** How often every site's lock and recent actions are read again in the background (app hosts). */
export const WATCH_INTERVAL_MS = 30_000

export interface TeamOptions {
  /** Refuse every change to every site (the `minerdesk exporter` process: monitoring only). */
  readOnlyAll?: boolean
  now?: () => number
}

export class TeamService {
  private readonly states = new Map<string, SiteTeamState>()
  private timer: NodeJS.Timeout | null = null
  private firstTick: NodeJS.Timeout | null = null
  private readonly heartbeats = new Map<string, NodeJS.Timeout>()

  constructor(
    private readonly sites: SitesRuntime,
    private readonly store: SettingsStore,
    private readonly events: EventBus,
    private readonly opts: TeamOptions = {}
  ) {}

  identity(): string {
    return operatorIdentity(this.store.getSettings())
  }

  /** Whether a lock owner or log writer is this very MinerDesk process / this operator. */
  private ownedHere(o: Partial<LockOwner>): boolean {
    return o.machine === thisMachine() && o.pid === process.pid
  }

  private byMe(e: { operator: string; machine: string }): boolean {
    return e.operator === this.identity() && e.machine === thisMachine()
  }

  /* ------------------------------------------------------------ read-only */

  isReadOnly(siteId: string): boolean {
    if (this.opts.readOnlyAll) return true
    return this.sites.ids().includes(siteId) ? this.sites.get(siteId).config.readOnly === true : false
  }

  /** Throws `site/read-only` for a site (or a process) that must not be changed. */
  assertWritable(siteId: string, what: string): void {
    if (!this.isReadOnly(siteId)) return
    throw new MinerDeskError({
      code: 'site/read-only',
      message: this.opts.readOnlyAll ? `${siteId}: ${what} refused: this MinerDesk process only watches sites` : `${siteId}: ${what} refused: the site is read-only in MinerDesk (monitoring only)`,
      hint: this.opts.readOnlyAll ? 'run the change from the app or another minerdesk command' : 'turn off "read-only" in the site settings to change it from here',
      params: { site: siteId }
    })
  }

  /* ------------------------------------------------------------ the lock */

  async lockStatus(siteId: string): Promise<SiteLock | null> {
    const a = await lockOp(this.sites.get(siteId).host, 'status')
    return describeLock(a, (o) => this.ownedHere(o))
  }

  /** Takes the site's restart lock for a run (again, on resume); refuses naming the holder. */
  async acquire(siteId: string, run: string, via: string): Promise<SiteLock> {
    this.assertWritable(siteId, 'a restart')
    const owner: LockOwner = { operator: this.identity(), machine: thisMachine(), pid: process.pid, run, site: siteId, via }
    const a = await lockOp(this.sites.get(siteId).host, 'acquire', run, owner)
    const lock = describeLock(a, (o) => this.ownedHere(o))
    if (a.state !== 'acquired' || !lock) {
      if (lock) throw lockedError(siteId, lock, 'a restart')
      throw new MinerDeskError({ code: 'ssh/command-failed', message: `${siteId}: the restart lock could not be taken` })
    }
    this.startHeartbeat(siteId, run)
    this.publish(siteId, lock)
    return lock
  }

  private startHeartbeat(siteId: string, run: string): void {
    this.stopHeartbeat(run)
    const t = setInterval(() => {
      lockOp(this.sites.get(siteId).host, 'heartbeat', run)
        .then((a) => {
          if (a.state === 'lost') {
            logProblem(`${siteId}: the restart lock of run ${run} was broken by another operator`)
            this.stopHeartbeat(run)
          }
        })
        .catch((err: unknown) => logProblem(`${siteId}: restart lock heartbeat failed`, err instanceof Error ? err.message : err))
    }, LOCK_HEARTBEAT_SEC * 1000)
    t.unref()
    this.heartbeats.set(run, t)
  }

  private stopHeartbeat(run: string): void {
    const t = this.heartbeats.get(run)
    if (t) clearInterval(t)
    this.heartbeats.delete(run)
  }

  /** Lets go of the lock at the end of a run (or its abort). A lock someone broke is left alone. */
  async release(siteId: string, run: string): Promise<void> {
    this.stopHeartbeat(run)
    try {
      await lockOp(this.sites.get(siteId).host, 'release', run)
    } finally {
      this.publish(siteId, null)
    }
  }

  /** Stops refreshing (the process ends): the run stays unfinished, its lock goes stale for others. */
  pause(run: string): void {
    this.stopHeartbeat(run)
  }

  /** Breaks a stale lock, only if it is still the one the operator saw. */
  async breakLock(siteId: string, token: string): Promise<string> {
    const a = await lockOp(this.sites.get(siteId).host, 'break', token, null, STALE_LOCK_SEC)
    if (a.state === 'broken' || a.state === 'free') {
      this.publish(siteId, null)
      return a.state === 'broken' ? 'broken' : 'already free'
    }
    const lock = describeLock(a, (o) => this.ownedHere(o))
    throw new MinerDeskError({
      code: 'mutation/refused',
      message: a.state === 'fresh' ? `${siteId}: the restart lock is alive again (heartbeat ${Math.round((a.now - a.heartbeat))} s ago): not broken` : `${siteId}: another restart took the lock meanwhile: not broken`,
      ...(lock ? { details: `held by ${lock.operator} on ${lock.machine}` } : {})
    })
  }

  /** Refuses a change that must not run during another operator's restart of the site. */
  async checkMutation(siteId: string, action: string): Promise<void> {
    this.assertWritable(siteId, action)
    if (!LOCK_GUARDED_ACTIONS.has(action)) return
    const lock = await this.lockStatus(siteId)
    if (lock && !lock.mine) throw lockedError(siteId, lock, action)
  }

  /* ------------------------------------------------------------ the site's log */

  /** Appends an audit entry to its site's own log (entries of unknown sites stay local). */
  async mirror(e: AuditEntry): Promise<void> {
    if (!this.sites.ids().includes(e.site)) return
    await appendSiteAudit(this.sites.get(e.site).host, e, thisMachine())
  }

  /** The lock and the latest entries of the site's log, read now. */
  async read(siteId: string): Promise<SiteTeamState> {
    const host = this.sites.get(siteId).host
    const now = this.opts.now ?? Date.now
    let state: SiteTeamState
    try {
      const [a, recent] = await Promise.all([lockOp(host, 'status'), readSiteAudit(host, RECENT_ENTRIES, (e) => this.byMe(e))])
      state = { siteId, lock: describeLock(a, (o) => this.ownedHere(o)), recent, readAt: now() }
    } catch (err) {
      const prev = this.states.get(siteId)
      state = { siteId, lock: prev?.lock ?? null, recent: prev?.recent ?? [], readAt: now(), error: err instanceof Error ? err.message : String(err) }
    }
    this.states.set(siteId, state)
    this.events.emit('team:site', state)
    return state
  }

  private publish(siteId: string, lock: SiteLock | null): void {
    const prev = this.states.get(siteId)
    const state: SiteTeamState = { siteId, lock, recent: prev?.recent ?? [], readAt: (this.opts.now ?? Date.now)() }
    this.states.set(siteId, state)
    this.events.emit('team:site', state)
  }

  known(): Record<string, SiteTeamState> {
    const ids = new Set(this.sites.ids())
    return Object.fromEntries([...this.states].filter(([id]) => ids.has(id)))
  }

  /** Reads every connected site's lock and log in the background (the app; the CLI reads on demand). */
  startWatching(): void {
    if (this.timer) return
    const tick = (): void => {
      // A timer that fires while the core closes must not throw out of it (a site just removed).
      try {
        for (const id of this.sites.ids()) {
          const h = this.sites.get(id)
          if (h.host.info.state !== 'connected') continue
          void this.read(id)
        }
      } catch (err) {
        logProblem('reading the sites\' locks and logs failed', err)
      }
    }
    this.timer = setInterval(tick, WATCH_INTERVAL_MS)
    this.timer.unref()
    // The first read once the first polls have connected.
    this.firstTick = setTimeout(tick, 3000)
    this.firstTick.unref()
  }

  close(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.firstTick) clearTimeout(this.firstTick)
    this.timer = null
    this.firstTick = null
    for (const run of [...this.heartbeats.keys()]) this.stopHeartbeat(run)
  }
}

/**
 * The local audit log that also writes each entry to its site's own log. The site's copy is
 * written after the local one and before the change runs (the caller awaits both); when the
 * site cannot take it, the local log says so and the change goes on.
 */
export class MirroredAuditLog extends AuditLog {
  mirror: ((e: AuditEntry) => Promise<void>) | null = null

  constructor(opts: AuditLogOptions) {
    super(opts)
  }

  override async record(input: AuditInput): Promise<AuditEntry> {
    const e = await super.record(input)
    if (this.mirror) {
      await this.mirror(e).catch((err: unknown) => {
        logProblem(`${e.site}: the site's audit log was not written`, err instanceof Error ? err.message : err)
      })
    }
    return e
  }
}
