import type { SectorGroup } from '@contract'

/**
 * Which operator group a Lotus sector state belongs to, for showing SectorsSummary grouped.
 * Mirrors `operatorGroup` of preload/contract/lotus/states.ts (which the main side uses to fill
 * `PipelineSnapshot.byGroup`); the renderer may not import the core, so the lists live here too.
 * Unknown names (a newer Lotus) fall into `other` rather than being guessed.
 */
const FAILED = new Set([
  'FailedUnrecoverable', 'AddPieceFailed', 'SealPreCommit1Failed', 'SealPreCommit2Failed', 'PreCommitFailed',
  'ComputeProofFailed', 'RemoteCommitFailed', 'CommitFailed', 'CommitFinalizeFailed', 'PackingFailed',
  'FinalizeFailed', 'DealsExpired', 'RecoverDealIDs', 'SnapDealsAddPieceFailed', 'SnapDealsDealsExpired',
  'SnapDealsRecoverDealIDs', 'AbortUpgrade', 'ReplicaUpdateFailed', 'ReleaseSectorKeyFailed',
  'FinalizeReplicaUpdateFailed', 'Faulty', 'FaultReported', 'FaultedFinal'
])
const REMOVED = new Set(['Removing', 'RemoveFailed', 'Removed', 'Terminating', 'TerminateWait', 'TerminateFinality', 'TerminateFailed'])
const PROVING = new Set(['Proving', 'Available', 'UpdateActivating', 'ReleaseSectorKey'])
/** Happy path in pipeline order (current Lotus), then snap deals: the order states are listed in. */
export const SEALING_ORDER = [
  '', 'Empty', 'WaitDeals', 'AddPiece', 'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'PreCommitting',
  'SubmitPreCommitBatch', 'PreCommitBatchWait', 'PreCommitWait', 'WaitSeed', 'Committing', 'CommitFinalize',
  'SubmitCommit', 'SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'FinalizeSector', 'ReceiveSector',
  'SnapDealsWaitDeals', 'SnapDealsAddPiece', 'SnapDealsPacking', 'UpdateReplica', 'ProveReplicaUpdate',
  'SubmitReplicaUpdate', 'WaitMutable', 'ReplicaUpdateWait', 'FinalizeReplicaUpdate'
]
const SEALING = new Set(SEALING_ORDER)

export function sectorGroup(state: string): SectorGroup {
  if (FAILED.has(state)) return 'failed'
  if (REMOVED.has(state)) return 'removed'
  if (PROVING.has(state)) return 'proving'
  if (SEALING.has(state)) return 'sealing'
  return 'other'
}

export const GROUP_ORDER: SectorGroup[] = ['sealing', 'failed', 'proving', 'removed', 'other']

export interface StateCount {
  state: string
  count: number
}

/** SectorsSummary → per group, states in pipeline order (sealing) or by count (the rest). */
export function groupStates(byState: Record<string, number>): Record<SectorGroup, StateCount[]> {
  const out: Record<SectorGroup, StateCount[]> = { sealing: [], failed: [], proving: [], removed: [], other: [] }
  for (const [state, count] of Object.entries(byState)) {
    if (count > 0) out[sectorGroup(state)].push({ state, count })
  }
  out.sealing.sort((a, b) => SEALING_ORDER.indexOf(a.state) - SEALING_ORDER.indexOf(b.state))
  for (const g of ['failed', 'proving', 'removed', 'other'] as const) out[g].sort((a, b) => b.count - a.count || a.state.localeCompare(b.state))
  return out
}
