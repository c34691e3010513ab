import { describe, expect, it } from 'vitest'
import type { Finding, SiteConfig } from '@contract'
import { fleetRow, sortFleet } from './fleet'
import type { SiteSummary } from './summary'

const site = (id: string, order: number): SiteConfig => ({ id, alias: id, name: id.toUpperCase(), group: '', order } as SiteConfig)
const summary = (id: string, o: { failed?: number; behind?: number; next?: number; findings?: number; minerUp?: boolean } = {}): SiteSummary => ({
  siteId: id,
  seq: 1,
  takenAt: 0,
  tookMs: 0,
  daemon: { up: true, behindEpochs: o.behind ?? 0, peers: 40 },
  miner: { up: o.minerUp ?? true },
  pipeline: { sealing: 3, failed: o.failed ?? 0, proving: 100, total: 103 },
  jobs: { running: 1, queued: 0, overdue: 0, total: 1 },
  workers: { online: 4, disabled: 0, missing: 0, total: 4 },
  proving: o.next === undefined ? null : { deadlineIndex: 0, closeAt: 0, next: { index: 3, openAt: o.next, sectors: 10 }, faults: 0, recoveries: 0, sectors: 100 },
  messages: { count: 0, oldestAgeSec: null, oldestFirstSeen: null },
  findings: Array.from({ length: o.findings ?? 0 }, (_, i) => ({ id: `${id}:sectors-failed:sector:${i}`, siteId: id, kind: 'sectors-failed', severity: 'critical', subject: { kind: 'sector', id: String(i) }, since: 0 }) as unknown as Finding)
}) as SiteSummary
const connected = (id: string) => ({ siteId: id, state: 'connected' as const, since: 0 })

describe('fleet rows', () => {
  const rows = [
    fleetRow(site('a', 0), summary('a', { next: 3000 }), connected('a')),
    fleetRow(site('b', 1), summary('b', { failed: 2, findings: 1, next: 1000 }), connected('b')),
    fleetRow(site('c', 2), undefined, undefined),
    fleetRow(site('d', 3), summary('d', { behind: 40, next: 2000, minerUp: false }), connected('d'))
  ]
  it('put the worst first by default, sites without data after the healthy ones only by health', () => {
    expect(sortFleet(rows, 'health').map((r) => r.site.id)).toEqual(['b', 'c', 'a', 'd'])
    expect(sortFleet(rows, 'failed').map((r) => r.site.id)).toEqual(['b', 'a', 'd', 'c'])
    expect(sortFleet(rows, 'behind').map((r) => r.site.id)).toEqual(['d', 'b', 'a', 'c'])
    expect(sortFleet(rows, 'processes')[0]!.site.id).toBe('d')
  })
  it('sort the next deadline soonest first, names A to Z, and either way round', () => {
    expect(sortFleet(rows, 'nextDeadline').map((r) => r.site.id)).toEqual(['b', 'd', 'a', 'c'])
    expect(sortFleet(rows, 'nextDeadline', false).map((r) => r.site.id)).toEqual(['a', 'd', 'b', 'c'])
    expect(sortFleet(rows, 'name').map((r) => r.site.id)).toEqual(['a', 'b', 'c', 'd'])
  })
})
