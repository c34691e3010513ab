import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HistorySampleEvent } from '../../preload/contract'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * The history the charts draw, through the real core polling a simulated site behind real sshd:
 * each poll becomes a point with the chain and pipeline the poll saw, sectors sealed are counted
 * as the simulator seals them, and a new core on the same MINERDESK_HOME (an app restart) serves
 * the same points and goes on from them.
 */
function appCore(home: string, sshConfig: string): AppCore {
  return createAppCore({ host: 'web', version: 'test', home, secrets: createMemoryOnlySecretStore(), poll: true, sshConfig: { path: sshConfig, mode: 'persist' } })
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | null | undefined | false): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = probe()
    if (v) return v
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('site history (real sshd, simulated site)', () => {
  let sim: SimSites
  let home: string
  let core: AppCore | null = null
  const samples: HistorySampleEvent[] = []

  beforeAll(async () => {
    // Speed 600: a PC1 takes ~20 s, so sectors finish sealing while the test watches.
    sim = await startSimSites({ sites: 1, sectors: 40, speed: 600 })
    home = mkdtempSync(join(tmpdir(), 'md-history-'))
  })

  afterAll(async () => {
    await core?.close()
    await sim?.down()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('records every poll, counts sealed sectors, and survives a restart of the app', async () => {
    core = appCore(home, sim.sshConfigPath)
    core.store.updateSite('site-1', { pollIntervalSec: 5 })
    core.events.on('history:sample', (e) => samples.push(e))
    await core.start()
    await until('three polls with a pipeline', 60_000, () => samples.filter((s) => s.point.byState !== null).length >= 3)
    const first = await core.handlers['history:get'](['site-1', 3600], { via: 'web' })
    expect(first.points.length).toBeGreaterThanOrEqual(3)
    const p = first.points.at(-1)!
    expect(p).toMatchObject({ daemonUp: true, minerUp: true })
    expect(p.height).toBeGreaterThan(0)
    expect(p.peers).toBeGreaterThan(0)
    // The pipeline as SectorsSummary reported it at that poll: the simulator's sealing sectors.
    const summary = await sim.rpc<Record<string, number>>('site-1', 'miner', 'SectorsSummary')
    expect(Object.keys(p.byState ?? {}).every((s) => s in summary || s === '')).toBe(true)
    expect(p.proving).toBeGreaterThan(0)
    // Sealed sectors: the sum of the points' counts equals the growth of Proving (+ removed) between them.
    await until('a sector sealed', 90_000, () => samples.some((s) => s.point.sealed > 0))
    const day = await core.handlers['history:get'](['site-1', 86400], { via: 'web' })
    const withPipeline = day.points.filter((x) => x.proving !== null)
    const sealed = withPipeline.slice(1).reduce((a, x) => a + x.sealed, 0)
    const grown = withPipeline.at(-1)!.proving! + (withPipeline.at(-1)!.removed ?? 0) - withPipeline[0]!.proving! - (withPipeline[0]!.removed ?? 0)
    expect(sealed).toBe(grown)
    expect(sealed).toBeGreaterThan(0)
    const month = await core.handlers['history:get'](['site-1', 30 * 86400], { via: 'web' })
    expect(month.bucketSec).toBe(600)
    expect(month.points.reduce((a, x) => a + x.sealed, 0)).toBe(day.points.reduce((a, x) => a + x.sealed, 0))

    await core.close()
    core = null
    // Closing writes every point, each on its own line.
    const onDisk = readFileSync(join(home, 'history', 'site-1.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { t: number }).t)
    expect(onDisk.slice(0, day.points.length)).toEqual(day.points.map((x) => x.t))
    expect(onDisk.length).toBe(samples.length)

    core = appCore(home, sim.sshConfigPath)
    const again = await core.handlers['history:get'](['site-1', 86400], { via: 'web' })
    expect(again.points.map((x) => x.t)).toEqual(onDisk)
    expect(again.points.slice(0, day.points.length)).toEqual(day.points)
    const before = again.points.length
    const more: HistorySampleEvent[] = []
    core.events.on('history:sample', (e) => more.push(e))
    await core.start()
    await until('a poll after the restart', 60_000, () => more.length >= 1)
    const after = await core.handlers['history:get'](['site-1', 86400], { via: 'web' })
    expect(after.points.length).toBeGreaterThan(before)
    expect(after.points.at(-1)!.t).toBeGreaterThan(day.points.at(-1)!.t)
  })
})
