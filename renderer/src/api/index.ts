import { MinerDeskError, toErrorInfo, type MinerDeskApi } from '@contract'
import type { Transport, TransportStatus } from './transport'
import { createWsTransport, wsUrlFromLocation } from './wsClient'

export type { Transport, TransportStatus, TransportState } from './transport'

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in the browser host. */
    minerdesk?: MinerDeskApi
  }
}

/** Any rejection → MinerDeskError with the contract's ErrorInfo, whatever crossed the boundary. */
export function asMinerDeskError(err: unknown): MinerDeskError {
  if (err instanceof MinerDeskError) return err
  return new MinerDeskError(toErrorInfo(err))
}

/**
 * Electron's contextBridge copies only an Error's message across worlds, so the preload's
 * MinerDeskError may arrive as a plain Error or object: wrap every function to restore the class.
 */
function normalizeErrors(raw: MinerDeskApi): MinerDeskApi {
  const out: Record<string, Record<string, unknown>> = {}
  for (const [domain, group] of Object.entries(raw as unknown as Record<string, Record<string, unknown>>)) {
    const g: Record<string, unknown> = {}
    for (const [name, fn] of Object.entries(group)) {
      if (typeof fn !== 'function') continue
      g[name] =
        domain === 'events'
          ? fn
          : (...args: unknown[]) =>
              (fn as (...a: unknown[]) => Promise<unknown>)(...args).catch((err: unknown) => {
                throw asMinerDeskError(err)
              })
    }
    out[domain] = g
  }
  // Same keys and signatures as the input; only rejections are normalised.
  return out as unknown as MinerDeskApi
}

function electronTransport(raw: MinerDeskApi): Transport {
  const status: TransportStatus = { state: 'open', attempt: 0, since: Date.now(), nextRetryAt: null, hasToken: true, everConnected: true }
  return {
    kind: 'electron',
    api: normalizeErrors(raw),
    status: () => status,
    onStatus: () => () => undefined,
    reconnectNow: () => undefined,
    close: () => undefined
  }
}

let transport: Transport | null = null

/** The one transport of this page: Electron IPC when the preload exposed it, else the browser host's WebSocket. */
export function getTransport(): Transport {
  if (!transport) {
    if (window.minerdesk) transport = electronTransport(window.minerdesk)
    else {
      const { url, hasToken } = wsUrlFromLocation(window.location)
      transport = createWsTransport({ url, hasToken })
    }
  }
  return transport
}

export function getApi(): MinerDeskApi {
  return getTransport().api
}

/**
 * One call of the contract, bound when it runs (the transport is made on first use). The stores
 * and feature hooks name the calls they make with it; components call those, never the API.
 */
export function call<D extends keyof MinerDeskApi, M extends keyof MinerDeskApi[D]>(domain: D, method: M): MinerDeskApi[D][M] {
  return ((...args: unknown[]) => (getApi()[domain][method] as (...a: unknown[]) => unknown)(...args)) as MinerDeskApi[D][M]
}
