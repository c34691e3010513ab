import { MinerDeskError, type Durations } from '../../../preload/contract'
import { type SectorStateGroup } from '../../../preload/contract/sectors'
import { operatorGroup, resolveSectorState, SECTOR_STATES } from '../../../preload/contract/lotus/states'

/**
 * Sector states as the sectors screen and the update-state action use them: the operator group,
 * the expected time in a state (runbook durations), and the update-state targets an operator
 * usually picks from a given state (lotus-reference §3.3–§3.4), validated against the 63 states
 * Lotus accepts — Lotus's CLI prints the list and exits 0 on a typo, so MinerDesk refuses instead.
 */

export function stateGroup(state: string): SectorStateGroup {
  return operatorGroup(state)
}

/** States whose sectors are not fetched one by one for the list (the bulk of a site). */
const NO_DETAIL = new Set(['Proving', 'Available', 'Removed'])
export function needsDetail(state: string): boolean {
  return !NO_DETAIL.has(state)
}

/**
 * Expected seconds in a state from the site's durations (runbook §0): the worker task a state
 * waits for, or the chain wait. Null where the runbook gives no figure (batching waits, chain
 * message waits): those are never called stuck.
 */
export function expectedSecFor(state: string, d: Durations): number | null {
  switch (state) {
    case 'AddPiece':
    case 'Packing':
      return d.AP
    case 'PreCommit1':
      return d.PC1
    case 'PreCommit2':
      return d.PC2
    case 'WaitSeed':
      return d.WaitSeed
    case 'Committing':
      return d.C1 + d.C2
    case 'CommitFinalize':
    case 'FinalizeSector':
      return d.FIN + d.GET
    default:
      return null
  }
}

/** Stuck: in a state with an expected duration for longer than `multiple` × that duration. */
export function isStuck(timeInStateSec: number | null, expectedSec: number | null, multiple: number): boolean {
  return timeInStateSec !== null && expectedSec !== null && timeInStateSec > multiple * expectedSec
}

/**
 * The update-state targets operators usually choose from a state (issues and the runbook), in
 * order of preference. The runbook's two shortcuts (CommitWait, PreCommitWait) are offered for
 * the states they help with.
 */
const USUAL: Record<string, string[]> = {
  ComputeProofFailed: ['Committing', 'SealPreCommit1Failed', 'PreCommit1'],
  RemoteCommitFailed: ['Committing', 'PreCommit1'],
  CommitFailed: ['Committing', 'CommitWait', 'SubmitCommit', 'PreCommit1'],
  CommitFinalizeFailed: ['CommitFinalize', 'FinalizeSector'],
  PreCommitFailed: ['PreCommitting', 'PreCommitWait', 'SubmitPreCommitBatch'],
  SealPreCommit1Failed: ['PreCommit1', 'GetTicket'],
  SealPreCommit2Failed: ['PreCommit2', 'PreCommit1'],
  FinalizeFailed: ['FinalizeSector'],
  AddPieceFailed: ['WaitDeals', 'Packing'],
  PackingFailed: ['Packing'],
  RemoveFailed: ['Removing'],
  TerminateFailed: ['Terminating'],
  DealsExpired: ['Removing'],
  RecoverDealIDs: ['PreCommitting', 'SubmitCommit'],
  Packing: ['Packing', 'GetTicket'],
  AddPiece: ['Packing'],
  GetTicket: ['GetTicket', 'PreCommit1'],
  PreCommit1: ['PreCommit1', 'SealPreCommit1Failed'],
  PreCommit2: ['PreCommit2', 'SealPreCommit2Failed', 'PreCommit1'],
  PreCommitting: ['PreCommitting', 'PreCommitWait'],
  SubmitPreCommitBatch: ['PreCommitting', 'PreCommitWait'],
  PreCommitBatchWait: ['PreCommitWait', 'PreCommitting'],
  PreCommitWait: ['PreCommitWait', 'WaitSeed', 'PreCommitting'],
  WaitSeed: ['WaitSeed', 'Committing'],
  Committing: ['Committing', 'ComputeProofFailed'],
  SubmitCommit: ['SubmitCommit', 'CommitWait'],
  SubmitCommitAggregate: ['SubmitCommit', 'CommitWait'],
  CommitAggregateWait: ['CommitWait', 'SubmitCommit'],
  CommitWait: ['CommitWait', 'SubmitCommit'],
  CommitFinalize: ['CommitFinalize', 'FinalizeSector'],
  FinalizeSector: ['FinalizeSector', 'FinalizeFailed'],
  FailedUnrecoverable: ['Removing'],
  Faulty: ['FaultReported'],
  FaultReported: ['FaultedFinal']
}

const SHORTCUTS = ['CommitWait', 'PreCommitWait']
const SHORTCUT_FROM = new Set([
  'CommitFailed', 'CommitAggregateWait', 'SubmitCommitAggregate', 'SubmitCommit', 'CommitWait', 'Committing', 'ComputeProofFailed',
  'PreCommitFailed', 'PreCommitBatchWait', 'SubmitPreCommitBatch', 'PreCommitting', 'PreCommitWait'
])

/** The usual targets for a state first (the runbook's shortcuts where they apply), then every state Lotus accepts. */
export function updateTargets(state: string): { suggested: string[]; all: string[] } {
  const suggested = [...(USUAL[state] ?? [])]
  if (SHORTCUT_FROM.has(state)) for (const s of SHORTCUTS) if (!suggested.includes(s)) suggested.push(s)
  return { suggested: suggested.filter((s) => SECTOR_STATES.includes(s)), all: [...SECTOR_STATES].sort() }
}

/** Edit distance (small strings), for "did you mean" on a mistyped state. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number
      prev[j] = Math.min((prev[j] as number) + 1, (prev[j - 1] as number) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length] as number
}

/** Closest state names to a typo (at most three). */
export function suggestStates(typed: string): string[] {
  const t = typed.toLowerCase()
  return SECTOR_STATES.map((s) => ({ s, d: distance(t, s.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(t.length / 3)))
    .sort((a, b) => a.d - b.d || a.s.localeCompare(b.s))
    .slice(0, 3)
    .map((x) => x.s)
}

/** Lotus's name for what the operator typed, or an invalid-input error that says what was meant. */
export function requireState(typed: string): string {
  const state = resolveSectorState(typed)
  if (state) return state
  const near = suggestStates(typed)
  throw new MinerDeskError({
    code: 'invalid-input',
    message: `"${typed.slice(0, 60)}" is not a sector state Lotus accepts${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
    hint: `update-state takes one of the ${SECTOR_STATES.length} states of Lotus's state machine, e.g. Committing, PreCommit1, CommitWait`,
    params: { state: typed.slice(0, 60) }
  })
}
