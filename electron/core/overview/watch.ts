import type { JobRow, StageTiming, WatchedSector } from '../../../preload/contract'
import { digestSector, type SectorDigest } from '../health/sectorLog'
import type { PollMemory, RawSectors } from './raw'

/**
 * What the poller remembers between polls for the health model (pure): the watched sectors'
 * digests, the receipts of their commit messages, and when each job was first seen in its state.
 */

/**
 * The digests after a scan: the list is the truth for which sectors are watched and their state;
 * a sector read this poll gets a fresh digest; one that changed state without being read keeps its
 * history but no longer knows when it entered the new state.
 */
export function mergeSectors(known: Readonly<Record<number, SectorDigest>>, scan: RawSectors | null, now: number): Record<number, SectorDigest> {
  if (!scan) return { ...known }
  const read = new Map(scan.statuses.map((s) => [s.SectorID, s]))
  const out: Record<number, SectorDigest> = {}
  for (const [state, sectors] of Object.entries(scan.lists)) {
    for (const n of sectors) {
      const status = read.get(n)
      if (status) out[n] = digestSector({ ...status, State: state }, now)
      else if (known[n]) out[n] = known[n].state === state ? known[n] : { ...known[n], state, enteredAt: null, errors: [] }
    }
  }
  return out
}

/** Landed receipts kept while a watched sector still refers to their message. */
export function mergeReceipts(known: PollMemory['receipts'], scan: RawSectors | null, sectors: Readonly<Record<number, SectorDigest>>): PollMemory['receipts'] {
  const used = new Set(Object.values(sectors).flatMap((d) => (d.commitMsg ? [d.commitMsg] : [])))
  const out: PollMemory['receipts'] = {}
  for (const [cid, r] of Object.entries(known)) if (used.has(cid)) out[cid] = r
  for (const [cid, r] of Object.entries(scan?.receipts ?? {})) if (r && used.has(cid)) out[cid] = { exitCode: r.Receipt.ExitCode, height: r.Height }
  return out
}

/** `${callId}|${sector}|${state}` → first seen, for the jobs listed now. */
export function jobsFirstSeen(known: Readonly<Record<string, number>>, jobs: readonly JobRow[] | null, now: number): Record<string, number> {
  if (!jobs) return { ...known }
  const out: Record<string, number> = {}
  for (const j of jobs) {
    const key = `${j.id}|${j.sector}|${j.state}`
    out[key] = known[key] ?? now
  }
  return out
}

export function watchedList(sectors: Readonly<Record<number, SectorDigest>>, timings: ReadonlyMap<number, StageTiming>): WatchedSector[] {
  return Object.values(sectors)
    .sort((a, b) => a.n - b.n)
    .map((d) => ({ n: d.n, state: d.state, timing: timings.get(d.n) ?? null }))
}
