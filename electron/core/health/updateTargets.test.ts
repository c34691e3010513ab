import { describe, expect, it } from 'vitest'
import { entry, NOW, sector } from '../../../test/support/healthFacts'
import { SECTOR_STATES } from '../../../preload/contract/lotus/states'
import { digestSector } from './sectorLog'
import { checkTarget, reachable, safeTargets } from './updateTargets'

/**
 * update-state safety from Lotus's handlers (storage/pipeline): a wait state's handler fails a
 * sector that has no message, so those targets are refused before anything is sent.
 */

const at = NOW / 1000 - 600
const d = (state: string, o: Parameters<typeof sector>[3] = {}) => digestSector(sector(1, state, [entry('SectorRestart', at)], o), NOW)

describe('update-state targets', () => {
  it('refuses CommitWait for a sector without a commit message (a PreCommitFailed sector)', () => {
    const s = d('PreCommitFailed', { CommitMsg: null, PreCommitMsg: null })
    expect(checkTarget(s, 'CommitWait')).toEqual({ state: 'CommitWait', ok: false, reasons: ['not-a-transition', 'no-commit-message'] })
    expect(checkTarget(s, 'PreCommitWait')).toEqual({ state: 'PreCommitWait', ok: false, reasons: ['no-precommit-message'] })
    expect(safeTargets(s)).toEqual(['PreCommitFailed', 'PreCommitting', 'SealPreCommit1Failed'])
  })

  it('refuses PreCommitWait to a sector in the commit phase', () => {
    for (const state of ['SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'Committing']) {
      expect(checkTarget(d(state), 'PreCommitWait').reasons, state).toContain('not-a-transition')
    }
  })

  it('offers CommitWait where the runbook uses commitwait.sh: a commit message exists and Lotus can go there', () => {
    expect(checkTarget(d('CommitAggregateWait'), 'CommitWait')).toEqual({ state: 'CommitWait', ok: true, reasons: [] })
    expect(checkTarget(d('CommitFailed'), 'CommitWait').ok).toBe(true)
    expect(checkTarget(d('CommitFailed', { CommitMsg: null }), 'CommitWait').reasons).toEqual(['no-commit-message'])
    // Re-sealing (SealPreCommit1Failed) and PreCommitting would redo a sector whose commit message exists.
    expect(safeTargets(d('CommitFailed'))).toEqual(['CommitFailed', 'WaitSeed', 'Committing', 'PreCommitWait', 'PreCommitFailed', 'CommitWait', 'SubmitCommit', 'PreCommitBatchWait', 'CommitAggregateWait'])
  })

  it('follows the failure handlers: ComputeProofFailed goes to Committing or re-seals, never to a wait state', () => {
    const s = d('ComputeProofFailed', { CommitMsg: null })
    expect(safeTargets(s)).toEqual(['ComputeProofFailed', 'Committing', 'SealPreCommit1Failed'])
    expect(checkTarget(s, 'Proving').reasons).toEqual(['not-a-transition', 'not-committed'])
  })

  it('needs what the handler computes with: a seed for Committing, a proof for SubmitCommit', () => {
    expect(checkTarget(d('ComputeProofFailed', { CommitMsg: null, seedEpoch: 0 }), 'Committing').reasons).toEqual(['no-seed'])
    expect(checkTarget(d('SubmitCommitAggregate', { Proof: null }), 'SubmitCommit').reasons).toEqual(['no-proof'])
  })

  it('never re-seals a sector whose commit message exists, and sends removal to remove', () => {
    expect(checkTarget(d('CommitFailed'), 'SealPreCommit1Failed').reasons).toEqual(['already-committed'])
    expect(checkTarget(d('CommitFailed'), 'Removing').reasons).toEqual(['use-remove'])
    expect(checkTarget(d('PreCommit1', { CommitMsg: null }), 'Removed').reasons).toEqual(['use-remove'])
  })

  it('knows every state Lotus has', () => {
    for (const s of SECTOR_STATES) expect(Array.isArray(reachable(s)), s).toBe(true)
  })
})
