import { create } from 'zustand'

/**
 * One shared clock for every "12 s ago": a single interval instead of one per cell, and only the
 * components that show a live age subscribe to it.
 */
interface ClockState {
  now: number
  tick(now: number): void
}

export const useClockStore = create<ClockState>()((set) => ({
  now: Date.now(),
  tick: (now) => set({ now })
}))

let timer: ReturnType<typeof setInterval> | null = null
export function startClock(): () => void {
  if (!timer) timer = setInterval(() => useClockStore.getState().tick(Date.now()), 1000)
  return () => {
    if (timer) clearInterval(timer)
    timer = null
  }
}

export function useNow(): number {
  return useClockStore((s) => s.now)
}
