import { describe, expect, it } from 'vitest'
import type { SectorLogEntry } from '../../../preload/contract/sectors'
import { diagnose, enteredAt, eventName, lotusNext, SIGNATURES } from './diagnosis'

let t = 1_700_000_000_000
function ev(name: string, trace = '', message = '{"User":{}}'): SectorLogEntry {
  t += 60_000
  return { kind: `event;sealing.${name}`, name, at: t, message, trace }
}

const VANILLA = [
  'computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated',
  'Stack backtrace:',
  '   0: filecoin_proofs_api::seal::seal_commit_phase1_inner',
  '   1: filecoin_proofs_api::seal::seal_commit_phase1'
].join('\n')

const happyUntilSeed = () => [ev('SectorStartCC'), ev('SectorPacked'), ev('SectorTicket'), ev('SectorPreCommit1'), ev('SectorPreCommit2'), ev('SectorPreCommitBatchSent'), ev('SectorPreCommitLanded'), ev('SectorSeedReady')]

describe('diagnose', () => {
  it('the runbook §7 C1 failure: Invalid vanilla proof generated → remove the sector; Lotus retries C1/C2 twice, then re-seals', () => {
    const log = [...happyUntilSeed(), ev('SectorComputeProofFailed', VANILLA)]
    const d = diagnose({ state: 'ComputeProofFailed', lastErr: VANILLA.split('\n')[0]!, retries: 0, log })
    expect(d.clean).toBe(false)
    expect(d.unknown).toBeNull()
    expect(d.findings.map((f) => f.id)).toEqual(['invalid-vanilla-proof'])
    const f = d.findings[0]!
    expect(f.evidence).toBe(VANILLA.split('\n')[0])
    expect(f.logIndex).toBe(log.length - 1)
    expect(f.remedy).toMatch(/^Remove the sector/)
    expect(f.actions).toContain('remove')
    expect(d.next).toMatchObject({ key: 'cpf-retry', params: { left: 2 } })
  })

  it('what Lotus does after a ComputeProofFailed follows InvalidProofs: retry while it is ≤ 1, re-seal from PreCommit1 after', () => {
    const base = { state: 'ComputeProofFailed', lastErr: '', log: [] }
    expect(lotusNext({ ...base, retries: 0 })).toMatchObject({ key: 'cpf-retry', params: { left: 2 } })
    expect(lotusNext({ ...base, retries: 1 })).toMatchObject({ key: 'cpf-retry', params: { left: 1 } })
    const reseal = lotusNext({ ...base, retries: 2 })
    expect(reseal?.key).toBe('cpf-reseal')
    expect(reseal?.text).toContain('re-seal the sector from PreCommit1')
    expect(reseal?.text).toContain('retried 2 times')
  })

  it('keeps explaining a sector that Lotus sent back to PreCommit1 after consecutive compute fails, until PC1 succeeds', () => {
    const log = [
      ...happyUntilSeed(),
      ev('SectorComputeProofFailed', VANILLA),
      ev('SectorRetryComputeProof'),
      ev('SectorComputeProofFailed', VANILLA),
      ev('SectorRetryComputeProof'),
      ev('SectorComputeProofFailed', VANILLA),
      ev('SectorSealPreCommit1Failed', 'consecutive compute fails'),
      ev('SectorRetrySealPreCommit1')
    ]
    const d = diagnose({ state: 'PreCommit1', lastErr: 'consecutive compute fails', retries: 0, log })
    expect(d.findings.map((f) => f.id)).toEqual(['invalid-vanilla-proof', 'consecutive-compute-fails'])
    expect(d.findings[0]!.logIndex).toBe(log.length - 3)
    expect(d.next).toBeNull()
    const later = diagnose({ state: 'PreCommit2', lastErr: 'consecutive compute fails', retries: 0, log: [...log, ev('SectorPreCommit1')] })
    expect(later.clean).toBe(true)
    expect(later.findings).toEqual([])
  })

  it('insufficient funds for the pre-commit deposit (and not the generic precommit failure as well)', () => {
    const trace = 'precommit batch error: GasEstimateMessageGas error: estimating gas used: message execution failed: exit 19, reason: insufficient funds for pre-commit deposit: 0 (RetCode=19)'
    const d = diagnose({ state: 'PreCommitFailed', lastErr: trace, retries: 0, log: [ev('SectorPreCommit2'), ev('SectorChainPreCommitFailed', trace)] })
    expect(d.findings.map((f) => f.id)).toEqual(['precommit-funds'])
    expect(d.findings[0]!.remedy).toContain('miner actor')
    expect(d.next?.key).toBe('precommit-failed')
  })

  it('ticket expired, worker restarted, aggregate failures, sector not found after cron, ProveCommit exit codes', () => {
    const cases: [string, string, string][] = [
      ['ticket expired: seal height: 2689310, head: 2693200', 'SealPreCommit1Failed', 'ticket-expired'],
      ['seal pre commit(1) failed: storage call error 101: worker restarted', 'SealPreCommit1Failed', 'worker-restarted'],
      ['aggregate error: sending message failed: aggregate seal verify failed', 'CommitFailed', 'aggregate-failed'],
      ['sector failed in aggregate processing: some error', 'CommitFailed', 'aggregate-failed'],
      ['proof validation failed, sector not found in sector set after cron', 'CommitFailed', 'not-found-after-cron'],
      ['sector 12 is allocated, but PreCommit info wasn\'t found on chain', 'PreCommitFailed', 'precommit-info-missing'],
      ['failed to wait for porep inclusion: context canceled', 'CommitFailed', 'porep-wait'],
      ['computing seal proof failed(2): storage call error 0: out of memory', 'ComputeProofFailed', 'compute-proof-c2'],
      ['seal pre commit(2) failed: storage call error 0: task aborted', 'SealPreCommit2Failed', 'task-aborted'],
      ['commit check error: invalid proof (compute error?)', 'CommitFailed', 'invalid-proof'],
      ['pushing message: mpool push: not enough funds: 1 < 2', 'CommitFailed', 'mpool-funds']
    ]
    for (const [trace, state, id] of cases) {
      const d = diagnose({ state, lastErr: trace, retries: 0, log: [ev('SectorSeedReady'), ev('SectorCommitFailed', trace)] })
      expect(d.findings.map((f) => f.id), trace).toEqual([id])
      expect(d.unknown).toBeNull()
    }
    const exit = diagnose({ state: 'CommitFailed', lastErr: '', retries: 0, log: [ev('SectorCommitFailed', 'submitting sector proof failed (exit=16, msg=bafy2bzacea) (t:1; s:2; p:3)')] })
    expect(exit.findings[0]).toMatchObject({ id: 'prove-commit-exit', title: 'The ProveCommit message failed on chain (exit 16)', params: { exit: '16' } })
  })

  it('says so when it does not know an error', () => {
    const d = diagnose({ state: 'FinalizeFailed', lastErr: 'finalize sector: something nobody has seen', retries: 0, log: [ev('SectorCommitted'), ev('SectorFinalizeFailed', 'finalize sector: something nobody has seen\nmore detail')] })
    expect(d.findings).toEqual([])
    expect(d.unknown).toEqual({ text: 'finalize sector: something nobody has seen' })
    expect(d.clean).toBe(false)
    expect(d.next?.key).toBe('finalize-retry')
  })

  it('a failure state with no error text left is still unknown, not clean', () => {
    const d = diagnose({ state: 'FailedUnrecoverable', lastErr: '', retries: 0, log: [] })
    expect(d.unknown).toEqual({ text: '' })
    expect(d.next?.key).toBe('final')
  })

  it('a healthy Proving sector with an old LastErr is clean', () => {
    const log = [...happyUntilSeed(), ev('SectorComputeProofFailed', VANILLA), ev('SectorRetryComputeProof'), ev('SectorCommitted'), ev('SectorProving'), ev('SectorFinalized')]
    const d = diagnose({ state: 'Proving', lastErr: VANILLA.split('\n')[0]!, retries: 1, log })
    expect(d).toEqual({ findings: [], next: null, unknown: null, clean: true })
  })

  it('a removed sector has nothing left to diagnose', () => {
    const log = [...happyUntilSeed(), ev('SectorComputeProofFailed', VANILLA), ev('SectorRemove'), ev('SectorRemoved')]
    expect(diagnose({ state: 'Removed', lastErr: '', retries: 0, log })).toMatchObject({ findings: [], unknown: null, clean: true, next: { key: 'removed' } })
  })

  it('PreCommit1 failures count towards removal after more than 3 (MaxPreCommit1Retries)', () => {
    const fail = () => ev('SectorSealPreCommit1Failed', 'seal pre commit(1) failed: storage call error 0: disk full')
    expect(lotusNext({ state: 'SealPreCommit1Failed', lastErr: '', retries: 0, log: [fail()] })).toMatchObject({ key: 'pc1-retry', params: { left: 3 } })
    const four = [fail(), ev('SectorRetrySealPreCommit1'), fail(), ev('SectorRetrySealPreCommit1'), fail(), ev('SectorRetrySealPreCommit1'), fail()]
    expect(lotusNext({ state: 'SealPreCommit1Failed', lastErr: '', retries: 0, log: four })).toMatchObject({ key: 'pc1-remove', params: { fails: 4 } })
    const pc2 = [fail(), ev('SectorRetrySealPreCommit1'), ev('SectorSealPreCommit2Failed', 'x'), ev('SectorSealPreCommit2Failed', 'x')]
    expect(lotusNext({ state: 'SealPreCommit2Failed', lastErr: '', retries: 0, log: pc2 })).toMatchObject({ key: 'pc2-retry', params: { left: 2 } })
  })

  it('every signature id is unique and every remedy says what to do', () => {
    const ids = SIGNATURES.map((s) => s.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const s of SIGNATURES) expect(s.remedy.length).toBeGreaterThan(20)
  })
})

describe('log helpers', () => {
  it('eventName strips Lotus\'s kind prefix and leaves other kinds alone', () => {
    expect(eventName('event;sealing.SectorComputeProofFailed')).toBe('SectorComputeProofFailed')
    expect(eventName('error;xerrors.wrapError')).toBe('error;xerrors.wrapError')
    expect(eventName('truncate')).toBe('truncate')
  })

  it('enteredAt is the last state-machine event, not a later planner error', () => {
    const log = [
      { Kind: 'event;sealing.SectorStartCC', Timestamp: 100 },
      { Kind: 'event;sealing.SectorPacked', Timestamp: 200 },
      { Kind: 'error;xerrors.wrapError', Timestamp: 300 }
    ]
    expect(enteredAt(log)).toBe(200_000)
    expect(enteredAt(null)).toBeNull()
    expect(enteredAt([])).toBeNull()
  })
})
