import { create } from 'zustand'
import type { ExporterStatus } from '@contract'
import { getApi } from '@renderer/api'

/** The app's Prometheus exporter: serving, where, or why not. */
interface ExporterState {
  status: ExporterStatus | null
  setStatus(status: ExporterStatus): void
}

export const useExporterStore = create<ExporterState>()((set) => ({
  status: null,
  setStatus: (status) => set({ status })
}))

export const selectExporterStatus = (s: ExporterState): ExporterStatus | null => s.status

export async function loadExporterStatus(): Promise<void> {
  useExporterStore.getState().setStatus(await getApi().exporter.status())
}
