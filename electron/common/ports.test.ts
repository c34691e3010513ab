import { createServer, type Server } from 'node:net'
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { freePort, freePorts } from './ports'

function bind(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(port, '127.0.0.1', () => resolve(srv))
  })
}

describe('free ports', () => {
  // This file's 2,000 claims stay out of the machine's shared claims (other test workers).
  let claims = ''
  const handed = new Set<number>()
  beforeAll(() => {
    claims = mkdtempSync(join(tmpdir(), 'md-ports-'))
    process.env.MINERDESK_PORTS_DIR = claims
  })

  it('come from below the ephemeral ranges, distinct, and can be bound', async () => {
    const ports = [...(await freePorts(40)), await freePort(), await freePort()]
    ports.forEach((p) => handed.add(p))
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
    more.forEach((p) => handed.add(p))
    expect(new Set(more).size).toBe(more.length)
    expect(more.filter((p) => taken.has(p))).toEqual([])
    await Promise.all(held.filter(Boolean).map((s) => new Promise((r) => s.close(r))))
  })

  it('never hands out a port another process has claimed, until its claim expires', async () => {
    // Every port of the range claimed by "another process" just now, except ten: five with a claim
    // older than its lifetime, five with none. Exactly those ten are handed out.
    // Only ports nothing holds now: on a busy machine other processes listen in this range too.
    const open = new Set<number>()
    while (open.size < 10) {
      const p = 20_000 + Math.floor(Math.random() * 12_768)
      if (handed.has(p) || open.has(p)) continue
      const srv = await bind(p).catch(() => null)
      if (!srv) continue
      await new Promise((r) => srv.close(r))
      open.add(p)
    }
    const old = new Date(Date.now() - 31 * 60_000)
    const stale = [...open].slice(0, 5)
    for (let p = 20_000; p < 32_768; p++) if (!open.has(p) || stale.includes(p)) writeFileSync(join(claims, String(p)), '')
    for (const p of stale) utimesSync(join(claims, String(p)), old, old)
    const got = await freePorts(10)
    got.forEach((p) => handed.add(p))
    expect(new Set(got)).toEqual(open)
  })
})
