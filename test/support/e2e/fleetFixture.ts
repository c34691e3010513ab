import type { SiteSnapshot } from '../../../preload/contract'
import type { FixtureData } from './fixtures'

/**
 * Grows the fixture to `n` sites (a pool's fleet): copies of its busy and quiet sites under new
 * names, each with its own numbers, so sorting has something to sort. Site `fleet-07` is the
 * only one with its miner down; `fleet-13` is far behind in sync.
 */
export function fleetOf(n: number): (d: FixtureData) => void {
  return (d) => {
    const [busy, quiet] = d.snapshots as [SiteSnapshot, SiteSnapshot]
    const template = d.sites[1]!
    d.sites = []
    d.snapshots = []
    d.connections = []
    for (let i = 1; i <= n; i++) {
      const id = `fleet-${String(i).padStart(2, '0')}`
      const base = i % 5 === 0 ? busy : quiet
      const snap = JSON.parse(JSON.stringify(base)) as SiteSnapshot
      snap.siteId = id
      snap.connection = { ...snap.connection, siteId: id }
      for (const f of snap.findings) {
        f.siteId = id
        f.id = f.id.replace(/^[^:]+/, id)
      }
      if (snap.pipeline) snap.pipeline = { ...snap.pipeline, byGroup: { ...snap.pipeline.byGroup, sealing: 10 + ((i * 7) % 40), proving: 5000 + i * 331 } }
      if (snap.proving?.nextWithSectors) snap.proving.nextWithSectors = { ...snap.proving.nextWithSectors, openAt: Date.now() + ((i * 97) % 1800) * 1000 }
      if (i === 7) {
        snap.miner = { up: false, error: { code: 'lotus/miner-down', message: 'connection refused' } }
        snap.pipeline = null
      }
      if (i === 13) snap.daemon = { ...snap.daemon, behindEpochs: 412 }
      d.sites.push({ ...template, id, alias: id, name: `${i % 2 ? '上海' : '北京'}-${String(i).padStart(2, '0')}`, group: i % 2 ? '上海' : '北京', order: i - 1 })
      d.snapshots.push(snap)
      d.connections.push({ siteId: id, state: 'connected', since: Date.now() - 3600_000 })
    }
  }
}
