import type { ConnectionInfo, ErrorInfo, Result, WorkerRow } from '../../../preload/contract'
import type { SectorDigest } from '../health/sectorLog'
import type {
  Deadline,
  DeadlineInfo,
  MinerInfo,
  NodeStatus,
  MsgLookup,
  Partition,
  PeerAddrInfo,
  SectorInfo,
  SignedMessage,
  SyncState,
  TipSet,
  VersionInfo,
  WorkerJob,
  WorkerStats
} from '../../../preload/contract/lotus/types'

/**
 * What one poll gathered, as the Lotus calls answered it: the input of the pure snapshot
 * builder. `null` means the call was not made in this poll (its input was missing, or the
 * value is remembered, like the sector size).
 */
export type Got<T> = Result<T> | null

export interface RawDaemon {
  version: Got<VersionInfo>
  id: Got<string>
  head: Got<TipSet>
  syncState: Got<SyncState>
  nodeStatus: Got<NodeStatus>
  peers: Got<PeerAddrInfo[]>
  walletList: Got<string[]>
  mpoolPending: Got<SignedMessage[]>
}

export interface RawMiner {
  version: Got<VersionInfo>
  session: Got<string>
  actor: Got<string>
  summary: Got<Record<string, number>>
  workerStats: Got<Record<string, WorkerStats>>
  workerJobs: Got<Record<string, WorkerJob[]>>
}

/** Daemon-side calls about the miner actor (they work while lotus-miner is down). */
export interface RawChain {
  /** The actor used: from ActorAddress, or remembered from earlier polls. */
  actor: string | null
  minerInfo: Got<MinerInfo>
  provingDeadline: Got<DeadlineInfo>
  deadlines: Got<Deadline[]>
  /** One per deadline, in order; null when the deadlines were not known. */
  partitions: Array<Result<Partition[]>> | null
}

/** The sector scan: every sector outside Proving/Available/Removed, and the statuses read this poll. */
export interface RawSectors {
  /** State → sectors (SectorsListInStates), for the states SectorsSummary reported. */
  lists: Record<string, number[]>
  /** SectorsStatus (without on-chain info) of the sectors the scan chose to (re)read. */
  statuses: SectorInfo[]
  /** SectorsStatus calls that failed (a sector removed between the list and its status, say). */
  errors: number
  /** StateSearchMsg of commit messages not known yet: CID → lookup (null while pending). */
  receipts: Record<string, MsgLookup | null>
}

export interface RawPoll {
  startedAt: number
  finishedAt: number
  connection: ConnectionInfo
  /** The SSH failure that stopped the poll before any Lotus call (site unreachable). */
  sshError: ErrorInfo | null
  daemon: RawDaemon
  miner: RawMiner
  chain: RawChain
  /** Null when the miner's summary did not answer (or the scan failed as a whole). */
  sectors: RawSectors | null
  /** JSON-RPC calls made (each element of a batch counts) and HTTP requests sent. */
  calls: number
  httpRequests: number
  /** JSON-RPC bytes sent and received (request and response bodies). */
  bytes: number
}

/** What the poller remembers between polls (kept outside the snapshot, passed to the builder). */
export interface PollMemory {
  actor: string | null
  sectorSize: number | null
  /** `actor|session` the sector size was read for: StateMinerInfo runs once per miner session. */
  minerInfoKey: string | null
  /**
   * The miner's Session UUID and when MinerDesk first saw it after another one (the miner
   * restarted then); `since` is null for the first session seen (its start is unknown).
   */
  minerSession: { id: string; since: number | null } | null
  /** Deadlines per proving period (48 on mainnet), so partitions can join the deadlines' batch. */
  deadlineCount: number | null
  /** Workers by id as last seen (present or missing). */
  workers: Record<string, WorkerRow>
  /** Local pending message CID → when first seen pending (ms). */
  messageFirstSeen: Record<string, number>
  /** What the health model keeps of each watched sector (not its log), by number. */
  sectors: Record<number, SectorDigest>
  /** Receipts of watched sectors' commit messages that landed, by CID (they never change). */
  receipts: Record<string, { exitCode: number; height: number }>
  /** `${callId}|${sector}|${state}` → when a job was first seen in that state (ms). */
  jobFirstSeen: Record<string, number>
  /**
   * The proving calls' answers at one tipset (`chainKey`): state at a tipset never changes, so
   * while the head stays (30 s on mainnet) a poll asks only for what can change.
   */
  chainAt: { key: string; provingDeadline: Result<DeadlineInfo>; deadlines: Result<Deadline[]>; partitions: Array<Result<Partition[]>> } | null
}

/** The miner actor and the tipset the proving calls were made at. */
export function chainKey(actor: string, head: Pick<TipSet, 'Cids' | 'Height'>): string {
  return `${actor}|${head.Height}|${head.Cids.map((c) => c['/']).join(',')}`
}

export function emptyMemory(): PollMemory {
  return { actor: null, sectorSize: null, minerInfoKey: null, minerSession: null, deadlineCount: null, workers: {}, messageFirstSeen: {}, sectors: {}, receipts: {}, jobFirstSeen: {}, chainAt: null }
}

export function emptyRaw(connection: ConnectionInfo, startedAt: number): RawPoll {
  return {
    startedAt,
    finishedAt: startedAt,
    connection,
    sshError: null,
    daemon: { version: null, id: null, head: null, syncState: null, nodeStatus: null, peers: null, walletList: null, mpoolPending: null },
    miner: { version: null, session: null, actor: null, summary: null, workerStats: null, workerJobs: null },
    chain: { actor: null, minerInfo: null, provingDeadline: null, deadlines: null, partitions: null },
    sectors: null,
    calls: 0,
    httpRequests: 0,
    bytes: 0
  }
}
