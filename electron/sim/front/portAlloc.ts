import { createServer, type Server } from 'node:net'

/**
 * `count` distinct free ports on 127.0.0.1. All listeners are held open together before any is
 * closed, so the OS cannot hand the same port out twice within one `up`.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const srv = createServer()
      servers.push(srv)
      ports.push(
        await new Promise<number>((resolve, reject) => {
          srv.once('error', reject)
          srv.listen(0, host, () => {
            const a = srv.address()
            if (a && typeof a === 'object') resolve(a.port)
            else reject(new Error('no port'))
          })
        })
      )
    }
    return ports
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))))
  }
}
