import type { Durations, StageClass, StageTiming, TimingLevel } from '../../../preload/contract'

/**
 * How long a sector may stay in each state Lotus has, and the one rule that judges it.
 *
 * Compute states take the site's expected durations (the runbook's by default). Chain and batch
 * waits are counted in epochs so they follow the chain's block time: a message lands within a few
 * epochs (60 allowed), WaitSeed is the protocol's 150, precommit and commit batches wait at most
 * PreCommitBatchWait / CommitBatchWait (24 h by default), WaitDeals at most WaitDealsDelay (6 h).
 * States whose handler moves on by itself within a minute (GetTicket, PreCommitting, SubmitCommit,
 * and every failure state, which retries after MinRetryTime = 1 min) get 10 minutes. Final states
 * never move by themselves: they are `manual`.
 *
 * The rule, the same for every screen and the CLI: elapsed = now − when the sector entered the
 * state; `late` past 1× the expected time, `overdue` past `factor` × (the stuckMultiple setting)
 * and never within a minute of the expected time (overdueLimitSec).
 */

const EPOCHS_PER_DAY = 2880

export interface StageRule {
  class: StageClass
  /** Expected seconds; null = no limit (done) or never moves by itself (`manual`). */
  expectedSec: number | null
}

export interface StageInputs {
  durations: Durations
  /** Seconds per epoch (30 on mainnet). */
  blockDelay: number
}

const HANDLER_SEC = 10 * 60

/** States Lotus never leaves by itself (no handler, or a handler that waits for the operator). */
export const MANUAL_STATES: ReadonlySet<string> = new Set(['FailedUnrecoverable', 'FaultReported', 'FaultedFinal', 'PackingFailed', 'DealsExpired', 'TerminateFailed'])

export function stageRule(state: string, { durations: d, blockDelay }: StageInputs): StageRule {
  const epochs = (n: number) => n * blockDelay
  switch (state) {
    case 'AddPiece':
    case 'Packing':
    case 'SnapDealsAddPiece':
    case 'SnapDealsPacking':
      return { class: 'compute', expectedSec: d.AP }
    case 'PreCommit1':
      return { class: 'compute', expectedSec: d.PC1 }
    case 'PreCommit2':
      return { class: 'compute', expectedSec: d.PC2 }
    case 'Committing':
      return { class: 'compute', expectedSec: d.C1 + d.C2 }
    case 'CommitFinalize':
    case 'FinalizeSector':
    case 'FinalizeReplicaUpdate':
      return { class: 'compute', expectedSec: d.FIN + d.GET }
    case 'ReceiveSector':
      return { class: 'compute', expectedSec: d.GET }
    case 'UpdateReplica':
      return { class: 'compute', expectedSec: d.PC2 }
    case 'ProveReplicaUpdate':
      return { class: 'compute', expectedSec: d.C1 + d.C2 }
    case 'WaitSeed':
      return { class: 'chain', expectedSec: Math.max(d.WaitSeed, epochs(150)) }
    case 'PreCommitWait':
    case 'PreCommitBatchWait':
    case 'CommitWait':
    case 'CommitAggregateWait':
    case 'ReplicaUpdateWait':
    case 'TerminateWait':
      return { class: 'chain', expectedSec: epochs(60) }
    case 'WaitMutable':
      // A deadline is immutable while it is the current or the next one: about two windows.
      return { class: 'chain', expectedSec: epochs(120) }
    case 'UpdateActivating':
    case 'TerminateFinality':
      // Waits for chain finality (900 epochs) after the message landed.
      return { class: 'chain', expectedSec: epochs(900 + 60) }
    case 'SubmitPreCommitBatch':
    case 'SubmitCommitAggregate':
      return { class: 'batch', expectedSec: epochs(EPOCHS_PER_DAY) }
    case 'Terminating':
      return { class: 'batch', expectedSec: epochs(60) }
    case 'Empty':
    case 'WaitDeals':
    case 'SnapDealsWaitDeals':
      return { class: 'batch', expectedSec: epochs(EPOCHS_PER_DAY / 4) + d.AP }
    case 'GetTicket':
    case 'PreCommitting':
    case 'SubmitCommit':
    case 'SubmitReplicaUpdate':
    case 'ReleaseSectorKey':
    case 'Removing':
    case 'Faulty':
      return { class: 'handler', expectedSec: HANDLER_SEC }
    case 'Proving':
    case 'Available':
    case 'Removed':
      return { class: 'done', expectedSec: null }
    default:
      if (MANUAL_STATES.has(state)) return { class: 'manual', expectedSec: null }
      // Every failure state retries by itself after its cooldown (MinRetryTime, 1 minute).
      return { class: 'failed', expectedSec: HANDLER_SEC }
  }
}

/**
 * What a step holds besides its work, which does not shrink with it: the scheduler's prepare step,
 * fetching its inputs, a worker or miner process coming up. For every real duration (a minute or
 * more at factor 2) the limit is factor × expected; only sub-minute steps (a sped-up simulator,
 * the demo's 2 s AddPiece) get this much beyond their expected time.
 */
export const OVERDUE_GRACE_SEC = 60

/** Past this many seconds a step of `expectedSec` is overdue: factor × it, and at least the grace beyond it. */
export function overdueLimitSec(expectedSec: number, factor: number): number {
  return Math.max(factor * expectedSec, expectedSec + OVERDUE_GRACE_SEC)
}

/** The one judgment: `late` past 1× the expected time, `overdue` past `factor` × (overdueLimitSec). */
export function timingLevel(elapsedSec: number, expectedSec: number, factor: number): TimingLevel {
  if (elapsedSec > overdueLimitSec(expectedSec, factor)) return 'overdue'
  if (elapsedSec > expectedSec) return 'late'
  return 'ok'
}

/** The timing of a sector that has been in `state` since `since` (ms); null when the state has no limit. */
export function stageTiming(state: string, since: number | null, now: number, inputs: StageInputs, factor: number): StageTiming | null {
  const rule = stageRule(state, inputs)
  if (since === null || rule.expectedSec === null) return null
  const elapsedSec = Math.max(0, Math.floor((now - since) / 1000))
  return { state, class: rule.class, since, elapsedSec, expectedSec: rule.expectedSec, factor, level: timingLevel(elapsedSec, rule.expectedSec, factor) }
}

/** The sector state a sealing task is the work of (the stage a job's timing belongs to). */
export function stateOfTask(task: string): readonly string[] {
  switch (task) {
    case 'AP':
      return ['AddPiece', 'Packing', 'SnapDealsAddPiece', 'SnapDealsPacking']
    case 'PC1':
      return ['PreCommit1']
    case 'PC2':
      return ['PreCommit2']
    case 'C1':
    case 'C2':
      return ['Committing']
    case 'FIN':
      return ['FinalizeSector', 'CommitFinalize']
    case 'RU':
      return ['UpdateReplica']
    case 'PR1':
    case 'PR2':
      return ['ProveReplicaUpdate']
    case 'FRU':
      return ['FinalizeReplicaUpdate']
    default:
      return []
  }
}

/**
 * The timing of every watched sector: from when its log says it entered its state; for a sector
 * whose status could not be read but that has a job, from the job's start in the task's state.
 */
export function sectorTimings(
  sectors: ReadonlyMap<number, { n: number; state: string; enteredAt: number | null }> | null,
  jobs: readonly { sector: number; task: string; start: number | null; runWait: number }[],
  now: number,
  inputs: StageInputs,
  factor: number
): Map<number, StageTiming> {
  const out = new Map<number, StageTiming>()
  for (const d of sectors?.values() ?? []) {
    const t = stageTiming(d.state, d.enteredAt, now, inputs, factor)
    if (t) out.set(d.n, t)
  }
  for (const j of jobs) {
    if (out.has(j.sector) || sectors?.has(j.sector) || j.runWait !== 0) continue
    const state = stateOfTask(j.task)[0]
    if (!state) continue
    const t = stageTiming(state, j.start, now, inputs, factor)
    if (t) out.set(j.sector, t)
  }
  return out
}
