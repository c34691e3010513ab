import { Agent, request } from 'node:http'

/** Where a simulated process's API is: host, port, token (from `*_API_INFO` or the repo files). */
export interface ApiEndpoint {
  host: string
  port: number
  token: string | null
  /** `/rpc/v0` or `/rpc/v1`. */
  path: string
}

export class RpcCallError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

/** Network-level failure (nothing listening, connection reset…), with the Go-style text Lotus prints. */
export class RpcTransportError extends Error {
  constructor(
    message: string,
    readonly errno?: string
  ) {
    super(message)
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 })
let nextId = 1

/** One JSON-RPC call over HTTP POST, as the simulated CLI and processes talk to each other. */
export function callRpc<T>(ep: ApiEndpoint, method: string, params: unknown[], timeoutMs = 30_000): Promise<T> {
  const body = JSON.stringify({ jsonrpc: '2.0', method: `Filecoin.${method}`, params, id: nextId++ })
  return new Promise<T>((resolve, reject) => {
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body)
    }
    if (ep.token) headers.Authorization = `Bearer ${ep.token}`
    const req = request({ host: ep.host, port: ep.port, path: ep.path, method: 'POST', headers, agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode === 401) return reject(new RpcCallError(401, `401 Unauthorized`))
        let parsed: { result?: unknown; error?: { code: number; message: string } }
        try {
          parsed = JSON.parse(text) as typeof parsed
        } catch {
          return reject(new RpcCallError(-32700, `bad response (HTTP ${res.statusCode}): ${text.slice(0, 200)}`))
        }
        if (parsed.error) return reject(new RpcCallError(parsed.error.code, parsed.error.message))
        resolve(parsed.result as T)
      })
      res.on('error', (e) => reject(new RpcTransportError(e.message)))
    })
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)))
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') {
        reject(new RpcTransportError(`dial tcp ${ep.host}:${ep.port}: connect: connection refused`, e.code))
      } else if (e.code === 'ECONNRESET') {
        reject(new RpcTransportError(`read tcp ${ep.host}:${ep.port}: read: connection reset by peer`, e.code))
      } else reject(new RpcTransportError(e.message, e.code))
    })
    req.end(body)
  })
}

/** Closes kept-alive sockets so a short-lived CLI process can exit at once. */
export function closeRpcClients(): void {
  agent.destroy()
}
