import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type Finding, type SiteConfig } from '../../../preload/contract'
import { SiteLotus } from '../lotus/siteLotus'
import { provingGeometry, startFakeSite, type FakeSite } from '../../../test/support/lotus/fakeSite'
import { observedFor } from './observed'
import { SitePoller } from './poller'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function setup(o: { latencyMs?: number; serverLatencyMs?: number; pollIntervalSec?: number; mode?: 'batch' | 'concurrent'; batch?: boolean } = {}) {
  const site: FakeSite = await startFakeSite({ alias: 'sz-01', ...(o.latencyMs ? { latencyMs: o.latencyMs } : {}), ...(o.serverLatencyMs ? { serverLatencyMs: o.serverLatencyMs } : {}), ...(o.batch === false ? { batch: false } : {}) })
  const lotus = new SiteLotus({ host: site.host, rediscoverIntervalMs: 0 })
  const siteConfig = { pollIntervalSec: o.pollIntervalSec ?? 15, durations: {} } as unknown as SiteConfig
  const poller = new SitePoller({ siteId: 'sz-01', lotus, getSite: () => siteConfig, getSettings: () => DEFAULT_SETTINGS, callTimeoutMs: 2000, ...(o.mode ? { mode: o.mode } : {}) })
  cleanups.push(async () => {
    await poller.stop()
    await lotus.close()
    await site.stop()
  })
  return { site, lotus, poller }
}

describe('SitePoller against a fake Lotus site', () => {
  it('produces one full snapshot per poll from bulk calls, over kept-alive streams', async () => {
    const { site, poller } = await setup()
    const s = await poller.refresh()
    const g = provingGeometry(site.state.height, site.state.periodOffset)
    expect(s.seq).toBe(1)
    expect(s.connection.state).toBe('connected')
    expect(s.daemon).toMatchObject({ up: true, height: site.state.height, behindEpochs: 0, peers: 87, apiVersion: 131840, blockDelay: 30, syncing: [] })
    expect(s.daemon.headAgeSec).toBeGreaterThanOrEqual(12)
    expect(s.miner).toMatchObject({ up: true, actor: 'f01234', apiVersion: 66816, sectorSize: 34359738368, session: site.state.session })
    expect(s.pipeline).toMatchObject({ total: 131, byGroup: { sealing: 6, failed: 1, proving: 120, removed: 4, other: 0 } })
    expect(s.jobs?.byTask).toEqual({ PC1: { running: 1 }, AP: { assigned: 1 }, C2: { running: 1 } })
    expect(s.jobs?.list.filter((j) => j.overdue).map((j) => j.task)).toEqual(['C2'])
    expect(s.workers).toMatchObject({ online: 2, disabled: 0, missing: 0 })
    expect(s.proving).toMatchObject({ deadlineIndex: g.index, periodStart: g.periodStart, sectors: 16 * 50, faults: 0 })
    expect(s.proving?.deadlines).toHaveLength(48)
    expect(s.messages).toMatchObject({ count: 1, list: [{ cid: 'bafy2bzacelocal1', nonce: 17 }] })
    // The C2 of sector 101 runs 2 h against 15 min 10 s; sector 108 failed its commit check.
    expect(s.findings.map((a) => [a.kind, a.subject.id])).toEqual([
      ['sector-error', 'error-invalid-proof'],
      ['stage-overdue', 'stage-overdue-Committing-running-c2-host']
    ])
    // The sector scan read every sector outside Proving/Removed, each with its one timing.
    expect(s.sectors?.list.map((w) => [w.n, w.state, w.timing?.level ?? null])).toEqual([
      [100, 'PreCommit1', 'ok'], [102, 'PreCommit1', 'ok'], [103, 'PreCommit1', 'ok'], [105, 'PreCommit2', 'ok'], [106, 'WaitSeed', 'ok'], [107, 'WaitSeed', 'ok'], [108, 'CommitFailed', 'ok']
    ])
    expect(s.partErrors).toBeUndefined()

    // 8 daemon + 6 miner (one batch each), then ProvingDeadline + Deadlines + StateMinerInfo, then
    // the 48 partitions, then the scan: SectorsListInStates of 4 states and SectorsStatus of 7
    // sectors: 76 calls in 6 HTTP requests.
    expect(poller.lastPoll).toMatchObject({ calls: 76, httpRequests: 6 })
    const conns = [site.daemon.connections, site.miner.connections]
    expect(conns[0]).toBeLessThanOrEqual(2)
    expect(conns[1]).toBeLessThanOrEqual(2)

    const s2 = await poller.refresh()
    expect(s2.seq).toBe(2)
    // The head has not moved: the proving answers at that tipset are reused, not asked again.
    expect(poller.lastPoll).toMatchObject({ calls: 18, httpRequests: 3 })
    // (openAt is wall-clock time from the head's timestamp and now: it may move by a second.)
    const chainFacts = (x: typeof s) => x.proving?.deadlines.map(({ openAt: _, ...d }) => d)
    expect(chainFacts(s2)).toEqual(chainFacts(s))
    site.state.height += 1
    await poller.refresh()
    // A new head: StateMinerInfo only once per miner session; the deadline count is known now, so
    // the partitions join the deadlines' batch; sectors whose state did not change are not read
    // again; no new streams; no new discovery.
    expect(poller.lastPoll).toMatchObject({ calls: 68, httpRequests: 4 })
    expect([site.daemon.connections, site.miner.connections]).toEqual(conns)
    expect(site.daemon.calls.filter((c) => c === 'StateMinerInfo')).toHaveLength(1)
    expect(site.host.counters.execs).toBe(1)
  })

  it('never runs two polls at once; refresh joins the running poll', async () => {
    const { site, poller } = await setup({ serverLatencyMs: 30 })
    const [a, b] = [poller.refresh(), poller.refresh()]
    expect(a).toBe(b)
    await a
    expect(site.daemon.calls.filter((c) => c === 'ChainHead')).toHaveLength(1)
  })

  it('polls on its interval until stopped, without overlap, then stops for good', async () => {
    const { site, poller } = await setup({ pollIntervalSec: 0.1 })
    const snaps: Array<{ seq: number; start: number; end: number }> = []
    const three = new Promise<void>((resolve) =>
      poller.onSnapshot((s) => {
        snaps.push({ seq: s.seq, start: s.takenAt - s.tookMs, end: s.takenAt })
        if (snaps.length === 4) resolve()
      })
    )
    poller.start()
    await Promise.race([three, new Promise((r) => setTimeout(r, 10_000))])
    await poller.stop()
    expect(snaps.map((s) => s.seq).slice(0, 4)).toEqual([1, 2, 3, 4])
    for (let i = 1; i < snaps.length; i++) {
      expect(snaps[i]!.start).toBeGreaterThanOrEqual(snaps[i - 1]!.end) // never two at once
      expect(snaps[i]!.start - snaps[i - 1]!.start).toBeGreaterThanOrEqual(95) // the interval, give or take a timer tick
    }
    const heads = site.daemon.calls.filter((c) => c === 'ChainHead').length
    await new Promise((r) => setTimeout(r, 250))
    expect(site.daemon.calls.filter((c) => c === 'ChainHead').length).toBe(heads)
    await expect(poller.refresh()).rejects.toMatchObject({ code: 'cancelled' })
  })

  it('stop() aborts a poll in flight promptly', async () => {
    const { poller } = await setup({ serverLatencyMs: 1500 })
    const p = poller.refresh()
    await new Promise((r) => setTimeout(r, 50))
    const t0 = Date.now()
    await poller.stop()
    expect(Date.now() - t0).toBeLessThan(1000)
    await expect(p).rejects.toMatchObject({ code: 'cancelled' })
    expect(poller.snapshot).toBeNull()
  })

  it('keeps the miner part when the daemon stops, and the proving part when the miner stops', async () => {
    const { site, poller } = await setup()
    await poller.refresh()
    site.removeApiFile('daemon') // a clean `lotus daemon stop` removes the api file
    await site.stopNode('daemon')
    await new Promise((r) => setTimeout(r, 50))
    // The first poll finds the old port dead (which triggers rediscovery), the next knows why.
    let s = await poller.refresh()
    expect(s.daemon.up).toBe(false)
    expect(['lotus/daemon-down', 'lotus/no-api-info']).toContain(s.daemon.error?.code)
    s = await poller.refresh()
    expect(s.daemon).toMatchObject({ up: false, error: { code: 'lotus/no-api-info', message: 'no api file in ~/.lotus: is the daemon running?' } })
    expect(s.miner.up).toBe(true)
    expect(s.jobs?.total).toBe(3)
    expect([s.proving, s.messages]).toEqual([null, null])
    expect(s.findings.map((a) => a.kind)).toContain('daemon-down')

    await site.restartNode('daemon')
    await site.stopNode('miner') // crash: the api file stays behind
    await new Promise((r) => setTimeout(r, 50))
    s = await poller.refresh()
    expect(s.daemon.up).toBe(true)
    expect(s.miner).toMatchObject({ up: false, error: { code: 'lotus/miner-down' }, actor: 'f01234', sectorSize: 34359738368 })
    expect(s.proving?.deadlines).toHaveLength(48)
    expect(s.findings.map((a) => a.kind)).toEqual(['miner-down'])
  })

  it('says when the host is unreachable and recovers when it is back', async () => {
    const { site, poller } = await setup()
    await poller.refresh()
    site.host.setReachable(false)
    const down = await poller.refresh()
    expect(down.connection.state).toBe('unreachable')
    expect(down.daemon).toMatchObject({ up: false, error: { code: 'ssh/unreachable' } })
    expect(down.findings.map((a) => a.id)).toEqual(['sz-01:site-unreachable:site:'])
    site.host.setReachable(true)
    const up = await poller.refresh()
    expect(up.daemon.up && up.miner.up).toBe(true)
    expect(up.workers?.missing).toBe(0)
  })

  it('reports only new findings, as they appear', async () => {
    const { site, poller } = await setup()
    const batches: Finding[][] = []
    poller.onNewFindings((a) => batches.push(a))
    await poller.refresh()
    await poller.refresh()
    // Faults are declared in a new tipset.
    site.state.faulty = [300, 301]
    site.state.height += 1
    await poller.refresh()
    expect(batches.map((b) => b.map((a) => a.kind))).toEqual([['sector-error', 'stage-overdue'], ['sectors-faulty']])
    expect(batches[1]![0]!.title.params).toMatchObject({ faults: 2, recoveries: 0, sectors: '300, 301' })
  })

  it('works with a Lotus that has no batch support (partitions as single calls)', async () => {
    const { poller, site } = await setup({ batch: false })
    const s = await poller.refresh()
    expect(s.proving?.deadlines).toHaveLength(48)
    expect(site.daemon.calls.filter((c) => c === 'StateMinerPartitions')).toHaveLength(48)
  })
})

describe('what a poller saw over time, shared through MINERDESK_HOME', () => {
  it('a second host (the CLI) shows the age of a local message from when the first host saw it', async () => {
    const home = mkdtempSync(join(tmpdir(), 'md-observed-'))
    cleanups.push(async () => rmSync(home, { recursive: true, force: true }))
    const site = await startFakeSite({ alias: 'sz-01' })
    const siteConfig = { pollIntervalSec: 15, durations: {} } as unknown as SiteConfig
    let now = 1_000_000_000_000
    const poller = (lotus: SiteLotus) => new SitePoller({ siteId: 'sz-01', lotus, getSite: () => siteConfig, getSettings: () => DEFAULT_SETTINGS, callTimeoutMs: 2000, now: () => now, observed: observedFor(home, 'sz-01') })
    const windowLotus = new SiteLotus({ host: site.host, rediscoverIntervalMs: 0 })
    const cliLotus = new SiteLotus({ host: site.host, rediscoverIntervalMs: 0 })
    cleanups.push(async () => {
      await windowLotus.close()
      await cliLotus.close()
      await site.stop()
    })
    const first = await poller(windowLotus).refresh()
    expect(first.messages?.list[0]?.ageSec).toBe(0)
    now += 25 * 60_000
    // A new process on the same home: without the shared sighting it would say 0 s.
    const cli = await poller(cliLotus).refresh()
    expect(cli.messages?.list[0]).toMatchObject({ cid: 'bafy2bzacelocal1', ageSec: 25 * 60, firstSeen: 1_000_000_000_000 })
    expect(cli.findings.map((f) => f.kind)).toContain('message-stuck')
  })
})

describe('poll cost, measured', () => {
  it('one full poll: calls, HTTP requests and time; batches vs single concurrent calls over a 40 ms round trip', async () => {
    const fast = await setup()
    await fast.poller.refresh()
    const warm = await fast.poller.refresh()

    const rtt20 = async (partitions: 'batch' | 'concurrent') => {
      const x = await setup({ latencyMs: 20, mode: partitions })
      await x.poller.refresh()
      x.site.state.height += 1 // a new head: the whole poll
      const t0 = performance.now()
      const s = await x.poller.refresh()
      return { ms: Math.round(performance.now() - t0), tookMs: s.tookMs, stats: x.poller.lastPoll! }
    }
    const batch = await rtt20('batch')
    const concurrent = await rtt20('concurrent')
    console.log(
      `[measure] warm poll, no latency: ${warm.tookMs} ms, ${fast.poller.lastPoll!.calls} calls in ${fast.poller.lastPoll!.httpRequests} HTTP requests\n` +
        `[measure] warm poll, 20 ms each way: batch ${batch.ms} ms (${batch.stats.httpRequests} HTTP requests), concurrent ${concurrent.ms} ms (${concurrent.stats.httpRequests} HTTP requests)`
    )
    // The sector scan's list (SectorsListInStates) runs beside the proving batch: one request more, no round trip more.
    expect(batch.stats.httpRequests).toBe(4)
    expect(concurrent.stats.httpRequests).toBe(68)
    // How much sooner the batched poll ends is measured by npm run bench (fleet-100x10k): on a
    // loaded CI machine wall-clock comparisons of a few hundred milliseconds are noise.
  })
})
