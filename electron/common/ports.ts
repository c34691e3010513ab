import { createServer, type Server } from 'node:net'

/*
 * Ports for processes that bind them later (a simulated daemon, miner or worker, also after each
 * restart) are taken from below every OS's ephemeral range (Linux 32768+, macOS and Windows 49152+):
 * the kernel never hands those out as the source port of an outgoing connection or for listen(0),
 * so the port is still free when the process binds it. A port from listen(0) was taken this way by
 * another test's SSH connection between allocation and a worker's start.
 */
const LOW = 20_000
const HIGH = 32_767
// Never the same port twice from one process, even after its listener here is closed.
const given = new Set<number>()

function listenOn(port: number, host: string): Promise<Server | null> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', () => resolve(null))
    srv.listen(port, host, () => resolve(srv))
  })
}

async function reserve(host: string): Promise<{ port: number; srv: Server }> {
  const span = HIGH - LOW + 1
  const start = Math.floor(Math.random() * span)
  for (let i = 0; i < 500; i++) {
    const port = LOW + ((start + i) % span)
    if (given.has(port)) continue
    const srv = await listenOn(port, host)
    if (srv) {
      given.add(port)
      return { port, srv }
    }
  }
  // 500 ports in a row busy (unheard of): let the OS choose.
  const srv = await listenOn(0, host)
  const addr = srv?.address()
  if (!srv || !addr || typeof addr !== 'object') throw new Error(`no free TCP port on ${host}`)
  given.add(addr.port)
  return { port: addr.port, srv }
}

function close(srv: Server): Promise<void> {
  return new Promise((r) => srv.close(() => r()))
}

/** `count` distinct free TCP ports on `host`, all held together before any is released. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const held: Server[] = []
  try {
    const ports: number[] = []
    for (let i = 0; i < count; i++) {
      const r = await reserve(host)
      held.push(r.srv)
      ports.push(r.port)
    }
    return ports
  } finally {
    await Promise.all(held.map(close))
  }
}

/** One free TCP port on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const [port] = await freePorts(1, host)
  return port as number
}
