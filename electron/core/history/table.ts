import type { HistoryPoint } from '../../../preload/contract/history'

/**
 * Points of one site in columns of typed arrays (about 60 bytes a point instead of a few hundred
 * as objects): a day of 15-second polls for a hundred sites stays in tens of megabytes. Values
 * absent from a point are NaN. Points are appended in time order and dropped from the front.
 */
const NUMERIC = ['height', 'behind', 'headAgeSec', 'peers', 'proving', 'removed', 'failed', 'faults', 'recoveries', 'sealed'] as const
type NumericKey = (typeof NUMERIC)[number]

const UP_DAEMON = 1
const UP_MINER = 2
/** Set when the point has a pipeline (its state columns are meaningful). */
const HAS_STATES = 4

export class PointTable {
  private cap: number
  private start = 0
  private end = 0
  private t: Float64Array
  private flags: Uint8Array
  private height: Float64Array
  private cols: Record<Exclude<NumericKey, 'height'>, Float32Array>
  private states = new Map<string, Float32Array>()

  constructor(
    private readonly maxPoints: number,
    initial = 64
  ) {
    this.cap = Math.min(initial, maxPoints)
    this.t = new Float64Array(this.cap)
    this.flags = new Uint8Array(this.cap)
    this.height = new Float64Array(this.cap)
    this.cols = {
      behind: new Float32Array(this.cap),
      headAgeSec: new Float32Array(this.cap),
      peers: new Float32Array(this.cap),
      proving: new Float32Array(this.cap),
      removed: new Float32Array(this.cap),
      failed: new Float32Array(this.cap),
      faults: new Float32Array(this.cap),
      recoveries: new Float32Array(this.cap),
      sealed: new Float32Array(this.cap)
    }
  }

  get length(): number {
    return this.end - this.start
  }

  /** Time of the oldest point, or null. */
  first(): number | null {
    return this.length > 0 ? (this.t[this.start] as number) : null
  }

  last(): HistoryPoint | null {
    return this.length > 0 ? this.read(this.end - 1) : null
  }

  push(p: HistoryPoint): void {
    if (this.length >= this.maxPoints) this.start++
    if (this.end === this.cap) this.makeRoom()
    this.write(this.end++, p)
  }

  /** Replaces the newest point (a bucket that took in another poll). */
  replaceLast(p: HistoryPoint): void {
    if (this.length === 0) this.push(p)
    else this.write(this.end - 1, p)
  }

  /** Drops points older than `t` (ms). */
  dropBefore(t: number): void {
    while (this.start < this.end && (this.t[this.start] as number) < t) this.start++
  }

  /** Points at or after `t` (ms), oldest first. */
  since(t: number): HistoryPoint[] {
    let i = this.end
    while (i > this.start && (this.t[i - 1] as number) >= t) i--
    const out: HistoryPoint[] = []
    for (; i < this.end; i++) out.push(this.read(i))
    return out
  }

  private write(i: number, p: HistoryPoint): void {
    this.t[i] = p.t
    this.flags[i] = (p.daemonUp ? UP_DAEMON : 0) | (p.minerUp ? UP_MINER : 0) | (p.byState ? HAS_STATES : 0)
    this.height[i] = p.height ?? NaN
    for (const k of NUMERIC) if (k !== 'height') (this.cols[k] as Float32Array)[i] = (p[k] as number | null) ?? NaN
    for (const col of this.states.values()) col[i] = 0
    if (p.byState) {
      for (const [state, n] of Object.entries(p.byState)) {
        let col = this.states.get(state)
        if (!col) {
          col = new Float32Array(this.cap)
          this.states.set(state, col)
        }
        col[i] = n
      }
    }
  }

  private read(i: number): HistoryPoint {
    const f = this.flags[i] as number
    const num = (v: number): number | null => (Number.isNaN(v) ? null : v)
    let byState: Record<string, number> | null = null
    if (f & HAS_STATES) {
      byState = {}
      for (const [state, col] of this.states) {
        const n = col[i] as number
        if (n > 0) byState[state] = n
      }
    }
    return {
      t: this.t[i] as number,
      daemonUp: (f & UP_DAEMON) !== 0,
      minerUp: (f & UP_MINER) !== 0,
      height: num(this.height[i] as number),
      behind: num(this.cols.behind[i] as number),
      headAgeSec: num(this.cols.headAgeSec[i] as number),
      peers: num(this.cols.peers[i] as number),
      byState,
      proving: num(this.cols.proving[i] as number),
      removed: num(this.cols.removed[i] as number),
      failed: num(this.cols.failed[i] as number),
      faults: num(this.cols.faults[i] as number),
      recoveries: num(this.cols.recoveries[i] as number),
      sealed: num(this.cols.sealed[i] as number) ?? 0
    }
  }

  /** Moves the live points to the front, growing the arrays when more than half full. */
  private makeRoom(): void {
    const len = this.length
    // Room for a quarter more than the limit, so a full table moves once every many points.
    const cap = len * 2 > this.cap ? Math.min(Math.ceil(this.maxPoints * 1.25) + 1, this.cap * 2) : this.cap
    const move = <A extends Float64Array | Float32Array | Uint8Array>(a: A, make: (n: number) => A): A => {
      const b = cap === this.cap ? a : make(cap)
      b.set(a.subarray(this.start, this.end), 0)
      return b
    }
    this.t = move(this.t, (n) => new Float64Array(n))
    this.flags = move(this.flags, (n) => new Uint8Array(n))
    this.height = move(this.height, (n) => new Float64Array(n))
    for (const k of Object.keys(this.cols) as (keyof typeof this.cols)[]) this.cols[k] = move(this.cols[k], (n) => new Float32Array(n))
    for (const [state, col] of this.states) {
      const moved = move(col, (n) => new Float32Array(n))
      // A state no point holds any more costs a column for nothing.
      if (moved.subarray(0, len).some((v) => v > 0)) this.states.set(state, moved)
      else this.states.delete(state)
    }
    this.cap = cap
    this.start = 0
    this.end = len
  }
}
