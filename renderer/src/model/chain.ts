import type { SyncWorker } from '@contract'

/** How far a sync worker got from its base to its target (what `lotus sync status` leaves to arithmetic). */
export function syncProgress(w: SyncWorker): string {
  if (w.baseHeight === null || w.targetHeight === null || w.targetHeight <= w.baseHeight) return '—'
  const p = (w.height - w.baseHeight) / (w.targetHeight - w.baseHeight)
  return `${Math.max(0, Math.min(100, Math.floor(p * 100)))}%`
}
