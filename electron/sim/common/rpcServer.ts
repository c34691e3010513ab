import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { hasPermission, verifyToken, type Permission } from './jwt'

/**
 * A JSON-RPC server that behaves like Lotus's go-jsonrpc over HTTP POST
 * (docs/lotus.md "API, tokens and repos"): `Filecoin.<Method>` names, positional params with an exact count,
 * bearer-token auth (no header → read only; bad header or token → 401 with an empty body;
 * missing permission → code 1 "missing permission to invoke 'X' (need 'p')"), `result: null`
 * for methods without a return value, batches.
 */

export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown
  ) {
    super(message)
  }
}

/** A method failing the way a Lotus method returns a Go error: code 1, the error text. */
export function goError(message: string): RpcError {
  return new RpcError(1, message)
}

export interface RpcContext {
  perms: Permission[]
  path: string
}

export interface MethodDef {
  perm: Permission
  /** Exact parameter count Lotus's signature has. */
  params: number
  handler: (params: unknown[], ctx: RpcContext) => unknown
}

export type MethodTable = Record<string, MethodDef>

export interface RpcServerOptions {
  /** Methods by Lotus name without the `Filecoin.` prefix. */
  methods: MethodTable
  /** Per-path method tables where API versions differ (daemon /rpc/v0 vs /rpc/v1); `methods` otherwise. */
  methodsByPath?: Record<string, MethodTable>
  secret: () => Buffer
  /** Paths serving JSON-RPC, e.g. ['/rpc/v0', '/rpc/v1']; others answer 404. */
  paths: readonly string[]
  /** Extra non-RPC routes (health endpoints). */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>
  /**
   * Verifies a bearer token another way than with `secret` (a lotus-worker asks its miner's
   * AuthVerify, as Lotus's worker does). Returns the permissions, or null for 401.
   */
  authorize?: (token: string) => Promise<Permission[] | null>
}

interface RpcRequest {
  jsonrpc?: unknown
  method?: unknown
  params?: unknown
  id?: unknown
}

type RpcResponse =
  | { error: { code: number; message: string; data?: unknown }; id: unknown; jsonrpc: '2.0' }
  | { id: unknown; jsonrpc: '2.0'; result: unknown }

const MAX_BODY = 64 * 1024 * 1024

function errorResponse(id: unknown, code: number, message: string, data?: unknown): RpcResponse {
  const error: { code: number; message: string; data?: unknown } = { code, message }
  if (data !== undefined) error.data = data
  // Key order as Go's map encoding writes it: error, id, jsonrpc.
  return { error, id: id ?? null, jsonrpc: '2.0' }
}

/** HTTP status go-jsonrpc uses for an error code. */
function statusFor(code: number): number {
  if (code === -32600) return 400
  if (code === -32700 || code === -32601 || code === -32602 || code === -32603) return 500
  return 200
}

async function invoke(methods: MethodTable, req: RpcRequest, ctx: RpcContext): Promise<RpcResponse> {
  const id = req.id ?? null
  if (typeof req.method !== 'string') return errorResponse(id, -32600, 'Invalid request')
  const full = req.method
  const name = full.startsWith('Filecoin.') ? full.slice('Filecoin.'.length) : null
  const def = name !== null ? methods[name] : undefined
  if (!def || name === null) return errorResponse(id, -32601, `method '${full}' not found`)
  let params: unknown[]
  if (req.params === undefined || req.params === null) params = []
  else if (Array.isArray(req.params)) params = req.params
  else return errorResponse(id, -32700, `unmarshaling params for '${full}' (param: *json.RawMessage): json: cannot unmarshal object into Go value of type []param`)
  if (params.length !== def.params) {
    return errorResponse(id, -32602, `wrong param count (method '${full}'): ${params.length} != ${def.params}`)
  }
  if (!hasPermission(ctx.perms, def.perm)) {
    return errorResponse(id, 1, `missing permission to invoke '${name}' (need '${def.perm}')`)
  }
  try {
    const result = await def.handler(params, ctx)
    return { id, jsonrpc: '2.0', result: result === undefined ? null : result }
  } catch (err) {
    if (err instanceof RpcError) return errorResponse(id, err.code, err.message, err.data)
    return errorResponse(id, 1, err instanceof Error ? err.message : String(err))
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > MAX_BODY) {
        resolve(null)
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Permissions of a request, or null when it must be refused with 401 (go-jsonrpc auth handler). */
export function permsFor(req: IncomingMessage, secret: Buffer): Permission[] | null {
  const header = req.headers.authorization
  let token: string | null = null
  if (header !== undefined) {
    if (!header.startsWith('Bearer ')) return null
    token = header.slice('Bearer '.length)
  } else {
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token')
    if (q) token = q
  }
  if (token === null) return ['read']
  return verifyToken(secret, token)
}

async function permsVia(req: IncomingMessage, authorize: (token: string) => Promise<Permission[] | null>): Promise<Permission[] | null> {
  const header = req.headers.authorization
  if (header === undefined) {
    const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token')
    return q ? authorize(q) : ['read']
  }
  if (!header.startsWith('Bearer ')) return null
  return authorize(header.slice('Bearer '.length))
}

export function createRpcServer(opts: RpcServerOptions): Server {
  const server = createServer((req, res) => {
    void handle(opts, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(err))
    })
  })
  // Lotus's http.Server (node/rpc.go) sets no IdleTimeout/ReadTimeout: kept-alive connections stay
  // open while idle. Node closes them after 5 s by default; keep them open as Lotus does.
  server.keepAliveTimeout = 0
  return server
}

async function handle(opts: RpcServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  const route = opts.routes?.[path]
  if (route) return route(req, res)
  if (!opts.paths.includes(path)) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
    res.end('404 page not found\n')
    return
  }
  const perms = opts.authorize ? await permsVia(req, opts.authorize) : permsFor(req, opts.secret())
  if (perms === null) {
    res.writeHead(401)
    res.end()
    return
  }
  if (req.method !== 'POST') {
    res.writeHead(405)
    res.end()
    return
  }
  const body = await readBody(req)
  const send = (status: number, payload: unknown): void => {
    const text = JSON.stringify(payload)
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    res.end(text)
  }
  if (body === null) return send(500, errorResponse(null, -32700, 'request bigger than maximum allowed'))
  const text = body.toString('utf8').trim()
  if (text === '') return send(400, errorResponse(null, -32600, 'Invalid request'))
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return send(500, errorResponse(null, -32700, 'Parse error'))
  }
  const ctx: RpcContext = { perms, path }
  const methods = opts.methodsByPath?.[path] ?? opts.methods
  if (Array.isArray(parsed)) {
    if (parsed.length === 0) return send(400, errorResponse(null, -32600, 'Invalid request'))
    const out: RpcResponse[] = []
    for (const r of parsed) out.push(await invoke(methods, (r ?? {}) as RpcRequest, ctx))
    return send(200, out)
  }
  const out = await invoke(methods, (parsed ?? {}) as RpcRequest, ctx)
  const status = 'error' in out ? statusFor(out.error.code) : 200
  send(status, out)
}
