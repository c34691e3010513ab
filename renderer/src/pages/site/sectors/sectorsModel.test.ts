import { describe, expect, it } from 'vitest'
import { buildModel, filterRows, rowGroup, type SectorsModel } from './sectorsModel'
import type { SectorTable } from '@contract'

const DUR = { AP: 120, PC1: 11400, PC2: 3600, WaitSeed: 4500, C1: 10, C2: 900, FIN: 600, GET: 1800 }

function table(n: number): SectorTable {
  // states: 0 Proving, 1 PreCommit1, 2 ComputeProofFailed, 3 Removed
  const number: number[] = []
  const state: number[] = []
  for (let i = 0; i < n; i++) {
    number.push(i)
    state.push(i % 100 === 7 ? 2 : i % 100 === 8 || i % 100 === 9 ? 1 : i % 1000 === 10 ? 3 : 0)
  }
  const details = number
    .filter((_, i) => state[i] === 1 || state[i] === 2)
    .map((x) => ({ n: x, enteredAt: 0, retries: 0, lastErr: '', timing: null, stuck: x % 100 === 9, targets: [] }))
  return {
    siteId: 's',
    takenAt: 1,
    tookMs: 1,
    minerId: 1000,
    states: ['Proving', 'PreCommit1', 'ComputeProofFailed', 'Removed'],
    stateGroups: ['proving', 'sealing', 'failed', 'removed'],
    ...toRuns(number, state),
    details,
    jobs: { '8': [{ id: 'x', workerId: 'w', hostname: 'h', task: 'PC1', taskType: 'seal/v0/precommit/1', state: 'running', runWait: 0, start: 0 }] },
    targets: { all: ['Committing', 'PreCommit1'] },
    durations: DUR,
    stuckMultiple: 2,
    calls: { batches: 3, sectorsStatus: details.length },
    detailErrors: 0
  }
}

/** The contract's runs from per-row columns. */
function toRuns(number: number[], state: number[]): { runs: number[]; rows: number } {
  const runs: number[] = []
  number.forEach((n, i) => {
    const k = runs.length
    if (k >= 3 && runs[k - 1] === state[i] && runs[k - 3]! + runs[k - 2]! === n) runs[k - 2]!++
    else runs.push(n, 1, state[i]!)
  })
  return { runs, rows: number.length }
}

const nums = (m: SectorsModel, rows: Int32Array) => Array.from(rows, (r) => m.numbers[r])

describe('sectors model', () => {
  it('puts failed sectors first, then stuck ones, then sealing, proving and removed ones, each by number', () => {
    const m = buildModel(table(300))
    expect(nums(m, m.order.subarray(0, 10))).toEqual([7, 107, 207, 9, 109, 209, 8, 108, 208, 0])
    expect(m.numbers[m.order[299]!]).toBe(10)
    expect(m.counts).toMatchObject({ all: 299, failed: 3, stuck: 3, sealing: 6, removed: 1, proving: 290 })
    expect(rowGroup(m, 9)).toBe('stuck')
    expect(rowGroup(m, 8)).toBe('sealing')
    expect(m.stateCounts).toEqual([290, 6, 3, 1])
  })

  it('filters by group, by state and by number (prefix or range), keeping the display order', () => {
    const m = buildModel(table(300))
    expect(nums(m, filterRows(m, { group: 'failed', states: [], search: '' }))).toEqual([7, 107, 207])
    expect(nums(m, filterRows(m, { group: 'stuck', states: [], search: '' }))).toEqual([9, 109, 209])
    expect(nums(m, filterRows(m, { group: 'sealing', states: [], search: '' }))).toEqual([9, 109, 209, 8, 108, 208])
    expect(nums(m, filterRows(m, { group: 'all', states: [1], search: '' }))).toEqual([9, 109, 209, 8, 108, 208])
    expect(nums(m, filterRows(m, { group: 'removed', states: [], search: '' }))).toEqual([10])
    expect(nums(m, filterRows(m, { group: 'all', states: [], search: '20' }))).toEqual([207, 209, 208, 20, 200, 201, 202, 203, 204, 205, 206])
    expect(nums(m, filterRows(m, { group: 'all', states: [], search: '105-100' }))).toEqual([100, 101, 102, 103, 104, 105])
    expect(filterRows(m, { group: 'all', states: [], search: 'abc' }).length).toBe(0)
    expect(nums(m, filterRows(m, { group: 'all', states: [], search: '' }))).not.toContain(10)
    expect(filterRows(m, { group: 'all', states: [], search: '' }).length).toBe(299)
    const noRemoved = buildModel(table(10))
    expect(filterRows(noRemoved, { group: 'all', states: [], search: '' })).toBe(noRemoved.order)
  })

  it('handles 200,000 sectors (speed is measured by the sectors bench, not here)', () => {
    const m = buildModel(table(200_000))
    expect(m.order.length).toBe(200_000)
    expect(new Set(m.order).size).toBe(200_000)
    expect(filterRows(m, { group: 'failed', states: [], search: '' }).length).toBe(2000)
    const prefixed = [1999, ...Array.from({ length: 10 }, (_, i) => 19990 + i), ...Array.from({ length: 100 }, (_, i) => 199900 + i)].filter((n) => n % 1000 !== 10)
    const rank = (n: number) => (n % 100 === 7 ? 0 : n % 100 === 9 ? 1 : n % 100 === 8 ? 2 : 3)
    expect(nums(m, filterRows(m, { group: 'all', states: [], search: '1999' }))).toEqual(prefixed.sort((a, b) => rank(a) - rank(b) || a - b))
  })
})
