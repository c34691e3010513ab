import type { Piece } from './sectorTypes'

/**
 * Sector FSM events (storage/pipeline/fsm_events.go). `user` is what Lotus's JSON encoder writes
 * for the event struct (the log's `{"User":{…}}`); error events carry their error text, which
 * Lotus logs as the entry's Trace while the struct itself marshals as `{}`.
 */
export interface SectorEvent {
  type: string
  user: Record<string, unknown>
  error?: string
}

/** Events every state accepts (globalMutator). */
export const GLOBAL_EVENTS = new Set(['SectorRestart', 'SectorFatalError', 'SectorForceState', 'SectorTerminate', 'SectorRemove'])

/** Events a planner may ignore (Ignorable). */
export const IGNORABLE_EVENTS = new Set(['SectorStartPacking'])

function ev(type: string, user: Record<string, unknown> = {}): SectorEvent {
  return { type, user }
}

function err(type: string, error: string): SectorEvent {
  return { type, user: {}, error }
}

const cid = (c: string) => ({ '/': c })

export const E = {
  restart: () => ev('SectorRestart'),
  fatal: (e: string) => err('SectorFatalError', e),
  forceState: (state: string) => ev('SectorForceState', { State: state }),
  startCC: (id: number, sectorType: number) => ev('SectorStartCC', { ID: id, SectorType: sectorType }),
  startPacking: () => ev('SectorStartPacking'),
  pieceAdded: () => ev('SectorPieceAdded', { NewPieces: null }),
  addPieceFailed: (e: string) => err('SectorAddPieceFailed', e),
  retryWaitDeals: () => ev('SectorRetryWaitDeals'),
  packed: (fillers: Piece[] | null) =>
    ev('SectorPacked', { FillerPieces: fillers ? fillers.map((p) => ({ Size: p.Size, PieceCID: cid(p.PieceCID) })) : null }),
  ticket: (value: string, epoch: number) => ev('SectorTicket', { TicketValue: value, TicketEpoch: epoch }),
  oldTicket: () => ev('SectorOldTicket'),
  preCommit1: (out: string) => ev('SectorPreCommit1', { PreCommit1Out: out }),
  preCommit2: (sealed: string, unsealed: string) => ev('SectorPreCommit2', { Sealed: cid(sealed), Unsealed: cid(unsealed) }),
  preCommitBatch: () => ev('SectorPreCommitBatch'),
  preCommitBatchSent: (msg: string) => ev('SectorPreCommitBatchSent', { Message: cid(msg) }),
  preCommitLanded: (tipset: string[]) => ev('SectorPreCommitLanded', { TipSet: tipset.map(cid) }),
  sealPreCommit1Failed: (e: string) => err('SectorSealPreCommit1Failed', e),
  sealPreCommit2Failed: (e: string) => err('SectorSealPreCommit2Failed', e),
  chainPreCommitFailed: (e: string) => err('SectorChainPreCommitFailed', e),
  seedReady: (value: string, epoch: number) => ev('SectorSeedReady', { SeedValue: value, SeedEpoch: epoch }),
  computeProofFailed: (e: string) => err('SectorComputeProofFailed', e),
  commitFailed: (e: string) => err('SectorCommitFailed', e),
  retrySubmitCommit: () => ev('SectorRetrySubmitCommit'),
  dealsExpired: (e: string) => err('SectorDealsExpired', e),
  committed: (proof: string) => ev('SectorCommitted', { Proof: proof }),
  submitCommitAggregate: () => ev('SectorSubmitCommitAggregate'),
  commitAggregateSent: (msg: string) => ev('SectorCommitAggregateSent', { Message: cid(msg) }),
  proving: () => ev('SectorProving'),
  finalized: () => ev('SectorFinalized'),
  finalizedAvailable: () => ev('SectorFinalizedAvailable'),
  retryFinalize: () => ev('SectorRetryFinalize'),
  finalizeFailed: (e: string) => err('SectorFinalizeFailed', e),
  retrySealPreCommit1: () => ev('SectorRetrySealPreCommit1'),
  retrySealPreCommit2: () => ev('SectorRetrySealPreCommit2'),
  retryPreCommit: () => ev('SectorRetryPreCommit'),
  retryWaitSeed: () => ev('SectorRetryWaitSeed'),
  retryPreCommitWait: () => ev('SectorRetryPreCommitWait'),
  retryComputeProof: () => ev('SectorRetryComputeProof'),
  retryInvalidProof: () => ev('SectorRetryInvalidProof'),
  retryCommitWait: () => ev('SectorRetryCommitWait'),
  updateDealIDs: () => ev('SectorUpdateDealIDs', { Updates: {} }),
  retryReplicaUpdate: () => ev('SectorRetryReplicaUpdate'),
  abortUpgrade: (e: string) => err('SectorAbortUpgrade', e),
  submitReplicaUpdateFailed: () => ev('SectorSubmitReplicaUpdateFailed'),
  deadlineImmutable: () => ev('SectorDeadlineImmutable'),
  deadlineMutable: () => ev('SectorDeadlineMutable'),
  updateActive: () => ev('SectorUpdateActive'),
  keyReleased: () => ev('SectorKeyReleased'),
  terminate: () => ev('SectorTerminate'),
  terminating: (msg: string | null) => ev('SectorTerminating', { Message: msg ? cid(msg) : null }),
  terminated: (at: number) => ev('SectorTerminated', { TerminatedAt: at }),
  terminateFailed: (e: string) => err('SectorTerminateFailed', e),
  remove: () => ev('SectorRemove'),
  removed: () => ev('SectorRemoved'),
  removeFailed: (e: string) => err('SectorRemoveFailed', e)
}

/** The log entry Lotus writes for an event (Kind `event;sealing.<Type>`, Message `{"User":…}`). */
export function eventLogEntry(e: SectorEvent, nowSec: number): { Kind: string; Timestamp: number; Trace: string; Message: string } {
  let msg = JSON.stringify({ User: e.error !== undefined ? {} : e.user })
  if (msg.length > 8000) msg = `${msg.slice(0, 8000)}... truncated`
  return { Kind: `event;sealing.${e.type}`, Timestamp: nowSec, Trace: e.error ?? '', Message: msg }
}

/** Go's `%+v` of statemachine.Event{User: e}, as planner errors print it. */
export function eventPlusV(e: SectorEvent): string {
  if (e.error !== undefined) return `{User:{error:0xc000${(e.type.length * 4099).toString(16).padStart(6, '0')}}}`
  const fields = Object.entries(e.user).map(([k, v]) => `${k}:${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
  return `{User:{${fields.join(' ')}}}`
}
