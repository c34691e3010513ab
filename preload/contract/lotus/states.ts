/**
 * The sector state machine's state names (storage/pipeline/sector_state.go, Lotus v1.36):
 * the 63 names of `ExistSectorStateList`. Lotus names are never translated.
 */
export const HAPPY_PATH_STATES = [
  'WaitDeals', 'AddPiece', 'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'PreCommitting',
  'SubmitPreCommitBatch', 'PreCommitBatchWait', 'PreCommitWait', 'WaitSeed', 'Committing', 'CommitFinalize',
  'SubmitCommit', 'SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'FinalizeSector', 'Proving',
  'Available'
] as const

export const SNAP_STATES = [
  'SnapDealsWaitDeals', 'SnapDealsAddPiece', 'SnapDealsPacking', 'UpdateReplica', 'ProveReplicaUpdate',
  'SubmitReplicaUpdate', 'WaitMutable', 'ReplicaUpdateWait', 'FinalizeReplicaUpdate', 'UpdateActivating',
  'ReleaseSectorKey'
] as const

export const FAILURE_STATES = [
  'FailedUnrecoverable', 'AddPieceFailed', 'SealPreCommit1Failed', 'SealPreCommit2Failed', 'PreCommitFailed',
  'ComputeProofFailed', 'RemoteCommitFailed', 'CommitFailed', 'CommitFinalizeFailed', 'PackingFailed',
  'FinalizeFailed', 'DealsExpired', 'RecoverDealIDs', 'SnapDealsAddPieceFailed', 'SnapDealsDealsExpired',
  'SnapDealsRecoverDealIDs', 'AbortUpgrade', 'ReplicaUpdateFailed', 'ReleaseSectorKeyFailed',
  'FinalizeReplicaUpdateFailed'
] as const

export const FAULT_STATES = ['Faulty', 'FaultReported', 'FaultedFinal'] as const
export const TERMINATION_STATES = ['Terminating', 'TerminateWait', 'TerminateFinality', 'TerminateFailed'] as const
export const REMOVAL_STATES = ['Removing', 'RemoveFailed', 'Removed'] as const

/** Every state `update-state` accepts (63; `Empty` and `PackingFailed` are deprecated but listed). */
export const SECTOR_STATES: readonly string[] = Array.from(
  new Set<string>([
    ...HAPPY_PATH_STATES,
    'Empty',
    ...SNAP_STATES,
    'ReceiveSector',
    ...FAILURE_STATES,
    ...FAULT_STATES,
    ...TERMINATION_STATES,
    ...REMOVAL_STATES
  ])
)
export type SectorState = string

const STATE_SET = new Set(SECTOR_STATES)
const STATE_BY_LOWER = new Map(SECTOR_STATES.map((s) => [s.toLowerCase(), s]))

export function isSectorState(name: string): boolean {
  return STATE_SET.has(name)
}

/**
 * Resolves what an operator typed to Lotus's state name: exact names, and the runbook's
 * spellings (`commitwait`, `precommitwait`, `removed` — any letter case). Returns null for
 * anything Lotus would not accept.
 */
export function resolveSectorState(typed: string): string | null {
  if (STATE_SET.has(typed)) return typed
  return STATE_BY_LOWER.get(typed.trim().toLowerCase()) ?? null
}

/** The 30 states the runbook (§4) lists for update-state, in its order. All exist in current Lotus. */
export const RUNBOOK_UPDATE_STATES = [
  'Proving', 'SealPreCommit1Failed', 'FaultedFinal', 'FinalizeSector', 'PreCommit1', 'Committing', 'CommitWait',
  'GetTicket', 'Faulty', 'Packing', 'SealPreCommit2Failed', 'PreCommitFailed', 'DealsExpired', 'RecoverDealIDs',
  'Removing', 'PreCommitting', 'ComputeProofFailed', 'CommitFailed', 'FinalizeFailed', 'FaultReported',
  'RemoveFailed', 'Removed', 'Empty', 'WaitDeals', 'PreCommit2', 'PackingFailed', 'PreCommitWait', 'SubmitCommit',
  'FailedUnrecoverable', 'WaitSeed'
] as const

/**
 * Lotus's stats buckets (toStatState in sector_state.go): what counts against MaxSealingSectors.
 * `staging` sectors wait for deals; `sealing` is the compute and chain pipeline.
 */
export type StatBucket = 'staging' | 'sealing' | 'proving' | 'failed'

const STAGING = new Set(['', 'Empty', 'WaitDeals', 'AddPiece', 'AddPieceFailed', 'SnapDealsWaitDeals', 'SnapDealsAddPiece'])
const SEALING = new Set([
  'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'PreCommitting', 'PreCommitWait', 'SubmitPreCommitBatch',
  'PreCommitBatchWait', 'WaitSeed', 'Committing', 'CommitFinalize', 'FinalizeSector', 'SnapDealsPacking',
  'UpdateReplica', 'ProveReplicaUpdate', 'FinalizeReplicaUpdate', 'ReceiveSector', 'SubmitCommit', 'CommitWait',
  'SubmitCommitAggregate', 'CommitAggregateWait', 'WaitMutable', 'SubmitReplicaUpdate', 'ReplicaUpdateWait'
])
const PROVING = new Set([
  'Proving', 'Available', 'UpdateActivating', 'ReleaseSectorKey', 'Removed', 'Removing', 'Terminating',
  'TerminateWait', 'TerminateFinality', 'TerminateFailed'
])

export function statBucket(state: string): StatBucket {
  if (STAGING.has(state)) return 'staging'
  if (SEALING.has(state)) return 'sealing'
  if (PROVING.has(state)) return 'proving'
  return 'failed'
}

/**
 * The operator's groups of sector states, the one grouping everything in MinerDesk uses:
 * sealing (staging and sealing, Lotus's UndefinedSectorState "" included, as Lotus counts it),
 * failed (failure and fault states), proving (Proving/Available and snap activation), removed
 * (removal and termination), and `other` for a name this MinerDesk does not know (a newer
 * Lotus): counted, never guessed into a group.
 */
export type SectorGroup = 'sealing' | 'failed' | 'proving' | 'removed' | 'other'

/** The groups in the order they are shown. */
export const SECTOR_GROUPS: readonly SectorGroup[] = ['sealing', 'failed', 'proving', 'removed', 'other']

const G_FAILED = new Set<string>([...FAILURE_STATES, ...FAULT_STATES])
const G_REMOVED = new Set<string>([...REMOVAL_STATES, ...TERMINATION_STATES])
const G_PROVING = new Set(['Proving', 'Available', 'UpdateActivating', 'ReleaseSectorKey'])

export function sectorGroup(state: string): SectorGroup {
  if (G_FAILED.has(state)) return 'failed'
  if (G_REMOVED.has(state)) return 'removed'
  if (G_PROVING.has(state)) return 'proving'
  return state === '' || STATE_SET.has(state) ? 'sealing' : 'other'
}

/** Sealing states in pipeline order (current Lotus), then snap deals: the order they are listed in. */
export const SEALING_ORDER: readonly string[] = [
  '', 'Empty', 'WaitDeals', 'AddPiece', 'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'PreCommitting',
  'SubmitPreCommitBatch', 'PreCommitBatchWait', 'PreCommitWait', 'WaitSeed', 'Committing', 'CommitFinalize',
  'SubmitCommit', 'SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'FinalizeSector', 'ReceiveSector',
  'SnapDealsWaitDeals', 'SnapDealsAddPiece', 'SnapDealsPacking', 'UpdateReplica', 'ProveReplicaUpdate',
  'SubmitReplicaUpdate', 'WaitMutable', 'ReplicaUpdateWait', 'FinalizeReplicaUpdate'
]

/** Current Lotus's happy path for a pledged (CC) sector. */
export const CC_PIPELINE = [
  'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'SubmitPreCommitBatch', 'PreCommitBatchWait', 'WaitSeed',
  'Committing', 'SubmitCommitAggregate', 'CommitAggregateWait', 'FinalizeSector', 'Proving'
] as const
