import type { Duplex } from 'node:stream'
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls'
import { isIP } from 'node:net'
import { MinerDeskError, type ErrorInfo, type Result } from '../../../preload/contract'
import type { SshHost } from '../ssh/types'
import { formatHostPort } from './apiInfo'
import type { NodeKind } from './discover'
import { ConnectionClosedError, HttpConnection, HttpProtocolError, type HttpResponse } from './http1'
import {
  badResponseError,
  cancelledError,
  connectionLostError,
  forwardError,
  rpcCallError,
  timeoutError,
  unauthorizedError,
  type ErrorContext
} from './rpcErrors'
import type { ApiToken } from './token'
import { RPC_ERRORS } from '../../../preload/contract/lotus/types'

/**
 * JSON-RPC 2.0 over HTTP/1.1 POST to a Lotus API, carried through SSH direct-tcpip channels
 * (`SshHost.forwardOut`) to the API port as the remote machine sees it. Streams are kept alive
 * and reused (at most `maxStreams` per endpoint, idle ones closed after `idleMs`). A call is
 * never retried: a failure is mapped to an ErrorInfo code and thrown.
 */

export interface RpcTarget {
  node: NodeKind
  host: string
  port: number
  tls: boolean
  basePath: string
  token: ApiToken | null
}

export interface RpcClientOptions {
  ssh: SshHost
  target: RpcTarget
  /** API path version; default v1 for the daemon, v0 for the miner (it has no v1). */
  version?: 'v0' | 'v1'
  /** Per-call timeout (ms), default 30 s. */
  timeoutMs?: number
  /** Forwarded streams kept per endpoint, default 2. */
  maxStreams?: number
  /** Idle streams are closed after this long (ms), default 30 s, to give SSH channels back. */
  idleMs?: number
  /** Extra TLS options for /wss and https endpoints (e.g. a private CA). */
  tlsOptions?: ConnectionOptions
}

export interface CallOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

export interface RpcCall {
  method: string
  params: unknown[]
}

export interface RpcStats {
  /** Forwarded streams opened over the client's life. */
  streamsOpened: number
  /** HTTP requests sent (a batch is one). */
  httpRequests: number
  /** JSON-RPC calls made (each element of a batch counts). */
  calls: number
  batches: number
  /** JSON bytes sent in request bodies and received in response bodies. */
  bytesSent: number
  bytesReceived: number
  /** Streams open now (busy or idle). */
  streamsOpen: number
}

interface Waiter {
  resolve: (conn: HttpConnection | null) => void
  reject: (err: Error) => void
}

interface IdleEntry {
  conn: HttpConnection
  timer: NodeJS.Timeout
}

const DEFAULT_TIMEOUT_MS = 30_000

export class RpcClient {
  private readonly ssh: SshHost
  readonly target: RpcTarget
  private readonly path: string
  private readonly timeoutMs: number
  private readonly maxStreams: number
  private readonly idleMs: number
  private readonly tlsOptions: ConnectionOptions | undefined
  private readonly ctx: ErrorContext
  private idle: IdleEntry[] = []
  private waiters: Waiter[] = []
  private open = 0
  private nextId = 1
  private closed = false
  /** Lotus before go-jsonrpc batch support (2023) answers a batch with a parse error. */
  private batchSupported = true
  private readonly counters = { streamsOpened: 0, httpRequests: 0, calls: 0, batches: 0, bytesSent: 0, bytesReceived: 0 }

  constructor(opts: RpcClientOptions) {
    this.ssh = opts.ssh
    this.target = opts.target
    const version = opts.version ?? (opts.target.node === 'daemon' ? 'v1' : 'v0')
    this.path = `${opts.target.basePath}/rpc/${version}`
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.maxStreams = Math.max(1, opts.maxStreams ?? 2)
    this.idleMs = opts.idleMs ?? 30_000
    this.tlsOptions = opts.tlsOptions
    this.ctx = { node: opts.target.node, alias: opts.ssh.alias, host: opts.target.host, port: opts.target.port }
  }

  get stats(): RpcStats {
    return { ...this.counters, streamsOpen: this.open }
  }

  get supportsBatch(): boolean {
    return this.batchSupported
  }

  /** One JSON-RPC call (`method` without the `Filecoin.` namespace). */
  async call(method: string, params: unknown[], opts: CallOptions = {}): Promise<unknown> {
    const full = `Filecoin.${method}`
    const id = this.nextId++
    this.counters.calls++
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', method: full, params, id }))
    const res = await this.post(body, full, opts)
    const msg = this.parseBody(res, full)
    if (Array.isArray(msg)) throw badResponseError(this.ctx, full, 'an array answered a single call')
    return this.unwrap(msg, id, full)
  }

  /**
   * Several calls in one HTTP request (a JSON-RPC batch; the server runs them in order).
   * Each element gets its own result or error. A Lotus too old for batches refuses the whole
   * array with a parse error before running anything; the calls are then sent one by one over
   * the kept-alive streams (nothing had run, so this is not a retry) and later batches skip
   * straight to that.
   */
  async batch(calls: readonly RpcCall[], opts: CallOptions = {}): Promise<Result<unknown>[]> {
    if (calls.length === 0) return []
    if (!this.batchSupported || calls.length === 1) return this.concurrent(calls, opts)
    const first = this.nextId
    this.nextId += calls.length
    this.counters.calls += calls.length
    this.counters.batches++
    const label = `batch of ${calls.length} (${calls[0]!.method}…)`
    const reqs = calls.map((c, i) => ({ jsonrpc: '2.0', method: `Filecoin.${c.method}`, params: c.params, id: first + i }))
    const res = await this.post(Buffer.from(JSON.stringify(reqs)), label, opts)
    const msg = this.parseBody(res, label)
    if (!Array.isArray(msg)) {
      const err = (msg as { error?: { code?: unknown } } | null)?.error
      if (err && (err.code === RPC_ERRORS.parse || err.code === RPC_ERRORS.invalidRequest)) {
        this.batchSupported = false
        this.counters.calls -= calls.length
        return this.concurrent(calls, opts)
      }
      throw badResponseError(this.ctx, label, 'a batch was not answered with an array', res.body.toString('utf8'))
    }
    const byId = new Map<unknown, unknown>()
    for (const m of msg) {
      if (m && typeof m === 'object') byId.set((m as { id?: unknown }).id, m)
    }
    return calls.map((c, i): Result<unknown> => {
      const full = `Filecoin.${c.method}`
      const m = byId.get(first + i)
      if (m === undefined) return { ok: false, error: badResponseError(this.ctx, full, 'no answer in the batch').toInfo() }
      try {
        return { ok: true, value: this.unwrap(m, first + i, full) }
      } catch (err) {
        return { ok: false, error: toInfo(err) }
      }
    })
  }

  private async concurrent(calls: readonly RpcCall[], opts: CallOptions): Promise<Result<unknown>[]> {
    return Promise.all(
      calls.map((c) =>
        this.call(c.method, c.params, opts).then(
          (value): Result<unknown> => ({ ok: true, value }),
          (err): Result<unknown> => ({ ok: false, error: toInfo(err) })
        )
      )
    )
  }

  /** Closes every stream; calls in flight fail, later calls are refused. */
  close(): void {
    this.closed = true
    for (const e of this.idle) {
      clearTimeout(e.timer)
      e.conn.destroy()
    }
    this.idle = []
    this.open = 0
    const waiters = this.waiters
    this.waiters = []
    for (const w of waiters) w.reject(new MinerDeskError({ code: 'cancelled', message: 'the Lotus client was closed' }))
  }

  /* ---------------------------------------------------------------- HTTP */

  private async post(body: Buffer, label: string, opts: CallOptions): Promise<HttpResponse> {
    if (this.closed) throw new MinerDeskError({ code: 'cancelled', message: `${label}: the Lotus client was closed` })
    if (opts.signal?.aborted) throw cancelledError(label)
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs
    const ac = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      ac.abort()
    }, timeoutMs)
    const onAbort = () => ac.abort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    const stop = (): MinerDeskError => (timedOut ? timeoutError(this.ctx, label, timeoutMs) : cancelledError(label))
    let conn: HttpConnection | null = null
    try {
      conn = await this.acquire(ac.signal)
      if (ac.signal.aborted) throw stop()
      const c = conn
      const onStop = () => c.destroy(timedOut ? 'timed out' : 'cancelled')
      ac.signal.addEventListener('abort', onStop, { once: true })
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' }
      if (this.target.token) headers['Authorization'] = `Bearer ${this.target.token.reveal()}`
      this.counters.httpRequests++
      this.counters.bytesSent += body.length
      try {
        const res = await c.request({ method: 'POST', path: this.path, host: formatHostPort(this.target), headers, body })
        this.counters.bytesReceived += res.body.length
        return res
      } catch (err) {
        if (ac.signal.aborted) throw stop()
        if (err instanceof ConnectionClosedError) throw connectionLostError(this.ctx, label, err.message)
        if (err instanceof HttpProtocolError) throw badResponseError(this.ctx, label, err.message)
        throw err
      } finally {
        ac.signal.removeEventListener('abort', onStop)
      }
    } catch (err) {
      if (ac.signal.aborted) throw stop()
      throw err
    } finally {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      if (conn) this.release(conn)
    }
  }

  private parseBody(res: HttpResponse, label: string): unknown {
    if (res.status === 401) throw unauthorizedError(this.ctx, this.target.token !== null)
    if (res.status === 404) {
      throw badResponseError(this.ctx, label, `HTTP 404 for ${this.path}${this.target.node === 'miner' ? ' (the miner serves only /rpc/v0)' : ''}`)
    }
    const text = res.body.toString('utf8')
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw badResponseError(this.ctx, label, `HTTP ${res.status}, body is not JSON`, text)
    }
  }

  private unwrap(m: unknown, id: number, method: string): unknown {
    if (!m || typeof m !== 'object') throw badResponseError(this.ctx, method, 'the answer is not a JSON object')
    const msg = m as { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } }
    if (msg.error !== undefined && msg.error !== null) {
      const code = typeof msg.error.code === 'number' ? msg.error.code : NaN
      const text = typeof msg.error.message === 'string' ? msg.error.message : ''
      if (!Number.isFinite(code)) throw badResponseError(this.ctx, method, 'error without a numeric code', JSON.stringify(msg.error))
      throw rpcCallError(this.ctx, method, code, text)
    }
    // go-jsonrpc echoes the request id; a parse error before the id was read answers id null.
    if (msg.id !== id) throw badResponseError(this.ctx, method, `answer id ${JSON.stringify(msg.id)} does not match ${id}`)
    if (!('result' in msg)) throw badResponseError(this.ctx, method, 'neither result nor error')
    return msg.result
  }

  /* ---------------------------------------------------------------- stream pool */

  private acquire(signal: AbortSignal): Promise<HttpConnection> {
    for (;;) {
      const entry = this.idle.pop()
      if (!entry) break
      clearTimeout(entry.timer)
      if (entry.conn.reusable) return Promise.resolve(entry.conn)
      this.open-- // closed by the server while idle
    }
    if (this.open < this.maxStreams) return this.openStream(signal)
    return new Promise<HttpConnection | null>((resolve, reject) => {
      const w: Waiter = {
        resolve: (c) => {
          signal.removeEventListener('abort', onAbort)
          resolve(c)
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort)
          reject(e)
        }
      }
      const onAbort = () => {
        this.waiters = this.waiters.filter((x) => x !== w)
        reject(new MinerDeskError({ code: 'cancelled', message: 'aborted while waiting for a stream' }))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(w)
    }).then((conn) => (conn ? conn : this.acquire(signal)))
  }

  private async openStream(signal: AbortSignal): Promise<HttpConnection> {
    this.open++
    let stream: Duplex
    try {
      stream = await this.ssh.forwardOut(this.target.host, this.target.port, { signal })
      if (this.target.tls) stream = await this.startTls(stream)
    } catch (err) {
      this.open--
      this.wakeWaiter()
      throw forwardError(this.ctx, err)
    }
    if (this.closed) {
      stream.destroy()
      throw new MinerDeskError({ code: 'cancelled', message: 'the Lotus client was closed' })
    }
    this.counters.streamsOpened++
    return new HttpConnection(stream)
  }

  private startTls(stream: Duplex): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const servername = isIP(this.target.host) ? undefined : this.target.host
      const sock = tlsConnect({ ...this.tlsOptions, socket: stream, ...(servername ? { servername } : {}) })
      sock.once('secureConnect', () => resolve(sock))
      sock.once('error', (err) => {
        stream.destroy()
        reject(new MinerDeskError({ code: 'lotus/rpc', message: `TLS to ${formatHostPort(this.target)} on ${this.ssh.alias} failed`, details: err.message }))
      })
    })
  }

  private release(conn: HttpConnection): void {
    if (this.closed) {
      conn.destroy()
      return
    }
    if (!conn.reusable) {
      conn.destroy()
      this.open--
      this.wakeWaiter()
      return
    }
    const waiter = this.waiters.shift()
    if (waiter) {
      waiter.resolve(conn)
      return
    }
    const entry: IdleEntry = {
      conn,
      timer: setTimeout(() => {
        const i = this.idle.indexOf(entry)
        if (i >= 0) {
          this.idle.splice(i, 1)
          this.open--
          conn.destroy('idle')
        }
      }, this.idleMs)
    }
    entry.timer.unref()
    this.idle.push(entry)
  }

  /** A stream slot came free: the first waiter opens its own. */
  private wakeWaiter(): void {
    const waiter = this.waiters.shift()
    if (waiter) waiter.resolve(null)
  }
}

export function toInfo(err: unknown): ErrorInfo {
  if (err instanceof MinerDeskError) return err.toInfo()
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) }
}
