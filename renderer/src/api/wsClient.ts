import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  MinerDeskError,
  eventFunctionName,
  isEventName,
  splitChannel,
  toErrorInfo,
  type ChannelName,
  type ClientFrame,
  type EventName,
  type MinerDeskApi,
  type ServerFrame
} from '@contract'
import type { Transport, TransportListener, TransportStatus } from './transport'

/** The parts of the DOM WebSocket the client uses (tests pass a fake). */
export interface SocketLike {
  readonly readyState: number
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  send(data: string): void
  close(code?: number, reason?: string): void
}
export type SocketFactory = (url: string) => SocketLike

export interface WsClientOptions {
  url: string
  /** Whether the page URL carried a token (the host refuses the socket without one). */
  hasToken: boolean
  createSocket?: SocketFactory
  /** Delay before reconnect attempt `n` (1-based). */
  backoffMs?: (attempt: number) => number
  /** How long a call made while disconnected waits for the socket before it fails. */
  queueTimeoutMs?: number
  now?: () => number
}

const OPEN = 1

/** 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s: quick after a host restart, gentle when it is gone. */
export function defaultBackoff(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1))
}

function disconnectedError(detail: string): MinerDeskError {
  return new MinerDeskError({
    code: 'host/disconnected',
    message: 'Lost the connection to the MinerDesk host',
    hint: 'Check that `npm run web` is still running, then retry.',
    details: detail
  })
}

interface Pending {
  channel: ChannelName
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}
interface Queued {
  frame: ClientFrame
  pending: Pending
  timer: ReturnType<typeof setTimeout>
}

/**
 * The browser host's transport: the contract's channels and events over one WebSocket
 * (frames of wire.ts). Reconnects with backoff. A call that was in flight when the socket dropped
 * is rejected (it may have run on the host, and mutations are never retried automatically); a call
 * made while disconnected waits briefly for the socket, since it has certainly not run yet.
 */
export function createWsTransport(opts: WsClientOptions): Transport {
  const createSocket: SocketFactory = opts.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike)
  const backoff = opts.backoffMs ?? defaultBackoff
  const queueTimeoutMs = opts.queueTimeoutMs ?? 15_000
  const now = opts.now ?? Date.now

  let socket: SocketLike | null = null
  let nextId = 1
  const inFlight = new Map<number, Pending>()
  const queue: Queued[] = []
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>()
  const statusListeners = new Set<TransportListener>()
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let status: TransportStatus = { state: 'connecting', attempt: 0, since: now(), nextRetryAt: null, hasToken: opts.hasToken, everConnected: false }

  function setStatus(patch: Partial<TransportStatus>): void {
    const prev = status
    status = { ...status, ...patch }
    if (patch.state !== undefined && patch.state !== prev.state) status.since = now()
    for (const fn of statusListeners) fn(status, prev)
  }

  function connect(): void {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    let s: SocketLike
    try {
      s = createSocket(opts.url)
    } catch (err) {
      onDrop(err instanceof Error ? err.message : String(err))
      return
    }
    socket = s
    s.onopen = () => {
      if (socket !== s) return
      setStatus({ state: 'open', attempt: 0, nextRetryAt: null, everConnected: true })
      flushQueue()
    }
    s.onmessage = (ev) => {
      if (socket === s) onFrame(ev.data)
    }
    s.onerror = () => {
      /* a close event always follows; handled there */
    }
    s.onclose = () => {
      if (socket !== s) return
      socket = null
      onDrop('WebSocket closed')
    }
  }

  function onDrop(detail: string): void {
    for (const [id, p] of inFlight) {
      inFlight.delete(id)
      p.reject(disconnectedError(`${detail} during ${p.channel}`))
    }
    const attempt = status.attempt + 1
    const delay = backoff(attempt)
    setStatus({ state: 'lost', attempt, nextRetryAt: now() + delay })
    retryTimer = setTimeout(connect, delay)
  }

  function flushQueue(): void {
    while (queue.length > 0 && socket && socket.readyState === OPEN) {
      const q = queue.shift()
      if (!q) break
      clearTimeout(q.timer)
      send(q.frame, q.pending)
    }
  }

  function send(frame: ClientFrame, pending: Pending): void {
    if (!socket || socket.readyState !== OPEN) {
      const timer = setTimeout(() => {
        const i = queue.findIndex((q) => q.frame === frame)
        if (i >= 0) queue.splice(i, 1)
        pending.reject(disconnectedError(`no connection to the host for ${queueTimeoutMs / 1000} s (${frame.channel} was not sent)`))
      }, queueTimeoutMs)
      queue.push({ frame, pending, timer })
      return
    }
    inFlight.set(frame.id, pending)
    try {
      socket.send(JSON.stringify(frame))
    } catch (err) {
      inFlight.delete(frame.id)
      pending.reject(disconnectedError(err instanceof Error ? err.message : String(err)))
    }
  }

  function onFrame(data: unknown): void {
    let frame: ServerFrame
    try {
      frame = JSON.parse(String(data)) as ServerFrame
    } catch {
      console.warn('minerdesk: ignoring a malformed frame from the host')
      return
    }
    if (frame.t === 'result') {
      const p = inFlight.get(frame.id)
      if (!p) return
      inFlight.delete(frame.id)
      if (frame.result.ok) p.resolve(frame.result.value)
      else p.reject(new MinerDeskError(toErrorInfo(frame.result.error)))
    } else if (frame.t === 'event') {
      if (!isEventName(frame.name)) return
      for (const fn of eventListeners.get(frame.name) ?? []) {
        // One broken listener must not starve the others of the event.
        try {
          fn(frame.payload)
        } catch (err) {
          console.error(`minerdesk: listener of ${frame.name} failed`, err)
        }
      }
    } else if (frame.t === 'hello') {
      setStatus({ hostVersion: frame.version })
    }
  }

  function call(channel: ChannelName, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      send({ t: 'call', id: nextId++, channel, args }, { channel, resolve, reject })
    })
  }

  // Build the named-function API from the contract's name lists, exactly as the preload does.
  const api: Record<string, Record<string, unknown>> = { events: {} }
  for (const name of CHANNEL_NAMES) {
    const [domain, method] = splitChannel(name)
    const group = (api[domain] ??= {})
    group[method] = (...args: unknown[]) => call(name, args)
  }
  const events = api.events as Record<string, unknown>
  for (const name of EVENT_NAMES) {
    events[eventFunctionName(name)] = (listener: (payload: unknown) => void) => {
      let set = eventListeners.get(name)
      if (!set) eventListeners.set(name, (set = new Set()))
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    }
  }

  connect()

  return {
    kind: 'web',
    // Built generically from CHANNEL_NAMES/EVENT_NAMES above; its shape is MinerDeskApi by construction.
    api: api as unknown as MinerDeskApi,
    status: () => status,
    onStatus(fn) {
      statusListeners.add(fn)
      return () => {
        statusListeners.delete(fn)
      }
    },
    reconnectNow() {
      if (status.state === 'open') return
      if (socket) return // an attempt is already under way
      connect()
    },
    close() {
      if (retryTimer) clearTimeout(retryTimer)
      const s = socket
      socket = null
      s?.close()
    }
  }
}

/** `ws://<host>/ws?token=<token>` from the page's own address (the host serves both). */
export function wsUrlFromLocation(loc: { protocol: string; host: string; search: string }): { url: string; hasToken: boolean } {
  const token = new URLSearchParams(loc.search).get('token') ?? ''
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:'
  return { url: `${scheme}//${loc.host}/ws?token=${encodeURIComponent(token)}`, hasToken: token !== '' }
}
