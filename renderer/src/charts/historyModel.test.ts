import { describe, expect, it } from 'vitest'
import type { HistoryPoint } from '@contract'
import { pipelineSeries, sealedPerDay, statesIn } from './historyModel'

const pt = (t: number, byState: Record<string, number> | null, sealed = 0): HistoryPoint => ({
  t, daemonUp: true, minerUp: byState !== null, height: null, behind: null, headAgeSec: null, peers: null, byState, proving: null, removed: null, failed: null, faults: null, recoveries: null, sealed
})

describe('history chart data', () => {
  it('lists states in pipeline order, failed last, and leaves gaps where the miner was down', () => {
    const points = [pt(1, { WaitSeed: 1, ComputeProofFailed: 1 }), pt(2, null), pt(3, { PreCommit1: 2 })]
    expect(statesIn(points)).toEqual(['PreCommit1', 'WaitSeed', 'ComputeProofFailed'])
    expect(pipelineSeries(points)[0]).toEqual({ state: 'PreCommit1', data: [[1, 0], [2, null], [3, 2]] })
  })

  it('sums sealed sectors per local day', () => {
    const day1 = new Date(2026, 0, 10, 23, 50).getTime()
    const day2 = new Date(2026, 0, 11, 0, 10).getTime()
    expect(sealedPerDay([pt(day1, {}, 3), pt(day1 + 60_000, {}, 2), pt(day2, {}, 4)])).toEqual([
      { day: '2026-01-10', sealed: 5 },
      { day: '2026-01-11', sealed: 4 }
    ])
  })
})
