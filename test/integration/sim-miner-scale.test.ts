import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestSite, minerRpc, prepareBundle, type TestSite } from '../support/sim/minerSite'

/**
 * A site with 100,000 sectors (design doc "Performance"): creating its repos, starting the miner,
 * and the miner's sector queries. The measured numbers are printed for the report.
 */

let dir: string
let bundle: string
let site: TestSite
const numbers: Record<string, number> = {}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdsim-miner-scale-'))
  bundle = await prepareBundle(dir)
}, 120_000)

afterAll(async () => {
  await site?.stopAll()
  rmSync(dir, { recursive: true, force: true })
  console.log(`100k-sector site (ms): ${JSON.stringify(numbers)}`)
})

async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now()
  const v = await f()
  numbers[name] = Math.round(performance.now() - t0)
  return v
}

describe('100,000 sectors', () => {
  it('site repos are created well under 10 s (initMinerState + initChainState)', async () => {
    site = await timed('createSite', () => createTestSite({ dir, bundle, speed: 60, sectors: 100_000 }))
    expect(numbers.createSite).toBeLessThan(10_000)
  }, 60_000)

  it('the miner starts in seconds and answers SectorsSummary in under 200 ms', async () => {
    const daemon = site.start('lotus', ['daemon'], 'daemon.log')
    await timed('daemonApi', async () => {
      while (!existsSync(join(site.cfg.home, '.lotus', 'api'))) await new Promise((r) => setTimeout(r, 50))
    })
    const miner = await timed('minerStart', async () => {
      const p = site.start('lotus-miner', ['run'], 'miner.log')
      await p.waitFor(/Remote version/, 60_000)
      return p
    })
    expect(numbers.minerStart).toBeLessThan(10_000)
    await miner.waitFor(/winning PoSt warmup/, 30_000)
    const summaries: number[] = []
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now()
      const s = await minerRpc<Record<string, number>>(site, 'SectorsSummary')
      summaries.push(performance.now() - t0)
      expect(Object.values(s).reduce((a, b) => a + b, 0)).toBe(100_000)
    }
    numbers.sectorsSummaryMax = Math.round(Math.max(...summaries))
    numbers.sectorsSummaryAvg = Math.round(summaries.reduce((a, b) => a + b, 0) / summaries.length)
    expect(numbers.sectorsSummaryMax).toBeLessThan(200)
    const list = await timed('sectorsList', () => minerRpc<number[]>(site, 'SectorsList'))
    expect(list).toHaveLength(100_000)
    expect(numbers.sectorsList).toBeLessThan(1000)
    const proving = await timed('sectorsListInStatesProving', () => minerRpc<number[]>(site, 'SectorsListInStates', [['Proving']]))
    expect(proving.length).toBeGreaterThan(99_980)
    await timed('sectorsStatusBulk', () => minerRpc(site, 'SectorsStatus', [12_345, false]))
    expect(numbers.sectorsStatusBulk).toBeLessThan(200)
    await timed('storageList', () => minerRpc(site, 'StorageList'))
    const summaryCli = await timed('cliSealingJobs', () => site.runAsync('lotus-miner', ['sealing', 'jobs']))
    expect(summaryCli.code).toBe(0)
    void daemon
  }, 120_000)
})
