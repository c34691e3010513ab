import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConnectionInfo, SiteSnapshot } from '../../preload/contract'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * Overview faults, through the real core against simulated sites behind real sshd: sshd killed
 * while polling (unreachable within 30 s, back within 10 s of sshd's return, no crash or
 * unhandled rejection), a changed host key refused, and a wrong token, a stopped daemon and a
 * stopped miner each shown as their own state.
 */
const unhandled: unknown[] = []
const onUnhandled = (e: unknown): void => void unhandled.push(e)

function waitFor<T>(what: string, timeoutMs: number, probe: () => T | null | undefined | false): Promise<T> {
  const t0 = Date.now()
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const v = probe()
      if (v) return resolve(v)
      if (Date.now() - t0 > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))
      setTimeout(tick, 100)
    }
    tick()
  })
}

/** PIDs of every descendant of `root` (from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = []
  const walk = (p: number): void => {
    for (const [child, pp] of parent) {
      if (pp !== p) continue
      out.push(child)
      walk(child)
    }
  }
  walk(root)
  return out
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => (s.destroy(), r(true)))
    s.once('error', () => r(false))
  })
}

describe('overview faults (real sshd, simulated sites)', () => {
  let sim: SimSites
  let core: AppCore
  let home: string
  const snaps = new Map<string, SiteSnapshot>()
  const states: ConnectionInfo[] = []

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    sim = await startSimSites({ sites: 3, sectors: 100, speed: 60 })
    home = mkdtempSync(join(tmpdir(), 'md-faults-'))
    core = createAppCore({
      host: 'web',
      version: 'test',
      home,
      secrets: createMemoryOnlySecretStore(),
      poll: true,
      sshConfig: { path: sim.sshConfigPath, mode: 'persist' }
    })
    for (const s of core.store.listSites()) core.store.updateSite(s.id, { pollIntervalSec: 5 })
    core.events.on('overview:snapshot', (s) => snaps.set(s.siteId, s))
    core.events.on('ssh:connection', (c) => states.push(c))
    await core.start()
    await waitFor('first snapshots', 60_000, () => ['site-1', 'site-2', 'site-3'].every((id) => snaps.get(id)?.miner.up))
  })

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    await core?.close()
    await sim?.down()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('shows a site unreachable within 30 s of its sshd dying, and back within 10 s of its return', async () => {
    const site = sim.sites[0]!
    const sshdDir = join(site.siteDir, 'sshd')
    const pid = Number(readFileSync(join(sshdDir, 'sshd.pid'), 'utf8').trim())
    // Kill the listener and every session process it forked, as a host going away would: the
    // live SSH connection dies too, not just the ability to log in again.
    for (const p of [pid, ...descendants(pid)]) {
      try {
        process.kill(p, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    const killedAt = Date.now()
    const down = await waitFor('unreachable', 30_000, () => {
      const s = snaps.get(site.alias)
      return s && s.takenAt > killedAt && s.connection.state !== 'connected' ? s : null
    })
    expect(['unreachable', 'stale']).toContain(down.connection.state)
    expect(Date.now() - killedAt).toBeLessThan(30_000)
    expect(down.daemon.up).toBe(false)
    // The other sites keep polling normally.
    expect(snaps.get('site-2')?.connection.state).toBe('connected')

    const back = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(sshdDir, 'sshd_config')], { detached: true, stdio: 'ignore' })
    back.unref()
    await waitFor('sshd listening again', 10_000, () => portOpen(site.sshPort))
    const returnedAt = Date.now()
    const up = await waitFor('connected again', 10_000, () => {
      const s = snaps.get(site.alias)
      return s && s.takenAt > returnedAt && s.connection.state === 'connected' && s.daemon.up ? s : null
    })
    expect(up.miner.up).toBe(true)
    expect(Date.now() - returnedAt).toBeLessThan(10_000)
    expect(unhandled).toEqual([])
  })

  it('shows a wrong token, a stopped daemon and a stopped miner as their own states', async () => {
    // site-2: the miner's token is replaced by one the miner did not sign.
    const s2 = sim.sites[1]!
    const tokenFile = join(s2.config.home, '.lotusminer', 'token')
    const good = readFileSync(tokenFile, 'utf8')
    writeFileSync(tokenFile, 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.c2lnbmF0dXJlLW5vdC12YWxpZA')
    core.sites.get('site-2').lotus.markStale()
    const bad = await core.sites.get('site-2').poller.refresh()
    expect(bad.miner.up).toBe(false)
    expect(bad.miner.error?.code).toBe('lotus/unauthorized')
    expect(bad.daemon.up).toBe(true)
    writeFileSync(tokenFile, good)

    // site-3: daemon stopped, then (separately) the miner stopped.
    const r1 = await sim.ssh('site-3', 'lotus daemon stop')
    expect(r1.code).toBe(0)
    const noDaemon = await waitFor('daemon down', 20_000, () => {
      const s = snaps.get('site-3')
      return s && !s.daemon.up ? s : null
    })
    expect(['lotus/daemon-down', 'lotus/no-api-info']).toContain(noDaemon.daemon.error?.code)
    expect(noDaemon.connection.state).toBe('connected')

    const r2 = await sim.ssh('site-1', 'lotus-miner stop')
    expect(r2.code).toBe(0)
    const noMiner = await waitFor('miner down', 20_000, () => {
      const s = snaps.get('site-1')
      return s && !s.miner.up && s.daemon.up ? s : null
    })
    expect(['lotus/miner-down', 'lotus/no-api-info']).toContain(noMiner.miner.error?.code)
    expect(noMiner.findings.map((a) => a.kind)).toContain('miner-down')
    expect(noDaemon.findings.map((a) => a.kind)).toContain('daemon-down')
  })

  it('refuses a changed host key and sends nothing', async () => {
    const known = sim.knownHostsPath
    const original = readFileSync(known, 'utf8')
    const s2 = sim.sites[1]!
    // A different ed25519 key for site-2's address: what known_hosts holds no longer matches.
    const other = 'AAAAC3NzaC1lZDI1NTE5AAAAIFW1CV7lQ8nJ8m3V3n3kqW3W8Yc7w9m6ZlXq2n0v5J2b'
    writeFileSync(known, original.replace(new RegExp(`^(\\[127\\.0\\.0\\.1\\]:${s2.sshPort} ssh-ed25519 ).*$`, 'm'), `$1${other}`))
    try {
      await core.pool.host('site-2', 'site-2').close()
      // A poll started before the key changed may still be in flight (refresh joins it): let it
      // end, then judge a poll that started after the change.
      await core.sites.get('site-2').poller.refresh().catch(() => undefined)
      const snap = await core.sites.get('site-2').poller.refresh()
      expect(snap.connection.state).toBe('host-key-changed')
      expect(snap.connection.hostKey?.expectedFingerprint).toBeTruthy()
      expect(snap.daemon.up).toBe(false)
    } finally {
      writeFileSync(known, original)
    }
  })
})
