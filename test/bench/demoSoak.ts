import { DEMO_SHAPE } from '../../electron/demo/demo'
import { runDemoSoak } from '../support/demoSoak'
import type { Bench, Metric } from './types'

/**
 * The demo for an hour at its own speed (60× real time: PC1 about three minutes), as a new operator
 * would leave it running, with a restart of each site every ten minutes through the restart
 * wizard and nothing changed. The demo must make no trouble of its own: no alert on site-1 (it has
 * no failure scenario) outside its restarts, no faulty sector anywhere, no site-1 sector in a
 * failed state, no finalized sector without what Lotus keeps. `--quick`: 12 minutes, a restart of
 * each every four. MD_SOAK_MINUTES overrides the length.
 */
export const demoSoakBench: Bench = {
  name: 'demo-soak',
  estimate: '1 h (--quick: 12 min)',
  onRequest: true,
  async run({ quick }) {
    const minutes = Number(process.env.MD_SOAK_MINUTES ?? (quick ? 12 : 60))
    const periodMin = quick ? 4 : 10
    const t0 = Date.now()
    const f = await runDemoSoak({
      shape: DEMO_SHAPE,
      durationMs: minutes * 60_000,
      periodMs: periodMin * 60_000,
      warmupMs: 60_000,
      drainMs: 5 * 60_000,
      log: (l) => console.log(`  ${l}`)
    })
    const ok = f.restarts.filter((r) => r.phase === 'done').length
    const took = f.restarts.map((r) => (r.end - r.start) / 1000).sort((a, b) => a - b)
    const metrics: Metric[] = [
      { name: 'restarts through the wizard that succeeded', value: ok, unit: 'count', target: `= ${f.restarts.length}`, ok: ok === f.restarts.length && ok > 0 },
      { name: 'alerts on site-1 outside its restarts', value: f.site1AlertsOutside.length, unit: 'count', target: '= 0', ok: f.site1AlertsOutside.length === 0 },
      { name: 'faulty sectors (any site, any snapshot)', value: f.maxFaults, unit: 'count', target: '= 0', ok: f.maxFaults === 0 },
      { name: 'site-1 sectors that entered a failed state', value: f.site1Failed.length, unit: 'count', target: '= 0', ok: f.site1Failed.length === 0 },
      { name: 'finalized sectors not as Lotus keeps them', value: f.badFinalized.length, unit: 'count', target: '= 0', ok: f.badFinalized.length === 0 },
      { name: 'sites whose miner did not answer at the end', value: f.unreadable.length, unit: 'count', target: '= 0', ok: f.unreadable.length === 0 },
      { name: 'sectors sealed (site-1 / site-2 / site-3 summed)', value: Object.values(f.sealed).reduce((a, b) => a + b, 0), unit: 'count' },
      { name: 'restart duration, median', value: Math.round(took[Math.floor(took.length / 2)] ?? 0), unit: 's' },
      { name: 'restart duration, longest', value: Math.round(took[took.length - 1] ?? 0), unit: 's' },
      { name: 'snapshots polled', value: f.snapshots, unit: 'count' },
      { name: 'soak length with warm-up and drain (minutes)', value: Math.round((Date.now() - t0) / 60_000), unit: 'count' }
    ]
    const notes = [
      `sealed per site: ${Object.entries(f.sealed).map(([s, n]) => `${s} ${n}`).join(', ')}`,
      ...f.restarts.filter((r) => r.phase !== 'done').map((r) => `restart of ${r.site} at ${new Date(r.start).toISOString()}: ${r.phase}: ${r.detail}`),
      ...f.site1AlertsOutside.map((a) => `site-1 alert outside a restart at ${new Date(a.at).toISOString()}${a.afterRestartSec === null ? '' : ` (${a.afterRestartSec} s after its last restart window)`}: ${a.key}: ${a.detail}`),
      ...f.unreadable.map((u) => `${u.site} could not be read back: ${u.error}`),
      ...f.site1Failed.map((s) => `site-1 sector ${s.sector}: ${s.events.join(' | ')}`),
      ...f.badFinalized.map((b) => `${b.site} sector ${b.sector}: missing ${b.missing.join(', ') || '-'}, ${b.extra} leftover file(s); its files at ${b.found.join(', ') || 'nowhere'}; events ${b.events.join(' → ')}`)
    ]
    return { name: 'demo-soak', metrics, notes }
  }
}
