import { MinerDeskError } from '../../../preload/contract'
import { type SectorJob, type SectorRowDetail, type SectorStateGroup, type SectorTable } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import type { SectorInfo } from '../../../preload/contract/lotus/types'
import type { Result } from '../../../preload/contract'
import type { ServiceContext } from '../runtime/context'
import { effectiveDurations } from '../settings/store'
import { enteredAt, lastError, logEntries } from './diagnosis'
import { jobsBySector } from './sectorJobs'
import { expectedSecFor, isStuck, needsDetail, stateGroup, updateTargets } from './states'
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

/** Builds the columns from the per-state lists (pure; exported for tests). */
export function buildColumns(lists: readonly { state: string; sectors: readonly number[] }[]): { states: string[]; stateGroups: SectorStateGroup[]; number: number[]; state: number[] } {
  const states = lists.map((l) => l.state)
  const total = lists.reduce((a, l) => a + l.sectors.length, 0)
  const nums = new Float64Array(total)
  const idx = new Uint16Array(total)
  let k = 0
  lists.forEach((l, si) => {
    for (const n of l.sectors) {
      nums[k] = n
      idx[k++] = si
    }
  })
  const order = Array.from({ length: total }, (_, i) => i).sort((a, b) => (nums[a] as number) - (nums[b] as number))
  const number: number[] = []
  const state: number[] = []
  let prev = -1
  for (const i of order) {
    const n = nums[i] as number
    // A sector that moved between two of the calls shows up twice: keep one row.
    if (n === prev) continue
    prev = n
    number.push(n)
    state.push(idx[i] as number)
  }
  return { states, stateGroups: states.map(stateGroup), number, state }
}

export async function sectorTable(ctx: ServiceContext, siteId: string): Promise<SectorTable> {
  const t0 = Date.now()
  const { lotus, config } = ctx.sites.get(siteId)
  const settings = ctx.store.getSettings()
  const durations = effectiveDurations(settings, config)
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
  const cols = buildColumns(lists)

  const wanted: number[] = []
  cols.number.forEach((n, i) => {
    if (needsDetail(cols.states[cols.state[i] as number] as string)) wanted.push(n)
  })
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
  const stateOf = new Map<number, string>()
  cols.number.forEach((n, i) => stateOf.set(n, cols.states[cols.state[i] as number] as string))
  const details: SectorRowDetail[] = []
  for (const info of infos) {
    if (!info) continue
    // The list is the truth for the state column; the status may be a moment newer.
    const state = stateOf.get(info.SectorID) ?? info.State
    const entered = enteredAt(info.Log)
    const expectedSec = expectedSecFor(state, durations)
    details.push({
      n: info.SectorID,
      enteredAt: entered,
      retries: info.Retries ?? 0,
      lastErr: lastError(info.LastErr ?? '', logEntries(info.Log)).slice(0, 500),
      expectedSec,
      stuck: isStuck(entered === null ? null : (now - entered) / 1000, expectedSec, settings.stuckMultiple)
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
    targets: { all: updateTargets('').all, usual: Object.fromEntries(cols.states.map((st) => [st, updateTargets(st).suggested])) },
    durations,
    stuckMultiple: settings.stuckMultiple,
    calls: { batches, sectorsStatus: wanted.length },
    detailErrors
  }
}
