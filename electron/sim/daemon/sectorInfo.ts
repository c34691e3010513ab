import type { SectorOnChainInfo } from '../../../preload/contract/lotus/types'
import type { ActorStateData, StoredSector } from './actorState'
import { commRCidOf } from './ids'

/**
 * SectorOnChainInfo as StateSectorGetInfo / StateMinerActiveSectors print it. Sectors that were
 * Proving when the site was created get deterministic values from their number, so 100,000 of
 * them cost no storage; sectors sealed since are stored when their ProveCommit lands.
 */

const EPOCHS_PER_DAY = 2880
/** CC sectors were committed for 540 days (and extended). */
const COMMITMENT = 540 * EPOCHS_PER_DAY

/**
 * The CommR (SealedCID) of a sector: `bagboea4b5abc…`, fixed by miner and sector number.
 * The sealing side uses the same function so `sectors status` and the chain agree.
 */
export function sealedCidFor(minerId: number, sector: number): string {
  return commRCidOf(minerId, sector)
}

/** A cheap integer mix (no crypto needed for jitter; it runs 100,000 times per listing). */
function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35)
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  return h >>> 0
}

/** base × (1000 ± spread)/1000 for every jitter, computed once: BigInt maths per sector is slow. */
function jitterTable(base: bigint, spreadPermille: number): string[] {
  return Array.from({ length: 2 * spreadPermille + 1 }, (_, i) => ((base * BigInt(1000 - spreadPermille + i)) / 1000n).toString())
}

function attoFil(table: string[], h: number): string {
  return table[h % table.length] as string
}

export const TYPICAL_PLEDGE = 182_340_512_004_117_300n
const PLEDGES = jitterTable(TYPICAL_PLEDGE, 80)
const DAY_REWARDS = jitterTable(1_170_455_901_771_202n, 120)
const STORAGE_PLEDGES = jitterTable(23_409_118_035_424_040n, 120)

/** Values typical of a 32 GiB CC sector on mainnet in 2025–26. */
export function pledgeValues(minerId: number, sector: number): Pick<StoredSector, 'InitialPledge' | 'ExpectedDayReward' | 'ExpectedStoragePledge'> {
  return {
    InitialPledge: attoFil(PLEDGES, mix(minerId, sector)),
    ExpectedDayReward: attoFil(DAY_REWARDS, mix(minerId + 1, sector)),
    ExpectedStoragePledge: attoFil(STORAGE_PLEDGES, mix(minerId + 2, sector))
  }
}

/** On-chain facts of a sector that was Proving at creation (activated ~200 sectors a day before). */
export function initialSector(st: ActorStateData, sector: number): StoredSector {
  const age = Math.max(0, st.initial.count - 1 - sector)
  const activation = st.initial.epoch - 120 - Math.floor(age * 14.4)
  // Old sectors were extended so nothing expires within half a year of creation.
  const minExpiry = st.initial.epoch + 180 * EPOCHS_PER_DAY + (sector % EPOCHS_PER_DAY)
  return {
    SealProof: st.sealProof,
    SealedCID: sealedCidFor(st.minerId, sector),
    Activation: activation,
    Expiration: Math.max(activation + COMMITMENT, minExpiry),
    ...pledgeValues(st.minerId, sector),
    DailyFee: '0'
  }
}

export function toOnChainInfo(sector: number, s: StoredSector): SectorOnChainInfo {
  return {
    SectorNumber: sector,
    SealProof: s.SealProof,
    SealedCID: { '/': s.SealedCID },
    Activation: s.Activation,
    Expiration: s.Expiration,
    DealWeight: '0',
    VerifiedDealWeight: '0',
    InitialPledge: s.InitialPledge,
    ExpectedDayReward: s.ExpectedDayReward,
    ExpectedStoragePledge: s.ExpectedStoragePledge,
    PowerBaseEpoch: s.Activation,
    ReplacedDayReward: '0',
    SectorKeyCID: null,
    Flags: s.DailyFee === '0' ? 0 : 1,
    DailyFee: s.DailyFee
  }
}
