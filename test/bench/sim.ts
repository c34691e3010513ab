import { startSimSites } from '../support/simSites'
import { pct, round } from './common'
import type { Bench } from './types'

/**
 * A simulated site with 100,000 sectors (mostly Proving) starts in under 10 s and answers
 * SectorsSummary and SectorsStatus in under 200 ms and SectorsList in under a second (JSON-RPC
 * through an SSH tunnel, as MinerDesk calls it).
 */
export const simBench: Bench = {
  name: 'sim-100k',
  estimate: '30 s',
  async run({ quick }) {
    const sim = await startSimSites({ sites: 1, sectors: 100_000, speed: 60 })
    try {
      const calls = quick ? 20 : 100
      // The first call also opens the harness's `ssh -L` tunnel and reads the token over SSH:
      // reported on its own, so the miner's answer times are not mixed with that set-up.
      const f0 = performance.now()
      await sim.rpc<Record<string, number>>('site-1', 'miner', 'SectorsSummary')
      const firstMs = performance.now() - f0
      const times: number[] = []
      let total = 0
      for (let i = 0; i < calls; i++) {
        const t0 = performance.now()
        const summary = await sim.rpc<Record<string, number>>('site-1', 'miner', 'SectorsSummary')
        times.push(performance.now() - t0)
        total = Object.values(summary).reduce((a, b) => a + b, 0)
      }
      const t0 = performance.now()
      const list = await sim.rpc<number[]>('site-1', 'miner', 'SectorsList')
      const listMs = performance.now() - t0
      const t1 = performance.now()
      const proving = await sim.rpc<number[]>('site-1', 'miner', 'SectorsListInStates', [['Proving']])
      const provingMs = performance.now() - t1
      const t2 = performance.now()
      await sim.rpc('site-1', 'miner', 'SectorsStatus', [12_345, false])
      const statusMs = performance.now() - t2
      return {
        name: 'sim-100k',
        metrics: [
          { name: 'up of one 100k-sector site (spawn to SSH + APIs ready)', value: round(sim.upMs), unit: 'ms', target: '< 10000 ms', ok: sim.upMs < 10_000 },
          { name: 'first SectorsSummary (with ssh -L set-up and token read)', value: round(firstMs, 1), unit: 'ms' },
          { name: `SectorsSummary p50 over ${calls} calls`, value: round(pct(times, 50), 1), unit: 'ms', target: '< 200 ms', ok: pct(times, 50) < 200 },
          { name: `SectorsSummary max`, value: round(Math.max(...times), 1), unit: 'ms', target: '< 200 ms', ok: Math.max(...times) < 200 },
          { name: 'SectorsList (all sectors)', value: round(listMs, 1), unit: 'ms', target: '< 1000 ms', ok: listMs < 1000 },
          { name: 'SectorsListInStates Proving', value: round(provingMs, 1), unit: 'ms', ok: proving.length > 99_000 },
          { name: 'SectorsStatus of one sector', value: round(statusMs, 1), unit: 'ms', target: '< 200 ms', ok: statusMs < 200 },
          { name: 'sectors counted by SectorsSummary', value: total, unit: 'count', ok: total === 100_000 && list.length >= 99_000 }
        ]
      }
    } finally {
      await sim.down()
    }
  }
}
