import { MinerDeskError } from '../../../preload/contract'
import { type SectorJob, type SectorRowDetail, type SectorTable } from '../../../preload/contract/sectors'
import { sectorGroup, type SectorGroup } from '../../../preload/contract/lotus/states'
import { minerCalls } from '../lotus/minerApi'
import type { SectorInfo } from '../../../preload/contract/lotus/types'
import type { Result } from '../../../preload/contract'
import type { ServiceContext } from '../runtime/context'
import { effectiveDurations } from '../settings/store'
import { jobsBySector } from './sectorJobs'
import { digestSector, lastErrorText } from '../health/sectorLog'
import { stageTiming } from '../health/stages'
import { safeTargets } from '../health/updateTargets'
import { allTargets, needsDetail } from './states'
import { minerIdOf } from './topology'

/**
 * The sectors screen's data for one site, read with a handful of JSON-RPC batches whatever the
 * size of the site: SectorsSummary (which states hold sectors), SectorsListInStates for each of
 * them (every sector's state), then SectorsStatus only for the sectors that are not Proving /
 * Available / Removed — the few that can be stuck or failed — in batches of STATUS_BATCH, a few
 * at a time. Never one call per sector of the 100k Proving ones.
 */

export const STATUS_BATCH = 200
const STATUS_CONCURRENCY = 3

async function inChunks<T, R>(items: readonly T[], size: number, concurrency: number, fn: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  const out: R[][] = new Array(chunks.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, chunks.length) }, async () => {
      while (next < chunks.length) {
        const i = next++
        out[i] = await fn(chunks[i] as T[])
      }
    })
  )
  return out.flat()
}

/** A list as sorted numbers (Lotus does not promise an order; a sorted list costs one pass). */
function sortedCopy(list: readonly number[]): Float64Array {
  const a = Float64Array.from(list)
  for (let i = 1; i < a.length; i++) {
    if ((a[i] as number) < (a[i - 1] as number)) return a.sort()
  }
  return a
}

/**
 * Merges the per-state lists into runs of consecutive numbers in one state (pure; exported for
 * tests). The merge takes a run at a time from the list with the lowest next number, so a
 * million Proving sectors in a row cost one comparison each. A sector that moved between two of
 * the calls shows up in two lists: it keeps one row.
 */
export function buildRuns(lists: readonly { state: string; sectors: readonly number[] }[]): { states: string[]; stateGroups: SectorGroup[]; runs: number[]; rows: number } {
  const states = lists.map((l) => l.state)
  const sorted = lists.map((l) => sortedCopy(l.sectors))
  const pos = new Array<number>(sorted.length).fill(0)
  const runs: number[] = []
  let rows = 0
  let last = -1
  for (;;) {
    let pick = -1
    let lowest = Infinity
    let second = Infinity
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i] as Float64Array
      const p = pos[i] as number
      if (p >= a.length) continue
      const v = a[p] as number
      if (v < lowest) {
        second = lowest
        lowest = v
        pick = i
      } else if (v < second) second = v
    }
    if (pick < 0) break
    const a = sorted[pick] as Float64Array
    let p = pos[pick] as number
    if (lowest <= last) {
      // Already taken from another list (or a repeat within this one).
      pos[pick] = p + 1
      continue
    }
    let count = 1
    p++
    while (p < a.length && a[p] === lowest + count && (a[p] as number) < second) {
      count++
      p++
    }
    pos[pick] = p
    const n = runs.length
    if (n >= 3 && runs[n - 1] === pick && (runs[n - 3] as number) + (runs[n - 2] as number) === lowest) runs[n - 2] = (runs[n - 2] as number) + count
    else runs.push(lowest, count, pick)
    rows += count
    last = lowest + count - 1
  }
  return { states, stateGroups: states.map(sectorGroup), runs, rows }
}

/** Each sector number with the state its run gives it, for the runs whose states pass `keep`. */
export function sectorsIn(t: { states: readonly string[]; runs: readonly number[] }, keep: (state: string) => boolean): Map<number, string> {
  const out = new Map<number, string>()
  for (let i = 0; i < t.runs.length; i += 3) {
    const state = t.states[t.runs[i + 2] as number] as string
    if (!keep(state)) continue
    const first = t.runs[i] as number
    const count = t.runs[i + 1] as number
    for (let k = 0; k < count; k++) out.set(first + k, state)
  }
  return out
}

export async function sectorTable(ctx: ServiceContext, siteId: string): Promise<SectorTable> {
  const t0 = Date.now()
  const { lotus, config, poller } = ctx.sites.get(siteId)
  const settings = ctx.store.getSettings()
  const durations = effectiveDurations(settings, config)
  // Chain waits are counted in epochs: the block time the poller last read (30 s on mainnet).
  const blockDelay = poller.snapshot?.daemon.blockDelay || 30
  let batches = 0

  const [actor, summary, jobsRes, statsRes] = await lotus.miner.batch([minerCalls.actorAddress(), minerCalls.sectorsSummary(), minerCalls.workerJobs(), minerCalls.workerStats()] as const)
  batches++
  if (!actor.ok) throw new MinerDeskError(actor.error)
  if (!summary.ok) throw new MinerDeskError(summary.error)
  const minerId = minerIdOf(actor.value)

  const present = Object.entries(summary.value).filter(([s, c]) => s !== '' && c > 0).map(([s]) => s).sort()
  const listed = present.length ? await lotus.miner.batch(present.map((s) => minerCalls.sectorsListInStates([s]))) : []
  if (present.length) batches++
  const lists = present.map((state, i) => {
    const r = listed[i] as Result<number[]>
    if (!r.ok) throw new MinerDeskError(r.error)
    return { state, sectors: r.value }
  })
  const cols = buildRuns(lists)
  // Only the sectors outside Proving / Available / Removed get a status call (and can be stuck).
  const stateOf = sectorsIn(cols, needsDetail)
  const wanted = [...stateOf.keys()]
  let detailErrors = 0
  const infos = await inChunks(wanted, STATUS_BATCH, STATUS_CONCURRENCY, async (chunk) => {
    batches++
    const res = await lotus.miner.batch(chunk.map((n) => minerCalls.sectorsStatus(n, false)))
    return res.map((r): SectorInfo | null => {
      if (r.ok) return r.value
      detailErrors++
      return null
    })
  })

  const now = Date.now()
  const details: SectorRowDetail[] = []
  for (const info of infos) {
    if (!info) continue
    // The list is the truth for the state column; the status may be a moment newer.
    const state = stateOf.get(info.SectorID) ?? info.State
    const d = digestSector({ ...info, State: state }, now)
    const timing = stageTiming(state, d.enteredAt, now, { durations, blockDelay }, settings.stuckMultiple)
    details.push({
      n: info.SectorID,
      enteredAt: d.enteredAt,
      retries: d.retries,
      lastErr: lastErrorText(d).slice(0, 500),
      timing,
      stuck: timing?.level === 'overdue',
      targets: safeTargets(d)
    })
  }

  const jobs: Record<string, SectorJob[]> = {}
  if (jobsRes.ok) for (const [n, list] of jobsBySector(jobsRes.value, statsRes.ok ? statsRes.value : null)) jobs[String(n)] = list

  return {
    siteId,
    takenAt: now,
    tookMs: Date.now() - t0,
    minerId,
    ...cols,
    details,
    jobs,
    targets: { all: allTargets() },
    durations,
    stuckMultiple: settings.stuckMultiple,
    calls: { batches, sectorsStatus: wanted.length },
    detailErrors
  }
}
