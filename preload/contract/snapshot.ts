import type { ConnectionInfo } from './connection'
import type { ErrorInfo } from './errors'

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
  alerts: Alert[]
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
}

export type SectorGroup = 'sealing' | 'failed' | 'proving' | 'removed' | 'other'

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
  /** Expected seconds for this task at this site (null when MinerDesk has no figure). */
  expectedSec: number | null
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

export type AlertSeverity = 'critical' | 'warning' | 'info'
export type AlertKind =
  | 'site-unreachable'
  | 'daemon-down'
  | 'miner-down'
  | 'sync-behind'
  | 'sectors-failed'
  | 'job-overdue'
  | 'worker-lost'
  | 'faults'
  | 'message-stuck'

export interface Alert {
  /** Stable across polls: `${siteId}:${kind}:${subject}`. */
  key: string
  siteId: string
  kind: AlertKind
  severity: AlertSeverity
  /** What the alert is about (job id, worker id, message cid…), '' for site-wide alerts. */
  subject: string
  /** First seen (ms since epoch). */
  since: number
  /** Values for the i18n template `alerts.<kind>`. */
  params: Record<string, string | number>
}

/**
 * The params each alert kind carries for its template `alerts.<kind>` in resources/locales
 * (the renderer, desktop notifications and the CLI all render alerts from these). Durations are
 * pre-formatted in Lotus's short notation (`3h10m`, `45s`): language-neutral and never translated.
 * The name `count` is avoided on purpose: i18next would treat it as a plural selector.
 */
export interface AlertParamsByKind {
  'site-unreachable': Record<string, never>
  'daemon-down': Record<string, never>
  'miner-down': Record<string, never>
  /** epochs = NodeStatus Behind; headAge = age of the head tipset. */
  'sync-behind': { epochs: number; headAge: string }
  'sectors-failed': { sectors: number }
  /** task = short task name (PC1…), host = worker hostname. */
  'job-overdue': { task: string; sector: number; host: string; elapsed: string; expected: string }
  'worker-lost': { host: string }
  'faults': { faults: number; recoveries: number }
  /** from = sender address, age = time pending. */
  'message-stuck': { from: string; nonce: number; age: string }
}

export interface OverviewState {
  snapshots: Record<string, SiteSnapshot>
  connections: Record<string, ConnectionInfo>
}
