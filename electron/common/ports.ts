import { closeSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

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

/*
 * Other processes (parallel test workers, a `sim up` child) allocate from the same range; a port
 * one of them checked and released is free again until its process binds it, and a second
 * allocator could give it out meanwhile (a simulated miner then failed with "address already in
 * use"). A claim file per port, created exclusively, settles it across processes; a claim expires
 * after CLAIM_TTL_MS, long after its process bound the port (or restarted onto it).
 */
const CLAIM_TTL_MS = 30 * 60_000

function claimsDir(): string {
  const dir = process.env.MINERDESK_PORTS_DIR || join(tmpdir(), `minerdesk-ports-${process.getuid?.() ?? 'user'}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return dir
}

function claim(port: number): boolean {
  const file = join(claimsDir(), String(port))
  try {
    closeSync(openSync(file, 'wx'))
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return true // no claims possible here: the listen check alone
  }
  try {
    if (Date.now() - statSync(file).mtimeMs < CLAIM_TTL_MS) return false
    unlinkSync(file)
    closeSync(openSync(file, 'wx'))
    return true
  } catch {
    return false // another process renewed it first
  }
}

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
  for (let i = 0; i < span; i++) {
    const port = LOW + ((start + i) % span)
    // The claim first: a claim left on a port whose listen then fails only marks a busy port.
    if (given.has(port) || !claim(port)) continue
    const srv = await listenOn(port, host)
    if (srv) {
      given.add(port)
      return { port, srv }
    }
  }
  // Every port in the range busy or claimed (unheard of): let the OS choose.
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
