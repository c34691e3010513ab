import type { Result } from '../../../preload/contract'
import type { MsgLookup, SectorInfo } from '../../../preload/contract/lotus/types'
import { fullCalls } from '../lotus/fullApi'
import { minerCalls } from '../lotus/minerApi'
import type { CallSpec } from '../lotus/shapes'
import type { SectorDigest } from '../health/sectorLog'
import type { PollMemory, RawSectors } from './raw'

/**
 * The poller's sector scan, so the health model sees every sector that can be stuck or failed —
 * never one call per sector of the 100k Proving ones: SectorsListInStates for each state
 * SectorsSummary reports outside Proving/Available/Removed (one batch), then SectorsStatus of the
 * sectors that are new or changed state since they were read, or were read long ago (their log
 * may have grown), at most MAX_READS per poll (newest questions first); then StateSearchMsg of the
 * commit messages whose receipt is not known yet (Lotus retries exit 6/7 without logging them).
 */

export const UNWATCHED = new Set(['Proving', 'Available', 'Removed'])
export const STATUS_BATCH = 200
export const MAX_READS = 400
const COMMIT_STATES = new Set(['SubmitCommit', 'SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'CommitFailed'])

export type Run = <const C extends readonly CallSpec<unknown>[]>(node: 'daemon' | 'miner', calls: C) => Promise<{ -readonly [K in keyof C]: Result<C[K] extends CallSpec<infer T> ? T : never> }>

/** Which sectors to read this poll: unknown ones first, then changed, then the longest unread. */
export function chooseReads(lists: Readonly<Record<string, readonly number[]>>, known: Readonly<Record<number, SectorDigest>>, now: number, refreshMs: number, max = MAX_READS): number[] {
  const fresh: number[] = []
  const changed: number[] = []
  const stale: { n: number; at: number }[] = []
  for (const [state, sectors] of Object.entries(lists)) {
    for (const n of sectors) {
      const d = known[n]
      if (!d) fresh.push(n)
      else if (d.state !== state) changed.push(n)
      else if (now - d.fetchedAt >= refreshMs) stale.push({ n, at: d.fetchedAt })
    }
  }
  stale.sort((a, b) => a.at - b.at)
  return [...fresh.sort((a, b) => a - b), ...changed.sort((a, b) => a - b), ...stale.map((s) => s.n)].slice(0, max)
}

export async function scanSectors(run: Run, summary: Record<string, number>, memory: PollMemory, now: number, refreshMs: number): Promise<RawSectors> {
  const states = Object.entries(summary)
    .filter(([s, c]) => s !== '' && c > 0 && !UNWATCHED.has(s))
    .map(([s]) => s)
    .sort()
  const out: RawSectors = { lists: {}, statuses: [], errors: 0, receipts: {} }
  if (states.length === 0) return out
  const listed = await run('miner', states.map((s) => minerCalls.sectorsListInStates([s])))
  states.forEach((s, i) => {
    const r = listed[i] as Result<number[] | null>
    if (r.ok) out.lists[s] = r.value ?? []
    else out.errors++
  })
  const wanted = chooseReads(out.lists, memory.sectors, now, refreshMs)
  for (let i = 0; i < wanted.length; i += STATUS_BATCH) {
    const chunk = wanted.slice(i, i + STATUS_BATCH)
    const res = await run('miner', chunk.map((n) => minerCalls.sectorsStatus(n, false)))
    for (const r of res as Array<Result<SectorInfo>>) {
      if (r.ok) out.statuses.push(r.value)
      else out.errors++
    }
  }
  // Commit messages of sectors waiting on them whose receipt is not known yet.
  const msgs = new Set<string>()
  const consider = (state: string, msg: string | null) => {
    if (msg && COMMIT_STATES.has(state) && !memory.receipts[msg]) msgs.add(msg)
  }
  for (const s of out.statuses) consider(s.State, s.CommitMsg?.['/'] ?? null)
  const readNow = new Set(out.statuses.map((s) => s.SectorID))
  for (const d of Object.values(memory.sectors)) if (!readNow.has(d.n)) consider(d.state, d.commitMsg)
  const cids = [...msgs].slice(0, 100)
  if (cids.length > 0) {
    const res = await run('daemon', cids.map((c) => fullCalls.stateSearchMsg({ '/': c })))
    cids.forEach((c, i) => {
      const r = res[i] as Result<MsgLookup | null>
      if (r.ok) out.receipts[c] = r.value
    })
  }
  return out
}
