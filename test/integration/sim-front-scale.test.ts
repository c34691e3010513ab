import { afterAll, describe, expect, it } from 'vitest'
import { startSimSites, type SimSites } from '../support/simSites'

/** The simulator's scale promise: one site with 100,000 sectors is up (SSH and all processes) in under 10 s. */
describe('sim front: a 100k-sector site', () => {
  let sim: SimSites | undefined
  afterAll(async () => {
    await sim?.down()
  })

  it('comes up in under 10 s and answers SectorsSummary with 100,000 sectors', async () => {
    sim = await startSimSites({ sites: 1, sectors: 100_000, speed: 60 })
    console.log(`up of one 100k-sector site: ${sim.upMs} ms`)
    expect(sim.upMs).toBeLessThan(10_000)
    const summary = await sim.rpc<Record<string, number>>('site-1', 'miner', 'SectorsSummary')
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100_000)
    expect(summary.Proving).toBeGreaterThan(99_000)
    const t0 = Date.now()
    await sim.rpc('site-1', 'miner', 'SectorsSummary')
    const ms = Date.now() - t0
    console.log(`SectorsSummary over ssh -L: ${ms} ms`)
    expect(ms).toBeLessThan(200)
  }, 120_000)
})
