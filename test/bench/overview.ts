import { spawn } from 'node:child_process'
import { startSimSites, type SimSites } from '../support/simSites'
import { benchCore, mb, pct, round, rssThirds } from './common'
import type { Bench, Metric } from './types'

/**
 * 20 simulated sites × 10,000 sectors. A warm overview refresh of all 20 (every site's
 * snapshot, over the kept-alive SSH connections) in under 2 s, next to the runbook's way of
 * getting the same data — a fresh `ssh host lotus… ` per command — in the same run (aim: 10×
 * less). Then the main side's memory while polling all 20 at the default interval: under 250 MB
 * and not growing.
 */
const SITES = 20

/** The commands an operator runs by hand for the same numbers the Overview shows. */
const RUNBOOK_COMMANDS = [
  'lotus sync status',
  'lotus net peers',
  'lotus version',
  'lotus mpool pending --local',
  'lotus-miner sectors list --fast',
  'lotus-miner sealing jobs',
  'lotus-miner sealing workers',
  'lotus-miner proving deadlines'
]

function sshOnce(sim: SimSites, alias: string, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn('ssh', ['-F', sim.sshConfigPath, '-o', 'BatchMode=yes', alias, command], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${alias}: ${command} exited ${code}: ${err}`))))
  })
}

export const overviewBench: Bench = {
  name: 'overview-20x10k',
  estimate: '12 min (quick: 3 min)',
  async run({ quick }) {
    const sim = await startSimSites({ sites: SITES, sectors: 10_000, speed: 1, workers: { pc1: 1, pc2: 0, c2: 0 }, timeoutMs: 300_000 })
    const { core, cleanup } = benchCore(sim.sshConfigPath)
    const metrics: Metric[] = [{ name: `up of ${SITES} sites × 10k sectors`, value: round(sim.upMs / 1000, 1), unit: 's' }]
    try {
      // Cold: connect, discover, first poll.
      let t0 = performance.now()
      await core.sites.refresh(null)
      metrics.push({ name: 'cold refresh of all 20 (SSH logins + discovery + first poll)', value: round(performance.now() - t0), unit: 'ms' })
      const overview = core.sites.overview()
      const healthy = Object.values(overview.snapshots).filter((s) => s.connection.state === 'connected' && s.daemon.up && s.miner.up && s.pipeline && s.proving).length
      metrics.push({ name: 'sites with a complete snapshot', value: healthy, unit: 'count', ok: healthy === SITES })

      const warm: number[] = []
      for (let i = 0; i < (quick ? 5 : 10); i++) {
        t0 = performance.now()
        await core.sites.refresh(null)
        warm.push(performance.now() - t0)
      }
      const warmP50 = pct(warm, 50)
      metrics.push({ name: `warm refresh of all 20, p50 of ${warm.length}`, value: round(warmP50), unit: 'ms', target: '< 2000 ms', ok: warmP50 < 2000 })
      metrics.push({ name: 'warm refresh of all 20, max', value: round(Math.max(...warm)), unit: 'ms' })

      // The runbook's way, same sites, same moment: every command over a fresh ssh, sites in parallel.
      t0 = performance.now()
      await Promise.all(sim.sites.map(async (s) => {
        for (const c of RUNBOOK_COMMANDS) await sshOnce(sim, s.alias, c)
      }))
      const runbookMs = performance.now() - t0
      metrics.push({ name: `runbook way: ${RUNBOOK_COMMANDS.length} commands × 20 sites, fresh ssh each`, value: round(runbookMs), unit: 'ms' })
      const ratio = runbookMs / warmP50
      metrics.push({ name: 'runbook way ÷ MinerDesk warm refresh', value: round(ratio, 1), unit: 'x', target: '≥ 10x', ok: ratio >= 10 })

      // Memory while polling at the default 15 s interval (the app's own cadence).
      for (const s of core.store.listSites()) core.store.updateSite(s.id, { pollIntervalSec: 15 })
      core.sites.startPolling()
      const minutes = quick ? 2 : 10
      const samples: number[] = []
      const started = Date.now()
      while (Date.now() - started < minutes * 60_000) {
        await new Promise((r) => setTimeout(r, 15_000))
        global.gc?.()
        samples.push(process.memoryUsage().rss)
      }
      const { early, late, final } = rssThirds(samples)
      metrics.push({ name: `main-side RSS after ${minutes} min polling 20 sites`, value: mb(final), unit: 'MB', target: '< 250 MB', ok: mb(final) < 250 })
      const growth = mb(late - early)
      metrics.push({ name: 'RSS growth, last third vs first third of the run', value: growth, unit: 'MB', target: '< 20 MB (not growing)', ok: growth < 20 })
      return { name: 'overview-20x10k', metrics }
    } finally {
      await cleanup()
      await sim.down()
    }
  }
}
