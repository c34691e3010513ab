import type { Durations, ProvingCheckState, SiteSnapshot, StageTiming } from '../../../preload/contract'
import type { LogEvent, LogSource } from './logEvents'
import type { SectorDigest } from './sectorLog'

/**
 * Everything the health model knows about one site at one moment: the input of every rule.
 * Built by the poller (snapshot, sector digests) and the runtime (log reads, proving checks).
 */

export interface HealthThresholds {
  /** Epochs behind (NodeStatus Behind) before "sync behind": 5, what Lotus's /health/readyz calls synced. */
  syncBehindEpochs: number
  /**
   * …and at least this many seconds behind: 5 epochs are 150 s on mainnet but a fraction of a
   * second on a fast test chain (the demo runs 60× faster), where that is jitter, not trouble.
   */
  syncBehindMinSec: number
  /** A local message pending longer than this is stuck (10 min = 20 epochs; a sane premium lands in a few). */
  messageStuckSec: number
  /** A vanished worker counts as gone only after this long: a restarted worker re-registers within a minute or two. */
  workerLostGraceSec: number
  /** ret-wait / returned jobs waiting longer than this many epochs were never collected (normally seconds). */
  uncollectedEpochs: number
  /**
   * …and at least this many seconds: a result's way back does not follow the chain. A worker retries
   * its return every 5 s and reconnects to a restarted miner within a minute, so on a fast chain
   * (20 epochs are 10 s on the demo's) a ret-wait right after a miner restart is not yet lost.
   */
  uncollectedMinSec: number
  /** Failures in one sector's log that make a retry loop. */
  loopFailures: number
  /** A log event older than this no longer makes a finding (a slow WindowPoSt yesterday was already reported). */
  logEventMaxAgeSec: number
}

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  syncBehindEpochs: 5,
  syncBehindMinSec: 30,
  messageStuckSec: 600,
  workerLostGraceSec: 120,
  uncollectedEpochs: 20,
  uncollectedMinSec: 60,
  loopFailures: 5,
  logEventMaxAgeSec: 24 * 3600
}

/** NodeStatus Behind is trouble: more epochs than a synced node lags, and long enough in time to matter. */
export function isSyncBehind(daemon: SiteSnapshot['daemon'], t: HealthThresholds): boolean {
  const b = daemon.behindEpochs
  return b !== undefined && b > t.syncBehindEpochs && b * (daemon.blockDelay ?? 30) >= t.syncBehindMinSec
}

export interface LogSourceRead extends LogSource {
  /** Lines read from the end of the file. */
  lines: number
  error?: string
}

export interface LogFacts {
  /** When the logs were read (ms). */
  readAt: number
  sources: LogSourceRead[]
  events: LogEvent[]
}

export interface SiteFacts {
  siteId: string
  now: number
  snapshot: Omit<SiteSnapshot, 'findings'>
  /** Sectors outside Proving/Available/Removed, by number; null when they could not be read. */
  sectors: ReadonlyMap<number, SectorDigest> | null
  /** Receipts of the watched sectors' commit messages that landed (StateSearchMsg), by message CID. */
  receipts: ReadonlyMap<string, { exitCode: number; height: number }>
  /** When MinerDesk first saw each job in its state: `${callId}|${sector}|${state}` → ms. */
  jobFirstSeen: Readonly<Record<string, number>>
  /** The one timing of each watched sector in its state. */
  timings: ReadonlyMap<number, StageTiming>
  logs: LogFacts | null
  /** Finished proving checks, newest first. */
  provingChecks: readonly ProvingCheckState[]
  durations: Durations
  /** Seconds per epoch. */
  blockDelay: number
  /** The stuck factor (settings.stuckMultiple). */
  factor: number
  thresholds: HealthThresholds
}
