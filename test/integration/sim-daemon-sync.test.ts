import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { NetBlockList, NodeStatus, Partition, SignedMessage, SyncState, TipSet } from '../../preload/contract/lotus/types'
import { freePort } from '../../electron/common/ports'
import { actorAddress } from '../../electron/sim/common/siteConfig'
import { loadChainState, saveChainState } from '../../electron/sim/daemon/chainState'
import * as R from '../../electron/sim/daemon/rangeSet'
import {
  buildBundle,
  daemonLog,
  exited,
  lotus,
  makeSite,
  removeSite,
  rpc,
  startDaemon,
  stopDaemon,
  waitFor,
  type TestSite
} from '../support/sim/daemon'

/**
 * Restarts and downtime: state kept across stops, Lotus's shutdown and crash behaviour, and a
 * daemon that comes back after downtime syncing up visibly — SyncState stages and heights,
 * NodeStatus.Behind, `chain` log lines, `lotus sync wait` — with the actor's cron run for every
 * epoch it passes (deadlines closed without a WindowPoSt leave faults).
 */

/** Pretends the daemon was down for `epochs` more epochs: its persisted head is moved back. */
function rewindHead(site: TestSite, epochs: number, clearFaults = false): number {
  const st = loadChainState(site.repo)
  if (!st) throw new Error('no chain state')
  st.head -= epochs
  if (clearFaults) {
    for (const d of st.actor.deadlines) {
      // The PoSts on record belong to the period the head was moved away from: without them,
      // every deadline that closes during the downtime counts as missed (else the deadline open
      // when the site was made would pass its one close in the window as proven).
      d.posted = []
      for (const p of d.partitions) {
        p.faulty = R.EMPTY
        p.recovering = R.EMPTY
      }
    }
  }
  saveChainState(site.repo, st)
  return st.head
}

beforeAll(() => buildBundle(), 60_000)

describe('stop, start, crash', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await makeSite({ sectors: 3000, speed: 200, scenarios: ['stuck-message'] })
    await startDaemon(site)
  }, 30_000)
  afterAll(() => removeSite(site))

  it('`lotus daemon stop` shuts down cleanly: api and repo.lock removed, Lotus\'s lines, exit 0', async () => {
    const peer = (await waitFor('peers', async () => (await rpc<{ ID: string }[]>(site, 'NetPeers'))[3]?.ID)) as string
    await rpc(site, 'NetBlockAdd', [{ Peers: [peer], IPAddrs: null, IPSubnets: null }])
    const head = (await rpc<TipSet>(site, 'ChainHead')).Height
    const pending = (await rpc<SignedMessage[]>(site, 'MpoolPending', [[]])).filter((m) => m.Message.From === site.cfg.wallets.owner)
    expect(pending).toHaveLength(1)

    const stop = await lotus(site, ['daemon', 'stop'])
    expect(stop).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(await exited(site.daemon!)).toBe(0)
    site.daemon = null
    expect(existsSync(join(site.repo, 'api'))).toBe(false)
    expect(existsSync(join(site.repo, 'repo.lock'))).toBe(false)
    const log = daemonLog(site)
    expect(log).toMatch(/\tWARN\tbuilder\tnode\/shutdown\.go:33\treceived shutdown\n.*\tWARN\tbuilder\tnode\/shutdown\.go:36\tShutting down\.\.\.\n/)
    expect(log).toMatch(/\tWARN\tbuilder\tnode\/shutdown\.go:47\tGraceful shutdown successful\n$/)

    await startDaemon(site)
    expect((await rpc<NetBlockList>(site, 'NetBlockList')).Peers).toEqual([peer])
    expect((await rpc<TipSet>(site, 'ChainHead')).Height).toBeGreaterThanOrEqual(head)
    const again = (await rpc<SignedMessage[]>(site, 'MpoolPending', [[]])).filter((m) => m.Message.From === site.cfg.wallets.owner)
    expect(again.map((m) => m.CID)).toEqual(pending.map((m) => m.CID))
  })

  it('SIGTERM logs the signal; kill -9 leaves api and repo.lock, the next start takes the lock over', async () => {
    expect(await stopDaemon(site)).toBe(0)
    expect(daemonLog(site)).toMatch(/\tWARN\tbuilder\tnode\/shutdown\.go:31\treceived shutdown\t\{"signal": "terminated"\}\n/)
    const d = await startDaemon(site)
    d.kill('SIGKILL')
    await exited(d)
    site.daemon = null
    expect(existsSync(join(site.repo, 'api'))).toBe(true)
    expect(readFileSync(join(site.repo, 'repo.lock'), 'utf8')).toBe(String(d.pid))
    const r = await lotus(site, ['net', 'peers'])
    expect(r).toEqual({ code: 1, stdout: '', stderr: `ERROR: cannot dial address ws://127.0.0.1:${site.port}/rpc/v0 for dial tcp 127.0.0.1:${site.port}: connect: connection refused\n\n` })
    const d2 = await startDaemon(site)
    expect(readFileSync(join(site.repo, 'repo.lock'), 'utf8')).toBe(String(d2.pid))
  })

  it('`lotus daemon --api` overrides the configured port', async () => {
    await stopDaemon(site)
    // A port claimed for this test (a fixed offset from the site's may be another process's).
    const other = await freePort()
    const r = lotus(site, ['daemon', '--api', String(other)])
    await waitFor('api file with the new port', () => existsSync(join(site.repo, 'api')) && readFileSync(join(site.repo, 'api'), 'utf8').includes(`/tcp/${other}/`))
    expect((await lotus(site, ['version'])).stdout).toContain('Daemon:  v1.36.2-dev')
    expect((await lotus(site, ['daemon', 'stop'])).code).toBe(0)
    expect((await r).code).toBe(0)
  })
})

describe('sync after downtime', () => {
  let site: TestSite
  beforeAll(async () => {
    // 12 partitions in deadlines 0, 4, …, 44.
    site = await makeSite({ sectors: 12 * 2349, speed: 120 })
  }, 30_000)
  afterAll(() => removeSite(site))

  it('syncs back up visibly and runs the cron for every epoch it passes', async () => {
    const base = rewindHead(site, 3000, true)
    const samples: { stage: number; height: number; base: number; target: number }[] = []
    const behind: number[] = []
    await startDaemon(site)
    const t0 = Date.now()
    for (;;) {
      const st = await rpc<SyncState>(site, 'SyncState')
      const w = st.ActiveSyncs.find((s) => s.Base?.Height === base)
      if (w) samples.push({ stage: w.Stage, height: w.Height, base: w.Base?.Height ?? 0, target: w.Target?.Height ?? 0 })
      behind.push((await rpc<NodeStatus>(site, 'NodeStatus', [false])).SyncStatus.Behind)
      if (w?.Stage === 4 || Date.now() - t0 > 20_000) break
      await new Promise((r) => setTimeout(r, 40))
    }
    const took = Date.now() - t0
    expect(samples.at(-1)?.stage).toBe(4)
    expect(took).toBeLessThan(10_000) // fast by default
    expect(samples[0]?.target).toBeGreaterThanOrEqual(base + 3000)
    // Header sync walks down from the target, message sync climbs up from the base.
    const msgHeights = samples.filter((s) => s.stage === 3).map((s) => s.height)
    expect(new Set(msgHeights).size).toBeGreaterThan(2)
    expect([...msgHeights].sort((a, b) => a - b)).toEqual(msgHeights)
    expect(samples.some((s) => s.stage === 1)).toBe(true)
    expect(behind[0]).toBeGreaterThan(2500)
    await waitFor('caught up', async () => (await rpc<NodeStatus>(site, 'NodeStatus', [false])).SyncStatus.Behind < 3)

    const log = daemonLog(site)
    expect(log).toContain('selected initial sync target: [bafy2bzace')
    expect(log).toMatch(/worker 0 syncing in \[bafy2bzace/)
    expect(log).toMatch(/worker 0 done; took [\d.]+(ms|s)\n/)
    expect(log).toMatch(/New heaviest tipset! \[bafy2bzace[^\]]+\] \(height=\d+\)/)

    // More than a proving period went by without a miner: every partition missed its WindowPoSt.
    const maddr = actorAddress(site.cfg)
    for (let dl = 0; dl < 48; dl += 4) {
      const parts = await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, dl, []])
      expect(parts[0]?.FaultySectors, `deadline ${dl}`).toEqual(parts[0]?.LiveSectors)
    }
  }, 40_000)

  it('`lotus sync wait` prints progress and ends with an empty line and Done!', async () => {
    await stopDaemon(site)
    rewindHead(site, 2000)
    await startDaemon(site)
    const r = await lotus(site, ['sync', 'wait'], { timeoutMs: 30_000 })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Worker: \d+; Base: \d+; Target: \d+ \(diff: \d+\)\nState: [a-z ]+; Current Epoch: \d+; Todo: -?\d+, ETA: [\dhms:]*\n/)
    expect(r.stdout.endsWith('\nDone!\n')).toBe(true)
    expect(r.stdout).toContain('\r\x1b[2K\x1b[A')
  }, 40_000)
})

describe('slow-sync scenario', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await makeSite({ sectors: 100, speed: 120, scenarios: ['slow-sync'] })
  }, 30_000)
  afterAll(() => removeSite(site))

  it('catches up a few epochs per second', async () => {
    const base = rewindHead(site, 60)
    await startDaemon(site)
    const heights = new Set<number>()
    const t0 = Date.now()
    await waitFor(
      'slow sync to finish',
      async () => {
        const w = (await rpc<SyncState>(site, 'SyncState')).ActiveSyncs.find((s) => s.Base?.Height === base)
        if (w?.Stage === 3) heights.add(w.Height)
        return w?.Stage === 4
      },
      40_000,
      50
    )
    const took = Date.now() - t0
    expect(took).toBeGreaterThan(3_000)
    expect(heights.size).toBeGreaterThan(8)
  }, 60_000)
})
