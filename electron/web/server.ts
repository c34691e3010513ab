import { randomBytes, timingSafeEqual } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { ClientFrame, ServerFrame } from '../../preload/contract'
import { dispatch } from '../core/runtime/dispatch'
import type { EventBus } from '../core/runtime/eventBus'
import type { Handlers } from '../core/app/handlers'

/**
 * The browser host: the built renderer and the contract over a WebSocket, on 127.0.0.1 only,
 * behind a per-run token. The token arrives in the page URL (`?token=`); the first page load
 * turns it into a same-site cookie so that the page's own assets load, and every other request
 * or WebSocket upgrade without it is refused.
 */
export interface WebHostOptions {
  handlers: Handlers
  events: EventBus
  rendererDir: string
  port: number
  version: string
  /** Fixed token (tests); default: 32 random bytes. */
  token?: string
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

const COOKIE = 'minerdesk_token'

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie
  if (!header) return null
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === COOKIE) return v.join('=')
  }
  return null
}

function requestToken(req: IncomingMessage): { token: string | null; fromQuery: boolean } {
  const q = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token')
  if (q) return { token: q, fromQuery: true }
  return { token: cookieToken(req), fromQuery: false }
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
  const root = resolve(opts.rendererDir)
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`the renderer is not built (${join(root, 'index.html')} is missing): run npm run build`)
  }
  let port = opts.port

  const server = createServer((req, res) => serve(req, res))

  function refuse(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders(port) })
    res.end(`${text}\n`)
  }

  function serve(req: IncomingMessage, res: ServerResponse): void {
    const { token: given, fromQuery } = requestToken(req)
    if (!given || !safeEqual(given, token)) {
      return refuse(res, 403, 'MinerDesk: this address needs the token printed when the host started (open the full URL).')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)
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
    if (fromQuery) headers['Set-Cookie'] = `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`
    res.writeHead(200, headers)
    res.end(req.method === 'HEAD' ? undefined : readFileSync(target))
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const { token: given } = requestToken(req)
    const origin = req.headers.origin
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
    if (url.pathname !== '/ws' || !given || !safeEqual(given, token) || !originOk) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws))
  })

  const sockets = new Set<WebSocket>()
  function send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }
  function attach(ws: WebSocket): void {
    sockets.add(ws)
    send(ws, { t: 'hello', host: 'web', version: opts.version })
    ws.on('message', (data) => {
      let frame: ClientFrame
      try {
        frame = JSON.parse(String(data)) as ClientFrame
      } catch {
        return
      }
      if (!frame || frame.t !== 'call' || typeof frame.id !== 'number') return
      void dispatch(opts.handlers, frame.channel, frame.args, { via: 'web' }).then((result) =>
        send(ws, { t: 'result', id: frame.id, result })
      )
    })
    ws.on('close', () => sockets.delete(ws))
    ws.on('error', () => sockets.delete(ws))
  }
  const unsubscribe = opts.events.subscribeAll((name, payload) => {
    for (const ws of sockets) send(ws, { t: 'event', name, payload })
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolveListen())
  })
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
