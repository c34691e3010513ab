import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { toErrorInfo, type ClientFrame, type ServerFrame } from '../../../preload/contract'
import { fixtureBackend, type FixtureBackend } from './fixtureHost'
import type { FixtureData } from './fixtures'
import { RENDERER_DIR } from './staticServer'

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' }

/**
 * A stand-in for the browser host (`npm run web`), test-only: serves out/renderer and speaks the
 * contract's WebSocket frames (wire.ts) at /ws?token=…, answering from the fixture backend. It lets
 * the renderer's real WebSocket transport (reconnect, banner, reload) be tested before the real
 * host exists. Can be stopped and restarted on the same port.
 */
export class WsFixtureHost {
  readonly token = 'fixture-token-0123456789'
  readonly backend: FixtureBackend
  private server: Server | null = null
  private wss: WebSocketServer | null = null
  private readonly sockets = new Set<WebSocket>()
  private stopping = false
  port = 0

  constructor(data: FixtureData) {
    this.backend = fixtureBackend(data)
    this.backend.onEvent((name, payload) => this.broadcast({ t: 'event', name: name as never, payload }))
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x')
      const file = normalize(join(RENDERER_DIR, u.pathname === '/' ? 'index.html' : decodeURIComponent(u.pathname)))
      if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end()
        return
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      createReadStream(file).pipe(res)
    })
    const wss = new WebSocketServer({ noServer: true })
    server.on('upgrade', (req, socket, head) => {
      // The page retries every second: an upgrade racing a stop must not slip in.
      if (this.stopping) {
        socket.destroy()
        return
      }
      const u = new URL(req.url ?? '/', 'http://x')
      if (u.pathname !== '/ws' || u.searchParams.get('token') !== this.token) {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws))
    })
    this.stopping = false
    await new Promise<void>((r) => server.listen(this.port, '127.0.0.1', r))
    this.port = (server.address() as AddressInfo).port
    this.server = server
    this.wss = wss
  }

  async stop(): Promise<void> {
    this.stopping = true
    const server = this.server
    this.server = null
    // Stop listening first, then drop every open socket (keep-alive HTTP included) so close ends.
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve()
    for (const s of this.sockets) s.terminate()
    this.sockets.clear()
    this.wss?.close()
    server?.closeAllConnections()
    await closed
  }

  private accept(ws: WebSocket): void {
    this.sockets.add(ws)
    ws.on('close', () => this.sockets.delete(ws))
    this.send(ws, { t: 'hello', host: 'web', version: '0.1.0-fixture' })
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as ClientFrame
      this.backend.handle(frame.channel, frame.args).then(
        (value) => this.send(ws, { t: 'result', id: frame.id, result: { ok: true, value } }),
        (err: unknown) => this.send(ws, { t: 'result', id: frame.id, result: { ok: false, error: toErrorInfo(err) } })
      )
    })
  }

  private send(ws: WebSocket, frame: ServerFrame): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
  }

  private broadcast(frame: ServerFrame): void {
    for (const ws of this.sockets) this.send(ws, frame)
  }
}
