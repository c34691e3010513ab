import type { SectorFilterGroup, SectorJob, SectorRowDetail, SectorGroup, SectorTable } from '@contract'

/**
 * The sectors screen's data outside React state: typed arrays expanded from the runs of the
 * `sectors:list` answer (a million rows are about 20 MB), a display order computed once per
 * answer (failed first, then stuck, then the rest, each by number), a group code and a stuck
 * flag per row, and filters that produce an index array in one tight pass over typed arrays.
 * Components keep only a version counter and the filtered index array.
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
  stateGroups: SectorGroup[]
  /** Per row: its display group (GROUP_CODE of RowGroup: failed, stuck, sealing, proving, removed). */
  rowGroups: Uint8Array
  /** Per row: the operator group of its state (GROUP_CODE of SectorGroup). */
  stateGroupOf: Uint8Array
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
const ROW_GROUPS: RowGroup[] = ['failed', 'stuck', 'sealing', 'proving', 'removed']
const GROUP_CODE: Record<RowGroup, number> = { failed: 0, stuck: 1, sealing: 2, proving: 3, removed: 4 }
/** The screen has no filter for a state MinerDesk does not know (`other`): it is listed with the sealing ones. */
const ROW_GROUP: Record<SectorGroup, RowGroup> = { failed: 'failed', sealing: 'sealing', proving: 'proving', removed: 'removed', other: 'sealing' }

/** Row of sector `n` in the sorted numbers, or -1. */
export function rowOf(numbers: Float64Array, n: number): number {
  let lo = 0
  let hi = numbers.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const v = numbers[mid] as number
    if (v === n) return mid
    if (v < n) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

export function buildModel(t: SectorTable): SectorsModel {
  const rows = t.rows
  const numbers = new Float64Array(rows)
  const stateIdx = new Uint16Array(rows)
  const stateCounts = new Array<number>(t.states.length).fill(0)
  let at = 0
  for (let i = 0; i < t.runs.length; i += 3) {
    const first = t.runs[i] as number
    const count = t.runs[i + 1] as number
    const si = t.runs[i + 2] as number
    for (let k = 0; k < count; k++) numbers[at + k] = first + k
    stateIdx.fill(si, at, at + count)
    stateCounts[si] = (stateCounts[si] as number) + count
    at += count
  }
  const stateCode = t.stateGroups.map((g) => GROUP_CODE[ROW_GROUP[g]])
  const stateGroupOf = new Uint8Array(rows)
  for (let r = 0; r < rows; r++) stateGroupOf[r] = stateCode[stateIdx[r] as number] as number
  const rowGroups = stateGroupOf.slice()
  const detailIdx = new Int32Array(rows).fill(-1)
  t.details.forEach((d, i) => {
    const r = rowOf(numbers, d.n)
    if (r < 0) return
    detailIdx[r] = i
    // Stuck: a sector that is not failed and has been in its state far longer than expected.
    if (d.stuck && rowGroups[r] !== GROUP_CODE.failed) rowGroups[r] = GROUP_CODE.stuck
  })
  // Display order by group, each by number: one counting pass, then one filling pass.
  const sizes = [0, 0, 0, 0, 0]
  for (let r = 0; r < rows; r++) sizes[rowGroups[r] as number]!++
  const starts = [0, 0, 0, 0, 0]
  for (let g = 1; g < 5; g++) starts[g] = (starts[g - 1] as number) + (sizes[g - 1] as number)
  const order = new Int32Array(rows)
  for (let r = 0; r < rows; r++) order[starts[rowGroups[r] as number]!++] = r
  const removedStates = stateCounts.reduce((a, c, i) => (t.stateGroups[i] === 'removed' ? a + c : a), 0)
  const groupCount = (g: RowGroup) => stateCounts.reduce((a, c, i) => (ROW_GROUP[t.stateGroups[i]!] === g ? a + c : a), 0)
  const counts = {
    all: rows - removedStates,
    failed: groupCount('failed'),
    stuck: sizes[GROUP_CODE.stuck] as number,
    sealing: groupCount('sealing'),
    proving: groupCount('proving'),
    removed: removedStates
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
    rowGroups,
    stateGroupOf,
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
  return ROW_GROUPS[m.rowGroups[row] as number] as RowGroup
}

export interface SectorFilter {
  group: SectorFilterGroup | 'all'
  /** Indices into `states`; empty = every state. */
  states: readonly number[]
  /** Digits: numbers starting with them; `a-b`: a range; anything else matches nothing. */
  search: string
}

export const NO_FILTER: SectorFilter = { group: 'all', states: [], search: '' }

/** What a number search matches: [lo, hi] ranges (a prefix is one range per number of extra digits); null for everything. */
function searchRanges(search: string): [number, number][] | null {
  const s = search.trim()
  if (s === '') return null
  const range = /^(\d{1,16})\s*-\s*(\d{1,16})$/.exec(s)
  if (range) {
    const a = Number(range[1])
    const b = Number(range[2])
    return [[Math.min(a, b), Math.max(a, b)]]
  }
  if (!/^\d{1,16}$/.test(s)) return []
  // Numbers whose decimal form starts with s: s itself and s×10^k … (s+1)×10^k − 1 for each k.
  const p = Number(s)
  const out: [number, number][] = [[p, p]]
  if (p === 0) return out
  for (let lo = p * 10, hi = p * 10 + 9; lo <= Number.MAX_SAFE_INTEGER; lo *= 10, hi = hi * 10 + 9) out.push([lo, hi])
  return out
}

/** Rows matching the filter, in display order (one pass over the order array). */
export function filterRows(m: SectorsModel, f: SectorFilter): Int32Array {
  const byState = f.states.length > 0 ? new Uint8Array(m.states.length) : null
  if (byState) for (const s of f.states) if (s >= 0 && s < byState.length) byState[s] = 1
  const ranges = searchRanges(f.search)
  if (ranges?.length === 0) return new Int32Array(0)
  if (!byState && !ranges && f.group === 'all' && m.counts.removed === 0) return m.order
  // Like `lotus-miner sectors list` without -r: removed sectors only in their own group.
  const REMOVED = GROUP_CODE.removed
  const want = f.group === 'all' ? -1 : f.group === 'stuck' ? -2 : GROUP_CODE[f.group]
  const { order, stateIdx, numbers, rowGroups, stateGroupOf } = m
  const out = new Int32Array(m.rows)
  let k = 0
  const lo0 = ranges?.[0]?.[0] ?? 0
  const hi0 = ranges?.[0]?.[1] ?? 0
  for (let i = 0; i < order.length; i++) {
    const row = order[i] as number
    const sg = stateGroupOf[row] as number
    if (want === -1) {
      if (sg === REMOVED) continue
    } else if (want === -2) {
      if (rowGroups[row] !== GROUP_CODE.stuck) continue
    } else if (sg !== want) continue
    if (byState && byState[stateIdx[row] as number] === 0) continue
    if (ranges) {
      const n = numbers[row] as number
      if (!(n >= lo0 && n <= hi0)) {
        let hit = false
        for (let j = 1; j < ranges.length; j++) {
          const r = ranges[j] as [number, number]
          if (n < r[0]) break
          if (n <= r[1]) {
            hit = true
            break
          }
        }
        if (!hit) continue
      }
    }
    out[k++] = row
  }
  return out.subarray(0, k)
}

/** The job a row shows: the one running (or next to run) for the sector. */
export function rowJob(m: SectorsModel, row: number): SectorJob | null {
  return m.jobs[String(m.numbers[row])]?.[0] ?? null
}
