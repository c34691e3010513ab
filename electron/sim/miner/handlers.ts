import { PRECOMMIT_CHALLENGE_DELAY, SEAL_RANDOMNESS_LOOKBACK, type ChainClock } from '../common/clock'
import type { GoLogger } from '../common/golog'
import { corruptPAux } from '../worker/files'
import type { Batchers } from './batchers'
import type { ChainApi, MsgLookup } from './chain'
import type { MinerConfig } from './config'
import { CallError, ERR_TEMP_ALLOCATE_SPACE, ERR_TEMP_WORKER_RESTART } from './calls'
import { GET_TICKET_SECONDS, MIN_RETRY_SECONDS, INTERACTIVE_POREP_CONFIDENCE, SOFT_ERR_RETRY_SECONDS, WAIT_DEALS_DELAY_SECONDS } from './durations'
import { E } from './events'
import { goDurationMs, hexOfBase64 } from './gofmt'
import { seedValue, ticketValue } from './history'
import type { Manager } from './manager'
import type { Handler } from './sealing'
import type { SectorRecord } from './sectorTypes'
import type { StorageIndex } from './storageIndex'
import { endHandlers } from './endHandlers'
import { failedHandlers } from './failedHandlers'
import { snapHandlers } from './snapHandlers'

/**
 * What each sector state's handler does (storage/pipeline/states_*.go), on the sim's workers and
 * chain. Here: the sealing path (states_sealing.go) and CommitFailed, which shares its commit
 * checks; the other failure states in failedHandlers.ts, termination, removal and faults in
 * endHandlers.ts, snap deals in snapHandlers.ts. States a CC sector cannot meaningfully run
 * (snap deals without deals, ReceiveSector…) fail or wait exactly where Lotus's handlers do.
 */

/** policy.MaxPreCommitRandomnessLookback (EpochsInDay + SealRandomnessLookback). */
const MAX_TICKET_AGE = 2880 + SEAL_RANDOMNESS_LOOKBACK
/** policy.GetMaxProveCommitDuration for 32/64 GiB (30 days + PreCommitChallengeDelay). */
const MAX_PROVE_COMMIT_DURATION = 30 * 2880 + PRECOMMIT_CHALLENGE_DELAY
/** CommittedCapacitySectorLifetime (540 days). */
const CC_LIFETIME = 540 * 2880

const C1_BACKTRACE = [
  '',
  'Stack backtrace:',
  '   0: filecoin_proofs_api::seal::seal_commit_phase1_inner',
  '   1: filecoin_proofs_api::seal::seal_commit_phase1',
  '   2: filcrypto::proofs::api::fil_seal_commit_phase1::{{closure}}',
  '   3: std::panicking::try',
  '   4: fil_seal_commit_phase1',
  '   5: _cgo_9c4a5bd8e0f3_Cfunc_fil_seal_commit_phase1',
  '             at /tmp/go-build/cgo-gcc-prolog:2130:11',
  '   6: runtime.asmcgocall',
  '             at /usr/local/go/src/runtime/asm_amd64.s:918'
].join('\n')

export interface HandlerDeps {
  minerId: number
  sectorSize: number
  clock: ChainClock
  chain: ChainApi
  manager: Manager
  batchers: Batchers
  index: StorageIndex
  log: GoLogger
  config: MinerConfig
  /** Calls `cb` once the chain reaches `epoch` (events.ChainAt). */
  chainAt: (epoch: number, cb: () => void) => void
  /** Persist a handler's direct record changes now. */
  commit: (rec: SectorRecord) => void
}

/** What the handlers of failedHandlers.ts, endHandlers.ts and snapHandlers.ts share with these. */
export interface HandlerKit {
  epochMs(): number
  msg(e: unknown): string
  sleep(ms: number): Promise<unknown>
  /** failedCooldown: waits until MinRetryTime after the sector's last log entry. */
  cooldown(rec: SectorRecord): Promise<void>
  /** The precommit is on chain and the sector not yet proven. */
  precommitOnChain(rec: SectorRecord): boolean
  ticketExpired(rec: SectorRecord, height: number): string | null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Whether a sector holds deal data: the sim seals CC sectors only (filler pieces carry no deals). */
function hasData(_rec: SectorRecord): boolean {
  return false
}

export function createHandlers(d: HandlerDeps): (state: string) => Handler | undefined {
  const epochMs = () => d.clock.epochSeconds * 1000
  const msg = (e: unknown) => (e instanceof Error ? e.message : String(e))

  /** failedCooldown: wait until MinRetryTime after the last log entry. */
  async function cooldown(rec: SectorRecord): Promise<void> {
    const last = rec.log[rec.log.length - 1]
    if (!last) return
    const retryStart = last.Timestamp * 1000 + d.clock.scaleMs(MIN_RETRY_SECONDS)
    const wait = retryStart - Date.now()
    if (wait > 0) {
      d.log.info('pipeline/states_failed.go:31', `${rec.state}(${rec.n}), waiting ${goDurationMs(wait)} before retrying`)
      await sleep(wait)
    }
  }

  /**
   * retrySoftErr: a PC1 or PC2 whose worker restarted under it (the worker returns
   * ErrTempWorkerRestart for the calls it lost) is asked for again in the same state, not failed.
   */
  async function retrySoftErr<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call()
      } catch (e) {
        if (!(e instanceof CallError) || (e.code !== ERR_TEMP_WORKER_RESTART && e.code !== ERR_TEMP_ALLOCATE_SPACE)) throw e
        d.log.error('pipeline/states_sealing.go:243', 'retrying soft error', { err: e.message, code: e.code })
        await sleep(d.clock.scaleMs(SOFT_ERR_RETRY_SECONDS))
      }
    }
  }

  /**
   * StateSearchMsg for a sector's commit message. Sectors sealed before the site was created
   * have commit messages the node has no record of; they landed (the sector is active), so they
   * are reported found, as a node with the full history would.
   */
  async function searchCommit(rec: SectorRecord, cid: string): Promise<MsgLookup | null> {
    const found = await d.chain.searchMsg(cid)
    if (found || !rec.onChain) return found
    const head = await d.chain.head()
    return { Message: { '/': cid }, Receipt: { ExitCode: 0, Return: null, GasUsed: 0, EventsRoot: null }, ReturnDec: null, TipSet: head.Cids, Height: head.Height }
  }

  async function waitCommit(rec: SectorRecord, cid: string): Promise<MsgLookup> {
    for (;;) {
      const r = await searchCommit(rec, cid).catch(() => null)
      if (r) return r
      await sleep(epochMs())
    }
  }

  /** The precommit is on chain and the sector not yet proven (StateSectorPreCommitInfo != nil). */
  const precommitOnChain = (rec: SectorRecord) => rec.precommitEpoch > 0 && !rec.onChain
  /** StateMinerSectorAllocated. */
  const allocated = (rec: SectorRecord) => rec.precommitEpoch > 0 || rec.onChain

  type CheckErr = { kind: 'badSeed' | 'noPrecommit' | 'commitWaitFailed' | 'invalidProof' | 'other'; msg: string } | null
  function checkCommit(rec: SectorRecord, proof: string | null): CheckErr {
    if (rec.seedEpoch === 0) return { kind: 'badSeed', msg: 'seed epoch was not set' }
    if (!precommitOnChain(rec)) {
      if (allocated(rec)) {
        if (rec.commitMsg) return { kind: 'commitWaitFailed', msg: 'commit wait failed' }
        return { kind: 'other', msg: `sector ${rec.n} is allocated, but PreCommit info wasn't found on chain` }
      }
      return { kind: 'noPrecommit', msg: 'precommit info not found on-chain' }
    }
    const expect = rec.precommitEpoch + PRECOMMIT_CHALLENGE_DELAY
    if (expect !== rec.seedEpoch) return { kind: 'badSeed', msg: `seed epoch doesn't match on chain info: ${expect} != ${rec.seedEpoch}` }
    if (!proof) return { kind: 'invalidProof', msg: 'invalid proof (compute error?)' }
    return null
  }

  const waitDeals: Handler = async ({ rec, send }) => {
    const used = rec.pieces.reduce((a, p) => a + p.Size, 0)
    const fields = { sector: rec.n, deals: 0, positive: false }
    if (used >= d.sectorSize) {
      d.log.info('pipeline/input.go:138', 'starting to seal deal sector', { ...fields, trigger: 'filled' })
      send(E.startPacking())
      return
    }
    if (rec.creationTime !== 0) {
      const at = rec.creationTime * 1000 + d.clock.scaleMs(WAIT_DEALS_DELAY_SECONDS)
      setTimeout(() => {
        d.log.info('pipeline/input.go:114', 'starting to seal deal sector', { ...fields, trigger: 'wait-timeout' })
        try {
          send(E.startPacking())
        } catch {
          // the sector's machine ended meanwhile
        }
      }, Math.max(0, at - Date.now())).unref()
    }
  }

  const packing: Handler = async ({ rec, send }) => {
    if (rec.state === 'SnapDealsPacking' && !hasData(rec)) return send(E.abortUpgrade('sector had no deals'))
    d.log.info('pipeline/states_sealing.go:71', 'performing filling up rest of the sector...', { sector: rec.n })
    const allocatedBytes = rec.pieces.reduce((a, p) => a + p.Size, 0)
    if (allocatedBytes >= d.sectorSize) return send(E.packed(null))
    const unpadded = d.sectorSize - d.sectorSize / 128
    d.log.warn('pipeline/states_sealing.go:92', `Creating 1 filler pieces for sector ${rec.n}`)
    d.log.info('pipeline/states_sealing.go:109', `Pledge {{${d.minerId} ${rec.n}} ${rec.sealProof}}, contains []`)
    let piece: { Size: number; PieceCID: { '/': string } }
    try {
      piece = await d.manager.addPiece(rec)
    } catch (e) {
      throw new Error(`filling up the sector ([${unpadded}]): add piece: ${msg(e)}`)
    }
    send(E.packed([{ Size: piece.Size, PieceCID: piece.PieceCID['/'] }]))
  }

  const getTicket: Handler = async ({ rec, send }) => {
    const head = await d.chain.head()
    let err: string | null = null
    let epoch = head.Height - SEAL_RANDOMNESS_LOOKBACK
    if (precommitOnChain(rec)) {
      epoch = rec.ticketEpoch
      if (head.Height > rec.precommitEpoch + MAX_PROVE_COMMIT_DURATION) err = 'ticket expired for precommitted sector'
    } else if (allocated(rec)) err = `sector ${rec.n} precommitted but expired`
    if (err !== null) {
      if (allocated(rec)) {
        if (rec.commitMsg) return send(E.commitFailed(`sector ${rec.n} is committed but got into the GetTicket state`))
        d.log.error('pipeline/states_sealing.go:208', `Sector ${rec.n} precommitted but expired`)
        return send(E.remove())
      }
      return send(E.sealPreCommit1Failed(`getting ticket failed: ${err}`))
    }
    await sleep(d.clock.scaleMs(GET_TICKET_SECONDS))
    send(E.ticket(ticketValue(d.minerId, rec.n, epoch), epoch))
  }

  const preCommit1: Handler = async ({ rec, send }) => {
    const head = await d.chain.head()
    if (head.Height - rec.ticketEpoch > MAX_TICKET_AGE) {
      if (!precommitOnChain(rec) || head.Height > rec.precommitEpoch + MAX_PROVE_COMMIT_DURATION) return send(E.oldTicket())
    }
    try {
      const out = await retrySoftErr(() => d.manager.sealPreCommit1(rec))
      send(E.preCommit1(out))
    } catch (e) {
      send(E.sealPreCommit1Failed(`seal pre commit(1) failed: ${msg(e)}`))
    }
  }

  const preCommit2: Handler = async ({ rec, send }) => {
    let cids
    try {
      cids = await retrySoftErr(() => d.manager.sealPreCommit2(rec))
    } catch (e) {
      return send(E.sealPreCommit2Failed(`seal pre commit(2) failed: ${msg(e)}`))
    }
    if (rec.corrupt) {
      // compute-proof-failed: this seal's cache does not match its replica (C1 will fail until re-sealed).
      for (const l of d.index.holding(rec.n, 'cache')) corruptPAux(l.localPath, d.minerId, rec.n)
      rec.corrupt = false
      d.commit(rec)
    }
    send(E.preCommit2(cids.Sealed['/'], cids.Unsealed['/']))
  }

  function ticketExpired(rec: SectorRecord, height: number): string | null {
    if (height - (rec.ticketEpoch + SEAL_RANDOMNESS_LOOKBACK) > MAX_TICKET_AGE) {
      return `ticket expired: seal height: ${rec.ticketEpoch + SEAL_RANDOMNESS_LOOKBACK}, head: ${height}`
    }
    return null
  }

  const submitPreCommitBatch: Handler = async ({ rec, send }) => {
    if (!rec.commD || !rec.commR) return send(E.sealPreCommit1Failed('sector had nil commR or commD'))
    const head = await d.chain.head()
    const expired = ticketExpired(rec, head.Height)
    if (expired) return send(E.sealPreCommit1Failed(`ticket expired: ${expired}`))
    if (precommitOnChain(rec)) return send(E.preCommitLanded(head.Cids.map((c) => c['/'])))
    // checkPrecommit asks the chain: a precommit sent just before the miner was killed (its
    // message CID never recorded) has landed; Lotus goes on to WaitSeed ("we re-did precommit").
    const pci = await d.chain.preCommitInfo(rec.n).catch(() => null)
    if (pci && pci.Info.SealRandEpoch === rec.ticketEpoch) {
      rec.precommitEpoch = pci.PreCommitEpoch
      d.commit(rec)
      return send(E.preCommitLanded(head.Cids.map((c) => c['/'])))
    }
    try {
      const cid = await d.batchers.precommit.add(rec.n, {
        sealProof: rec.sealProof,
        commR: rec.commR,
        ticketEpoch: rec.ticketEpoch,
        expiration: head.Height + PRECOMMIT_CHALLENGE_DELAY + CC_LIFETIME
      })
      send(E.preCommitBatchSent(cid))
    } catch (e) {
      send(E.chainPreCommitFailed(`precommit batch error: ${msg(e)}`))
    }
  }

  const preCommitWait: Handler = async ({ rec, send }) => {
    if (!rec.precommitMsg) return send(E.chainPreCommitFailed('precommit message was nil'))
    d.log.info('pipeline/states_sealing.go:484', `Sector precommitted: ${rec.n}`)
    const mw = await d.chain.waitMsg(rec.precommitMsg, epochMs())
    const code = mw.Receipt.ExitCode
    if (code === 6 || code === 7) return send(E.retryPreCommit())
    if (code !== 0) {
      d.log.error('pipeline/states_sealing.go:497', `sector precommit failed: ${code}`)
      return send(E.chainPreCommitFailed(`sector precommit failed: ${code}`))
    }
    rec.precommitEpoch = mw.Height
    d.commit(rec)
    d.log.info('pipeline/states_sealing.go:502', `precommit message landed on chain: ${rec.n}`)
    send(E.preCommitLanded(mw.TipSet.map((c) => c['/'])))
  }

  const waitSeed: Handler = async ({ rec, send }) => {
    if (!precommitOnChain(rec)) return send(E.chainPreCommitFailed('precommit info not found on chain'))
    const randHeight = rec.precommitEpoch + PRECOMMIT_CHALLENGE_DELAY
    d.chainAt(randHeight + INTERACTIVE_POREP_CONFIDENCE, () => {
      try {
        send(E.seedReady(seedValue(d.minerId, rec.n, randHeight), randHeight))
      } catch {
        // the sector's machine ended meanwhile
      }
    })
  }

  const committing: Handler = async ({ rec, send }) => {
    if (rec.commitMsg) {
      d.log.warn('pipeline/states_sealing.go:555', `sector ${rec.n} entered committing state with a commit message cid`)
      const ml = await searchCommit(rec, rec.commitMsg).catch(() => null)
      if (ml) return send(E.retryCommitWait())
    }
    if (!rec.commD || !rec.commR) return send(E.commitFailed('sector had nil commR or commD'))
    let c1: string
    try {
      c1 = await d.manager.sealCommit1(rec)
    } catch (e) {
      const m = msg(e)
      const trace = m.includes('Invalid vanilla proof generated') ? `${m}${C1_BACKTRACE}` : m
      return send(E.computeProofFailed(`computing seal proof failed(1): ${trace}`))
    }
    let proof: string
    try {
      proof = await d.manager.sealCommit2(rec, c1)
    } catch (e) {
      d.log.error('pipeline/states_sealing.go:637', 'Commit2 error', { error: msg(e) })
      return send(E.computeProofFailed(`computing seal proof failed(2): ${msg(e)}`))
    }
    const check = checkCommit(rec, proof)
    if (check) return send(E.commitFailed(`commit check error: ${check.msg}`))
    send(d.config.finalizeEarly ? { type: 'SectorProofReady', user: { Proof: proof } } : E.committed(proof))
  }

  const submitCommitAggregate: Handler = async ({ rec, send }) => {
    if (!rec.commD || !rec.commR) return send(E.commitFailed('sector had nil commR or commD'))
    const check = checkCommit(rec, rec.proof)
    if (check && check.kind !== 'commitWaitFailed') return send(E.commitFailed(`commit check error: ${check.msg}`))
    try {
      const cid = await d.batchers.commit.add(rec.n, null)
      send(E.commitAggregateSent(cid))
    } catch {
      const lost = await provenUnrecorded(rec)
      if (lost) return send(E.commitFailed(`commit check error: ${lost}`))
      send(E.retrySubmitCommit())
    }
  }

  /**
   * The chain's view when a commit could not be sent: a sector whose precommit is gone from chain
   * while it is active there was proven by a message this miner did not record (sent just before
   * it was killed). Lotus's checkCommit reports it; the sector then waits for the operator.
   */
  async function provenUnrecorded(rec: SectorRecord): Promise<string | null> {
    const pci = await d.chain.preCommitInfo(rec.n).catch(() => undefined)
    if (pci !== null) return null
    const active = await d.chain.sectorInfo(rec.n).catch(() => null)
    return active ? `sector ${rec.n} is allocated, but PreCommit info wasn't found on chain` : null
  }

  const commitWait: Handler = async ({ rec, send }) => {
    if (!rec.commitMsg) {
      d.log.error('pipeline/states_sealing.go:786', `sector ${rec.n} entered commit wait state without a message cid`)
      return send(E.commitFailed('entered commit wait with no commit cid'))
    }
    const mw = await waitCommit(rec, rec.commitMsg)
    const code = mw.Receipt.ExitCode
    if (code === 6 || code === 7) return send(E.retrySubmitCommit())
    if (code !== 0) {
      return send(
        E.commitFailed(
          `submitting sector proof failed (exit=${code}, msg=${rec.commitMsg}) (t:${hexOfBase64(rec.ticketValue)}; s:${hexOfBase64(rec.seedValue)}(${rec.seedEpoch}); p:${hexOfBase64(rec.proof)})`
        )
      )
    }
    const si = await d.chain.sectorInfo(rec.n).catch((e: unknown) => {
      throw new Error(`proof validation failed, calling StateSectorGetInfo: ${msg(e)}`)
    })
    if (!si) return send(E.commitFailed('proof validation failed, sector not found in sector set after cron'))
    rec.onChain = true
    d.commit(rec)
    send(E.proving())
  }

  const finalizeSector: Handler = async ({ rec, send }) => {
    d.manager.releaseUnsealed(rec)
    try {
      await d.manager.finalizeSector(rec)
    } catch (e) {
      return send(E.finalizeFailed(`finalize sector: ${msg(e)}`))
    }
    send(d.config.makeCCSectorsAvailable && !hasData(rec) ? E.finalizedAvailable() : E.finalized())
  }

  const commitFailed: Handler = async ({ rec, send }) => {
    if (!rec.commitMsg && (await provenUnrecorded(rec))) {
      d.log.error('pipeline/states_failed.go:290', `handleCommitFailed: sector number already allocated, not proceeding: sector ${rec.n} is allocated, but PreCommit info wasn't found on chain`)
      return
    }
    if (rec.commitMsg) {
      let mw
      try {
        mw = await searchCommit(rec, rec.commitMsg)
      } catch {
        await cooldown(rec)
        return send(E.retryCommitWait())
      }
      if (!mw) return send(E.retryCommitWait())
      if (mw.Receipt.ExitCode === 0) {
        const si = await d.chain.sectorInfo(rec.n).catch(() => undefined)
        if (si === undefined) {
          await cooldown(rec)
          return send(E.retryCommitWait())
        }
        if (si) return send(E.retryCommitWait())
      } else if (mw.Receipt.ExitCode === 7) return send(E.retrySubmitCommit())
    }
    const check = checkCommit(rec, rec.proof)
    if (check) {
      switch (check.kind) {
        case 'badSeed':
          d.log.error('pipeline/states_failed.go:339', `seed changed, will retry: ${check.msg}`)
          return send(E.retryWaitSeed())
        case 'invalidProof':
          await cooldown(rec)
          return send(rec.invalidProofs > 0 ? E.sealPreCommit1Failed('consecutive invalid proofs') : E.retryInvalidProof())
        case 'noPrecommit':
          return send(E.retryPreCommit())
        case 'commitWaitFailed':
          await cooldown(rec)
          return send(E.retryCommitWait())
        default:
          throw new Error(`checkCommit sanity check error (*xerrors.errorString): ${check.msg}`)
      }
    }
    await cooldown(rec)
    send(E.retryComputeProof())
  }

  const receiveSector: Handler = async ({ send }) => send({ type: 'SectorReceived', user: {} })
  const nothing: Handler = async () => {}

  const kit: HandlerKit = { epochMs, msg, sleep, cooldown, precommitOnChain, ticketExpired }
  const table: Record<string, Handler> = {
    ReceiveSector: receiveSector,
    Empty: waitDeals,
    WaitDeals: waitDeals,
    AddPiece: async ({ send }) => send(E.pieceAdded()),
    Packing: packing,
    GetTicket: getTicket,
    PreCommit1: preCommit1,
    PreCommit2: preCommit2,
    PreCommitting: async ({ send }) => send(E.preCommitBatch()),
    SubmitPreCommitBatch: submitPreCommitBatch,
    PreCommitBatchWait: preCommitWait,
    PreCommitWait: preCommitWait,
    WaitSeed: waitSeed,
    Committing: committing,
    SubmitCommit: async ({ send }) => send(E.submitCommitAggregate()),
    SubmitCommitAggregate: submitCommitAggregate,
    CommitAggregateWait: commitWait,
    CommitWait: commitWait,
    CommitFinalize: finalizeSector,
    FinalizeSector: finalizeSector,
    SnapDealsWaitDeals: waitDeals,
    SnapDealsAddPiece: async ({ send }) => send(E.pieceAdded()),
    SnapDealsPacking: packing,
    CommitFailed: commitFailed,
    Proving: nothing,
    Available: nothing,
    Faulty: nothing,
    ...failedHandlers(d, kit),
    ...endHandlers(d, kit),
    ...snapHandlers(d, kit)
  }
  return (state) => table[state]
}
