/**
 * JSON shapes of the Lotus API methods MinerDesk and the simulator use, as Lotus (v1.36) puts
 * them on the wire (docs/lotus.md "API, tokens and repos" for the envelope).
 * Field names and nesting are Lotus's; do not rename.
 */

export interface Cid {
  '/': string
}
export type TipSetKey = Cid[]

export interface VersionInfo {
  Version: string
  APIVersion: number
  BlockDelay: number
  Agent: string
}

export interface BlockHeader {
  Miner: string
  Ticket: { VRFProof: string } | null
  ElectionProof: { WinCount: number; VRFProof: string } | null
  BeaconEntries: { Round: number; Data: string }[]
  WinPoStProof: { PoStProof: number; ProofBytes: string }[]
  Parents: Cid[]
  ParentWeight: string
  Height: number
  ParentStateRoot: Cid
  ParentMessageReceipts: Cid
  Messages: Cid
  BLSAggregate: { Type: number; Data: string } | null
  Timestamp: number
  BlockSig: { Type: number; Data: string } | null
  ForkSignaling: number
  ParentBaseFee: string
}

export interface TipSet {
  Cids: Cid[]
  Blocks: BlockHeader[]
  Height: number
}

/** SyncState stages as `SyncStateStage.String()` prints them (api/api_full.go). */
export const SYNC_STAGES = [
  'idle',
  'header sync',
  'persisting headers',
  'message sync',
  'complete',
  'error',
  'fetching messages'
] as const

export interface ActiveSync {
  WorkerID: number
  Base: TipSet | null
  Target: TipSet | null
  Stage: number
  Height: number
  Start: string
  End: string
  Message: string
}

export interface SyncState {
  ActiveSyncs: ActiveSync[]
  VMApplied: number
}

export interface NodeStatus {
  SyncStatus: { Epoch: number; Behind: number }
  PeerStatus: { PeersToPublishMsgs: number; PeersToPublishBlocks: number }
  ChainStatus: { BlocksPerTipsetLast100: number; BlocksPerTipsetLastFinality: number }
}

export interface PeerAddrInfo {
  ID: string
  Addrs: string[]
}

export interface PubsubScore {
  ID: string
  Score: {
    Score: number
    Topics: Record<string, { TimeInMesh: number; FirstMessageDeliveries: number; MeshMessageDeliveries: number; InvalidMessageDeliveries: number }>
    AppSpecificScore: number
    IPColocationFactor: number
    BehaviourPenalty: number
  }
}

export interface NetBlockList {
  Peers: string[] | null
  IPAddrs: string[] | null
  IPSubnets: string[] | null
}

export interface Message {
  Version: number
  To: string
  From: string
  Nonce: number
  Value: string
  GasLimit: number
  GasFeeCap: string
  GasPremium: string
  Method: number
  Params: string | null
  CID: Cid
}

export interface Signature {
  Type: number
  Data: string
}

export interface SignedMessage {
  Message: Message
  Signature: Signature
  CID: Cid
}

export interface MpoolConfig {
  PriorityAddrs: string[] | null
  SizeLimitHigh: number
  SizeLimitLow: number
  ReplaceByFeeRatio: number
  PruneCooldown: number
  GasLimitOverestimation: number
}

export interface MessageSendSpec {
  MaxFee: string
  MsgUuid?: string
  MaximizeFeeCap?: boolean
}

export interface BeneficiaryTerm {
  Quota: string
  UsedQuota: string
  Expiration: number
}

export interface MinerInfo {
  Owner: string
  Worker: string
  NewWorker: string
  ControlAddresses: string[] | null
  WorkerChangeEpoch: number
  PeerId: string | null
  Multiaddrs: string[] | null
  WindowPoStProofType: number
  SectorSize: number
  WindowPoStPartitionSectors: number
  ConsensusFaultElapsed: number
  PendingOwnerAddress: string | null
  Beneficiary: string
  BeneficiaryTerm: BeneficiaryTerm
  PendingBeneficiaryTerm: {
    NewBeneficiary: string
    NewQuota: string
    NewExpiration: number
    ApprovedByBeneficiary: boolean
    ApprovedByNominee: boolean
  } | null
}

export interface DeadlineInfo {
  CurrentEpoch: number
  PeriodStart: number
  Index: number
  Open: number
  Close: number
  Challenge: number
  FaultCutoff: number
  WPoStPeriodDeadlines: number
  WPoStProvingPeriod: number
  WPoStChallengeWindow: number
  WPoStChallengeLookback: number
  FaultDeclarationCutoff: number
}

/** RLE+ bitfield as Lotus's JSON encodes it: alternating run lengths, first run of zeros. */
export type BitField = number[]

export interface Deadline {
  PostSubmissions: BitField
  DisputableProofCount: number
  DailyFee: string
}

export interface Partition {
  AllSectors: BitField
  FaultySectors: BitField
  RecoveringSectors: BitField
  LiveSectors: BitField
  ActiveSectors: BitField
}

/** StateSearchMsg / StateWaitMsg (api.MsgLookup): where a message landed and its receipt. */
export interface MsgLookup {
  Message: Cid
  Receipt: { ExitCode: number; Return: string | null; GasUsed: number }
  TipSet: TipSetKey
  Height: number
}

/** StateSectorPartition (Lotus's miner.SectorLocation): where a live sector is proven. */
export interface SectorChainLocation {
  Deadline: number
  Partition: number
}

export interface SectorOnChainInfo {
  SectorNumber: number
  SealProof: number
  SealedCID: Cid
  Activation: number
  Expiration: number
  DealWeight: string
  VerifiedDealWeight: string
  InitialPledge: string
  ExpectedDayReward: string
  ExpectedStoragePledge: string
  PowerBaseEpoch: number
  ReplacedDayReward: string
  SectorKeyCID: Cid | null
  Flags: number
  DailyFee: string
}

/* ---------------------------------------------------------------- miner API */

export interface SectorId {
  Miner: number
  Number: number
}

export interface CallId {
  Sector: SectorId
  ID: string
}

export interface WorkerJob {
  ID: CallId
  Sector: SectorId
  Task: string
  /** >=2 assigned (queued), 1 prepared, 0 running, -1 ret-wait, -2 returned, -3 ret-done */
  RunWait: number
  Start: string
  Hostname?: string
}

export interface TaskResources {
  MinMemory: number
  MaxMemory: number
  GPUUtilization: number
  MaxParallelism: number
  MaxParallelismGPU: number
  BaseMinMemory: number
  MaxConcurrent: number
}

export interface WorkerResources {
  MemPhysical: number
  MemUsed: number
  MemSwap: number
  MemSwapUsed: number
  CPUs: number
  GPUs: string[] | null
  Resources: Record<string, Record<string, TaskResources>>
}

export interface WorkerInfo {
  Hostname: string
  IgnoreResources: boolean
  Resources: WorkerResources
}

export interface WorkerStats {
  Info: WorkerInfo
  Tasks: string[] | null
  Enabled: boolean
  MemUsedMin: number
  MemUsedMax: number
  GpuUsed: number
  CpuUse: number
  TaskCounts: Record<string, number> | null
}

export interface SectorLog {
  Kind: string
  /** Unix seconds. */
  Timestamp: number
  Trace: string
  Message: string
}

export interface SectorPiece {
  Piece: { Size: number; PieceCID: Cid }
  DealInfo: unknown | null
}

export interface SectorInfo {
  SectorID: number
  State: string
  CommD: Cid | null
  CommR: Cid | null
  Proof: string | null
  Deals: number[] | null
  Pieces: SectorPiece[] | null
  Ticket: { Value: string | null; Epoch: number }
  Seed: { Value: string | null; Epoch: number }
  PreCommitMsg: Cid | null
  CommitMsg: Cid | null
  Retries: number
  ToUpgrade: boolean
  ReplicaUpdateMessage: Cid | null
  LastErr: string
  Log: SectorLog[] | null
  SealProof: number
  Activation: number
  Expiration: number
  DealWeight: string
  VerifiedDealWeight: string
  InitialPledge: string
  OnTime: number
  Early: number
}

export interface StorageInfoEntry {
  ID: string
  URLs: string[]
  BaseURLs: string[]
  Weight: number
  CanSeal: boolean
  CanStore: boolean
  Primary: boolean
  AllowTypes: string[] | null
  DenyTypes: string[] | null
  AllowMiners: string[] | null
  DenyMiners: string[] | null
}

export interface StorageInfo {
  ID: string
  URLs: string[]
  Weight: number
  MaxStorage: number
  CanSeal: boolean
  CanStore: boolean
  Groups: string[] | null
  AllowTo: string[] | null
  AllowTypes: string[] | null
  DenyTypes: string[] | null
  AllowMiners: string[] | null
  DenyMiners: string[] | null
}

export interface StorageDecl {
  Miner: number
  Number: number
  SectorFileType: number
}

export interface FsStat {
  Capacity: number
  Available: number
  FSAvailable: number
  Reserved: number
  Max: number
  Used: number
}

/** SectorFileType bits (storiface/filetype.go). */
export const FILE_TYPES = { unsealed: 1, sealed: 2, cache: 4, update: 8, 'update-cache': 16, piece: 32 } as const
export type FileTypeName = keyof typeof FILE_TYPES

/** Lotus names sector files `s-t0<miner>-<n>`, always with `t0`, even on mainnet. */
export function sectorFileName(minerId: number, sector: number): string {
  return `s-t0${minerId}-${sector}`
}

/** API versions (APIVersion = major<<16 | minor<<8 | patch). */
export const API_VERSIONS = {
  fullV1: 131840, // 2.3.0
  fullV0: 66816, // 1.5.0
  miner: 66816, // 1.5.0
  worker: 67328 // 1.7.0
} as const

export function apiVersionString(v: number): string {
  return `${(v >> 16) & 0xff}.${(v >> 8) & 0xff}.${v & 0xff}`
}

/** JSON-RPC error codes of go-jsonrpc and Lotus. */
export const RPC_ERRORS = {
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  generic: 1
} as const
