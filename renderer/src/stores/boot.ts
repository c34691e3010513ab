import { create } from 'zustand'
import type { ErrorInfo } from '@contract'

/** Whether the first full load from the main side has happened, and why it failed if it did. */
interface BootState {
  loaded: boolean
  error: ErrorInfo | null
  setLoaded(): void
  setError(e: ErrorInfo): void
}

export const useBootStore = create<BootState>()((set) => ({
  loaded: false,
  error: null,
  setLoaded: () => set({ loaded: true, error: null }),
  setError: (error) => set({ error })
}))

export const selectBootError = (s: BootState) => s.error
export const selectBootLoaded = (s: BootState) => s.loaded
