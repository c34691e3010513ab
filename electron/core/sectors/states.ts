import { MinerDeskError } from '../../../preload/contract'
import { resolveSectorState, SECTOR_STATES } from '../../../preload/contract/lotus/states'

/**
 * Sector states as the sectors screen and the update-state action use them: state names
 * validated against the 63 Lotus accepts — Lotus's CLI prints the list and exits 0 on a typo,
 * so MinerDesk refuses instead. How long a state may last and which update-state
 * targets are safe are the health model's (electron/core/health/stages.ts, updateTargets.ts).
 */

/** States whose sectors are not fetched one by one for the list (the bulk of a site). */
const NO_DETAIL = new Set(['Proving', 'Available', 'Removed'])
export function needsDetail(state: string): boolean {
  return !NO_DETAIL.has(state)
}

/** Every state update-state names, sorted (the safe ones for a sector come from the health model). */
export function allTargets(): string[] {
  return [...SECTOR_STATES].sort()
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
