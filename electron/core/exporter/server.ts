import { createServer, type Server } from 'node:http'
import { MinerDeskError, formatListen, type ListenAddress } from '../../../preload/contract'
import { logProblem } from '../util/log'

/**
 * The exporter's HTTP endpoint: `GET /metrics` answers the exposition, `GET /` a page linking
 * to it, anything else 404 (405 for other methods). No state changes through it, no secrets in
 * it: it may listen beyond 127.0.0.1 for a Prometheus on another machine.
 */
export interface MetricsServer {
  readonly address: ListenAddress
  readonly url: string
  close(): Promise<void>
}

export interface MetricsHandler {
  contentType: string
  render(): Promise<string>
}

const INDEX = `<!doctype html><html><head><meta charset="utf-8"><title>MinerDesk exporter</title></head>
<body><h1>MinerDesk exporter</h1><p><a href="/metrics">/metrics</a></p></body></html>
`

export async function startMetricsServer(listen: ListenAddress, handler: MetricsHandler): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('method not allowed\n')
      return
    }
    if (path === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : INDEX)
      return
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: the metrics are at /metrics\n')
      return
    }
    handler.render().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': handler.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text)
      },
      (err: unknown) => {
        logProblem('rendering the metrics failed', err)
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
        res.end('the metrics could not be rendered\n')
      }
    )
  })
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const taken = err.code === 'EADDRINUSE'
      const denied = err.code === 'EACCES'
      reject(
        new MinerDeskError({
          code: 'exporter/listen-failed',
          message: `the exporter cannot listen on ${formatListen(listen)}: ${taken ? 'the port is in use' : denied ? 'permission denied' : err.message}`,
          params: { listen: formatListen(listen), reason: err.code ?? 'error' },
          hint: taken ? 'stop what uses it, or choose another port (--listen HOST:PORT, or the exporter setting)' : 'choose another address (--listen HOST:PORT, or the exporter setting)'
        })
      )
    }
    server.once('error', onError)
    server.listen(listen.port, listen.host, () => {
      server.off('error', onError)
      resolve()
    })
  })
  const a = server.address()
  const address: ListenAddress = a && typeof a === 'object' ? { host: listen.host, port: a.port } : listen
  return {
    address,
    url: `http://${formatListen(address)}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}
