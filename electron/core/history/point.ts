import type { HistoryPoint } from '../../../preload/contract/history'
import type { SiteSnapshot } from '../../../preload/contract'
import { sectorGroup } from '../../../preload/contract/lotus/states'

/**
 * A poll's snapshot reduced to a history point (pure). `done` is what the previous point of the
 * site counted in Proving and the removal states together: a sector enters those only once sealed,
 * so the growth of that sum is the sectors sealed in between (a sector that is removed stays
 * counted, so a removal is not mistaken for anything).
 */
export function pointFromSnapshot(s: SiteSnapshot, lastDone: number | null): { point: HistoryPoint; done: number | null } {
  const p = s.pipeline
  let byState: Record<string, number> | null = null
  if (p) {
    byState = {}
    for (const [state, n] of Object.entries(p.byState)) {
      const g = sectorGroup(state)
      if (n > 0 && g !== 'proving' && g !== 'removed') byState[state] = n
    }
  }
  const done = p ? p.byGroup.proving + p.byGroup.removed : null
  const sealed = done !== null && lastDone !== null ? Math.max(0, done - lastDone) : 0
  const d = s.daemon
  return {
    point: {
      t: s.takenAt,
      daemonUp: d.up,
      minerUp: s.miner.up,
      height: d.height ?? null,
      behind: d.behindEpochs ?? null,
      headAgeSec: d.headAgeSec ?? null,
      peers: d.peers ?? null,
      byState,
      proving: p ? p.byGroup.proving : null,
      removed: p ? p.byGroup.removed : null,
      failed: p ? p.byGroup.failed : null,
      faults: s.proving ? s.proving.faults : null,
      recoveries: s.proving ? s.proving.recoveries : null,
      sealed
    },
    done: done ?? lastDone
  }
}

/** What a point counts in Proving and the removal states (null without a pipeline). */
export function doneOf(p: HistoryPoint): number | null {
  return p.proving === null ? null : p.proving + (p.removed ?? 0)
}
