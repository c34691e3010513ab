import { create } from 'zustand'
import type { DemoStatus } from '@contract'
import { getApi } from '@renderer/api'

interface DemoState {
  status: DemoStatus
  setStatus(s: DemoStatus): void
}

export const useDemoStore = create<DemoState>()((set) => ({
  status: { phase: 'off', sites: [] },
  setStatus: (status) => set({ status })
}))

export const selectDemoStatus = (s: DemoState): DemoStatus => s.status
export const selectDemoPhase = (s: DemoState) => s.status.phase

export async function startDemo(): Promise<void> {
  useDemoStore.getState().setStatus(await getApi().demo.start())
}
export async function stopDemo(): Promise<void> {
  useDemoStore.getState().setStatus(await getApi().demo.stop())
}
