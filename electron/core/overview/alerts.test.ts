import { describe, expect, it } from 'vitest'
import type { AlertParamsByKind, JobRow, SiteSnapshot } from '../../../preload/contract'
import { DEFAULT_ALERT_THRESHOLDS, deriveAlerts, newAlerts } from './alerts'
import { shortDuration } from './format'

type Base = Omit<SiteSnapshot, 'alerts'>

function base(over: Partial<Base> = {}): Base {
  return {
    siteId: 'sz1',
    takenAt: 0,
    tookMs: 0,
    seq: 1,
    connection: { siteId: 'sz1', state: 'connected', since: 0 },
    daemon: { up: true, behindEpochs: 0, headAgeSec: 10 },
    miner: { up: true },
    pipeline: null,
    jobs: null,
    workers: null,
    proving: null,
    messages: null,
    ...over
  }
}

const job = (id: string, overdue: boolean): JobRow => ({ id, workerId: 'w', hostname: 'pc1-a', sector: 7, task: 'PC1', taskType: 'seal/v0/precommit/1', state: 'running', runWait: 0, start: 0, elapsedSec: 7 * 3600, expectedSec: 11400, overdue })

describe('alerts', () => {
  it('has stable keys and keeps `since` while an alert persists', () => {
    const s1 = base({ daemon: { up: true, behindEpochs: 9, headAgeSec: 280 } })
    const a1 = deriveAlerts(s1, [], 1000)
    expect(a1).toEqual([{ key: 'sz1:sync-behind:', siteId: 'sz1', kind: 'sync-behind', severity: 'warning', subject: '', since: 1000, params: { epochs: 9, headAge: '4m40s' } }])
    const a2 = deriveAlerts(base({ daemon: { up: true, behindEpochs: 12, headAgeSec: 370 } }), a1, 16_000)
    expect(a2[0]).toMatchObject({ key: 'sz1:sync-behind:', since: 1000, params: { epochs: 12 } })
    expect(newAlerts(a1, a2)).toEqual([])
    // Gone, then back: a new alert with a new since.
    const a3 = deriveAlerts(base(), a2, 31_000)
    expect(a3).toEqual([])
    const a4 = deriveAlerts(s1, a3, 46_000)
    expect(a4[0]!.since).toBe(46_000)
    expect(newAlerts(a3, a4).map((a) => a.key)).toEqual(['sz1:sync-behind:'])
  })

  it('does not fire sync-behind at the threshold, only beyond it', () => {
    expect(deriveAlerts(base({ daemon: { up: true, behindEpochs: DEFAULT_ALERT_THRESHOLDS.syncBehindEpochs, headAgeSec: 150 } }), [], 0)).toEqual([])
  })

  it('on a fast chain (the demo at 60×), a few seconds of lag are not "sync behind"; half a minute is', () => {
    expect(deriveAlerts(base({ daemon: { up: true, behindEpochs: 12, blockDelay: 0.5, headAgeSec: 6 } }), [], 0)).toEqual([])
    expect(deriveAlerts(base({ daemon: { up: true, behindEpochs: 70, blockDelay: 0.5, headAgeSec: 35 } }), [], 0).map((a) => a.kind)).toEqual(['sync-behind'])
  })

  it('has one alert per overdue job, keyed by call id', () => {
    const s = base({ jobs: { total: 3, byTask: {}, list: [job('c1', true), job('c2', false), job('c3', true)] } })
    const a = deriveAlerts(s, [], 5)
    expect(a.map((x) => x.key)).toEqual(['sz1:job-overdue:c1', 'sz1:job-overdue:c3'])
    const params: AlertParamsByKind['job-overdue'] = { task: 'PC1', sector: 7, host: 'pc1-a', elapsed: '7h', expected: '3h10m' }
    expect(a[0]!.params).toEqual(params)
    // c1 finished, c4 went overdue: only c4 is new.
    const b = deriveAlerts(base({ jobs: { total: 2, byTask: {}, list: [job('c3', true), job('c4', true)] } }), a, 10)
    expect(newAlerts(a, b).map((x) => x.subject)).toEqual(['c4'])
    expect(b.find((x) => x.subject === 'c3')!.since).toBe(5)
  })

  it('reports down nodes, and only "unreachable" when SSH itself fails', () => {
    expect(deriveAlerts(base({ daemon: { up: false, error: { code: 'lotus/daemon-down', message: '' } } }), [], 0).map((a) => [a.kind, a.severity])).toEqual([['daemon-down', 'critical']])
    expect(deriveAlerts(base({ miner: { up: false } }), [], 0).map((a) => a.kind)).toEqual(['miner-down'])
    const ssh = { code: 'ssh/unreachable' as const, message: 'x' }
    const unreachable = base({ connection: { siteId: 'sz1', state: 'unreachable', since: 0 }, daemon: { up: false, error: ssh }, miner: { up: false, error: ssh } })
    expect(deriveAlerts(unreachable, [], 0).map((a) => a.key)).toEqual(['sz1:site-unreachable:'])
  })

  it('orders critical before warning', () => {
    const s = base({
      miner: { up: false },
      pipeline: { byState: { CommitFailed: 2 }, byGroup: { sealing: 0, failed: 2, proving: 0, removed: 0, other: 0 }, total: 2 },
      proving: { currentEpoch: 0, periodStart: 0, deadlineIndex: 0, open: 0, close: 60, closeAt: 0, nextWithSectors: null, deadlines: [], faults: 3, recoveries: 1, sectors: 100 }
    })
    expect(deriveAlerts(s, [], 0).map((a) => [a.kind, a.params])).toEqual([
      ['faults', { faults: 3, recoveries: 1 }],
      ['miner-down', {}],
      ['sectors-failed', { sectors: 2 }]
    ])
  })

  it('formats durations in Lotus short notation', () => {
    expect([0, 45, 60, 150, 3600, 11400, 7 * 3600 + 59, 49 * 3600 + 5 * 60].map(shortDuration)).toEqual(['0s', '45s', '1m', '2m30s', '1h', '3h10m', '7h', '49h5m'])
  })
})
