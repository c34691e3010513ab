import { describe, expect, it } from 'vitest'
import { SECTOR_STATES } from '../../../preload/contract/lotus/states'
import { E, type SectorEvent } from './events'
import { plan } from './fsm'
import { newSectorRecord, type SectorRecord } from './sectorTypes'

const NOW = 1_800_000_000

function rec(state: string, patch: Partial<SectorRecord> = {}): SectorRecord {
  return { ...newSectorRecord(7, 8), state, ...patch }
}

function step(r: SectorRecord, ...events: SectorEvent[]) {
  return plan(r, events, NOW)
}

describe('sector FSM planner (storage/pipeline/fsm.go)', () => {
  it('walks the CC pledge happy path with Lotus event names', () => {
    const r = rec('')
    const path: [SectorEvent, string][] = [
      [E.startCC(7, 8), 'Packing'],
      [E.packed([{ Size: 34359738368, PieceCID: 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq' }]), 'GetTicket'],
      [E.ticket('dGlja2V0', 100), 'PreCommit1'],
      [E.preCommit1('cGMxb3V0'), 'PreCommit2'],
      [E.preCommit2('bagboea4b5abc', 'baga6ea4seaq'), 'SubmitPreCommitBatch'],
      [E.preCommitBatchSent('bafy2bzacea'), 'PreCommitBatchWait'],
      [E.preCommitLanded(['bafy2bzaceb']), 'WaitSeed'],
      [E.seedReady('c2VlZA==', 250), 'Committing'],
      [E.committed('cHJvb2Y='), 'SubmitCommitAggregate'],
      [E.commitAggregateSent('bafy2bzacec'), 'CommitAggregateWait'],
      [E.proving(), 'FinalizeSector'],
      [E.finalized(), 'Proving']
    ]
    for (const [e, next] of path) {
      const res = step(r, e)
      expect(r.state).toBe(next)
      expect(res.handler).toBe(next)
    }
    expect(r.log.map((l) => l.Kind)).toEqual(path.map(([e]) => `event;sealing.${e.type}`))
    expect(r.log[0]).toEqual({ Kind: 'event;sealing.SectorStartCC', Timestamp: NOW, Trace: '', Message: '{"User":{"ID":7,"SectorType":8}}' })
    expect(r.ticketEpoch).toBe(100)
    expect(r.commR).toBe('bagboea4b5abc')
    expect(r.commD).toBe('baga6ea4seaq')
    expect(r.precommitMsg).toBe('bafy2bzacea')
    expect(r.commitMsg).toBe('bafy2bzacec')
    expect(r.seedEpoch).toBe(250)
    expect(r.pieces).toHaveLength(1)
  })

  it('logs error events as {"User":{}} with the error text as Trace', () => {
    const r = rec('PreCommit1')
    step(r, E.sealPreCommit1Failed('seal pre commit(1) failed: storage call error 101: worker restarted'))
    expect(r.state).toBe('SealPreCommit1Failed')
    expect(r.log[0]).toMatchObject({
      Kind: 'event;sealing.SectorSealPreCommit1Failed',
      Message: '{"User":{}}',
      Trace: 'seal pre commit(1) failed: storage call error 101: worker restarted'
    })
    expect(r.pc1Fails).toBe(1)
  })

  it('SectorForceState moves any state to any name, valid or not (the API does not validate)', () => {
    for (const s of SECTOR_STATES) {
      const r = rec('Proving')
      const res = step(r, E.forceState(s))
      expect(r.state).toBe(s === 'PackingFailed' ? 'DealsExpired' : s)
      expect(r.log[0]?.Message).toBe(`{"User":{"State":"${s}"}}`)
      if (s === 'Removed') expect(res.terminated).toBe(true)
      else if (s === 'FaultedFinal' || s === 'FailedUnrecoverable') {
        expect(res.handler).toBeNull()
        expect(r.log[1]?.Kind).toBe('error;*xerrors.errorString')
      } else expect(res.handler).toBe(r.state)
    }
    const bad = rec('Proving')
    const res = step(bad, E.forceState('NoSuchState'))
    expect(bad.state).toBe('NoSuchState')
    expect(res.handler).toBeNull()
    expect(bad.log[1]).toMatchObject({ Kind: 'error;*xerrors.errorString', Message: 'state machine error: unexpected sector update state: NoSuchState' })
    // From an unknown state only a single global event is planned.
    step(bad, E.forceState('Proving'))
    expect(bad.state).toBe('Proving')
  })

  it('applies the global SectorRemove and SectorTerminate in every state', () => {
    for (const s of ['PreCommit1', 'WaitSeed', 'Proving', 'CommitFailed', 'FaultReported']) {
      const r = rec(s)
      expect(step(r, E.remove()).handler).toBe('Removing')
      const t = rec(s)
      expect(step(t, E.terminate()).handler).toBe('Terminating')
    }
  })

  it('Removing → Removed terminates the machine; later events do nothing', () => {
    const r = rec('Removing')
    expect(step(r, E.removed()).terminated).toBe(true)
    expect(r.state).toBe('Removed')
  })

  it('queues events a state does not plan for: planner error in the log, state kept', () => {
    const r = rec('Proving')
    const res = step(r, E.seedReady('c2VlZA==', 5))
    expect(r.state).toBe('Proving')
    expect(res.handler).toBeNull()
    expect(r.log[1]?.Kind).toBe('error;*xerrors.wrapError')
    expect(r.log[1]?.Message).toMatch(/^state machine error: running planner for state Proving failed: planner for state Proving received unexpected event sealing\.SectorSeedReady/)
  })

  it('Removing ignores stray events (planOneOrIgnore) and still runs its handler', () => {
    const r = rec('Removing')
    const res = step(r, E.sealPreCommit1Failed('x'), E.removed())
    expect(res.processed).toBe(1)
    expect(res.handler).toBe('Removing')
    expect(res.logs[0]?.msg).toMatch(/^planOneOrIgnore: ignoring error from planOne/)
  })

  it('Committing: compute failures, commit failures and a changed seed', () => {
    const a = rec('Committing')
    step(a, E.computeProofFailed('computing seal proof failed(1): x'))
    expect(a.state).toBe('ComputeProofFailed')
    const b = rec('Committing')
    step(b, E.commitFailed('commit check error: x'))
    expect(b.state).toBe('CommitFailed')
    const c = rec('Committing', { seedEpoch: 5, seedValue: 'YQ==' })
    step(c, E.seedReady('YQ==', 5))
    expect(c.state).toBe('Committing')
    step(c, E.seedReady('Yg==', 6))
    expect(c.seedEpoch).toBe(6)
  })

  it('retry counters: compute retries count InvalidProofs, PC1 failures reset them', () => {
    const r = rec('ComputeProofFailed')
    step(r, E.retryComputeProof())
    expect(r.state).toBe('Committing')
    expect(r.invalidProofs).toBe(1)
    step(r, E.computeProofFailed('again'))
    step(r, E.retryComputeProof())
    expect(r.invalidProofs).toBe(2)
    step(r, E.computeProofFailed('again'))
    step(r, E.sealPreCommit1Failed('consecutive compute fails'))
    expect(r.state).toBe('SealPreCommit1Failed')
    expect(r.invalidProofs).toBe(0)
    expect(r.pc1Fails).toBe(1)
    step(r, E.retrySealPreCommit1())
    expect(r.state).toBe('PreCommit1')
    step(r, E.sealPreCommit2Failed('x'))
    expect(r.state).toBe('PreCommit1')
  })

  it('PreCommit2 failures count PreCommit2Fails; a new PC1 output resets them', () => {
    const r = rec('PreCommit2')
    step(r, E.sealPreCommit2Failed('seal pre commit(2) failed: storage call error 0: task aborted'))
    expect(r.state).toBe('SealPreCommit2Failed')
    expect(r.pc2Fails).toBe(1)
    step(r, E.retrySealPreCommit1())
    step(r, E.preCommit1('eA=='))
    expect(r.pc2Fails).toBe(0)
  })

  it('PreCommitFailed retries through PreCommitting back to the batch', () => {
    const r = rec('PreCommitFailed')
    step(r, E.retryPreCommit())
    expect(r.state).toBe('PreCommitting')
    step(r, E.preCommitBatch())
    expect(r.state).toBe('SubmitPreCommitBatch')
    step(r, E.chainPreCommitFailed('precommit batch error: x'))
    expect(r.state).toBe('PreCommitFailed')
  })

  it('RecoverDealIDs returns to the state it came from, or fails when none was set', () => {
    const r = rec('RecoverDealIDs')
    step(r, E.updateDealIDs())
    expect(r.log[1]?.Message).toBe('state machine error: running planner for state RecoverDealIDs failed: return state not set')
    const s = rec('RecoverDealIDs', { ret: 'PreCommit1' })
    step(s, E.updateDealIDs())
    expect(s.state).toBe('PreCommit1')
  })

  it('terminal states refuse ordinary events but take global ones', () => {
    const r = rec('FaultedFinal')
    step(r, E.proving())
    expect(r.state).toBe('FaultedFinal')
    expect(r.log[1]?.Message).toMatch(/didn't expect any events in state FaultedFinal/)
    step(r, E.forceState('Proving'))
    expect(r.state).toBe('Proving')
  })

  it('SectorRestart is planned but not logged', () => {
    const r = rec('WaitSeed')
    const res = step(r, E.restart())
    expect(res.handler).toBe('WaitSeed')
    expect(r.log).toHaveLength(0)
  })

  it('keeps at most ~8000 log entries, inserting a truncate marker', () => {
    const r = rec('Proving')
    for (let i = 0; i < 8001; i++) r.log.push({ Kind: 'event;sealing.SectorRestart', Timestamp: i, Trace: '', Message: '{}' })
    step(r, E.forceState('Proving'))
    expect(r.log.length).toBeLessThan(4100)
    expect(r.log[2000]?.Kind).toBe('truncate')
  })
})
