import { EMPTY, type Runs } from './rangeSet'

/**
 * The persisted miner actor: what builtin-actors' miner State holds that MinerDesk can see
 * through the State* methods. Sector sets are runs (rangeSet.ts); SectorOnChainInfo of the
 * sectors that were Proving when the site was created is derived on demand (sectorInfo.ts),
 * only sectors activated later are stored one by one.
 */
export interface PartitionState {
  all: Runs
  faulty: Runs
  recovering: Runs
  terminated: Runs
  /** Activated, not yet proven by a WindowPoSt. */
  unproven: Runs
}

export function emptyPartition(): PartitionState {
  return { all: EMPTY, faulty: EMPTY, recovering: EMPTY, terminated: EMPTY, unproven: EMPTY }
}

export interface DeadlineState {
  partitions: PartitionState[]
  /** PostSubmissions: indices of partitions proven in the current challenge window. */
  posted: number[]
}

export interface SectorPreCommitInfo {
  SealProof: number
  SectorNumber: number
  SealedCID: { '/': string }
  SealRandEpoch: number
  DealIDs: number[] | null
  Expiration: number
  UnsealedCid: { '/': string } | null
}

export interface PreCommitOnChain {
  Info: SectorPreCommitInfo
  PreCommitDeposit: string
  PreCommitEpoch: number
}

/** A sector activated after the site was created. */
export interface StoredSector {
  SealProof: number
  SealedCID: string
  Activation: number
  Expiration: number
  InitialPledge: string
  ExpectedDayReward: string
  ExpectedStoragePledge: string
  DailyFee: string
}

export interface ActorStateData {
  minerId: number
  sealProof: number
  sectorSize: number
  /** ProvingPeriodStart modulo the 2880-epoch proving period. */
  periodOffset: number
  deadlines: DeadlineState[]
  precommits: Record<string, PreCommitOnChain>
  sectors: Record<string, StoredSector>
  /** Sectors Proving at creation; their on-chain info is derived from (number, epoch, count). */
  initial: { runs: Runs; epoch: number; count: number }
  /** Sector numbers ever allocated (precommitted or activated). */
  allocated: Runs
  funds: { balance: string; initialPledge: string; preCommitDeposits: string; lockedFunds: string }
}
