import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * Long output arrives whole through real sshd: a simulated command flushes stdout before it
 * exits. `sectors list` of 2,000 sectors is about 140 KiB, far over a pipe's 64 KiB buffer, the
 * size output used to stop at.
 */

let sim: SimSites

beforeAll(async () => {
  sim = await startSimSites({ sites: 1, sectors: 2000, speed: 60 })
}, 120_000)

afterAll(async () => {
  await sim?.down()
})

describe('long output over ssh', () => {
  it('`lotus-miner sectors list` prints every sector, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const numbers = await sim.rpc<number[]>('site-1', 'miner', 'SectorsList')
      const r = await sim.ssh('site-1', 'lotus-miner sectors list')
      expect(r.code).toBe(0)
      expect(r.stdout.length).toBeGreaterThan(2 * 64 * 1024)
      expect(r.stdout.endsWith('\n')).toBe(true)
      const rows = r.stdout.trimEnd().split('\n').slice(1)
      const listed = new Set(rows.map((l) => Number(/^(\d+) /.exec(l)?.[1])))
      // Pledges may add sectors between the two reads, never remove one.
      for (const n of numbers) expect(listed.has(n)).toBe(true)
      expect(rows.every((l) => /^\d+ +\S+ +(YES|NO) +(YES|NO) /.test(l))).toBe(true)
    }
  }, 60_000)

  it('a reader that stops early ends the command quietly, as SIGPIPE ends Lotus', async () => {
    const r = await sim.ssh('site-1', 'lotus-miner sectors list | head -n 2')
    expect(r.stdout.split('\n').slice(0, 2)[0]).toMatch(/^ID +State +OnChain/)
    expect(r.stderr).toBe('')
  }, 30_000)
})
