import { describe, expect, it } from 'vitest'
import { SECTOR_STATES } from '../../../preload/contract/lotus/states'
import { decide } from './autopledge'
import { lastError, logEntries } from './diagnosis'
import { expectedSecFor, isStuck, needsDetail, requireState, suggestStates, updateTargets } from './states'
import { minerIdOf } from './topology'

const D = { AP: 120, PC1: 11400, PC2: 3600, WaitSeed: 4500, C1: 10, C2: 900, FIN: 600, GET: 1800 }

describe('update-state targets', () => {
  it('accepts Lotus\'s 63 states and the runbook\'s spellings, refuses typos with a suggestion', () => {
    expect(SECTOR_STATES).toHaveLength(63)
    expect(requireState('CommitWait')).toBe('CommitWait')
    expect(requireState('precommitwait')).toBe('PreCommitWait')
    expect(() => requireState('Comitting')).toThrow(/not a sector state Lotus accepts \(did you mean Committing/)
    expect(() => requireState('Proving; rm -rf /')).toThrow(/not a sector state/)
    expect(suggestStates('PreComit1')).toContain('PreCommit1')
  })

  it('offers the usual targets for a state first, with the runbook\'s shortcuts, then all states', () => {
    expect(updateTargets('ComputeProofFailed').suggested.slice(0, 3)).toEqual(['Committing', 'SealPreCommit1Failed', 'PreCommit1'])
    expect(updateTargets('CommitFailed').suggested).toContain('CommitWait')
    expect(updateTargets('PreCommitFailed').suggested).toContain('PreCommitWait')
    expect(updateTargets('Proving').suggested).toEqual([])
    const all = updateTargets('Proving').all
    expect(all).toHaveLength(63)
    expect([...all].sort()).toEqual(all)
  })
})

describe('stuck', () => {
  it('compares time in state with the runbook duration of the task it waits for', () => {
    expect(expectedSecFor('PreCommit1', D)).toBe(11400)
    expect(expectedSecFor('Committing', D)).toBe(910)
    expect(expectedSecFor('FinalizeSector', D)).toBe(2400)
    expect(expectedSecFor('SubmitPreCommitBatch', D)).toBeNull()
    expect(isStuck(2 * 11400 + 1, 11400, 2)).toBe(true)
    expect(isStuck(2 * 11400, 11400, 2)).toBe(false)
    expect(isStuck(null, 11400, 2)).toBe(false)
    expect(isStuck(1e9, null, 2)).toBe(false)
    expect(needsDetail('Proving') || needsDetail('Removed') || needsDetail('Available')).toBe(false)
    expect(needsDetail('PreCommit1')).toBe(true)
  })
})

describe('last error', () => {
  it('is the newest error since the sector last made progress (current Lotus leaves LastErr empty)', () => {
    const log = logEntries([
      { Kind: 'event;sealing.SectorSeedReady', Timestamp: 1 },
      { Kind: 'event;sealing.SectorComputeProofFailed', Timestamp: 2, Trace: 'computing seal proof failed(1): x\nStack backtrace:' },
      { Kind: 'event;sealing.SectorRetryComputeProof', Timestamp: 3 }
    ])
    expect(lastError('', log)).toBe('computing seal proof failed(1): x')
    expect(lastError('', logEntries([...log.map((e) => ({ Kind: e.kind, Timestamp: e.at / 1000, Trace: e.trace })), { Kind: 'event;sealing.SectorCommitted', Timestamp: 4 }]))).toBe('')
    expect(lastError('old miner LastErr\nmore', [])).toBe('old miner LastErr')
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
