import { useEffect } from 'react'
import { create } from 'zustand'
import { asMinerDeskError, getApi } from '@renderer/api'
import { bucketStart, mergePoint, type ErrorInfo, type HistoryPoint, type HistoryRange, type HistorySampleEvent, type SiteHistory } from '@contract'

/**
 * Site histories the charts show, per site and range, kept out of reactive state (a day of polls
 * is thousands of points): the store holds a version counter per key. Loaded on first use, then
 * kept current from `history:sample` events: a point is appended (or folded into the open bucket
 * of a bucketed range) and the points older than the range dropped.
 */
const histories = new Map<string, SiteHistory>()

const keyOf = (siteId: string, range: HistoryRange): string => `${siteId}:${range}`

interface HistoryStore {
  versions: Record<string, number>
  errors: Record<string, ErrorInfo | null>
  bump(key: string): void
  setError(key: string, e: ErrorInfo | null): void
}

export const useHistoryStore = create<HistoryStore>()((set) => ({
  versions: {},
  errors: {},
  bump: (key) => set((s) => ({ versions: { ...s.versions, [key]: (s.versions[key] ?? 0) + 1 } })),
  setError: (key, e) => set((s) => ({ errors: { ...s.errors, [key]: e } }))
}))

const inflight = new Map<string, Promise<void>>()

export function loadHistory(siteId: string, range: HistoryRange): Promise<void> {
  const key = keyOf(siteId, range)
  const cur = inflight.get(key)
  if (cur) return cur
  const run = (async () => {
    try {
      histories.set(key, await getApi().history.get(siteId, range))
      useHistoryStore.getState().setError(key, null)
      useHistoryStore.getState().bump(key)
    } catch (err) {
      useHistoryStore.getState().setError(key, asMinerDeskError(err).toInfo())
    } finally {
      inflight.delete(key)
    }
  })()
  inflight.set(key, run)
  return run
}

/** Adds a new poll to every loaded range of its site. */
export function applyHistorySample(e: HistorySampleEvent): void {
  for (const [key, h] of histories) {
    if (h.siteId !== e.siteId) continue
    const points = appendPoint(h.points, e.point, h.bucketSec, h.rangeSec, e.point.t)
    histories.set(key, { ...h, points, since: h.since ?? e.point.t })
    useHistoryStore.getState().bump(key)
  }
}

/** The points of a range with one more poll (pure; exported for tests). */
export function appendPoint(points: readonly HistoryPoint[], p: HistoryPoint, bucketSec: number | null, rangeSec: number, now: number): HistoryPoint[] {
  const from = now - rangeSec * 1000
  const kept = points.filter((x) => x.t >= (bucketSec ? bucketStart(from, bucketSec) : from))
  const last = kept[kept.length - 1]
  if (!bucketSec) {
    if (!last || p.t > last.t) kept.push(p)
    return kept
  }
  const start = bucketStart(p.t, bucketSec)
  if (last && last.t === start) kept[kept.length - 1] = mergePoint(last, p)
  else if (!last || last.t < start) kept.push({ ...p, t: start })
  return kept
}

/** A site's history over a range, loaded on first use; re-renders when it changes. */
export function useHistory(siteId: string, range: HistoryRange): { history: SiteHistory | undefined; error: ErrorInfo | null; version: number } {
  const key = keyOf(siteId, range)
  const version = useHistoryStore((s) => s.versions[key] ?? 0)
  const error = useHistoryStore((s) => s.errors[key] ?? null)
  useEffect(() => {
    if (!histories.has(key)) void loadHistory(siteId, range)
  }, [key, siteId, range])
  return { history: histories.get(key), error, version }
}

/** Forgets the histories of sites that were removed. */
export function retainHistories(siteIds: readonly string[]): void {
  const keep = new Set(siteIds)
  for (const [key, h] of histories) if (!keep.has(h.siteId)) histories.delete(key)
}

/** After a reconnect the events in between are lost: loaded ranges are read again. */
export function reloadHistories(): void {
  for (const h of histories.values()) void loadHistory(h.siteId, h.rangeSec)
}
