import { describe, expect, it } from 'vitest'
import { buildRuns, sectorsIn } from './sectorTable'

const expand = (r: ReturnType<typeof buildRuns>) => {
  const out: [number, string][] = []
  for (let i = 0; i < r.runs.length; i += 3) for (let k = 0; k < r.runs[i + 1]!; k++) out.push([r.runs[i]! + k, r.states[r.runs[i + 2]!]!])
  return out
}

describe('buildRuns', () => {
  it('merges per-state lists into runs of consecutive numbers, whatever order Lotus lists them in', () => {
    const r = buildRuns([
      { state: 'Proving', sectors: [5, 0, 1, 2, 3, 4, 9, 10, 12] },
      { state: 'PreCommit1', sectors: [7, 6] },
      { state: 'ComputeProofFailed', sectors: [11] },
      { state: 'Removed', sectors: [8] }
    ])
    expect(r.rows).toBe(13)
    expect(r.runs).toEqual([0, 6, 0, 6, 2, 1, 8, 1, 3, 9, 2, 0, 11, 1, 2, 12, 1, 0])
    expect(r.stateGroups).toEqual(['proving', 'sealing', 'failed', 'removed'])
    expect(sectorsIn(r, (s) => s !== 'Proving')).toEqual(new Map([[6, 'PreCommit1'], [7, 'PreCommit1'], [8, 'Removed'], [11, 'ComputeProofFailed']]))
  })

  it('keeps one row for a sector listed in two states (it moved between the calls)', () => {
    const r = buildRuns([
      { state: 'PreCommit2', sectors: [3, 4] },
      { state: 'WaitSeed', sectors: [4, 5] },
      { state: 'Proving', sectors: [0, 1, 2] }
    ])
    const rows = expand(r)
    expect(rows.map(([n]) => n)).toEqual([0, 1, 2, 3, 4, 5])
    expect(r.rows).toBe(6)
  })

  it('makes a million consecutive sectors a few runs', () => {
    const proving = Array.from({ length: 1_000_000 }, (_, i) => i)
    proving.splice(500_000, 1)
    const r = buildRuns([{ state: 'Proving', sectors: proving }, { state: 'PreCommit1', sectors: [500_000, 1_000_000] }])
    expect(r.runs).toEqual([0, 500_000, 0, 500_000, 1, 1, 500_001, 499_999, 0, 1_000_000, 1, 1])
    expect(r.rows).toBe(1_000_001)
  })
})
