import type { MinerDeskApi, Unsubscribe } from '@contract'

/**
 * `open`: calls go through; `connecting`: first attempt under way; `lost`: the browser host's
 * socket dropped and a reconnect is scheduled. Electron IPC is always `open`.
 */
export type TransportState = 'connecting' | 'open' | 'lost'

export interface TransportStatus {
  state: TransportState
  /** Reconnect attempts since the last successful connection. */
  attempt: number
  since: number
  nextRetryAt: number | null
  /** Browser host only: whether the page URL carried the per-run token. */
  hasToken: boolean
  /** Whether a connection ever succeeded (a drop after that means the app must re-sync). */
  everConnected: boolean
  hostVersion?: string
}

export type TransportListener = (status: TransportStatus, previous: TransportStatus) => void

export interface Transport {
  kind: 'electron' | 'web'
  api: MinerDeskApi
  status(): TransportStatus
  onStatus(fn: TransportListener): Unsubscribe
  reconnectNow(): void
  close(): void
}
