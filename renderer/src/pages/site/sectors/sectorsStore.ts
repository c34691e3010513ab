import { create } from 'zustand'
import { asMinerDeskError, call, getApi } from '@renderer/api'
import type { ErrorInfo } from '@contract'
import { buildModel, type SectorsModel } from './sectorsModel'

/**
 * Sectors per site, kept OUT of reactive state: the models (typed arrays, up to 200,000 rows)
 * live in a module map; the store holds a version counter per site, the loading flag and the
 * last error. The selection (sector numbers ticked for bulk actions) is a module Set with its
 * own counter, so ticking a row re-renders the toolbar and that row, not the model.
 */
const models = new Map<string, SectorsModel>()
const selections = new Map<string, Set<number>>()

interface SectorsStore {
  versions: Record<string, number>
  loading: Record<string, boolean>
  errors: Record<string, ErrorInfo | null>
  selectionVersions: Record<string, number>
  setModel(siteId: string, m: SectorsModel): void
  setLoading(siteId: string, on: boolean): void
  setError(siteId: string, e: ErrorInfo | null): void
  bumpSelection(siteId: string): void
}

export const useSectorsStore = create<SectorsStore>()((set) => ({
  versions: {},
  loading: {},
  errors: {},
  selectionVersions: {},
  setModel: (siteId, m) => {
    models.set(siteId, m)
    set((s) => ({ versions: { ...s.versions, [siteId]: (s.versions[siteId] ?? 0) + 1 }, errors: { ...s.errors, [siteId]: null } }))
  },
  setLoading: (siteId, on) => set((s) => ({ loading: { ...s.loading, [siteId]: on } })),
  setError: (siteId, e) => set((s) => ({ errors: { ...s.errors, [siteId]: e } })),
  bumpSelection: (siteId) => set((s) => ({ selectionVersions: { ...s.selectionVersions, [siteId]: (s.selectionVersions[siteId] ?? 0) + 1 } }))
}))

/** The site's model; re-renders when a new one arrives. */
export function useSectorsModel(siteId: string): { model: SectorsModel | undefined; version: number } {
  const version = useSectorsStore((s) => s.versions[siteId] ?? 0)
  return { model: models.get(siteId), version }
}

const inflight = new Map<string, Promise<void>>()

/** Reads the site's sectors (`sectors:list`); concurrent callers share one call. */
export function loadSectors(siteId: string): Promise<void> {
  const cur = inflight.get(siteId)
  if (cur) return cur
  const st = useSectorsStore.getState()
  st.setLoading(siteId, true)
  const run = (async () => {
    try {
      const table = await getApi().sectors.list(siteId)
      useSectorsStore.getState().setModel(siteId, buildModel(table))
    } catch (err) {
      useSectorsStore.getState().setError(siteId, asMinerDeskError(err).toInfo())
    } finally {
      useSectorsStore.getState().setLoading(siteId, false)
      inflight.delete(siteId)
    }
  })()
  inflight.set(siteId, run)
  return run
}

export function selection(siteId: string): Set<number> {
  let s = selections.get(siteId)
  if (!s) {
    s = new Set()
    selections.set(siteId, s)
  }
  return s
}

export function useSelection(siteId: string): { selected: Set<number>; version: number } {
  const version = useSectorsStore((s) => s.selectionVersions[siteId] ?? 0)
  return { selected: selection(siteId), version }
}

export function toggleSelected(siteId: string, n: number, on?: boolean): void {
  const s = selection(siteId)
  const want = on ?? !s.has(n)
  if (want) s.add(n)
  else s.delete(n)
  useSectorsStore.getState().bumpSelection(siteId)
}

export function setSelection(siteId: string, numbers: Iterable<number>): void {
  const s = selection(siteId)
  s.clear()
  for (const n of numbers) s.add(n)
  useSectorsStore.getState().bumpSelection(siteId)
}

export function selectMany(siteId: string, numbers: Iterable<number>, on: boolean): void {
  const s = selection(siteId)
  for (const n of numbers) {
    if (on) s.add(n)
    else s.delete(n)
  }
  useSectorsStore.getState().bumpSelection(siteId)
}

/* The sectors screen's and the sector page's calls to main. */
export const readSectorStatus = call('sectors', 'status')
export const readSectorFiles = call('sectors', 'files')
export const readStorageFind = call('sectors', 'storageFind')
export const findFiles = call('sectors', 'findFiles')
export const previewUpdateState = call('sectors', 'previewUpdateState')
export const previewRemove = call('sectors', 'previewRemove')
export const previewPledge = call('sectors', 'previewPledge')
export const previewClear = call('sectors', 'previewClear')
export const readAutopledge = call('sectors', 'autopledgeStatus')
export const onAutopledge = call('events', 'onSectorsAutopledge')
export const previewAutopledge = call('sectors', 'previewAutopledge')
export const stopAutopledge = call('sectors', 'stopAutopledge')
