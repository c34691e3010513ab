import type { GoLogger } from '../common/golog'
import type { SectorEvent } from './events'
import { plan } from './fsm'
import type { SectorStore } from './sectorStore'
import { newSectorRecord, type SectorRecord } from './sectorTypes'

/**
 * The per-sector state machines (go-statemachine as Lotus uses it): events queue up while a
 * state's handler runs and are planned together when it returns; the handler of the new state
 * then runs. Removed sectors terminate their machine (later events fail with
 * `normal shutdown of state machine`).
 */

export interface HandlerContext {
  rec: SectorRecord
  send: (e: SectorEvent) => void
}

export type Handler = (ctx: HandlerContext) => Promise<void>

interface Machine {
  queue: SectorEvent[]
  busy: boolean
  terminated: boolean
}

export class Sealing {
  private machines = new Map<number, Machine>()
  private stopped = false

  constructor(
    readonly store: SectorStore,
    private handlers: (state: string) => Handler | undefined,
    private log: GoLogger,
    /** Called when an event arrives for a busy sector (SectorRemove aborts its jobs). */
    private onEventWhileBusy: (n: number, e: SectorEvent) => void = () => {}
  ) {}

  private machine(n: number): Machine {
    let m = this.machines.get(n)
    if (!m) {
      m = { queue: [], busy: false, terminated: false }
      this.machines.set(n, m)
    }
    return m
  }

  /** StateGroup.Send. */
  send(n: number, e: SectorEvent): void {
    const m = this.machine(n)
    if (m.terminated) throw new Error('normal shutdown of state machine')
    m.queue.push(e)
    if (m.busy) this.onEventWhileBusy(n, e)
    this.step(n)
  }

  isBusy(n: number): boolean {
    return this.machines.get(n)?.busy ?? false
  }

  /** A SectorRemove waits for the sector's running handler to return. */
  removePending(n: number): boolean {
    const m = this.machines.get(n)
    return m !== undefined && m.busy && m.queue.some((e) => e.type === 'SectorRemove')
  }

  isTerminated(n: number): boolean {
    return this.machines.get(n)?.terminated ?? false
  }

  /** restartSectors: every tracked sector gets SectorRestart (untouched bulk sectors are Proving no-ops). */
  restartAll(): void {
    for (const rec of [...this.store.explicit()]) this.send(rec.n, { type: 'SectorRestart', user: {} })
  }

  stop(): void {
    this.stopped = true
  }

  private step(n: number): void {
    if (this.stopped) return
    const m = this.machine(n)
    if (m.busy || m.terminated || m.queue.length === 0) return
    const rec = this.store.materialize(n) ?? this.newRecord(n)
    const before = rec.state
    const now = Math.floor(Date.now() / 1000)
    const res = plan(rec, m.queue, now, process.env.LOTUS_KEEP_REMOVED_FSM_ACTIVE === '1')
    m.queue.splice(0, Math.max(1, res.processed))
    this.store.stateChanged(before, rec.state)
    // On disk before the next handler acts on it.
    this.store.commit(rec)
    for (const l of res.logs) {
      if (l.level === 'WARN') this.log.warn('pipeline/fsm.go:883', l.msg)
      else this.log.error('pipeline/fsm.go:587', l.msg)
    }
    if (res.terminated) {
      m.terminated = true
      return
    }
    const handler = res.handler !== null ? this.handlers(res.handler) : undefined
    if (!handler) {
      if (m.queue.length > 0) setImmediate(() => this.step(n))
      return
    }
    m.busy = true
    const ctx: HandlerContext = { rec, send: (e) => this.send(n, e) }
    handler(ctx)
      .catch((err: unknown) => {
        this.log.error('pipeline/fsm.go:62', `unhandled sector error (${n}): ${(err as Error).message ?? String(err)}`)
      })
      .finally(() => {
        m.busy = false
        setImmediate(() => this.step(n))
      })
  }

  /** A sector number first seen through an event (PledgeSector's SectorStartCC). */
  private newRecord(n: number): SectorRecord {
    const rec = newSectorRecord(n, this.store.meta.sealProof)
    this.store.put(rec)
    return rec
  }
}
