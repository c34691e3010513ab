import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import { toErrorInfo, type Result, type ServerFrame } from '../../preload/contract'
import { dispatch } from '../core/runtime/dispatch'
import type { EventBus } from '../core/runtime/eventBus'
import type { Handlers } from '../core/runtime/handlers'
import { redactSecrets } from '../core/util/redact'
import { parseClientFrame } from './frames'

/**
 * The browser host: the built renderer and the contract over a WebSocket, on 127.0.0.1 only.
 *
 * Credentials. The per-run token opens the API: it comes in the page URL (`?token=`, which the
 * page also puts on its WebSocket URL) or, for other clients, an `Authorization: Bearer` header.
 * A cookie never opens the API: browsers send 127.0.0.1's cookies to every port, so any local
 * service could read one. The page's own assets (scripts, styles, fonts) load with a cookie that
 * carries a different secret, which opens nothing but those static files. Every request must name
 * this host as `127.0.0.1:PORT` or `localhost:PORT` (no DNS rebinding), and a WebSocket from a
 * page must come from this origin. Tokens are compared in constant time.
 *
 * Input never ends the process: every request line, escape, header and frame is parsed under a
 * guard that answers 400 or an `invalid-input` result; each call's promise is handled; a
 * connection has a bounded number of calls in flight and stops being read while its replies
 * wait unsent (bufferedAmount), so a client that does not read cannot make the host queue
 * without end.
 */
export interface WebHostOptions {
  handlers: Handlers
  events: EventBus
  rendererDir: string
  port: number
  version: string
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string
  /** Where unexpected errors are reported (default: stderr). */
  log?: (message: string) => void
}

export interface WebHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf'
}

/** Calls one connection may have running at once; more wait in the socket (it is not read). */
export const MAX_CALLS_IN_FLIGHT = 16
/**
 * Calls read but not started on one connection. The socket is paused once any wait, so this only
 * holds what its last reads had brought in; beyond it a call is answered "not run".
 */
export const MAX_WAITING_CALLS = 4096
/** Replies waiting to be sent on one connection above which it is not read any further. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024
/** Unsent events and replies above which a connection is closed (the page reconnects and reloads). */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024
/** Largest frame a page may send (a contract call is a few KiB). */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** The request target as a path and query, or null when it is not origin-form (`/…`) or does not parse. */
function parseTarget(raw: string | undefined): URL | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null
  try {
    return new URL(raw, 'http://127.0.0.1')
  } catch {
    return null
  }
}

function bearer(req: IncomingMessage): string | null {
  const h = req.headers.authorization
  if (typeof h !== 'string') return null
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
  return m ? m[1]! : null
}

function cookie(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie
  if (typeof header !== 'string') return null
  for (const part of header.split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return null
}

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; ` +
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin'
  }
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('hex')
  // Opens the static files only (see the module comment); never the API.
  const assetSecret = randomBytes(32).toString('hex')
  const log = opts.log ?? ((m: string) => process.stderr.write(`minerdesk: ${m}\n`))
  const report = (what: string, err: unknown): void => log(`${what}: ${redactSecrets(err instanceof Error ? (err.stack ?? err.message) : String(err))}`)
  const root = resolve(opts.rendererDir)
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the renderer is not built (${join(root, 'index.html')} is missing): run npm run build`)
  }
  let port = opts.port
  const assetCookie = () => `minerdesk_assets_${port}`

  const hostOk = (req: IncomingMessage): boolean => {
    const h = req.headers.host
    return typeof h === 'string' && (h === `127.0.0.1:${port}` || h.toLowerCase() === `localhost:${port}`)
  }
  const apiToken = (req: IncomingMessage, url: URL): string | null => url.searchParams.get('token') ?? bearer(req)

  const server = createServer((req, res) => {
    try {
      serve(req, res)
    } catch (err) {
      report(`request ${String(req.method).slice(0, 10)} failed`, err)
      if (!res.headersSent) refuse(res, 500, 'internal error')
      else res.destroy()
    }
  })
  // Malformed HTTP (bad request line, oversized headers…): answer 400 and drop the connection.
  server.on('clientError', (_err, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    else socket.destroy()
  })

  function refuse(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...securityHeaders(port) })
    res.end(`${text}\n`)
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    if (!hostOk(req)) return refuse(res, 421, 'MinerDesk answers only to 127.0.0.1 and localhost on its own port')
    const url = parseTarget(req.url)
    if (!url) return refuse(res, 400, 'bad request target')
    const given = apiToken(req, url)
    const withToken = given !== null && safeEqual(given, token)
    const asset = cookie(req, assetCookie())
    const withAssetCookie = asset !== null && safeEqual(asset, assetSecret)
    if (!withToken && !withAssetCookie) {
      return refuse(res, 403, 'MinerDesk: this address needs the token printed when the host started (open the full URL).')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    } catch {
      return refuse(res, 400, 'bad %-escape in the path')
    }
    if (pathname.includes('\0')) return refuse(res, 400, 'bad path')
    const rel = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '')
    const file = normalize(join(root, rel))
    if (!file.startsWith(root + sep) && file !== root) return refuse(res, 404, 'not found')
    const target = existsSync(file) && statSync(file).isFile() ? file : null
    if (!target) return refuse(res, 404, 'not found')
    const headers: Record<string, string> = {
      'Content-Type': MIME[extname(target)] ?? 'application/octet-stream',
      ...securityHeaders(port),
      'Cache-Control': target.endsWith('index.html') ? 'no-store' : 'private, max-age=3600'
    }
    if (withToken) headers['Set-Cookie'] = `${assetCookie()}=${assetSecret}; Path=/; HttpOnly; SameSite=Strict`
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : readFileSync(target))
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    try {
      const url = parseTarget(req.url)
      const given = url ? apiToken(req, url) : null
      const origin = req.headers.origin
      const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
      if (!hostOk(req) || !url || url.pathname !== '/ws' || given === null || !safeEqual(given, token) || !originOk) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws))
    } catch (err) {
      report('WebSocket upgrade failed', err)
      socket.destroy()
    }
  })

  const sockets = new Set<WebSocket>()
  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // This page stopped reading: drop it rather than hold its backlog; it reconnects and reloads.
      ws.terminate()
      return
    }
    let text: string
    try {
      text = JSON.stringify(frame)
    } catch (err) {
      report(`could not encode a ${frame.t} frame`, err)
      if (frame.t !== 'result') return
      text = JSON.stringify({ t: 'result', id: frame.id, result: { ok: false, error: { code: 'internal', message: 'the result could not be encoded' } } })
    }
    ws.send(text, (err) => {
      if (err) sockets.delete(ws)
    })
  }

  function attach(ws: WebSocket): void {
    sockets.add(ws)
    let inFlight = 0
    let paused = false
    let drainTimer: ReturnType<typeof setInterval> | null = null
    // Calls read but not started yet: what had arrived in the socket's last reads when it was paused.
    const waiting: Array<{ id: number; channel: string; args: unknown[] }> = []
    const reply = (id: number, result: Result<unknown>): void => send(ws, { t: 'result', id, result })
    const congested = (): boolean => ws.bufferedAmount > HIGH_WATER_BYTES

    /** Starts waiting calls while few run and replies are not piling up unsent; reads on only then. */
    const pump = (): void => {
      while (waiting.length > 0 && inFlight < MAX_CALLS_IN_FLIGHT && !congested()) start(waiting.shift()!)
      const hold = waiting.length > 0 || inFlight >= MAX_CALLS_IN_FLIGHT || congested()
      if (hold && !paused) {
        paused = true
        ws.pause()
      } else if (!hold && paused) {
        paused = false
        ws.resume()
      }
      // Nothing else wakes the pump when only the send buffer is in the way: watch it drain.
      if (hold && congested() && drainTimer === null) {
        drainTimer = setInterval(() => {
          if (!congested() || ws.readyState !== ws.OPEN) {
            if (drainTimer) clearInterval(drainTimer)
            drainTimer = null
            if (ws.readyState === ws.OPEN) pump()
          }
        }, 20)
      }
    }

    const start = ({ id, channel, args }: { id: number; channel: string; args: unknown[] }): void => {
      inFlight++
      dispatch(opts.handlers, channel, args, { via: 'web' })
        .catch((err: unknown) => {
          report(`call ${channel} failed unexpectedly`, err)
          return { ok: false, error: toErrorInfo(err) } as Result<unknown>
        })
        .then((result) => reply(id, result))
        .catch((err: unknown) => report('could not send a result', err))
        .finally(() => {
          inFlight--
          if (ws.readyState === ws.OPEN) pump()
        })
    }

    send(ws, { t: 'hello', host: 'web', version: opts.version })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        const parsed = parseClientFrame(data, isBinary)
        if (!parsed.ok) {
          if (parsed.id !== null) reply(parsed.id, { ok: false, error: { code: 'invalid-input', message: parsed.message } })
          return
        }
        if (waiting.length >= MAX_WAITING_CALLS) {
          reply(parsed.frame.id, { ok: false, error: { code: 'invalid-input', message: `more than ${MAX_WAITING_CALLS} calls sent at once: not run` } })
          return
        }
        waiting.push(parsed.frame)
        pump()
      } catch (err) {
        report('a frame could not be handled', err)
      }
    })
    const gone = (): void => {
      sockets.delete(ws)
      waiting.length = 0
      if (drainTimer) clearInterval(drainTimer)
      drainTimer = null
    }
    ws.on('close', gone)
    ws.on('error', gone)
  }
  const unsubscribe = opts.events.subscribeAll((name, payload) => {
    for (const ws of sockets) send(ws, { t: 'event', name, payload })
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolveListen())
  })
  server.on('error', (err) => report('server error', err))
  const addr = server.address()
  port = typeof addr === 'object' && addr ? addr.port : opts.port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const ws of sockets) ws.terminate()
      await new Promise<void>((r) => wss.close(() => r()))
      await new Promise<void>((r) => server.close(() => r()))
    }
  }
}
