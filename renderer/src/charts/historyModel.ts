import type { HistoryPoint } from '@contract'
import { SEALING_ORDER, sectorGroup } from '@contract'

/** Chart data from history points (pure; the charts only lay it out). */

/** States that appear anywhere in the points: pipeline order first, failed states after. */
export function statesIn(points: readonly HistoryPoint[]): string[] {
  const seen = new Set<string>()
  for (const p of points) for (const s of Object.keys(p.byState ?? {})) seen.add(s)
  const order = (s: string) => {
    const i = SEALING_ORDER.indexOf(s)
    return i >= 0 ? i : sectorGroup(s) === 'failed' ? 1000 : 500
  }
  return [...seen].sort((a, b) => order(a) - order(b) || a.localeCompare(b))
}

/** One series per state: [time, count] pairs, null where the miner did not answer (a gap, not a zero). */
export function pipelineSeries(points: readonly HistoryPoint[]): { state: string; data: [number, number | null][] }[] {
  return statesIn(points).map((state) => ({ state, data: points.map((p): [number, number | null] => [p.t, p.byState ? (p.byState[state] ?? 0) : null]) }))
}

/** Sectors sealed per local day over the points (bucketed ranges), oldest first, days without polls left out. */
export function sealedPerDay(points: readonly HistoryPoint[]): { day: string; sealed: number }[] {
  const days = new Map<string, number>()
  for (const p of points) {
    const d = new Date(p.t)
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
    days.set(key, (days.get(key) ?? 0) + p.sealed)
  }
  return [...days].sort((a, b) => a[0].localeCompare(b[0])).map(([day, sealed]) => ({ day, sealed }))
}

/**
 * A state's colour, the same wherever it is drawn: the states of a CC sector's path each get their
 * own (neighbours in the pipeline clearly apart), failed states are reds, anything else a hash.
 */
const PIPELINE_COLORS: Record<string, string> = {
  WaitDeals: '#bab0ac', AddPiece: '#9c755f', Packing: '#d4a6c8', GetTicket: '#b07aa1', PreCommit1: '#f28e2b',
  PreCommit2: '#edc948', PreCommitting: '#ff9da7', SubmitPreCommitBatch: '#e377c2', PreCommitBatchWait: '#c49c94',
  PreCommitWait: '#aec7e8', WaitSeed: '#4e79a7', Committing: '#59a14f', CommitFinalize: '#8cd17d',
  SubmitCommitAggregate: '#17becf', CommitAggregateWait: '#76b7b2', SubmitCommit: '#9edae5', CommitWait: '#86bcb6',
  FinalizeSector: '#2f5fb3'
}
const OTHERS = ['#8c564b', '#7f7f7f', '#bcbd22', '#499894', '#a0cbe8', '#ffbe7d', '#d37295', '#79706e']
const REDS = ['#c62828', '#e15759', '#ff9d9a', '#9e2a2b']
export function stateColor(state: string): string {
  const fixed = PIPELINE_COLORS[state]
  if (fixed) return fixed
  let h = 0
  for (let i = 0; i < state.length; i++) h = (h * 31 + state.charCodeAt(i)) >>> 0
  const pal = sectorGroup(state) === 'failed' ? REDS : OTHERS
  return pal[h % pal.length] as string
}
