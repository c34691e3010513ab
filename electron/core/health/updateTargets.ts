import type { TargetRefusal, UpdateTargetCheck } from '../../../preload/contract'
import { FSM_NEXT, NO_HANDLER, sameHandler } from '../../../preload/contract/lotus/fsm'
import { sectorGroup, SECTOR_STATES } from '../../../preload/contract/lotus/states'
import type { SectorDigest } from './sectorLog'

/**
 * update-state safety. `SectorsUpdate` does not check anything: Lotus sets the state and runs its
 * handler (storage/pipeline/fsm.go), which then fails the sector if what it needs is missing —
 * handleCommitWait: `entered commit wait with no commit cid` → CommitFailed; handlePreCommitWait:
 * `precommit message was nil` → PreCommitFailed; handleSubmitCommitAggregate and handleCommitting:
 * `sector had nil commR or commD`. So a target is offered and accepted only when
 *
 * 1. Lotus's own planners can move the sector there from its state (FSM_NEXT), or it re-runs the
 *    state's handler, or the target shares the handler of such a state (CommitWait for
 *    CommitAggregateWait — the runbook's commitwait.sh / precommitwait.sh); and
 * 2. the target's handler has what it needs: a commit message for CommitWait, a precommit message
 *    for PreCommitWait and WaitSeed, CommR/CommD and the seed for Committing, a proof for
 *    SubmitCommit; no re-sealing of a sector whose commit message exists; Proving/FinalizeSector
 *    only after a commit message (finalizing drops the cache C1/C2 need).
 *
 * Anything else is refused before it is sent, with the reasons, unless explicitly overridden.
 */

export type TargetFacts = Pick<SectorDigest, 'state' | 'preCommitMsg' | 'commitMsg' | 'seedEpoch' | 'ticketEpoch' | 'hasCommR' | 'hasCommD' | 'hasProof'>

const RESEAL = new Set(['Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'SealPreCommit1Failed', 'SealPreCommit2Failed', 'PreCommitting', 'SubmitPreCommitBatch', 'WaitDeals', 'AddPiece', 'Empty'])
const ON_CHAIN_ONLY = new Set(['Faulty', 'FaultReported', 'FaultedFinal', 'Terminating', 'TerminateWait', 'TerminateFinality', 'TerminateFailed', 'Available', 'SnapDealsWaitDeals'])
/** Targets update-state should not be used for: removal has its own action (it aborts the jobs first). */
const USE_REMOVE = new Set(['Removing', 'Removed'])
/** Reachable, but never a remedy to offer: Lotus moves there by itself after its own checks. */
const NOT_SUGGESTED = new Set(['DealsExpired', 'RecoverDealIDs', 'SnapDealsDealsExpired', 'SnapDealsRecoverDealIDs', 'Proving', 'Available', 'FaultReported', 'Faulty'])

/** The states Lotus itself can move a sector in `state` to, plus re-running its handler, plus their handler-twins. */
export function reachable(state: string): string[] {
  const direct = [...(NO_HANDLER.has(state) ? [] : [state]), ...(FSM_NEXT[state] ?? [])]
  const out: string[] = []
  for (const s of direct) for (const t of SECTOR_STATES) if (sameHandler(s, t) && !out.includes(t)) out.push(t)
  // Keep Lotus's order: the direct ones first.
  return [...direct.filter((s, i) => direct.indexOf(s) === i), ...out.filter((t) => !direct.includes(t))]
}

function preconditions(s: TargetFacts, target: string): TargetRefusal[] {
  const r: TargetRefusal[] = []
  const committed = s.commitMsg !== null
  switch (target) {
    case 'CommitWait':
    case 'CommitAggregateWait':
      if (!committed) r.push('no-commit-message')
      break
    case 'PreCommitWait':
    case 'PreCommitBatchWait':
    case 'WaitSeed':
      if (s.preCommitMsg === null) r.push('no-precommit-message')
      break
    case 'Committing':
    case 'CommitFinalize':
      if (!s.hasCommR || !s.hasCommD) r.push('no-commr')
      if (s.seedEpoch <= 0) r.push('no-seed')
      break
    case 'SubmitCommit':
    case 'SubmitCommitAggregate':
      if (!s.hasCommR || !s.hasCommD) r.push('no-commr')
      if (!s.hasProof) r.push('no-proof')
      break
    case 'PreCommitting':
    case 'SubmitPreCommitBatch':
      if (!s.hasCommR || !s.hasCommD) r.push('no-commr')
      break
    case 'FinalizeSector':
    case 'Proving':
      if (!committed) r.push('not-committed')
      break
  }
  if (RESEAL.has(target) && committed && !RESEAL.has(s.state)) r.push('already-committed')
  if (ON_CHAIN_ONLY.has(target) && sectorGroup(s.state) !== 'proving' && !['Faulty', 'FaultReported', 'FaultedFinal', 'Terminating', 'TerminateWait', 'TerminateFinality', 'TerminateFailed'].includes(s.state)) r.push('not-on-chain')
  return r
}

/** Whether `target` is safe for the sector, and if not, why (every reason that applies). */
export function checkTarget(s: TargetFacts, target: string): UpdateTargetCheck {
  const reasons: TargetRefusal[] = []
  if (USE_REMOVE.has(target)) reasons.push('use-remove')
  else if (!reachable(s.state).includes(target)) reasons.push('not-a-transition')
  for (const r of preconditions(s, target)) if (!reasons.includes(r)) reasons.push(r)
  return { state: target, ok: reasons.length === 0, reasons }
}

/** The targets to offer for a sector, Lotus's own order: re-run the state, then where its handlers go. */
export function safeTargets(s: TargetFacts): string[] {
  return reachable(s.state).filter((t) => !NOT_SUGGESTED.has(t) && checkTarget(s, t).ok)
}
