import { PARTITION_SECTORS_32G, provingDeadline, WPOST_PERIOD_DEADLINES } from '../common/clock'
import { MinerActor } from './actor'
import { emptyPartition, type ActorStateData, type DeadlineState } from './actorState'
import * as R from './rangeSet'
import { TYPICAL_PLEDGE } from './sectorInfo'

/** The actor state the chain init writes: Proving sectors spread over deadlines, precommits recorded. */
export function newActorState(args: {
  minerId: number
  sealProof: number
  sectorSize: number
  periodOffset: number
  epoch: number
  active: number[]
  precommitted: { sector: number; epoch: number }[]
  deadlines: number[]
  sealedCid: (sector: number) => string
  lowFunds: boolean
  /** Mark the partitions of the deadline open at `epoch` as already proven. */
  openDeadlineProven?: boolean
}): ActorStateData {
  const deadlines: DeadlineState[] = Array.from({ length: WPOST_PERIOD_DEADLINES }, () => ({ partitions: [], posted: [] }))
  const sorted = [...args.active].sort((a, b) => a - b)
  for (let p = 0, start = 0; start < sorted.length; p++, start += PARTITION_SECTORS_32G) {
    const chunk = R.fromNumbers(sorted.slice(start, start + PARTITION_SECTORS_32G))
    const d = args.deadlines[p % args.deadlines.length] as number
    ;(deadlines[d] as DeadlineState).partitions.push({ ...emptyPartition(), all: chunk })
  }
  if (args.openDeadlineProven) {
    // The miner ran before the simulation began: the deadline open at that moment was already
    // proven (otherwise a freshly started site would show faults its miner had no time to avoid).
    const open = deadlines[provingDeadline(args.epoch, args.periodOffset).Index] as DeadlineState
    open.posted = open.partitions.map((_p, i) => i)
  }
  const st: ActorStateData = {
    minerId: args.minerId,
    sealProof: args.sealProof,
    sectorSize: args.sectorSize,
    periodOffset: args.periodOffset,
    deadlines,
    precommits: {},
    sectors: {},
    initial: { runs: R.fromNumbers(sorted), epoch: args.epoch, count: (sorted[sorted.length - 1] ?? -1) + 1 },
    allocated: R.EMPTY,
    funds: { balance: '0', initialPledge: '0', preCommitDeposits: '0', lockedFunds: '0' }
  }
  const actor = new MinerActor(st, { lowFunds: false })
  let deposits = 0n
  for (const pc of args.precommitted) {
    const deposit = actor.preCommitDeposit(pc.sector)
    deposits += deposit
    st.precommits[String(pc.sector)] = {
      Info: {
        SealProof: args.sealProof,
        SectorNumber: pc.sector,
        SealedCID: { '/': args.sealedCid(pc.sector) },
        SealRandEpoch: pc.epoch - 91,
        DealIDs: null,
        Expiration: pc.epoch + 540 * 2880 + 2880,
        UnsealedCid: null
      },
      PreCommitDeposit: deposit.toString(),
      PreCommitEpoch: pc.epoch
    }
  }
  st.allocated = R.fromNumbers([...sorted, ...args.precommitted.map((p) => p.sector)])
  // The sum over 100,000 sectors of their (±8 %) pledges is their count times the typical pledge.
  const pledge = BigInt(sorted.length) * TYPICAL_PLEDGE
  const locked = pledge / 9n
  // Enough for months of precommits, unless the site simulates the insufficient-funds failure.
  const spare = args.lowFunds ? 12_345_678_901_234_567n : 2_500n * 10n ** 18n
  st.funds = {
    balance: (pledge + locked + deposits + spare).toString(),
    initialPledge: pledge.toString(),
    preCommitDeposits: deposits.toString(),
    lockedFunds: locked.toString()
  }
  return st
}
