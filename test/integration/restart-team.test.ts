import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestartRun } from '../../preload/contract/restart'
import type { SiteAuditEntry } from '../../preload/contract/team'
import { SettingsStore } from '../../electron/core/settings/store'
import { cleanupHome, cliBundle, homeWithSites, reportOf, runCli, waitFor } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * Two operators, two laptops (two MINERDESK_HOMEs), one site: the restart lock on the site host
 * lets one restart at a time and names the holder to the other; every change lands in the site's
 * own ~/.minerdesk/audit.log (read back here over SSH); a lock whose holder died is broken only
 * explicitly, and that is audited.
 */

let sim: SimSites
let cli: string
let alice: string
let bob: string

function homeFor(name: string): string {
  const home = homeWithSites(sim)
  new SettingsStore({ home }).updateSettings({ operatorName: name })
  return home
}

/** A line of the site's own audit log as written there (`mine` is the reader's, not the file's). */
type SiteLine = Omit<SiteAuditEntry, 'mine'>

async function siteLog(): Promise<SiteLine[]> {
  const text = await sim.sshOk('site-1', 'cat ~/.minerdesk/audit.log')
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SiteLine)
}

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 1, sectors: 30, speed: 60, workers: { pc1: 1, pc2: 0, c2: 0 } }), cliBundle()])
  alice = homeFor('alice')
  bob = homeFor('bob')
}, 120_000)

afterAll(async () => {
  await sim?.down()
  for (const h of [alice, bob]) if (h) cleanupHome(h)
})

describe('restart lock and the site audit log', () => {
  it('two operators restart one site at once: one is refused naming the other; the first completes; then the second succeeds', async () => {
    const a = runCli(cli, alice, ['restart', 'site-1', '--yes', '--json', '--wait-window'])
    // Alice's MinerDesk holds the lock on the site host.
    const owner = await waitFor('alice to hold the lock', async () => {
      const r = await sim.ssh('site-1', 'cat ~/.minerdesk/restart.lock/owner')
      return r.code === 0 && r.stdout.includes('alice') ? (JSON.parse(r.stdout) as Record<string, unknown>) : null
    })
    expect(owner).toMatchObject({ operator: 'alice', site: 'site-1', via: 'cli' })
    const b = runCli(cli, bob, ['restart', 'site-1', '--yes', '--wait-window'])
    const bCode = await b.done
    expect(bCode, b.stderr()).toBe(3)
    expect(b.stderr()).toMatch(/being restarted by alice on \S+ \(pid \d+, via cli\) since \d{4}-\d\d-\d\d \d\d:\d\d UTC/)
    const aCode = await a.done
    expect(aCode, `${a.lines.join('\n')}\n${a.stderr()}`).toBe(0)
    expect((reportOf(a).sites[0]!.run as RestartRun).operator).toBe('alice')
    // Released at the end.
    expect((await sim.ssh('site-1', 'test -d ~/.minerdesk/restart.lock')).code).toBe(1)
    const b2 = runCli(cli, bob, ['restart', 'site-1', '--yes', '--json', '--wait-window'])
    const b2Code = await b2.done
    expect(b2Code, `${b2.lines.join('\n')}\n${b2.stderr()}`).toBe(0)
    expect((reportOf(b2).sites[0]!.run as RestartRun).operator).toBe('bob')

    // The site's own log, read back over SSH: who did what, from which machine, in order.
    const log = await siteLog()
    // The run's own lines: a refused start, and each restart's final summary.
    const restarts = log.filter((e) => e.action === 'wizard.restart' && /^site-1: restart( restarted| aborted| failed|$)/.test(e.command))
    expect(restarts.map((e) => [e.operator, e.result])).toEqual([
      ['bob', 'refused'],
      ['alice', 'ok'],
      ['bob', 'ok']
    ])
    for (const e of log) {
      expect(e.machine).toBeTruthy()
      expect(e.via).toBe('cli')
      expect(e.site).toBe('site-1')
    }
    const stops = log.filter((e) => e.action === 'wizard.stop-miner')
    expect(stops.map((e) => `${e.operator}:${e.result}`)).toEqual(['alice:started', 'alice:ok', 'bob:started', 'bob:ok'])
    // No secret reaches the site's log.
    expect(log.map((e) => JSON.stringify(e)).join('\n')).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}\./)
  }, 300_000)

  it('site-log shows what other operators did; site-lock shows the holder', async () => {
    const r = runCli(cli, bob, ['site-log', 'site-1', '--others', '--json'])
    expect(await r.done).toBe(0)
    const out = JSON.parse(r.lines.join('\n')) as { lock: unknown; entries: Array<{ operator: string; mine: boolean }> }
    expect(out.lock).toBeNull()
    expect(out.entries.length).toBeGreaterThan(0)
    expect(new Set(out.entries.map((e) => e.operator))).toEqual(new Set(['alice']))
  }, 60_000)

  it('a stale lock refuses restarts and guarded actions, and is broken only explicitly, audited', async () => {
    // A MinerDesk that died mid-restart ten minutes ago left its lock.
    const token = randomUUID()
    const beat = Math.floor(Date.now() / 1000) - 600
    const ownerJson = JSON.stringify({ operator: 'carol', machine: 'carol-laptop', pid: 4242, run: token, site: 'sh-01', via: 'electron' })
    await sim.sshOk('site-1', `mkdir -p ~/.minerdesk/restart.lock && cd ~/.minerdesk/restart.lock && echo ${beat} > since && echo ${beat} > heartbeat && echo ${token} > token && printf '%s\\n' '${ownerJson}' > owner`)

    const r = runCli(cli, bob, ['restart', 'site-1', '--yes'])
    expect(await r.done).toBe(3)
    expect(r.stderr()).toContain('being restarted by carol on carol-laptop (pid 4242, via electron)')
    expect(r.stderr()).toContain('minerdesk site-lock site-1 --break --yes')
    // Changes that must not interleave with a restart are refused too.
    const rm = runCli(cli, bob, ['remove', 'site-1', '3', '--yes'])
    expect(await rm.done).toBe(3)
    expect(rm.stderr()).toContain('sector.remove refused: the site is being restarted by carol')

    const show = runCli(cli, bob, ['site-lock', 'site-1'])
    expect(await show.done).toBe(0)
    expect(show.lines.join('\n')).toMatch(/held by carol on carol-laptop .*STALE/)
    // Without --yes: only the preview.
    const preview = runCli(cli, bob, ['site-lock', 'site-1', '--break'])
    expect(await preview.done).toBe(3)
    expect((await sim.ssh('site-1', 'test -d ~/.minerdesk/restart.lock')).code).toBe(0)
    const broken = runCli(cli, bob, ['site-lock', 'site-1', '--break', '--yes'])
    expect(await broken.done, broken.stderr()).toBe(0)
    expect((await sim.ssh('site-1', 'test -d ~/.minerdesk/restart.lock')).code).toBe(1)
    const log = await siteLog()
    const breaks = log.filter((e) => e.action === 'restart.break-lock')
    expect(breaks.map((e) => [e.operator, e.result])).toEqual([
      ['bob', 'started'],
      ['bob', 'ok']
    ])
    expect(log.some((e) => e.action === 'sector.remove' && e.result === 'refused' && e.operator === 'bob')).toBe(true)
  }, 120_000)

  it('a fresh lock cannot be broken', async () => {
    const token = randomUUID()
    const now = Math.floor(Date.now() / 1000)
    const ownerJson = JSON.stringify({ operator: 'dave', machine: 'dave-pc', pid: 7, run: token, site: 'x', via: 'web' })
    await sim.sshOk('site-1', `mkdir -p ~/.minerdesk/restart.lock && cd ~/.minerdesk/restart.lock && echo ${now} > since && echo ${now} > heartbeat && echo ${token} > token && printf '%s\\n' '${ownerJson}' > owner`)
    const r = runCli(cli, bob, ['site-lock', 'site-1', '--break', '--yes'])
    expect(await r.done).toBe(3)
    expect(r.stderr()).toContain('the restart lock is alive: held by dave on dave-pc')
    expect((await sim.ssh('site-1', 'test -d ~/.minerdesk/restart.lock')).code).toBe(0)
    await sim.sshOk('site-1', 'rm -rf ~/.minerdesk/restart.lock')
  }, 60_000)
})
