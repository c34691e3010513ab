import { z } from 'zod'
import { ch, returns, siteIdSchema } from './define'

/**
 * A site's recent past, sampled from the polls the Overview already makes (no extra call to a
 * site): chain sync (epochs behind, head age, peers), the sealing pipeline by state, failed
 * sectors, faults, and sectors that finished sealing. Kept per site in MINERDESK_HOME: every
 * poll for the last 24 hours, and 10-minute buckets for 30 days.
 */

/** One poll of one site, reduced to what the history keeps. Absent values: the node did not answer. */
export interface HistoryPoint {
  /** When the poll finished (ms since epoch); for a bucket, its start. */
  t: number
  daemonUp: boolean
  minerUp: boolean
  height: number | null
  /** NodeStatus Behind (epochs); a bucket keeps its worst. */
  behind: number | null
  /** Age of the head tipset (s); a bucket keeps its worst. */
  headAgeSec: number | null
  /** Connected peers; a bucket keeps its fewest. */
  peers: number | null
  /** SectorsSummary counts of the states outside Proving/Available/Removed (the sealing pipeline and failures). */
  byState: Record<string, number> | null
  proving: number | null
  /** Sectors in the removal and termination states. */
  removed: number | null
  failed: number | null
  faults: number | null
  recoveries: number | null
  /** Sectors that reached Proving since the previous point (a bucket sums them). */
  sealed: number
}

/** Ranges the charts offer (seconds). Up to 24 h every poll; longer ranges in 10-minute buckets. */
export const HISTORY_RANGES = [3600, 6 * 3600, 24 * 3600, 7 * 86400, 30 * 86400] as const
export type HistoryRange = (typeof HISTORY_RANGES)[number]
export const HISTORY_FULL_SEC = 24 * 3600
export const HISTORY_BUCKET_SEC = 600
export const HISTORY_KEEP_SEC = 30 * 86400

export interface SiteHistory {
  siteId: string
  rangeSec: HistoryRange
  /** null: one point per poll; else the bucket length (s). */
  bucketSec: number | null
  points: HistoryPoint[]
  /** Oldest point MinerDesk holds for the site (ms), null when none. */
  since: number | null
}

export interface HistorySampleEvent {
  siteId: string
  point: HistoryPoint
}

export const historyRangeSchema = z.literal(HISTORY_RANGES)

export const historyChannels = {
  /** The site's history over the last `rangeSec` seconds. */
  'history:get': ch(z.tuple([siteIdSchema, historyRangeSchema]), returns<SiteHistory>())
} as const

export const historyEvents = {
  /** A point added to a site's history (after each poll of the app's poll loop). */
  'history:sample': returns<HistorySampleEvent>()
} as const

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))
const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))

/**
 * Folds a later point into a bucket: the worst sync (most epochs behind, oldest head, fewest
 * peers), the most failed and faulty sectors seen, the latest pipeline, and the sealed sectors
 * summed. A bucket keeps the time of its start.
 */
export function mergePoint(bucket: HistoryPoint, p: HistoryPoint): HistoryPoint {
  return {
    t: bucket.t,
    daemonUp: bucket.daemonUp && p.daemonUp,
    minerUp: bucket.minerUp && p.minerUp,
    height: maxOf(bucket.height, p.height),
    behind: maxOf(bucket.behind, p.behind),
    headAgeSec: maxOf(bucket.headAgeSec, p.headAgeSec),
    peers: minOf(bucket.peers, p.peers),
    byState: p.byState ?? bucket.byState,
    proving: p.proving ?? bucket.proving,
    removed: p.removed ?? bucket.removed,
    failed: maxOf(bucket.failed, p.failed),
    faults: maxOf(bucket.faults, p.faults),
    recoveries: maxOf(bucket.recoveries, p.recoveries),
    sealed: bucket.sealed + p.sealed
  }
}

/** Start of the bucket a time falls in. */
export function bucketStart(t: number, bucketSec: number): number {
  const ms = bucketSec * 1000
  return Math.floor(t / ms) * ms
}
