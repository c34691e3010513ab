import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startSimSites, type SimSites } from '../support/simSites'
import { benchCore, mb, pct, round, rssThirds } from './common'
import type { Bench, Metric } from './types'

/**
 * A hundred sites × 10,000 sectors: the Overview and the Prometheus exporter of a fleet. Warm
 * refresh of all 100 under 1 s, a scrape of all 100 under 50 ms, the poll cost per site (HTTP
 * requests and bytes), and the main side's memory after 30 minutes of polling (under 400 MB, not
 * growing).
 *
 * A simulated site is three Node processes of about 285 MB together: 100 of them do not fit on a
 * bench machine. So the 100 sites are 100 SSH aliases — 100 SSH connections, Lotus clients,
 * pollers, snapshots and exporter registries on the main side, exactly as 100 real sites — over
 * BACKENDS simulated sites (each answers SITES / BACKENDS of them; its answers are as large as a
 * 10,000-sector miner's).
 */
const SITES = 100
const BACKENDS = 20

/** An ssh_config with `copies` aliases for every simulated site (same host, port, key). */
function fanOut(sim: SimSites, copies: number): string {
  const text = readFileSync(sim.sshConfigPath, 'utf8')
  const blocks = text.split(/\n(?=Host )/).filter((b) => b.startsWith('Host '))
  const out: string[] = ['# 100 aliases over the simulated sites (bench)']
  for (const b of blocks) {
    const [first, ...rest] = b.trimEnd().split('\n')
    const alias = first!.slice(5).trim()
    for (let i = 1; i <= copies; i++) out.push(`Host ${alias}-${i}\n${rest.join('\n')}\n`)
  }
  const file = join(sim.dir, 'ssh_config.fleet')
  writeFileSync(file, `${out.join('\n')}\n`)
  return file
}

export const fleetBench: Bench = {
  name: 'fleet-100x10k',
  estimate: '35 min (quick: 5 min)',
  async run({ quick, minutes: asked }) {
    const sim = await startSimSites({ sites: BACKENDS, sectors: 10_000, speed: 1, workers: { pc1: 1, pc2: 0, c2: 0 }, timeoutMs: 600_000 })
    const config = fanOut(sim, SITES / BACKENDS)
    const { core, cleanup } = benchCore(config)
    const metrics: Metric[] = [{ name: `up of ${BACKENDS} simulated sites × 10k sectors (${SITES} aliases)`, value: round(sim.upMs / 1000, 1), unit: 's' }]
    const notes: string[] = [`${SITES} sites = ${SITES} SSH aliases over ${BACKENDS} simulated Lotus sites (${SITES / BACKENDS} each): every main-side part is per site.`]
    try {
      const ids = core.sites.ids()
      metrics.push({ name: 'sites configured', value: ids.length, unit: 'count', ok: ids.length === SITES })
      let t0 = performance.now()
      await core.sites.refresh(null)
      metrics.push({ name: `cold refresh of all ${SITES} (SSH logins + discovery + first poll)`, value: round(performance.now() - t0), unit: 'ms' })
      const healthy = Object.values(core.sites.overview().snapshots).filter((s) => s.daemon.up && s.miner.up && s.pipeline?.total === 10_000 && s.proving).length
      metrics.push({ name: 'sites with a complete snapshot (10,000 sectors)', value: healthy, unit: 'count', ok: healthy === SITES })

      const warm: number[] = []
      const cpu = process.cpuUsage()
      for (let i = 0; i < (quick ? 5 : 10); i++) {
        t0 = performance.now()
        await core.sites.refresh(null)
        warm.push(performance.now() - t0)
      }
      const used = process.cpuUsage(cpu)
      // How much of a refresh is MinerDesk's own work (the rest is waiting on the simulated sites).
      metrics.push({ name: `main-side CPU time per warm refresh of all ${SITES}`, value: round((used.user + used.system) / 1000 / warm.length), unit: 'ms' })
      metrics.push({ name: `warm refresh of all ${SITES}, p50 of ${warm.length}`, value: round(pct(warm, 50)), unit: 'ms', target: '< 1000 ms', ok: pct(warm, 50) < 1000 })
      metrics.push({ name: `warm refresh of all ${SITES}, max`, value: round(Math.max(...warm)), unit: 'ms' })

      // Poll cost per site, from the pollers' own counts of the last warm poll.
      const polls = ids.map((id) => core.sites.get(id).poller.lastPoll).filter((p) => p !== null)
      const avg = (f: (p: (typeof polls)[number]) => number): number => polls.reduce((a, p) => a + f(p), 0) / Math.max(1, polls.length)
      metrics.push({ name: 'poll cost per site: HTTP requests (JSON-RPC batches)', value: round(avg((p) => p.httpRequests), 1), unit: 'count' })
      metrics.push({ name: 'poll cost per site: JSON-RPC calls', value: round(avg((p) => p.calls), 1), unit: 'count' })
      metrics.push({ name: 'poll cost per site: kB sent and received', value: round(avg((p) => p.bytes) / 1024, 1), unit: 'count' })

      // The exporter over the same snapshots: a scrape renders all 100 and asks no site anything.
      await core.exporter.settled()
      const scrapes: number[] = []
      let text = ''
      const scrapeCpu = process.cpuUsage()
      for (let i = 0; i < 30; i++) {
        t0 = performance.now()
        text = await core.exporter.scrape()
        scrapes.push(performance.now() - t0)
      }
      const scrapeUsed = process.cpuUsage(scrapeCpu)
      const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length
      metrics.push({ name: `scrape of ${SITES} sites, p50 of ${scrapes.length}`, value: round(pct(scrapes, 50), 1), unit: 'ms', target: '< 50 ms', ok: pct(scrapes, 50) < 50 })
      // The CPU a scrape costs MinerDesk: the wall time above also holds waiting for a core.
      metrics.push({ name: `main-side CPU time per scrape of ${SITES} sites`, value: round((scrapeUsed.user + scrapeUsed.system) / 1000 / scrapes.length, 1), unit: 'ms' })
      metrics.push({ name: `scrape of ${SITES} sites, p95`, value: round(pct(scrapes, 95), 1), unit: 'ms' })
      metrics.push({ name: 'series in one scrape', value: series, unit: 'count' })
      metrics.push({ name: 'exposition size (kB)', value: round(text.length / 1024), unit: 'count' })
      notes.push(`exposition: ${series} series, ${round(text.length / 1024)} kB`)

      // Memory while polling all 100 at the default 15 s, with the exporter rendering each poll.
      for (const s of core.store.listSites()) core.store.updateSite(s.id, { pollIntervalSec: 15 })
      core.sites.startPolling()
      const minutes = asked ?? (quick ? 3 : 30)
      const samples: number[] = []
      const scrapeLate: number[] = []
      const started = Date.now()
      while (Date.now() - started < minutes * 60_000) {
        await new Promise((r) => setTimeout(r, 15_000))
        t0 = performance.now()
        await core.exporter.scrape()
        scrapeLate.push(performance.now() - t0)
        global.gc?.()
        samples.push(process.memoryUsage().rss)
      }
      const { early, late, final } = rssThirds(samples)
      metrics.push({ name: `main-side RSS after ${minutes} min polling ${SITES} sites`, value: mb(final), unit: 'MB', target: '< 400 MB', ok: mb(final) < 400 })
      metrics.push({ name: 'RSS growth, last third vs first third of the run', value: mb(late - early), unit: 'MB', target: '< 20 MB (not growing)', ok: mb(late - early) < 20 })
      metrics.push({ name: `scrape while polling, p50 of ${scrapeLate.length}`, value: round(pct(scrapeLate, 50), 1), unit: 'ms', target: '< 50 ms', ok: pct(scrapeLate, 50) < 50 })
      const polled = core.sites.ids().map((id) => core.sites.get(id).poller.lastPoll?.seq ?? 0)
      metrics.push({ name: 'polls per site during the run (min)', value: Math.min(...polled), unit: 'count' })
      return { name: 'fleet-100x10k', metrics, notes }
    } finally {
      await cleanup()
      await sim.down()
    }
  }
}
