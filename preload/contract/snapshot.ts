import type { ConnectionInfo } from './connection'
import type { ErrorInfo } from './errors'
import type { Finding, StageTiming } from './health'
import type { SectorGroup } from './lotus/states'

/** One poll of one site: everything the Overview and the site page show. Built from bulk calls only. */
export interface SiteSnapshot {
  siteId: string
  /** When the poll finished (ms since epoch) and how long it took. */
  takenAt: number
  tookMs: number
  /** Poll sequence number for this site (starts at 1). */
  seq: number
  connection: ConnectionInfo
  daemon: DaemonSnapshot
  miner: MinerSnapshot
  pipeline: PipelineSnapshot | null
  jobs: JobsSnapshot | null
  workers: WorkersSnapshot | null
  proving: ProvingSnapshot | null
  messages: MessagesSnapshot | null
  /** The sectors outside Proving/Available/Removed, with the one timing of each in its state. */
  sectors: SectorWatch | null
  /** What the health model judges (electron/core/health), worst first: every screen reads these. */
  findings: Finding[]
  /**
   * Why a part is null although its node answered (e.g. a token without `write` for
   * WalletList leaves `messages` null). Parts of a node that is down carry no entry here:
   * `daemon.error` / `miner.error` say why.
   */
  partErrors?: Partial<Record<SnapshotPart, ErrorInfo>>
}

export type SnapshotPart = 'pipeline' | 'jobs' | 'workers' | 'proving' | 'messages'

export type Health = 'ok' | 'warning' | 'critical' | 'unknown'

export interface DaemonSnapshot {
  up: boolean
  error?: ErrorInfo
  version?: string
  apiVersion?: number
  /** Seconds per epoch as the node reports it (30 on mainnet). */
  blockDelay?: number
  peerId?: string
  height?: number
  /** Unix seconds of the head tipset. */
  headTimestamp?: number
  headAgeSec?: number
  /** NodeStatus.SyncStatus.Behind (epochs). */
  behindEpochs?: number
  /** Active sync workers (SyncState) that are not complete. */
  syncing?: SyncWorker[]
  peers?: number
}

export interface SyncWorker {
  workerId: number
  stage: string
  baseHeight: number | null
  targetHeight: number | null
  height: number
  message?: string
}

export interface MinerSnapshot {
  up: boolean
  error?: ErrorInfo
  version?: string
  apiVersion?: number
  actor?: string
  sectorSize?: number
  /** Miner Session UUID; a change means the miner restarted. */
  session?: string
  /** When MinerDesk first saw this session after another one (ms since epoch): about when the miner restarted. */
  sessionSince?: number
}


export interface PipelineSnapshot {
  /** SectorsSummary as Lotus returns it: state name → count. */
  byState: Record<string, number>
  byGroup: Record<SectorGroup, number>
  total: number
}

/** `sealing jobs` states; `assigned` covers `assigned(N)`. */
export type JobState = 'running' | 'prepared' | 'assigned' | 'ret-wait' | 'returned' | 'ret-done'

export interface JobRow {
  /** Full call UUID (all zeros for queued requests). */
  id: string
  workerId: string
  hostname: string
  sector: number
  /** Short task name (PC1, C2, …); `taskType` is Lotus's full string. */
  task: string
  taskType: string
  state: JobState
  /** RunWait as Lotus reports it. */
  runWait: number
  /** Job start (ms since epoch) or null when Lotus has none. */
  start: number | null
  elapsedSec: number | null
  /** The stage this job is the work of, timed from when its sector entered it (null: no figure). */
  timing: StageTiming | null
  /** timing.level is `overdue`. */
  overdue: boolean
}

export interface JobsSnapshot {
  total: number
  /** task short name → job state → count */
  byTask: Record<string, Partial<Record<JobState, number>>>
  list: JobRow[]
}

export interface WorkerRow {
  id: string
  hostname: string
  enabled: boolean
  /** Task short names the worker accepts. */
  tasks: string[]
  cpus: number
  cpuUse: number
  memPhysical: number
  memUsed: number
  memSwap: number
  memSwapUsed: number
  gpus: string[]
  gpuUsed: number
  /** short task name → running count */
  taskCounts: Record<string, number>
  /** Last time MinerDesk saw it in WorkerStats (ms since epoch). */
  lastSeen: number
  /** Seen before, absent now. */
  missing: boolean
  /** When MinerDesk first found it absent while the miner answered (ms since epoch). */
  missingSince?: number
}

export interface WorkersSnapshot {
  list: WorkerRow[]
  online: number
  disabled: number
  missing: number
}

export interface DeadlineRow {
  index: number
  /** Epoch the deadline opens in the current proving period and its wall-clock time (ms). */
  openEpoch: number
  openAt: number
  partitions: number
  sectors: number
  faults: number
  recoveries: number
  /** Partitions proven in this period (PostSubmissions count). */
  proven: number
  current: boolean
  /** The faulty and recovering sector numbers of each partition that has any (capped per snapshot). */
  faultsByPartition?: PartitionFaults[]
}

export interface PartitionFaults {
  partition: number
  faulty: number[]
  recovering: number[]
}

export interface ProvingSnapshot {
  currentEpoch: number
  periodStart: number
  deadlineIndex: number
  open: number
  close: number
  /** Wall-clock close of the current deadline (ms). */
  closeAt: number
  /** Next deadline (after the current) that has live sectors, and when it opens. */
  nextWithSectors: { index: number; openEpoch: number; openAt: number } | null
  deadlines: DeadlineRow[]
  faults: number
  recoveries: number
  sectors: number
}

export interface PendingMessage {
  cid: string
  from: string
  to: string
  nonce: number
  method: number
  value: string
  gasFeeCap: string
  gasPremium: string
  gasLimit: number
  /** When MinerDesk first saw it pending (ms since epoch). */
  firstSeen: number
  ageSec: number
}

export interface MessagesSnapshot {
  count: number
  oldestAgeSec: number | null
  list: PendingMessage[]
}

/** A sector the poller watches (not Proving, Available or Removed). */
export interface WatchedSector {
  n: number
  state: string
  /** Null when its state has no limit or when it entered it is not known yet. */
  timing: StageTiming | null
}

export interface SectorWatch {
  list: WatchedSector[]
  /** Sectors whose status the poller has read (the rest are read over the next polls). */
  read: number
  /** SectorsStatus calls that failed in this poll. */
  errors: number
}

export interface OverviewState {
  snapshots: Record<string, SiteSnapshot>
  connections: Record<string, ConnectionInfo>
}
