import type { ActiveSync, TipSet } from '../../../preload/contract/lotus/types'
import type { ChainClock } from '../common/clock'
import type { GoLogger } from '../common/golog'
import { formatGoDuration } from './goDuration'
import { chainCid } from './ids'
import { cidList } from './tipsets'

/**
 * Lotus's sync manager (chain/sync_manager.go) as the operator sees it: after the daemon starts
 * and peers connect it selects an initial sync target and spawns sync workers; each worker
 * walks headers down from the target to the base (Stage 1, Height falling), persists them
 * (Stage 2), then validates tipsets up from the base (Stage 3, Height rising — our head advances
 * and the actor's cron runs for every epoch) and completes (Stage 4). Once caught up, every new
 * tipset gets its own short-lived worker. The last three finished workers stay visible.
 */

export const STAGE = { Idle: 0, Headers: 1, PersistHeaders: 2, Messages: 3, Complete: 4, Error: 5, FetchingMessages: 6 } as const

interface WorkerState {
  id: number
  base: number
  target: number
  stage: number
  height: number
  start: number
  end: number
}

export interface SyncHost {
  head(): number
  applyEpoch(epoch: number): void
  tipset(epoch: number): TipSet
  /** Peers are connected and heads are known (Lotus waits for BootstrapPeerThreshold). */
  peersReady(): boolean
  /** Messages validated by the VM, for SyncState.VMApplied. */
  messagesIn(epoch: number): number
}

const HISTORY = 3

/** Sub-millisecond parts of a worker's start and end times (Go clocks have nanoseconds). */
const startSub = (id: number) => (id * 7919 * 13 + 17) % 1_000_000
const endSub = (id: number) => (id * 104_729 + 3) % 1_000_000
const ZERO_TIME = '0001-01-01T00:00:00Z'

/**
 * time.Time as Go marshals it (RFC 3339 with up to nanoseconds, trailing zeros dropped, local
 * zone); `subNs` adds the nanoseconds below the millisecond.
 */
export function goTime(ms: number, subNs = 0): string {
  if (!ms) return ZERO_TIME
  const d = new Date(ms)
  const off = -d.getTimezoneOffset()
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0')
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  const frac = (String(d.getMilliseconds()).padStart(3, '0') + String(subNs).padStart(6, '0')).replace(/0+$/, '')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac ? `.${frac}` : ''}${zone}`
}

export class SyncManager {
  private active: WorkerState | null = null
  private history: WorkerState[] = []
  private nextId = 0
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private lastSpawn = 0
  private vmApplied = 0

  /** Blocks marked bad (SyncMarkBad, or by validation): CID → reason. */
  private readonly bad = new Map<string, string>()
  /** sync-bad-block: the fork a peer keeps offering, linked to a block marked bad. */
  private badFork: { worker: WorkerState; incoming: string; parent: string } | null = null

  constructor(
    private readonly host: SyncHost,
    private readonly clock: ChainClock,
    private readonly log: GoLogger,
    private readonly storeLog: GoLogger,
    private readonly slow: boolean,
    private readonly offerBadFork = false
  ) {}

  /** SyncCheckBad: why a block was marked bad, '' when it was not. */
  checkBad(cid: string): string {
    return this.bad.get(cid) ?? ''
  }

  markBad(cid: string, reason = 'manually marked bad'): void {
    this.bad.set(cid, reason)
  }

  /** SyncUnmarkBad / SyncUnmarkAllBad: the fork linked to an unmarked block is no longer refused. */
  unmarkBad(cid: string | null): void {
    if (cid === null) this.bad.clear()
    else this.bad.delete(cid)
    if (this.badFork && !this.bad.has(this.badFork.parent)) {
      this.bad.delete(this.badFork.incoming)
      this.badFork = null
    }
  }

  /**
   * A peer offers a fork whose parent this node marked bad earlier: the sync worker that takes it
   * ends in the error stage with Lotus's message (chain/sync.go), and stays listed while a peer
   * keeps offering it, until the mark is cleared.
   */
  private failBadFork(): void {
    const head = this.host.head()
    const parent = chainCid(`bad-parent:${head}`)
    const incoming = chainCid(`bad-fork:${head}`)
    this.bad.set(parent, `parent state root did not match computed state (${chainCid(`computed-root:${head}`)} != ${chainCid(`header-root:${head}`)})`)
    this.bad.set(incoming, `linked to ${parent}`)
    const w: WorkerState = { id: this.nextId++, base: head, target: head + 1, stage: STAGE.Error, height: head + 1, start: Date.now(), end: Date.now() }
    this.badFork = { worker: w, incoming, parent }
    const message = `chain linked to block marked previously as bad ([${incoming}], ${parent}) (reason: ${this.bad.get(parent) ?? ''})`
    this.log.error('chain/sync_manager.go:326', `error during sync in [${incoming}]: ${message}`)
    this.messages.set(w.id, message)
    this.forkTarget.set(w.id, incoming)
  }

  private readonly messages = new Map<number, string>()
  private readonly forkTarget = new Map<number, string>()

  /** Delay after an epoch starts before its tipset reaches us (block propagation). */
  private get propagationMs(): number {
    return Math.min(6, this.clock.epochSeconds * 0.2) * 1000
  }

  /** The network's head: the newest tipset that has propagated by now. */
  networkHead(now = Date.now()): number {
    return this.clock.epochAt(now - this.propagationMs)
  }

  private arrivalOf(epoch: number): number {
    return this.clock.timeOf(epoch) * 1000 + this.propagationMs
  }

  /**
   * Whether a gap is just the chain moving on (a few tipsets, or under two seconds' worth on a
   * fast chain) rather than downtime to catch up on.
   */
  private following(gap: number): boolean {
    return gap <= 3 || gap * this.clock.epochSeconds <= 2
  }

  start(): void {
    this.wake()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(ms: number, fn: () => void): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      fn()
    }, Math.max(0, ms))
  }

  private wake(): void {
    if (this.stopped || this.active) return
    if (!this.host.peersReady()) return this.schedule(200, () => this.wake())
    const head = this.host.head()
    const target = this.networkHead()
    if (target <= head) {
      // Wait for the next tipset. On a very fast chain a worker may take several tipsets at once:
      // at most 20 workers a second (log lines and CPU), and never more than 5 a second when an
      // epoch lasts longer than that anyway.
      const spacing = Math.min(200, Math.max(50, this.clock.epochSeconds * 1000))
      const next = Math.max(this.arrivalOf(head + 1), this.lastSpawn + spacing)
      return this.schedule(next - Date.now(), () => this.wake())
    }
    this.spawn(head, target)
  }

  private spawn(base: number, target: number): void {
    const w: WorkerState = { id: this.nextId++, base, target, stage: STAGE.Headers, height: 0, start: Date.now(), end: 0 }
    const ts = cidList(this.host.tipset(target).Cids)
    this.log.info('chain/sync_manager.go:' + (w.id === 0 ? 222 : 236), `selected ${w.id === 0 ? 'initial ' : ''}sync target: ${ts}`)
    this.log.info('chain/sync_manager.go:318', `worker ${w.id} syncing in ${ts}`)
    this.active = w
    this.lastSpawn = w.start
    const gap = target - base
    if (this.following(gap)) {
      // Following the chain: the new tipset's headers are in hand at once (collectHeaders sets
      // the height) and it is validated in a few tens of milliseconds.
      w.height = target
      this.schedule(12 + (target % 7) * 5, () => {
        w.stage = STAGE.Messages
        for (let e = base + 1; e <= target; e++) this.applyOne(w, e)
        this.finish(w)
      })
      return
    }
    const headerMs = this.slow ? Math.min(500 + gap * 0.5, 4000) : Math.min(150 + gap / 20, 1200)
    const headerStart = Date.now()
    const walkHeaders = () => {
      const p = Math.min(1, (Date.now() - headerStart) / headerMs)
      w.height = Math.round(target - p * gap)
      if (p < 1) return this.schedule(100, walkHeaders)
      w.stage = STAGE.PersistHeaders
      this.schedule(Math.min(50 + gap / 100, 400), syncMessages)
    }
    // Epochs validated per second: fast by default (a day of chain in a few seconds), a few
    // epochs a second more than the network makes with `slow-sync`.
    const rate = this.slow ? 3 + 2 / this.clock.epochSeconds : Math.max(300, gap / 3)
    let last = 0
    const syncMessages = () => {
      const now = Date.now()
      if (w.stage !== STAGE.Messages) {
        w.stage = STAGE.Messages
        last = now
      }
      let todo = Math.max(1, Math.floor(((now - last) / 1000) * rate))
      last = now
      while (todo-- > 0 && this.host.head() < target) this.applyOne(w, this.host.head() + 1)
      if (this.host.head() < target) return this.schedule(100, syncMessages)
      this.finish(w)
    }
    this.schedule(30, walkHeaders)
  }

  private applyOne(w: WorkerState, epoch: number): void {
    this.host.applyEpoch(epoch)
    this.vmApplied += this.host.messagesIn(epoch)
    w.height = epoch
  }

  private finish(w: WorkerState): void {
    w.stage = STAGE.Complete
    w.end = Date.now()
    const tookNs = (w.end - w.start) * 1e6 + endSub(w.id) - startSub(w.id)
    this.log.info('chain/sync_manager.go:326', `worker ${w.id} done; took ${formatGoDuration(tookNs)}`)
    const head = this.host.tipset(this.host.head())
    this.storeLog.info('store/store.go:685', `New heaviest tipset! ${cidList(head.Cids)} (height=${head.Height})`)
    this.active = null
    this.history.push(w)
    if (this.history.length > HISTORY) this.history.shift()
    if (this.offerBadFork && w.id === 0 && this.bad.size === 0) this.failBadFork()
    this.wake()
  }

  /** SyncState: the active worker and the last finished ones, by worker ID. */
  state(): { ActiveSyncs: ActiveSync[]; VMApplied: number } {
    const all = [...this.history, ...(this.active ? [this.active] : []), ...(this.badFork ? [this.badFork.worker] : [])].sort((a, b) => a.id - b.id)
    return {
      ActiveSyncs: all.map((w) => {
        const fork = this.forkTarget.get(w.id)
        const target = this.host.tipset(w.target)
        return {
          WorkerID: w.id,
          Base: this.host.tipset(w.base),
          Target: fork ? { ...target, Cids: [{ '/': fork }] } : target,
          Stage: w.stage,
          Height: w.height,
          Start: goTime(w.start, startSub(w.id)),
          End: goTime(w.end, endSub(w.id)),
          Message: this.messages.get(w.id) ?? ''
        }
      }),
      VMApplied: this.vmApplied
    }
  }
}
