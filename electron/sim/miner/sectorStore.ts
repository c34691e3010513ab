import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeJsonAtomic } from '../common/persist'
import { historicSector, type HistoryContext } from './history'
import type { MinerRepoFiles } from './repoFiles'
import type { SectorRecord } from './sectorTypes'

/**
 * The miner's sector records. Sectors that were Proving when the site was created and have not
 * been touched since live in `bulk` ranges (no per-sector storage; their record is derived on
 * demand); every other sector has an explicit record. Per-state counts are kept incrementally so
 * SectorsSummary is O(number of states) even with 100,000 sectors.
 *
 * Durable as Lotus's datastore is: every change is appended to a journal before the sector's next
 * handler runs (go-statemachine stores a sector's new state before acting on it), so a miner
 * killed at any moment comes back with every state change it made. The full record file is
 * rewritten now and then, and the journal emptied; `gen` tells which journal lines belong to it.
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
  /** Generation of the record file: journal lines of another generation are already in it. */
  gen?: number
}

type JournalLine = { g: number; r: SectorRecord } | { g: number; m: MinerMeta }

/** How often the full record file is rewritten (the journal keeps every change meanwhile). */
const COMPACT_MS = 5000

export class SectorStore {
  private records = new Map<number, SectorRecord>()
  private counts = new Map<string, number>()
  private bulkCount = 0
  private saveTimer: NodeJS.Timeout | null = null
  private journalDir = false

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
    store.replay()
    return store
  }

  /** Applies the journal lines of the record file's generation (a line cut by a kill ends it). */
  private replay(): void {
    if (!existsSync(this.files.journal)) return
    const gen = this.meta.gen ?? 0
    for (const line of readFileSync(this.files.journal, 'utf8').split('\n')) {
      if (line === '') continue
      let j: JournalLine
      try {
        j = JSON.parse(line) as JournalLine
      } catch {
        break
      }
      if (j.g !== gen) continue
      if ('m' in j) {
        this.meta = { ...j.m, gen }
        this.bulkCount = 0
        for (const [a, b] of this.meta.bulk) this.bulkCount += b - a
      } else this.put(j.r)
    }
  }

  /** Writes records and meta now, then empties the journal (also used at shutdown). */
  flush(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    // Records first: a kill before the meta's new generation lands replays the journal onto
    // them, which ends every record at the state the file already holds.
    writeJsonAtomic(this.files.sectors, [...this.records.values()])
    this.meta.gen = (this.meta.gen ?? 0) + 1
    writeJsonAtomic(this.files.meta, this.meta)
    writeFileSync(this.files.journal, '')
  }

  /** Schedules a rewrite of the record file (the journal already holds the change). */
  dirty(): void {
    if (this.saveTimer) return
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null
      this.flush()
    }, COMPACT_MS)
    this.saveTimer.unref()
  }

  /** Puts a record's current state on disk now. */
  commit(rec: SectorRecord): void {
    this.append({ g: this.meta.gen ?? 0, r: rec })
  }

  private commitMeta(): void {
    this.append({ g: this.meta.gen ?? 0, m: this.meta })
  }

  private append(line: JournalLine): void {
    if (!this.journalDir) {
      mkdirSync(dirname(this.files.journal), { recursive: true })
      this.journalDir = true
    }
    appendFileSync(this.files.journal, `${JSON.stringify(line)}\n`)
    this.dirty()
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
    this.commitMeta()
    this.commit(rec)
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

  /** The next sector number, on disk before it is used (Lotus's sector number counter). */
  allocateNumber(): number {
    const n = this.meta.nextSector++
    this.commitMeta()
    return n
  }
}
