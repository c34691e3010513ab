import { existsSync, readFileSync } from 'node:fs'
import { writeJsonAtomic } from '../common/persist'
import { historicSector, type HistoryContext } from './history'
import type { MinerRepoFiles } from './repoFiles'
import type { SectorRecord } from './sectorTypes'

/**
 * The miner's sector records. Sectors that were Proving when the site was created and have not
 * been touched since live in `bulk` ranges (no per-sector storage; their record is derived on
 * demand); every other sector has an explicit record. Per-state counts are kept incrementally so
 * SectorsSummary is O(number of states) even with 100,000 sectors.
 */

export interface MinerMeta {
  version: 1
  minerId: number
  sealProof: number
  sectorSize: number
  /** Next sector number PledgeSector allocates. */
  nextSector: number
  initEpoch: number
  initCount: number
  /** [from, to) ranges of untouched Proving sectors. */
  bulk: [number, number][]
}

export class SectorStore {
  private records = new Map<number, SectorRecord>()
  private counts = new Map<string, number>()
  private bulkCount = 0
  private saveTimer: NodeJS.Timeout | null = null

  constructor(
    private files: MinerRepoFiles,
    public meta: MinerMeta,
    private history: HistoryContext
  ) {
    for (const [a, b] of meta.bulk) this.bulkCount += b - a
  }

  static load(files: MinerRepoFiles, history: (meta: MinerMeta) => HistoryContext): SectorStore {
    const meta = JSON.parse(readFileSync(files.meta, 'utf8')) as MinerMeta
    const store = new SectorStore(files, meta, history(meta))
    if (existsSync(files.sectors)) {
      const recs = JSON.parse(readFileSync(files.sectors, 'utf8')) as SectorRecord[]
      for (const r of recs) store.put(r)
    }
    return store
  }

  /** Writes meta and records now (also used by init). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    writeJsonAtomic(this.files.meta, this.meta)
    writeJsonAtomic(this.files.sectors, [...this.records.values()])
  }

  /** Schedules a save soon (state changes come in bursts). */
  dirty(): void {
    if (this.saveTimer) return
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      this.flush()
    }, 200)
    this.saveTimer.unref()
  }

  private bump(state: string, d: number): void {
    const v = (this.counts.get(state) ?? 0) + d
    if (v <= 0) this.counts.delete(state)
    else this.counts.set(state, v)
  }

  /** Adds or replaces an explicit record. */
  put(rec: SectorRecord): void {
    const old = this.records.get(rec.n)
    if (old) this.bump(old.state, -1)
    this.records.set(rec.n, rec)
    this.bump(rec.state, 1)
  }

  /** Keeps the per-state counts right after a record's state changed in place. */
  stateChanged(from: string, to: string): void {
    if (from === to) return
    this.bump(from, -1)
    this.bump(to, 1)
    this.dirty()
  }

  isBulk(n: number): boolean {
    for (const [a, b] of this.meta.bulk) if (n >= a && n < b) return true
    return false
  }

  has(n: number): boolean {
    return this.records.has(n) || this.isBulk(n)
  }

  /** The record of a sector (derived for bulk sectors, not stored). */
  get(n: number): SectorRecord | undefined {
    return this.records.get(n) ?? (this.isBulk(n) ? historicSector(this.history, n) : undefined)
  }

  /** The stored record, converting a bulk sector to an explicit one first. */
  materialize(n: number): SectorRecord | undefined {
    const r = this.records.get(n)
    if (r) return r
    if (!this.isBulk(n)) return undefined
    const next: [number, number][] = []
    for (const [a, b] of this.meta.bulk) {
      if (n < a || n >= b) next.push([a, b])
      else {
        if (a < n) next.push([a, n])
        if (n + 1 < b) next.push([n + 1, b])
      }
    }
    this.meta.bulk = next
    this.bulkCount--
    const rec = historicSector(this.history, n)
    this.records.set(n, rec)
    this.bump(rec.state, 1)
    this.dirty()
    return rec
  }

  /** Explicit records (everything not in a bulk range). */
  explicit(): IterableIterator<SectorRecord> {
    return this.records.values()
  }

  /** All sector numbers, ascending. */
  list(): number[] {
    const out: number[] = []
    const explicit = [...this.records.keys()].sort((a, b) => a - b)
    let i = 0
    for (const [a, b] of [...this.meta.bulk].sort((x, y) => x[0] - y[0])) {
      while (i < explicit.length && (explicit[i] as number) < a) out.push(explicit[i++] as number)
      for (let n = a; n < b; n++) out.push(n)
    }
    while (i < explicit.length) out.push(explicit[i++] as number)
    return out
  }

  /** Sector numbers in the given states, ascending. */
  listInStates(states: Set<string>): number[] {
    const out: number[] = []
    if (states.has('Proving')) for (const [a, b] of this.meta.bulk) for (let n = a; n < b; n++) out.push(n)
    for (const r of this.records.values()) if (states.has(r.state)) out.push(r.n)
    return out.sort((a, b) => a - b)
  }

  summary(): Record<string, number> {
    const out: Record<string, number> = {}
    if (this.bulkCount > 0) out.Proving = this.bulkCount
    for (const [s, c] of this.counts) out[s] = (out[s] ?? 0) + c
    return out
  }

  /** Number of sectors in any state. */
  size(): number {
    return this.bulkCount + this.records.size
  }

  allocateNumber(): number {
    const n = this.meta.nextSector++
    this.dirty()
    return n
  }
}
