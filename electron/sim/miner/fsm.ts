import { eventLogEntry, eventPlusV, GLOBAL_EVENTS, IGNORABLE_EVENTS, type SectorEvent } from './events'
import type { LogEntry, Piece, SectorRecord } from './sectorTypes'

/**
 * The sector state machine's planner, as Lotus's storage/pipeline/fsm.go decides: which events
 * each state accepts and where they lead, global events, the event log, and which state
 * handler runs next. Pure: the engine (sealing.ts) runs the handlers.
 */

type TransKind = 'on' | 'apply' | 'returning'
interface Trans {
  event: string
  kind: TransKind
  next?: string
}

const on = (event: string, next: string): Trans => ({ event, kind: 'on', next })
const apply = (event: string): Trans => ({ event, kind: 'apply' })
const onReturning = (event: string): Trans => ({ event, kind: 'returning' })

type Planner =
  | { kind: 'one' | 'oneOrIgnore'; trans: Trans[] }
  | { kind: 'final' }
  | { kind: 'finalRemoved' }
  | { kind: 'committing' }

const one = (...trans: Trans[]): Planner => ({ kind: 'one', trans })
const oneOrIgnore = (...trans: Trans[]): Planner => ({ kind: 'oneOrIgnore', trans })

const PLANNERS: Record<string, Planner> = {
  ReceiveSector: one(onReturning('SectorReceived')),
  '': one(on('SectorStart', 'WaitDeals'), on('SectorStartCC', 'Packing'), on('SectorReceive', 'ReceiveSector')),
  Empty: one(on('SectorAddPiece', 'AddPiece'), on('SectorStartPacking', 'Packing')),
  WaitDeals: one(on('SectorAddPiece', 'AddPiece'), on('SectorStartPacking', 'Packing')),
  AddPiece: one(on('SectorPieceAdded', 'WaitDeals'), apply('SectorStartPacking'), apply('SectorAddPiece'), on('SectorAddPieceFailed', 'AddPieceFailed')),
  Packing: one(on('SectorPacked', 'GetTicket')),
  GetTicket: one(on('SectorTicket', 'PreCommit1'), on('SectorCommitFailed', 'CommitFailed')),
  PreCommit1: one(
    on('SectorPreCommit1', 'PreCommit2'),
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed'),
    on('SectorDealsExpired', 'DealsExpired'),
    on('SectorInvalidDealIDs', 'RecoverDealIDs'),
    on('SectorOldTicket', 'GetTicket')
  ),
  PreCommit2: one(
    on('SectorPreCommit2', 'SubmitPreCommitBatch'),
    on('SectorSealPreCommit2Failed', 'SealPreCommit2Failed'),
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed')
  ),
  PreCommitting: one(
    on('SectorPreCommitBatch', 'SubmitPreCommitBatch'),
    on('SectorPreCommitted', 'PreCommitWait'),
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed'),
    on('SectorChainPreCommitFailed', 'PreCommitFailed'),
    on('SectorPreCommitLanded', 'WaitSeed'),
    on('SectorDealsExpired', 'DealsExpired'),
    on('SectorInvalidDealIDs', 'RecoverDealIDs')
  ),
  SubmitPreCommitBatch: one(
    on('SectorPreCommitBatchSent', 'PreCommitBatchWait'),
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed'),
    on('SectorChainPreCommitFailed', 'PreCommitFailed'),
    on('SectorPreCommitLanded', 'WaitSeed'),
    on('SectorDealsExpired', 'DealsExpired'),
    on('SectorInvalidDealIDs', 'RecoverDealIDs')
  ),
  PreCommitBatchWait: one(on('SectorChainPreCommitFailed', 'PreCommitFailed'), on('SectorPreCommitLanded', 'WaitSeed'), on('SectorRetryPreCommit', 'PreCommitting')),
  PreCommitWait: one(on('SectorChainPreCommitFailed', 'PreCommitFailed'), on('SectorPreCommitLanded', 'WaitSeed'), on('SectorRetryPreCommit', 'PreCommitting')),
  WaitSeed: one(on('SectorSeedReady', 'Committing'), on('SectorChainPreCommitFailed', 'PreCommitFailed')),
  Committing: { kind: 'committing' },
  CommitFinalize: one(
    on('SectorFinalized', 'SubmitCommitAggregate'),
    on('SectorFinalizedAvailable', 'SubmitCommitAggregate'),
    on('SectorFinalizeFailed', 'CommitFinalizeFailed')
  ),
  SubmitCommit: one(on('SectorCommitSubmitted', 'CommitWait'), on('SectorSubmitCommitAggregate', 'SubmitCommitAggregate'), on('SectorCommitFailed', 'CommitFailed')),
  SubmitCommitAggregate: one(
    on('SectorCommitAggregateSent', 'CommitAggregateWait'),
    on('SectorCommitFailed', 'CommitFailed'),
    on('SectorRetrySubmitCommit', 'SubmitCommit')
  ),
  CommitWait: one(on('SectorProving', 'FinalizeSector'), on('SectorCommitFailed', 'CommitFailed'), on('SectorRetrySubmitCommit', 'SubmitCommit')),
  CommitAggregateWait: one(on('SectorProving', 'FinalizeSector'), on('SectorCommitFailed', 'CommitFailed'), on('SectorRetrySubmitCommit', 'SubmitCommit')),
  FinalizeSector: one(on('SectorFinalized', 'Proving'), on('SectorFinalizedAvailable', 'Available'), on('SectorFinalizeFailed', 'FinalizeFailed')),

  SnapDealsWaitDeals: one(on('SectorAddPiece', 'SnapDealsAddPiece'), on('SectorStartPacking', 'SnapDealsPacking'), on('SectorAbortUpgrade', 'AbortUpgrade')),
  SnapDealsAddPiece: one(
    on('SectorPieceAdded', 'SnapDealsWaitDeals'),
    apply('SectorStartPacking'),
    apply('SectorAddPiece'),
    on('SectorAddPieceFailed', 'SnapDealsAddPieceFailed'),
    on('SectorAbortUpgrade', 'AbortUpgrade')
  ),
  SnapDealsPacking: one(on('SectorPacked', 'UpdateReplica'), on('SectorAbortUpgrade', 'AbortUpgrade')),
  UpdateReplica: one(
    on('SectorReplicaUpdate', 'ProveReplicaUpdate'),
    on('SectorUpdateReplicaFailed', 'ReplicaUpdateFailed'),
    on('SectorDealsExpired', 'SnapDealsDealsExpired'),
    on('SectorInvalidDealIDs', 'SnapDealsRecoverDealIDs'),
    on('SectorAbortUpgrade', 'AbortUpgrade')
  ),
  ProveReplicaUpdate: one(
    on('SectorProveReplicaUpdate', 'FinalizeReplicaUpdate'),
    on('SectorProveReplicaUpdateFailed', 'ReplicaUpdateFailed'),
    on('SectorDealsExpired', 'SnapDealsDealsExpired'),
    on('SectorInvalidDealIDs', 'SnapDealsRecoverDealIDs'),
    on('SectorAbortUpgrade', 'AbortUpgrade')
  ),
  FinalizeReplicaUpdate: one(on('SectorFinalized', 'SubmitReplicaUpdate'), on('SectorFinalizeFailed', 'FinalizeReplicaUpdateFailed')),
  SubmitReplicaUpdate: one(
    on('SectorReplicaUpdateSubmitted', 'ReplicaUpdateWait'),
    on('SectorSubmitReplicaUpdateFailed', 'ReplicaUpdateFailed'),
    on('SectorDeadlineImmutable', 'WaitMutable')
  ),
  WaitMutable: one(on('SectorDeadlineMutable', 'SubmitReplicaUpdate'), on('SectorAbortUpgrade', 'AbortUpgrade')),
  ReplicaUpdateWait: one(
    on('SectorReplicaUpdateLanded', 'UpdateActivating'),
    on('SectorSubmitReplicaUpdateFailed', 'ReplicaUpdateFailed'),
    on('SectorAbortUpgrade', 'AbortUpgrade')
  ),
  UpdateActivating: one(on('SectorUpdateActive', 'ReleaseSectorKey')),
  ReleaseSectorKey: one(on('SectorKeyReleased', 'Proving'), on('SectorReleaseKeyFailed', 'ReleaseSectorKeyFailed')),

  AddPieceFailed: one(on('SectorRetryWaitDeals', 'WaitDeals'), apply('SectorStartPacking'), apply('SectorAddPiece')),
  SealPreCommit1Failed: one(on('SectorRetrySealPreCommit1', 'PreCommit1')),
  SealPreCommit2Failed: one(on('SectorRetrySealPreCommit1', 'PreCommit1'), on('SectorRetrySealPreCommit2', 'PreCommit2')),
  PreCommitFailed: one(
    on('SectorRetryPreCommit', 'PreCommitting'),
    on('SectorRetryPreCommitWait', 'PreCommitWait'),
    on('SectorRetryWaitSeed', 'WaitSeed'),
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed'),
    on('SectorPreCommitLanded', 'WaitSeed'),
    on('SectorDealsExpired', 'DealsExpired'),
    on('SectorInvalidDealIDs', 'RecoverDealIDs')
  ),
  ComputeProofFailed: one(on('SectorRetryComputeProof', 'Committing'), on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed')),
  RemoteCommitFailed: one(on('SectorRetryComputeProof', 'Committing')),
  CommitFinalizeFailed: one(on('SectorRetryFinalize', 'CommitFinalize')),
  CommitFailed: one(
    on('SectorSealPreCommit1Failed', 'SealPreCommit1Failed'),
    on('SectorRetryWaitSeed', 'WaitSeed'),
    on('SectorRetryComputeProof', 'Committing'),
    on('SectorRetryInvalidProof', 'Committing'),
    on('SectorRetryPreCommitWait', 'PreCommitWait'),
    on('SectorChainPreCommitFailed', 'PreCommitFailed'),
    on('SectorRetryPreCommit', 'PreCommitting'),
    on('SectorRetryCommitWait', 'CommitWait'),
    on('SectorRetrySubmitCommit', 'SubmitCommit'),
    on('SectorDealsExpired', 'DealsExpired'),
    on('SectorInvalidDealIDs', 'RecoverDealIDs'),
    on('SectorTicketExpired', 'Removing')
  ),
  FinalizeFailed: one(on('SectorRetryFinalize', 'FinalizeSector')),
  PackingFailed: one(),
  DealsExpired: one(),
  RecoverDealIDs: one(onReturning('SectorUpdateDealIDs')),

  SnapDealsAddPieceFailed: one(on('SectorRetryWaitDeals', 'SnapDealsWaitDeals'), apply('SectorStartPacking'), apply('SectorAddPiece'), on('SectorAbortUpgrade', 'AbortUpgrade')),
  SnapDealsDealsExpired: one(on('SectorAbortUpgrade', 'AbortUpgrade')),
  SnapDealsRecoverDealIDs: one(on('SectorUpdateDealIDs', 'SubmitReplicaUpdate'), on('SectorAbortUpgrade', 'AbortUpgrade')),
  AbortUpgrade: oneOrIgnore(on('SectorRevertUpgradeToProving', 'Proving')),
  ReplicaUpdateFailed: one(
    on('SectorRetrySubmitReplicaUpdateWait', 'ReplicaUpdateWait'),
    on('SectorRetrySubmitReplicaUpdate', 'SubmitReplicaUpdate'),
    on('SectorRetryReplicaUpdate', 'UpdateReplica'),
    on('SectorRetryProveReplicaUpdate', 'ProveReplicaUpdate'),
    on('SectorInvalidDealIDs', 'SnapDealsRecoverDealIDs'),
    on('SectorDealsExpired', 'SnapDealsDealsExpired'),
    on('SectorAbortUpgrade', 'AbortUpgrade')
  ),
  ReleaseSectorKeyFailed: one(on('SectorUpdateActive', 'ReleaseSectorKey')),
  FinalizeReplicaUpdateFailed: one(on('SectorRetryFinalize', 'FinalizeReplicaUpdate')),

  Proving: one(on('SectorFaultReported', 'FaultReported'), on('SectorFaulty', 'Faulty'), on('SectorMarkForUpdate', 'Available')),
  Available: one(on('SectorStartCCUpdate', 'SnapDealsWaitDeals'), on('SectorAbortUpgrade', 'Proving')),
  Terminating: one(on('SectorTerminating', 'TerminateWait'), on('SectorTerminateFailed', 'TerminateFailed')),
  TerminateWait: one(on('SectorTerminated', 'TerminateFinality'), on('SectorTerminateFailed', 'TerminateFailed')),
  TerminateFinality: one(on('SectorTerminateFailed', 'TerminateFailed')),
  TerminateFailed: one(),
  Removing: oneOrIgnore(on('SectorRemoved', 'Removed'), on('SectorRemoveFailed', 'RemoveFailed')),
  RemoveFailed: one(),
  Faulty: one(on('SectorFaultReported', 'FaultReported')),
  FaultReported: { kind: 'final' },
  FaultedFinal: { kind: 'final' },
  Removed: { kind: 'finalRemoved' },
  FailedUnrecoverable: { kind: 'final' }
}

/** States that run a handler after planning (the switch in Sealing.plan); others are planner errors. */
const HANDLED = new Set(
  Object.keys(PLANNERS).filter((s) => !['', 'FaultedFinal', 'FailedUnrecoverable', 'Removed'].includes(s))
)

/** Applies an event's mutations to the sector (the `apply` methods of fsm_events.go). */
export function applyEvent(rec: SectorRecord, e: SectorEvent, nowSec: number): void {
  const u = e.user as Record<string, unknown>
  const cidOf = (v: unknown) => (v as { '/': string } | null)?.['/'] ?? null
  switch (e.type) {
    case 'SectorStart':
    case 'SectorStartCC':
      rec.n = u.ID as number
      rec.sealProof = u.SectorType as number
      break
    case 'SectorAddPiece':
      if (rec.creationTime === 0) rec.creationTime = nowSec
      break
    case 'SectorPacked':
      for (const p of (u.FillerPieces as { Size: number; PieceCID: { '/': string } }[] | null) ?? []) {
        rec.pieces.push({ Size: p.Size, PieceCID: p.PieceCID['/'] } satisfies Piece)
      }
      break
    case 'SectorTicket':
      rec.ticketValue = u.TicketValue as string
      rec.ticketEpoch = u.TicketEpoch as number
      break
    case 'SectorPreCommit1':
      rec.pc1Out = u.PreCommit1Out as string
      rec.pc2Fails = 0
      break
    case 'SectorPreCommit2':
      rec.commD = cidOf(u.Unsealed)
      rec.commR = cidOf(u.Sealed)
      break
    case 'SectorPreCommitBatchSent':
    case 'SectorPreCommitted':
      rec.precommitMsg = cidOf(u.Message)
      break
    case 'SectorPreCommitLanded':
      rec.precommitTipset = (u.TipSet as { '/': string }[]).map((c) => c['/'])
      break
    case 'SectorSealPreCommit1Failed':
      rec.invalidProofs = 0
      rec.pc2Fails = 0
      rec.pc1Fails++
      break
    case 'SectorSealPreCommit2Failed':
      rec.invalidProofs = 0
      rec.pc2Fails++
      break
    case 'SectorSeedReady':
      rec.seedValue = u.SeedValue as string
      rec.seedEpoch = u.SeedEpoch as number
      break
    case 'SectorCommitted':
    case 'SectorProofReady':
      rec.proof = u.Proof as string
      break
    case 'SectorCommitSubmitted':
    case 'SectorCommitAggregateSent':
      rec.commitMsg = cidOf(u.Message)
      break
    case 'SectorRetryComputeProof':
    case 'SectorRetryInvalidProof':
      rec.invalidProofs++
      break
    case 'SectorInvalidDealIDs':
      rec.ret = u.Return as string
      break
    case 'SectorTerminating':
      rec.terminateMsg = cidOf(u.Message)
      break
    case 'SectorTerminated':
      rec.terminatedAt = u.TerminatedAt as number
      break
  }
}

/** applyGlobal of the global events: whether event processing stops there. */
function applyGlobal(rec: SectorRecord, e: SectorEvent): boolean {
  switch (e.type) {
    case 'SectorForceState':
      rec.state = (e.user as { State: string }).State
      return true
    case 'SectorRemove':
      rec.state = 'Removing'
      return true
    case 'SectorTerminate':
      rec.state = 'Terminating'
      return true
    case 'SectorFatalError':
      return true
    default:
      return false // SectorRestart
  }
}

class PlannerError extends Error {
  constructor(
    message: string,
    readonly goType: string,
    /** Events consumed up to the failing one. */
    readonly processed = 1
  ) {
    super(message)
  }
}

function planOne(trans: Trans[], events: SectorEvent[], rec: SectorRecord, nowSec: number): number {
  eloop: for (let i = 0; i < events.length; i++) {
    const e = events[i] as SectorEvent
    if (GLOBAL_EVENTS.has(e.type)) {
      applyGlobal(rec, e)
      return i + 1
    }
    for (const t of trans) {
      if (t.event !== e.type) continue
      applyEvent(rec, e, nowSec)
      if (t.kind === 'apply') continue eloop
      if (t.kind === 'returning') {
        if (rec.ret === '') throw new PlannerError('return state not set', '*xerrors.errorString', i + 1)
        rec.state = rec.ret
        rec.ret = ''
        return i + 1
      }
      rec.state = t.next as string
      return i + 1
    }
    if (IGNORABLE_EVENTS.has(e.type)) continue
    throw new PlannerError(
      `planner for state ${rec.state} received unexpected event sealing.${e.type} (${eventPlusV(e)})`,
      '*xerrors.errorString',
      i + 1
    )
  }
  return events.length
}

function planCommitting(events: SectorEvent[], rec: SectorRecord, nowSec: number): number {
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as SectorEvent
    if (GLOBAL_EVENTS.has(e.type)) {
      if (applyGlobal(rec, e)) return i + 1
      continue
    }
    switch (e.type) {
      case 'SectorCommitted':
        applyEvent(rec, e, nowSec)
        rec.state = 'SubmitCommitAggregate'
        break
      case 'SectorProofReady':
        applyEvent(rec, e, nowSec)
        rec.state = 'CommitFinalize'
        break
      case 'SectorSeedReady': {
        const u = e.user as { SeedValue: string; SeedEpoch: number }
        if (u.SeedEpoch === rec.seedEpoch && u.SeedValue === rec.seedValue) continue
        applyEvent(rec, e, nowSec)
        rec.state = 'Committing'
        return i + 1
      }
      case 'SectorComputeProofFailed':
        rec.state = 'ComputeProofFailed'
        break
      case 'SectorRemoteCommit1Failed':
      case 'SectorRemoteCommit2Failed':
        rec.state = 'RemoteCommitFailed'
        break
      case 'SectorSealPreCommit1Failed':
        rec.state = 'SealPreCommit1Failed'
        break
      case 'SectorCommitFailed':
        rec.state = 'CommitFailed'
        break
      case 'SectorRetryCommitWait':
        rec.state = 'CommitWait'
        break
      default:
        throw new PlannerError(
          `planCommitting got event of unknown type sealing.${e.type}, events: [${events.map(eventPlusV).join(' ')}]`,
          '*xerrors.errorString',
          i
        )
    }
  }
  return events.length
}

export interface PlanResult {
  /** Events consumed (the rest stay queued until the handler finishes). */
  processed: number
  /** State whose handler runs next, or null. */
  handler: string | null
  /** The state machine terminated for this sector (Removed). */
  terminated: boolean
  /** Go-log lines Lotus writes while planning (logger `sectors`). */
  logs: { level: 'WARN' | 'ERROR'; msg: string }[]
}

function logAppend(rec: SectorRecord, l: LogEntry, nowSec: number): void {
  if (rec.log.length > 8000) {
    rec.log[2000] = { Kind: 'truncate', Timestamp: nowSec, Trace: '', Message: 'truncating log (above 8000 entries)' }
    rec.log = [...rec.log.slice(0, 2001), ...rec.log.slice(6000)]
  }
  rec.log.push(l)
}

/**
 * Sealing.Plan: logs the events, runs the current state's planner and picks the next handler.
 * Planner errors become `error;<type>` log entries (`state machine error: …`), as in Lotus.
 */
export function plan(rec: SectorRecord, events: SectorEvent[], nowSec: number, keepRemovedActive = false): PlanResult {
  const logs: PlanResult['logs'] = []
  for (const e of events) {
    if (e.type === 'SectorRestart') continue
    logAppend(rec, eventLogEntry(e, nowSec), nowSec)
    if (e.error !== undefined && e.type === 'SectorFatalError') logs.push({ level: 'ERROR', msg: `Fatal error on sector ${rec.n}: ${e.error}` })
  }
  const fail = (err: PlannerError, processed: number): PlanResult => {
    logAppend(rec, { Kind: `error;${err.goType}`, Timestamp: nowSec, Trace: '', Message: `state machine error: ${err.message}` }, nowSec)
    return { processed, handler: null, terminated: false, logs }
  }

  let p = PLANNERS[rec.state]
  if (!p && events.length === 1 && GLOBAL_EVENTS.has((events[0] as SectorEvent).type)) p = one()
  if (!p) return fail(new PlannerError(`planner for state ${rec.state} not found`, '*xerrors.errorString'), 0)

  const stateBefore = rec.state
  let processed: number
  try {
    switch (p.kind) {
      case 'one':
        processed = planOne(p.trans, events, rec, nowSec)
        break
      case 'oneOrIgnore':
        try {
          processed = planOne(p.trans, events, rec, nowSec)
        } catch (err) {
          logs.push({ level: 'WARN', msg: `planOneOrIgnore: ignoring error from planOne: ${(err as Error).message}` })
          processed = (err as PlannerError).processed
        }
        break
      case 'committing':
        processed = planCommitting(events, rec, nowSec)
        break
      case 'finalRemoved':
        processed = events.length
        break
      case 'final': {
        const first = events[0]
        if (first && GLOBAL_EVENTS.has(first.type)) {
          applyGlobal(rec, first)
          processed = 1
        } else {
          throw new PlannerError(`didn't expect any events in state ${rec.state}, got [${events.map(eventPlusV).join(' ')}]`, '*xerrors.errorString')
        }
        break
      }
    }
  } catch (err) {
    const e = err as PlannerError
    return fail(new PlannerError(`running planner for state ${stateBefore} failed: ${e.message}`, '*xerrors.wrapError'), e.processed)
  }

  const st = rec.state
  if (st === 'PackingFailed') rec.state = 'DealsExpired'
  if (rec.state === 'Removed') {
    if (!keepRemovedActive) return { processed, handler: null, terminated: true, logs }
    return fail(new PlannerError('sector removed', '*errors.errorString'), processed)
  }
  if (HANDLED.has(rec.state)) return { processed, handler: rec.state, terminated: false, logs }
  if (rec.state === '') {
    logs.push({ level: 'ERROR', msg: 'sector update with undefined state!' })
    return fail(new PlannerError('sector update with undefined state', '*xerrors.errorString'), processed)
  }
  if (rec.state === 'FailedUnrecoverable') {
    logs.push({ level: 'ERROR', msg: `sector ${rec.n} failed unrecoverably` })
    return fail(new PlannerError(`sector ${rec.n} failed unrecoverably`, '*xerrors.errorString'), processed)
  }
  logs.push({ level: 'ERROR', msg: `unexpected sector update state: ${rec.state}` })
  return fail(new PlannerError(`unexpected sector update state: ${rec.state}`, '*xerrors.errorString'), processed)
}

export function hasPlanner(state: string): boolean {
  return state in PLANNERS
}
