import { createServer, type Server } from 'node:net'
import { describe, expect, it } from 'vitest'
import { freePort, freePorts } from './ports'

function bind(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(port, '127.0.0.1', () => resolve(srv))
  })
}

describe('free ports', () => {
  it('come from below the ephemeral ranges, distinct, and can be bound', async () => {
    const ports = [...(await freePorts(40)), await freePort(), await freePort()]
    expect(new Set(ports).size).toBe(ports.length)
    for (const p of ports) {
      expect(p).toBeGreaterThanOrEqual(20_000)
      expect(p).toBeLessThan(32_768)
    }
    const servers = await Promise.all(ports.map(bind))
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  })

  it('never hands out a port another listener holds', async () => {
    // Listeners this module did not hand out, spread over its range; 2,000 ports asked for in
    // batches (a sixth of the range) walk over several of them.
    const held: Server[] = []
    for (let p = 20_011; p < 32_768; p += 401) held.push(await bind(p).catch(() => null as unknown as Server))
    const taken = new Set(held.filter(Boolean).map((s) => (s.address() as { port: number }).port))
    expect(taken.size).toBeGreaterThan(20)
    const more: number[] = []
    for (let i = 0; i < 20; i++) more.push(...(await freePorts(100)))
    expect(new Set(more).size).toBe(more.length)
    expect(more.filter((p) => taken.has(p))).toEqual([])
    await Promise.all(held.filter(Boolean).map((s) => new Promise((r) => s.close(r))))
  })
})
