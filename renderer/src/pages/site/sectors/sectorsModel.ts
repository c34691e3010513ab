import type { SectorFilterGroup, SectorJob, SectorRowDetail, SectorStateGroup, SectorTable } from './types'

/**
 * The sectors screen's data outside React state: typed arrays over the columnar `sectors:list`
 * answer (200,000 rows are a few MB), a display order computed once per answer (failed first,
 * then stuck, then the rest, each by number), and filters that produce an index array in one
 * linear pass. Components keep only a version counter and the filtered index array.
 */
export interface SectorsModel {
  siteId: string
  takenAt: number
  tookMs: number
  minerId: number
  rows: number
  numbers: Float64Array
  stateIdx: Uint16Array
  states: string[]
  stateGroups: SectorStateGroup[]
  /** Index into `details`, -1 when the sector has none (Proving / Available / Removed). */
  detailIdx: Int32Array
  details: SectorRowDetail[]
  jobs: Record<string, SectorJob[]>
  /** Rows in display order: failed, stuck, sealing, proving, removed (`counts.all` leaves out the removed group, as `sectors list` does without -r). */
  order: Int32Array
  counts: Record<SectorFilterGroup | 'all', number>
  /** Rows per entry of `states`. */
  stateCounts: number[]
  targets: SectorTable['targets']
  durations: SectorTable['durations']
  stuckMultiple: number
  detailErrors: number
}

export type RowGroup = 'failed' | 'stuck' | 'sealing' | 'proving' | 'removed'

export function buildModel(t: SectorTable): SectorsModel {
  const rows = t.number.length
  const numbers = Float64Array.from(t.number)
  const stateIdx = Uint16Array.from(t.state)
  const detailIdx = new Int32Array(rows).fill(-1)
  const byNumber = new Map<number, number>()
  t.details.forEach((d, i) => byNumber.set(d.n, i))
  const stateCounts = new Array<number>(t.states.length).fill(0)
  const counts = { all: 0, failed: 0, stuck: 0, sealing: 0, proving: 0, removed: 0 }
  // Display order: failed, then stuck, then the rest of the sealing pipeline, then proving, then removed.
  const buckets: number[][] = [[], [], [], [], []]
  const rank: Record<SectorStateGroup, number> = { failed: 0, sealing: 2, proving: 3, removed: 4 }
  // Rows arrive sorted by number, so each bucket is too.
  for (let i = 0; i < rows; i++) {
    const d = byNumber.get(numbers[i] as number)
    if (d !== undefined) detailIdx[i] = d
    const si = stateIdx[i] as number
    stateCounts[si]!++
    const g = t.stateGroups[si] as SectorStateGroup
    counts[g]++
    if (g !== 'removed') counts.all++
    if (g !== 'failed' && d !== undefined && t.details[d]!.stuck) {
      counts.stuck++
      buckets[1]!.push(i)
    } else buckets[rank[g]]!.push(i)
  }
  const order = new Int32Array(rows)
  let at = 0
  for (const b of buckets) {
    order.set(b, at)
    at += b.length
  }
  return {
    siteId: t.siteId,
    takenAt: t.takenAt,
    tookMs: t.tookMs,
    minerId: t.minerId,
    rows,
    numbers,
    stateIdx,
    states: t.states,
    stateGroups: t.stateGroups,
    detailIdx,
    details: t.details,
    jobs: t.jobs,
    order,
    counts,
    stateCounts,
    targets: t.targets,
    durations: t.durations,
    stuckMultiple: t.stuckMultiple,
    detailErrors: t.detailErrors
  }
}

export function rowDetail(m: SectorsModel, row: number): SectorRowDetail | null {
  const d = m.detailIdx[row] as number
  return d < 0 ? null : (m.details[d] ?? null)
}

export function rowGroup(m: SectorsModel, row: number): RowGroup {
  const g = m.stateGroups[m.stateIdx[row] as number] as SectorStateGroup
  if (g === 'failed') return 'failed'
  if (rowDetail(m, row)?.stuck) return 'stuck'
  return g
}

export interface SectorFilter {
  group: SectorFilterGroup | 'all'
  /** Indices into `states`; empty = every state. */
  states: readonly number[]
  /** Digits: numbers starting with them; `a-b`: a range; anything else matches nothing. */
  search: string
}

export const NO_FILTER: SectorFilter = { group: 'all', states: [], search: '' }

type Match = (n: number) => boolean

function searchMatcher(search: string): Match | null {
  const s = search.trim()
  if (s === '') return null
  const range = /^(\d{1,16})\s*-\s*(\d{1,16})$/.exec(s)
  if (range) {
    const a = Number(range[1])
    const b = Number(range[2])
    const lo = Math.min(a, b)
    const hi = Math.max(a, b)
    return (n) => n >= lo && n <= hi
  }
  if (!/^\d{1,16}$/.test(s)) return () => false
  // Numbers whose decimal form starts with s: s itself and s×10^k … (s+1)×10^k − 1 for each k.
  const p = Number(s)
  return (n) => {
    if (n === p) return true
    let lo = p * 10
    let hi = p * 10 + 9
    while (lo <= n) {
      if (n <= hi) return p !== 0
      lo *= 10
      hi = hi * 10 + 9
    }
    return false
  }
}

/** Rows matching the filter, in display order (one pass over the order array). */
export function filterRows(m: SectorsModel, f: SectorFilter): Int32Array {
  const byState = f.states.length > 0 ? new Uint8Array(m.states.length) : null
  if (byState) for (const s of f.states) if (s >= 0 && s < byState.length) byState[s] = 1
  const match = searchMatcher(f.search)
  const groupOk = (row: number): boolean => {
    const g = m.stateGroups[m.stateIdx[row] as number]
    // Like `lotus-miner sectors list` without -r: removed sectors only in their own group.
    if (f.group === 'all') return g !== 'removed'
    if (f.group === 'stuck') return g !== 'failed' && rowDetail(m, row)?.stuck === true
    return g === f.group
  }
  if (!byState && !match && f.group === 'all' && m.counts.removed === 0) return m.order
  const out = new Int32Array(m.rows)
  let k = 0
  for (let i = 0; i < m.rows; i++) {
    const row = m.order[i] as number
    if (byState && byState[m.stateIdx[row] as number] === 0) continue
    if (!groupOk(row)) continue
    if (match && !match(m.numbers[row] as number)) continue
    out[k++] = row
  }
  return out.subarray(0, k)
}

/** The job a row shows: the one running (or next to run) for the sector. */
export function rowJob(m: SectorsModel, row: number): SectorJob | null {
  return m.jobs[String(m.numbers[row])]?.[0] ?? null
}
