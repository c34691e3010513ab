import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChainClock } from '../common/clock'
import type { GoLogger } from '../common/golog'
import type { Batchers } from './batchers'
import { CallError } from './calls'
import type { ChainApi, MsgLookup } from './chain'
import type { MinerConfig } from './config'
import { E } from './events'
import { createHandlers } from './handlers'
import type { Manager } from './manager'
import { minerRepoFiles } from './repoFiles'
import { Sealing } from './sealing'
import { SectorStore } from './sectorStore'
import { newSectorRecord, type SectorRecord } from './sectorTypes'
import type { StorageIndex } from './storageIndex'

/**
 * The state handlers driven through the real state machine engine, against an in-memory chain
 * and sealing manager whose answers each test sets: Lotus's retry rules and cooldowns, removal,
 * termination, and the seed wait.
 */

const SPEED = 3000 // MinRetryTime 60 s → 20 ms

interface World {
  sealing: Sealing
  store: SectorStore
  logs: string[]
  head: { Height: number }
  removed: number[]
  calls: Record<string, number>
  fail: Partial<Record<'pc1' | 'pc2' | 'c1' | 'c2' | 'fin' | 'precommit', string>>
  /** Calls that still return ErrTempWorkerRestart (the worker restarted under them). */
  soft: Partial<Record<'pc1' | 'pc2', number>>
  onChain: Set<number>
  chainAt: { epoch: number; cb: () => void }[]
}

const dirs: string[] = []
const worlds: World[] = []
afterEach(() => {
  // Handlers still running write their state changes to the store: stop them before its directory goes.
  for (const w of worlds.splice(0)) w.sealing.stop()
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function world(): World {
  const dir = mkdtempSync(join(tmpdir(), 'mdsim-handlers-'))
  dirs.push(dir)
  const clock = new ChainClock(Date.now() / 1000 - 1_000_000 * (30 / SPEED), SPEED)
  const files = minerRepoFiles(dir)
  const meta = { version: 1 as const, minerId: 1000, sealProof: 8, sectorSize: 34359738368, nextSector: 100, initEpoch: 1_000_000, initCount: 0, bulk: [] }
  const store = new SectorStore(files, meta, { minerId: 1000, sealProof: 8, sectorSize: 34359738368, clock, initEpoch: 1_000_000, initCount: 0 })
  const logs: string[] = []
  const log: GoLogger = {
    debug: () => {},
    info: (_c, m) => logs.push(`INFO ${m}`),
    warn: (_c, m) => logs.push(`WARN ${m}`),
    error: (_c, m) => logs.push(`ERROR ${m}`)
  }
  const w: World = { sealing: null as unknown as Sealing, store, logs, head: { Height: 1_000_000 }, removed: [], calls: {}, fail: {}, soft: {}, onChain: new Set(), chainAt: [] }
  worlds.push(w)
  const count = (k: string) => (w.calls[k] = (w.calls[k] ?? 0) + 1)
  const maybeFail = async (k: keyof World['fail'], v: unknown) => {
    count(k)
    const soft = k === 'pc1' || k === 'pc2' ? (w.soft[k] ?? 0) : 0
    if (soft > 0) {
      w.soft[k as 'pc1' | 'pc2'] = soft - 1
      throw new CallError(101, 'worker [name: site-1-pc1] restarted')
    }
    const f = w.fail[k]
    if (f) throw new CallError(0, f)
    return v
  }
  const landed = (cid: string): MsgLookup => ({
    Message: { '/': cid },
    Receipt: { ExitCode: 0, Return: null, GasUsed: 1, EventsRoot: null },
    ReturnDec: null,
    TipSet: [{ '/': 'bafy2bzacets' }],
    Height: w.head.Height
  })
  const chain = {
    maddr: 'f01000',
    head: async () => ({ Height: w.head.Height, Cids: [{ '/': 'bafy2bzacehead' }], Blocks: [] }),
    searchMsg: async (cid: string) => landed(cid),
    waitMsg: async (cid: string) => landed(cid),
    sectorInfo: async (n: number) => (w.onChain.has(n) ? { SectorNumber: n } : null),
    deadlines: async () => [],
    partitions: async () => [],
    provingDeadline: async () => ({ Index: 0, WPoStPeriodDeadlines: 48 }),
    preCommitInfo: async () => null
  } as unknown as ChainApi
  const manager = {
    addPiece: (r: SectorRecord) => maybeFail('pc1', { Size: 34359738368, PieceCID: { '/': `baga-${r.n}` } }),
    sealPreCommit1: () => maybeFail('pc1', 'cGMxb3V0'),
    sealPreCommit2: (r: SectorRecord) => maybeFail('pc2', { Sealed: { '/': `bagboea-${r.n}` }, Unsealed: { '/': 'baga6ea4seaq' } }),
    sealCommit1: () => maybeFail('c1', 'YzFvdXQ='),
    sealCommit2: () => maybeFail('c2', 'cHJvb2Y='),
    finalizeSector: () => maybeFail('fin', undefined),
    releaseUnsealed: () => {},
    removeSector: (r: SectorRecord) => void w.removed.push(r.n),
    waitForever: () => new Promise(() => {})
  } as unknown as Manager
  const batch = (k: keyof World['fail']) => ({
    add: async (n: number) => {
      count(k)
      if (w.fail[k]) throw new Error(w.fail[k])
      return `bafy2bzace-${k}-${n}`
    },
    pending: () => []
  })
  const commit = batch('c2')
  const batchers = {
    precommit: batch('precommit'),
    // ProveCommitAggregate activates the sector on chain.
    commit: { add: async (n: number) => commit.add(n).then((cid) => (w.onChain.add(n), cid)), pending: () => [] },
    terminate: batch('fin')
  } as unknown as Batchers
  const config: MinerConfig = {
    listenAddress: '',
    remoteListenAddress: '127.0.0.1:2345',
    localWorkerName: '',
    allow: { addPiece: false, preCommit1: false, preCommit2: false, commit: false, unseal: false, sectorDownload: true },
    maxSealingSectors: 0,
    finalizeEarly: false,
    makeCCSectorsAvailable: false
  }
  const handlers = createHandlers({
    minerId: 1000,
    sectorSize: 34359738368,
    clock,
    chain,
    manager,
    batchers,
    index: { holding: () => [] } as unknown as StorageIndex,
    log,
    config,
    chainAt: (epoch, cb) => w.chainAt.push({ epoch, cb }),
    commit: () => {}
  })
  w.sealing = new Sealing(store, handlers, log)
  return w
}

function put(w: World, state: string, patch: Partial<SectorRecord> = {}): SectorRecord {
  const r = { ...newSectorRecord(5, 8), state, ...patch }
  w.store.put(r)
  return r
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now()
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not reached: ${pred.toString()}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

const kinds = (r: SectorRecord) => r.log.map((l) => l.Kind.replace('event;sealing.', ''))

const sealed = {
  ticketValue: 'dA==',
  ticketEpoch: 1_000_000 - 950,
  commD: 'baga6ea4seaq',
  commR: 'bagboea',
  pieces: [{ Size: 34359738368, PieceCID: 'baga' }]
}

describe('sector state handlers (storage/pipeline/states_*.go)', () => {
  it('a pledged sector goes all the way to Proving', async () => {
    const w = world()
    w.sealing.send(9, E.startCC(9, 8))
    await until(() => w.chainAt.length > 0)
    const r = w.store.get(9) as SectorRecord
    expect(r.state).toBe('WaitSeed')
    w.head.Height += 200
    for (const c of w.chainAt.splice(0)) c.cb()
    await until(() => r.state === 'Proving')
    expect(kinds(r)).toEqual([
      'SectorStartCC', 'SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent',
      'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorCommitAggregateSent', 'SectorProving', 'SectorFinalized'
    ])
    expect(r.precommitEpoch).toBe(1_000_000)
    expect(r.seedEpoch).toBe(1_000_150)
    expect(w.logs).toContain('INFO Sector precommitted: 9')
    expect(w.logs).toContain('INFO precommit message landed on chain: 9')
  })

  it('a PC1 or PC2 whose worker restarted under it is asked for again in the same state (retrySoftErr), not failed', async () => {
    const w = world()
    w.soft.pc1 = 2
    w.soft.pc2 = 1
    const r = put(w, 'PreCommit1', { ticketValue: 'dA==', ticketEpoch: 1_000_000 - 950, pieces: sealed.pieces })
    w.sealing.send(5, E.restart())
    await until(() => w.chainAt.length > 0)
    expect(r.state).toBe('WaitSeed')
    expect(kinds(r)).toEqual(['SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent', 'SectorPreCommitLanded'])
    expect(w.calls.pc1).toBe(3)
    expect(w.calls.pc2).toBe(2)
    expect(w.logs.filter((l) => l.startsWith('ERROR retrying soft error'))).toHaveLength(3)
  })

  it('ComputeProofFailed: retried twice, then re-sealed from PreCommit1 ("consecutive compute fails")', async () => {
    const w = world()
    w.fail.c1 = 'StandaloneSealCommit: Invalid vanilla proof generated'
    const r = put(w, 'Committing', { ...sealed, precommitEpoch: 999_000, seedEpoch: 999_150, seedValue: 'cw==' })
    w.sealing.send(5, E.restart())
    await until(() => kinds(r).includes('SectorRetrySealPreCommit1'))
    expect(kinds(r).slice(0, 7)).toEqual([
      'SectorComputeProofFailed', 'SectorRetryComputeProof', 'SectorComputeProofFailed', 'SectorRetryComputeProof',
      'SectorComputeProofFailed', 'SectorSealPreCommit1Failed', 'SectorRetrySealPreCommit1'
    ])
    expect(r.log[0]?.Trace).toMatch(/^computing seal proof failed\(1\): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated\nStack backtrace:\n {3}0: filecoin_proofs_api::seal::seal_commit_phase1_inner/)
    expect(r.log[5]?.Trace).toBe('consecutive compute fails')
    expect(w.calls.c1).toBe(3)
  })

  it('failed states wait out the cooldown after their last log entry, logging it', async () => {
    const w = world()
    const r = put(w, 'FinalizeFailed', { log: [{ Kind: 'event;sealing.SectorFinalizeFailed', Timestamp: Math.floor(Date.now() / 1000) + 1, Trace: 'x', Message: '{"User":{}}' }] })
    w.sealing.send(5, E.restart())
    await until(() => r.state === 'Proving', 4000)
    expect(w.logs.some((l) => /^INFO FinalizeFailed\(5\), waiting \d+(\.\d+)?m?s before retrying$/.test(l))).toBe(true)
    expect(kinds(r).slice(1, 3)).toEqual(['SectorRetryFinalize', 'SectorFinalized'])
  })

  it('a SectorRemove sent during a failed state\'s cooldown is pending until the handler returns, then wins', async () => {
    const w = world()
    const r = put(w, 'SealPreCommit1Failed', { log: [{ Kind: 'event;sealing.SectorSealPreCommit1Failed', Timestamp: Math.floor(Date.now() / 1000) + 1, Trace: 'task aborted', Message: '{"User":{}}' }] })
    w.sealing.send(5, E.restart())
    expect(w.sealing.removePending(5)).toBe(false)
    w.sealing.send(5, E.remove())
    expect(w.sealing.removePending(5)).toBe(true)
    await until(() => r.state === 'Removed', 4000)
    // Planned together with the retry the cooldown sent, the global SectorRemove came first.
    expect(kinds(r).slice(1, 3)).toEqual(['SectorRemove', 'SectorRetrySealPreCommit1'])
    expect(kinds(r)).toContain('SectorRemoved')
    expect(w.sealing.removePending(5)).toBe(false)
  })

  it('a sector whose PC1 failed more than 3 times is removed (and its files deleted)', async () => {
    const w = world()
    const r = put(w, 'SealPreCommit1Failed', { pc1Fails: 4 })
    w.sealing.send(5, E.restart())
    await until(() => r.state === 'Removed')
    expect(kinds(r)).toEqual(['SectorRemove', 'SectorRemoved'])
    expect(w.removed).toEqual([5])
    expect(() => w.sealing.send(5, E.forceState('Proving'))).toThrow('normal shutdown of state machine')
  })

  it('SealPreCommit2Failed: PC2 retried up to 3 times, then back to PC1', async () => {
    const w = world()
    const a = put(w, 'SealPreCommit2Failed', { ...sealed, pc2Fails: 4 })
    w.fail.pc1 = 'stop here'
    w.sealing.send(5, E.restart())
    await until(() => kinds(a).includes('SectorSealPreCommit1Failed'))
    expect(kinds(a)[0]).toBe('SectorRetrySealPreCommit1')
  })

  it('PreCommitFailed without a message loops back through the batch (precommit-funds)', async () => {
    const w = world()
    w.fail.precommit = 'GasEstimateMessageGas error: estimating gas used: message execution failed: exit 19, reason: insufficient funds for pre-commit deposit: 1 (RetCode=19)'
    const r = put(w, 'PreCommit2', { ...sealed, pc1Out: 'eA==' })
    w.sealing.send(5, E.restart())
    await until(() => kinds(r).filter((k) => k === 'SectorChainPreCommitFailed').length >= 2)
    expect(kinds(r).slice(0, 5)).toEqual(['SectorPreCommit2', 'SectorChainPreCommitFailed', 'SectorRetryPreCommit', 'SectorPreCommitBatch', 'SectorChainPreCommitFailed'])
    expect(r.log[1]?.Trace).toBe(`precommit batch error: ${w.fail.precommit}`)
    delete w.fail.precommit
    await until(() => r.state === 'WaitSeed')
  })

  it('CommitFailed with no precommit on chain goes back to PreCommitting', async () => {
    const w = world()
    const r = put(w, 'CommitFailed', { ...sealed, seedEpoch: 5 })
    w.fail.precommit = 'stop'
    w.sealing.send(5, E.restart())
    await until(() => kinds(r).includes('SectorRetryPreCommit'))
    expect(kinds(r)[0]).toBe('SectorRetryPreCommit')
  })

  it('GetTicket on a committed sector reports CommitFailed', async () => {
    const w = world()
    const r = put(w, 'GetTicket', { ...sealed, commitMsg: 'bafy2bzacec', onChain: true, precommitEpoch: 1 })
    w.onChain.add(5)
    w.sealing.send(5, E.restart())
    await until(() => kinds(r).includes('SectorCommitFailed'))
    expect(r.log[0]?.Trace).toBe('sector 5 is committed but got into the GetTicket state')
  })

  it('DealsExpired: removed when not on chain, stuck with an error when it is', async () => {
    const w = world()
    const r = put(w, 'DealsExpired')
    w.sealing.send(5, E.restart())
    await until(() => r.state === 'Removed')
    const w2 = world()
    w2.onChain.add(5)
    const s = put(w2, 'DealsExpired')
    w2.sealing.send(5, E.restart())
    await until(() => w2.logs.some((l) => l.includes("unhandled sector error (5): sector is committed on-chain, but we're in DealsExpired")))
    expect(s.state).toBe('DealsExpired')
  })

  it('terminating a proven sector: TerminateWait → TerminateFinality → Removing → Removed', async () => {
    const w = world()
    w.onChain.add(5)
    const r = put(w, 'Proving', { ...sealed, onChain: true })
    w.sealing.send(5, E.terminate())
    await until(() => r.state === 'TerminateFinality')
    w.head.Height += 11
    await until(() => r.state === 'Removed', 8000)
    expect(kinds(r)).toEqual(['SectorTerminate', 'SectorTerminating', 'SectorTerminated', 'SectorRemove', 'SectorRemoved'])
  })

  it('terminating a sector that never reached the chain just removes it', async () => {
    const w = world()
    const r = put(w, 'PreCommit1')
    w.fail.pc1 = 'x'
    w.sealing.send(5, E.terminate())
    await until(() => r.state === 'Removed')
  })

  it('update-state while a handler runs waits for it (events are queued), then applies', async () => {
    const w = world()
    const r = put(w, 'PreCommit1', sealed)
    let release: () => void = () => {}
    const hold = new Promise<void>((res) => (release = res))
    const quiet: GoLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
    // A PC1 that only finishes when released.
    w.sealing = new Sealing(w.store, (state) => (state === 'PreCommit1' ? async ({ send }) => hold.then(() => send(E.preCommit1('eA=='))) : undefined), quiet)
    w.sealing.send(5, E.restart())
    expect(w.sealing.isBusy(5)).toBe(true)
    w.sealing.send(5, E.forceState('Committing'))
    expect(r.state).toBe('PreCommit1')
    release()
    await until(() => r.log.length === 4)
    // Lotus plans every pending event again after each handler: the queued SectorPreCommit1 is
    // logged twice and then refused by the new state's planner.
    expect(kinds(r)).toEqual(['SectorForceState', 'SectorPreCommit1', 'SectorPreCommit1', 'error;*xerrors.wrapError'])
    expect(r.state).toBe('Committing')
  })

  it('RecoverDealIDs on a CC sector: the returning planner has no state to return to', async () => {
    const w = world()
    const r = put(w, 'RecoverDealIDs')
    w.sealing.send(5, E.restart())
    await until(() => r.log.length === 2)
    expect(r.log[1]?.Message).toBe('state machine error: running planner for state RecoverDealIDs failed: return state not set')
    expect(r.state).toBe('RecoverDealIDs')
  })

  it('AbortUpgrade, UpdateActivating and FaultReported stop with Lotus\'s handler errors', async () => {
    for (const [state, msg] of [
      ['AbortUpgrade', 'should never reach AbortUpgrade as a non-CCUpdate sector'],
      ['UpdateActivating', 'nil sector.ReplicaUpdateMessage!'],
      ['FaultReported', 'entered fault reported state without a FaultReportMsg cid']
    ] as const) {
      const w = world()
      put(w, state)
      w.sealing.send(5, E.restart())
      await until(() => w.logs.some((l) => l === `ERROR unhandled sector error (5): ${msg}`))
    }
  })

  it('snap-deal packing of a CC sector aborts the upgrade', async () => {
    const w = world()
    const r = put(w, 'SnapDealsPacking')
    w.sealing.send(5, E.restart())
    await until(() => r.state === 'AbortUpgrade')
    expect(r.log[0]).toMatchObject({ Kind: 'event;sealing.SectorAbortUpgrade', Trace: 'sector had no deals' })
  })
})
