import { create } from 'zustand'
import { getTransport, type TransportStatus } from '@renderer/api'

interface TransportStore {
  status: TransportStatus
  setStatus(s: TransportStatus): void
}

export const useTransportStore = create<TransportStore>()((set) => ({
  status: { state: 'connecting', attempt: 0, since: Date.now(), nextRetryAt: null, hasToken: true, everConnected: false },
  setStatus: (status) => set({ status })
}))

export const selectTransportStatus = (s: TransportStore): TransportStatus => s.status
export const selectTransportLost = (s: TransportStore): boolean => s.status.state === 'lost'

/** Tries the browser host's WebSocket again now instead of at the next backoff. */
export const reconnectNow = (): void => getTransport().reconnectNow()
