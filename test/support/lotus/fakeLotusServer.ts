import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/**
 * TEST-ONLY: a JSON-RPC server on 127.0.0.1 that answers the way Lotus's go-jsonrpc does over
 * HTTP POST (docs/lotus.md "API, tokens and repos"): `Authorization: Bearer` checked (no header = read
 * rights; bad prefix or unknown token = HTTP 401, empty body), `Filecoin.` namespace, exact
 * param counts (-32602), unknown methods (-32601, HTTP 500), method errors as code 1 with HTTP
 * 200, `missing permission to invoke 'X' (need 'p')`, batches (or, with `batch: false`, the
 * parse error of go-jsonrpc before batch support), map-ordered keys, and chunked bodies beyond
 * 4 KiB like Go's net/http. It counts TCP connections so tests can prove keep-alive.
 */

export type Perm = 'read' | 'write' | 'sign' | 'admin'

export interface FakeMethod {
  perm: Perm
  /** Exact parameter count. */
  params: number
  handler: (params: unknown[]) => unknown
}

export class RpcMethodError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

export interface FakeLotusOptions {
  /** Paths that serve JSON-RPC, e.g. ['/rpc/v0', '/rpc/v1'] for a daemon, ['/rpc/v0'] for a miner. */
  paths: string[]
  /** token → permissions it carries. */
  tokens: Record<string, Perm[]>
  methods: Record<string, FakeMethod>
  /** Answer batches (go-jsonrpc ≥ 2023); false = the older parse error. Default true. */
  batch?: boolean
  /** Delay before each answer (ms). */
  latencyMs?: number
  port?: number
  /** Serve HTTPS with this key and certificate (a /wss or /tls API address). */
  tls?: { key: string; cert: string }
}

interface RpcRequest {
  id?: unknown
  method?: unknown
  params?: unknown
}

export class FakeLotusServer {
  private server: Server
  private sockets = new Set<Socket>()
  readonly opts: FakeLotusOptions
  /** TCP connections accepted over the server's life. */
  connections = 0
  httpRequests = 0
  /** Method names called, in order (without namespace). */
  calls: string[] = []
  port = 0

  private constructor(opts: FakeLotusOptions) {
    this.opts = opts
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res)
    this.server = opts.tls ? createTlsServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : createServer(handler)
    this.server.keepAliveTimeout = 60_000
    this.server.on(opts.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.connections++
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  static async start(opts: FakeLotusOptions): Promise<FakeLotusServer> {
    const s = new FakeLotusServer(opts)
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject)
      s.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
    })
    s.port = (s.server.address() as AddressInfo).port
    return s
  }

  setMethod(name: string, m: FakeMethod): void {
    this.opts.methods[name] = m
  }

  removeMethod(name: string): void {
    delete this.opts.methods[name]
  }

  /** Closes every open connection (as a restart would). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy()
  }

  async stop(): Promise<void> {
    this.dropConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.httpRequests++
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    if (this.opts.latencyMs) await new Promise((r) => setTimeout(r, this.opts.latencyMs))
    const path = (req.url ?? '').split('?')[0]
    if (req.method !== 'POST' || !this.opts.paths.includes(path ?? '')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('404 page not found\n')
      return
    }
    // go-jsonrpc auth.Handler
    let perms: Perm[] = ['read']
    const auth = req.headers['authorization']
    if (auth !== undefined && auth !== '') {
      if (!auth.startsWith('Bearer ')) {
        res.writeHead(401).end()
        return
      }
      const p = this.opts.tokens[auth.slice('Bearer '.length)]
      if (!p) {
        res.writeHead(401).end()
        return
      }
      perms = p
    }
    const text = Buffer.concat(chunks).toString('utf8').trim()
    if (text === '') return this.send(res, 400, errorObj(null, -32600, 'Invalid request'))
    if (text.startsWith('[') && text.endsWith(']') && this.opts.batch !== false) {
      let reqs: unknown
      try {
        reqs = JSON.parse(text)
      } catch {
        return this.send(res, 500, errorObj(null, -32700, 'Parse error'))
      }
      if (!Array.isArray(reqs) || reqs.length === 0) return this.send(res, 500, errorObj(null, -32600, 'Invalid request'))
      const out: string[] = []
      for (const r of reqs) out.push(JSON.stringify((await this.one(r as RpcRequest, perms)).body))
      return this.sendRaw(res, 200, `[${out.join(',')}]`)
    }
    let one: RpcRequest
    try {
      one = JSON.parse(text) as RpcRequest
      if (!one || typeof one !== 'object' || Array.isArray(one)) throw new Error('not an object')
    } catch {
      return this.send(res, 500, errorObj(null, -32700, 'Parse error'))
    }
    const r = await this.one(one, perms)
    return this.send(res, r.status, r.body)
  }

  private async one(req: RpcRequest, perms: Perm[]): Promise<{ status: number; body: Record<string, unknown> }> {
    const id = req.id ?? null
    const full = typeof req.method === 'string' ? req.method : ''
    const name = full.startsWith('Filecoin.') ? full.slice('Filecoin.'.length) : ''
    const m = name ? this.opts.methods[name] : undefined
    if (!m) return { status: 500, body: errorObj(id, -32601, `method '${full}' not found`) }
    const params = req.params === undefined || req.params === null ? [] : req.params
    if (!Array.isArray(params)) return { status: 500, body: errorObj(id, -32700, `unmarshaling params for '${full}' (param: *api.X): json: cannot unmarshal object`) }
    if (params.length !== m.params) return { status: 500, body: errorObj(id, -32602, `wrong param count (method '${full}'): ${params.length} != ${m.params}`) }
    this.calls.push(name)
    if (!perms.includes(m.perm)) return { status: 200, body: errorObj(id, 1, `missing permission to invoke '${name}' (need '${m.perm}')`) }
    try {
      const result = await m.handler(params)
      return { status: 200, body: { id, jsonrpc: '2.0', result: result === undefined ? null : result } }
    } catch (err) {
      const code = err instanceof RpcMethodError ? err.code : 1
      return { status: 200, body: errorObj(id, code, err instanceof Error ? err.message : String(err)) }
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    this.sendRaw(res, status, JSON.stringify(body))
  }

  /** json.Encoder adds a newline; Go switches to chunked encoding beyond its 4 KiB buffer. */
  private sendRaw(res: ServerResponse, status: number, text: string): void {
    const body = Buffer.from(`${text}\n`)
    if (body.length <= 4096) {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': body.length })
      res.end(body)
    } else {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      // Several writes so that the chunked framing really has several chunks.
      for (let i = 0; i < body.length; i += 3000) res.write(body.subarray(i, i + 3000))
      res.end()
    }
  }
}

/** go-jsonrpc writes keys in map order: error, id, jsonrpc. */
function errorObj(id: unknown, code: number, message: string): Record<string, unknown> {
  return { error: { code, message }, id, jsonrpc: '2.0' }
}
