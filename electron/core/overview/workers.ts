import type { WorkerRow, WorkersSnapshot } from '../../../preload/contract'
import type { WorkerStats } from '../../../preload/contract/lotus/types'
import { workerRow } from './jobs'

/**
 * Workers now, plus the ones MinerDesk saw before and no longer sees.
 *
 * A worker's ID in Lotus is its session UUID: a restarted worker comes back under a NEW id.
 * So "missing" is decided per hostname, by count: if a host had 2 workers and now shows 1,
 * one is missing (the most recently seen of its vanished ids stands for it); a host whose
 * worker restarted shows as many as before and nothing is missing.
 */

/** A worker away this long is forgotten (taken out of service), so it stops counting as lost. */
export const WORKER_FORGET_MS = 24 * 3600_000

export function buildWorkers(
  stats: Record<string, WorkerStats>,
  remembered: Readonly<Record<string, WorkerRow>>,
  now: number
): { snapshot: WorkersSnapshot; remembered: Record<string, WorkerRow> } {
  const present = Object.entries(stats).map(([id, w]) => workerRow(id, w, now))
  const presentIds = new Set(present.map((w) => w.id))
  const presentByHost = new Map<string, number>()
  for (const w of present) presentByHost.set(w.hostname, (presentByHost.get(w.hostname) ?? 0) + 1)

  const knownByHost = new Map<string, number>()
  const goneByHost = new Map<string, WorkerRow[]>()
  for (const w of Object.values(remembered)) {
    if (now - w.lastSeen >= WORKER_FORGET_MS) continue
    knownByHost.set(w.hostname, (knownByHost.get(w.hostname) ?? 0) + 1)
    if (!presentIds.has(w.id)) goneByHost.set(w.hostname, [...(goneByHost.get(w.hostname) ?? []), w])
  }

  const missing: WorkerRow[] = []
  for (const [host, gone] of goneByHost) {
    const lost = (knownByHost.get(host) ?? 0) - (presentByHost.get(host) ?? 0)
    if (lost <= 0) continue
    gone.sort((a, b) => b.lastSeen - a.lastSeen || a.id.localeCompare(b.id))
    for (const w of gone.slice(0, lost)) missing.push({ ...w, missing: true, missingSince: w.missingSince ?? now })
  }

  const list = [...present, ...missing].sort((a, b) => a.hostname.localeCompare(b.hostname) || Number(a.missing) - Number(b.missing) || a.id.localeCompare(b.id))
  return {
    snapshot: {
      list,
      online: present.filter((w) => w.enabled).length,
      disabled: present.filter((w) => !w.enabled).length,
      missing: missing.length
    },
    remembered: Object.fromEntries(list.map((w) => [w.id, w]))
  }
}
