import type { DeadlineRow, PartitionFaults, ProvingSnapshot } from '../../../preload/contract'
import { count, toArray } from '../lotus/bitfield'
import type { Deadline, DeadlineInfo, Partition } from '../../../preload/contract/lotus/types'

/**
 * The proving part of a snapshot, as `lotus-miner proving deadlines` computes it
 * (cli/spcli/proving.go): per deadline the partitions with live sectors, live sectors, faulty
 * sectors and proven partitions (PostSubmissions); the open time of each deadline in the current
 * proving period, converted to wall-clock time from a tipset's timestamp and the block delay
 * (deadlineOpenTime there does the same from the head).
 */

export interface ChainClock {
  /** A tipset height and its timestamp (unix seconds). */
  height: number
  timestamp: number
  /** Seconds per epoch. */
  blockDelay: number
}

export function epochToMs(clock: ChainClock, epoch: number): number {
  return (clock.timestamp + (epoch - clock.height) * clock.blockDelay) * 1000
}

/**
 * Faulty and recovering sector numbers kept per snapshot: the health model names them; past this
 * the counts stay exact and the lists are cut (a site with 100k faults has one problem, not 100k).
 */
export const MAX_FAULT_NUMBERS = 2000

export function buildProving(di: DeadlineInfo, deadlines: readonly Deadline[], partitions: ReadonlyArray<readonly Partition[]>, clock: ChainClock): ProvingSnapshot {
  const window = di.WPoStChallengeWindow
  let budget = MAX_FAULT_NUMBERS
  const rows: DeadlineRow[] = deadlines.map((dl, index) => {
    let parts = 0
    let sectors = 0
    let faults = 0
    let recoveries = 0
    const faultsByPartition: PartitionFaults[] = []
    ;(partitions[index] ?? []).forEach((p, partition) => {
      const live = count(p.LiveSectors)
      if (live > 0) parts++
      sectors += live
      const f = count(p.FaultySectors)
      const r = count(p.RecoveringSectors)
      faults += f
      recoveries += r
      if (f + r > 0) {
        const faulty = toArray(p.FaultySectors, Math.max(0, budget))
        budget -= faulty.length
        const recovering = toArray(p.RecoveringSectors, Math.max(0, budget))
        budget -= recovering.length
        faultsByPartition.push({ partition, faulty, recovering })
      }
    })
    const openEpoch = di.PeriodStart + index * window
    return {
      index,
      openEpoch,
      openAt: epochToMs(clock, openEpoch),
      partitions: parts,
      sectors,
      faults,
      recoveries,
      proven: count(dl.PostSubmissions),
      current: index === di.Index,
      ...(faultsByPartition.length > 0 ? { faultsByPartition } : {})
    }
  })
  const n = rows.length
  let next: ProvingSnapshot['nextWithSectors'] = null
  for (let k = 1; k <= n && next === null; k++) {
    const i = (di.Index + k) % n
    const row = rows[i]!
    if (row.sectors > 0) {
      // A deadline at or before the current one opens next in the following period.
      const openEpoch = i > di.Index ? row.openEpoch : row.openEpoch + di.WPoStProvingPeriod
      next = { index: i, openEpoch, openAt: epochToMs(clock, openEpoch) }
    }
  }
  return {
    currentEpoch: di.CurrentEpoch,
    periodStart: di.PeriodStart,
    deadlineIndex: di.Index,
    open: di.Open,
    close: di.Close,
    closeAt: epochToMs(clock, di.Close),
    nextWithSectors: next,
    deadlines: rows,
    faults: rows.reduce((a, r) => a + r.faults, 0),
    recoveries: rows.reduce((a, r) => a + r.recoveries, 0),
    sectors: rows.reduce((a, r) => a + r.sectors, 0)
  }
}
