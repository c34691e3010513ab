import { describe, expect, it } from 'vitest'
import { SECTOR_STATES } from '../../../preload/contract/lotus/states'
import { decide } from './autopledge'
import { allTargets, needsDetail, requireState, suggestStates } from './states'
import { minerIdOf } from './topology'

describe('update-state targets', () => {
  it('accepts Lotus\'s 63 states and the runbook\'s spellings, refuses typos with a suggestion', () => {
    expect(SECTOR_STATES).toHaveLength(63)
    expect(requireState('CommitWait')).toBe('CommitWait')
    expect(requireState('precommitwait')).toBe('PreCommitWait')
    expect(() => requireState('Comitting')).toThrow(/not a sector state Lotus accepts \(did you mean Committing/)
    expect(() => requireState('Proving; rm -rf /')).toThrow(/not a sector state/)
    expect(suggestStates('PreComit1')).toContain('PreCommit1')
  })

  it('names every state update-state accepts, sorted', () => {
    const all = allTargets()
    expect(all).toHaveLength(63)
    expect([...all].sort()).toEqual(all)
  })
})

describe('which sectors the list reads one by one', () => {
  it('are those outside Proving, Available and Removed', () => {
    expect(needsDetail('Proving') || needsDetail('Removed') || needsDetail('Available')).toBe(false)
    expect(needsDetail('PreCommit1')).toBe(true)
  })
})

describe('misc', () => {
  it('reads the miner ID from the actor address', () => {
    expect(minerIdOf('f01234')).toBe(1234)
    expect(minerIdOf('t01000')).toBe(1000)
    expect(() => minerIdOf('f3abc')).toThrow(/not an ID address/)
  })

  it('autopledge pledges only below the target with a free PC1 worker and nothing queued', () => {
    expect(decide({ sealing: 2, target: 4, queuedApPc1: 0, workersForPc1: 1 })).toBe('pledge')
    expect(decide({ sealing: 4, target: 4, queuedApPc1: 0, workersForPc1: 1 })).toBe('enough')
    expect(decide({ sealing: 2, target: 4, queuedApPc1: 1, workersForPc1: 1 })).toBe('no-room')
    expect(decide({ sealing: 2, target: 4, queuedApPc1: 0, workersForPc1: 0 })).toBe('no-room')
  })
})
