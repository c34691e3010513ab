/**
 * Lotus's sector state machine as its planners define it (storage/pipeline/fsm.go `fsmPlanners`):
 * for each state, the states an event can move a sector to. Global events (SectorRemove,
 * SectorTerminate, SectorForceState = update-state) are left out: they are accepted everywhere.
 * `SHARED_HANDLER` lists states whose handler is the same function in `plan()`, so forcing one
 * or the other runs the same code (PreCommitBatchWait/PreCommitWait both run handlePreCommitWait,
 * CommitAggregateWait/CommitWait both run handleCommitWait).
 */
export const FSM_NEXT: Readonly<Record<string, readonly string[]>> = {
  Empty: ['AddPiece', 'Packing'],
  WaitDeals: ['AddPiece', 'Packing'],
  AddPiece: ['WaitDeals', 'AddPieceFailed'],
  Packing: ['GetTicket'],
  GetTicket: ['PreCommit1', 'CommitFailed'],
  PreCommit1: ['PreCommit2', 'SealPreCommit1Failed', 'DealsExpired', 'RecoverDealIDs', 'GetTicket'],
  PreCommit2: ['SubmitPreCommitBatch', 'SealPreCommit2Failed', 'SealPreCommit1Failed'],
  PreCommitting: ['SubmitPreCommitBatch', 'PreCommitWait', 'SealPreCommit1Failed', 'PreCommitFailed', 'WaitSeed', 'DealsExpired', 'RecoverDealIDs'],
  SubmitPreCommitBatch: ['PreCommitBatchWait', 'SealPreCommit1Failed', 'PreCommitFailed', 'WaitSeed', 'DealsExpired', 'RecoverDealIDs'],
  PreCommitBatchWait: ['PreCommitFailed', 'WaitSeed', 'PreCommitting'],
  PreCommitWait: ['PreCommitFailed', 'WaitSeed', 'PreCommitting'],
  WaitSeed: ['Committing', 'PreCommitFailed'],
  Committing: ['SubmitCommitAggregate', 'CommitFinalize', 'ComputeProofFailed', 'RemoteCommitFailed', 'SealPreCommit1Failed', 'CommitFailed', 'CommitWait'],
  CommitFinalize: ['SubmitCommitAggregate', 'CommitFinalizeFailed'],
  SubmitCommit: ['CommitWait', 'SubmitCommitAggregate', 'CommitFailed'],
  SubmitCommitAggregate: ['CommitAggregateWait', 'CommitFailed', 'SubmitCommit'],
  CommitWait: ['FinalizeSector', 'CommitFailed', 'SubmitCommit'],
  CommitAggregateWait: ['FinalizeSector', 'CommitFailed', 'SubmitCommit'],
  FinalizeSector: ['Proving', 'Available', 'FinalizeFailed'],

  SnapDealsWaitDeals: ['SnapDealsAddPiece', 'SnapDealsPacking', 'AbortUpgrade'],
  SnapDealsAddPiece: ['SnapDealsWaitDeals', 'SnapDealsAddPieceFailed', 'AbortUpgrade'],
  SnapDealsPacking: ['UpdateReplica', 'AbortUpgrade'],
  UpdateReplica: ['ProveReplicaUpdate', 'ReplicaUpdateFailed', 'SnapDealsDealsExpired', 'SnapDealsRecoverDealIDs', 'AbortUpgrade'],
  ProveReplicaUpdate: ['FinalizeReplicaUpdate', 'ReplicaUpdateFailed', 'SnapDealsDealsExpired', 'SnapDealsRecoverDealIDs', 'AbortUpgrade'],
  FinalizeReplicaUpdate: ['SubmitReplicaUpdate', 'FinalizeReplicaUpdateFailed'],
  SubmitReplicaUpdate: ['ReplicaUpdateWait', 'ReplicaUpdateFailed', 'WaitMutable'],
  WaitMutable: ['SubmitReplicaUpdate', 'AbortUpgrade'],
  ReplicaUpdateWait: ['UpdateActivating', 'ReplicaUpdateFailed', 'AbortUpgrade'],
  UpdateActivating: ['ReleaseSectorKey'],
  ReleaseSectorKey: ['Proving', 'ReleaseSectorKeyFailed'],

  AddPieceFailed: ['WaitDeals'],
  SealPreCommit1Failed: ['PreCommit1'],
  SealPreCommit2Failed: ['PreCommit1', 'PreCommit2'],
  PreCommitFailed: ['PreCommitting', 'PreCommitWait', 'WaitSeed', 'SealPreCommit1Failed', 'DealsExpired', 'RecoverDealIDs'],
  ComputeProofFailed: ['Committing', 'SealPreCommit1Failed'],
  RemoteCommitFailed: ['Committing'],
  CommitFinalizeFailed: ['CommitFinalize'],
  CommitFailed: ['SealPreCommit1Failed', 'WaitSeed', 'Committing', 'PreCommitWait', 'PreCommitFailed', 'PreCommitting', 'CommitWait', 'SubmitCommit', 'DealsExpired', 'RecoverDealIDs', 'Removing'],
  FinalizeFailed: ['FinalizeSector'],
  PackingFailed: [],
  DealsExpired: [],
  RecoverDealIDs: [],
  SnapDealsAddPieceFailed: ['SnapDealsWaitDeals', 'AbortUpgrade'],
  SnapDealsDealsExpired: ['AbortUpgrade'],
  SnapDealsRecoverDealIDs: ['SubmitReplicaUpdate', 'AbortUpgrade'],
  AbortUpgrade: ['Proving'],
  ReplicaUpdateFailed: ['ReplicaUpdateWait', 'SubmitReplicaUpdate', 'UpdateReplica', 'ProveReplicaUpdate', 'SnapDealsRecoverDealIDs', 'SnapDealsDealsExpired', 'AbortUpgrade'],
  ReleaseSectorKeyFailed: ['ReleaseSectorKey'],
  FinalizeReplicaUpdateFailed: ['FinalizeReplicaUpdate'],

  Proving: ['FaultReported', 'Faulty', 'Available'],
  Available: ['SnapDealsWaitDeals', 'Proving'],
  Terminating: ['TerminateWait', 'TerminateFailed'],
  TerminateWait: ['TerminateFinality', 'TerminateFailed'],
  TerminateFinality: ['TerminateFailed'],
  TerminateFailed: [],
  Removing: ['Removed', 'RemoveFailed'],
  RemoveFailed: [],
  Faulty: ['FaultReported'],
  FaultReported: [],
  FaultedFinal: [],
  Removed: [],
  FailedUnrecoverable: [],
  ReceiveSector: []
}

/** States `plan()` hands to the same handler function. */
export const SHARED_HANDLER: readonly (readonly string[])[] = [
  ['Empty', 'WaitDeals'],
  ['PreCommitBatchWait', 'PreCommitWait'],
  ['CommitAggregateWait', 'CommitWait'],
  ['CommitFinalize', 'FinalizeSector'],
  ['CommitFinalizeFailed', 'FinalizeFailed']
]

/** States `plan()` runs no handler for: a sector forced into them stays there until forced out. */
export const NO_HANDLER = new Set(['FaultedFinal', 'FailedUnrecoverable', 'Removed'])

export function sameHandler(a: string, b: string): boolean {
  return a === b || SHARED_HANDLER.some((g) => g.includes(a) && g.includes(b))
}
