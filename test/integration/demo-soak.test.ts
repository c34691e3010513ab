import { describe, expect, it } from 'vitest'
import type { PendingMessage, SiteSnapshot } from '../../preload/contract'
import type { RestartRun } from '../../preload/contract/restart'
import type { AppCore } from '../../electron/core/app/appCore'
import { callDirect } from '../../electron/core/runtime/dispatch'
import { runDemoSoak, type RestartRecord } from '../support/demoSoak'
import { cliBundle, reportOf, runCli } from '../support/restartHarness'

/**
 * The hour-long demo soak of `npm run bench -- --only demo-soak`, short enough for CI: the
 * demo's three sites at ten times the demo's speed, a rolling restart of all three through the
 * CLI with the settings the demo wrote (nothing changed), then a restart of each through the
 * wizard as the window runs it, with sectors in every stage of their pipeline; then the sealing
 * left over finishes. The demo must make no trouble of its own. Before the restarts the CLI, on
 * the same home with only what the demo wrote there, shows site-2's stuck message as old as the
 * window does (not 0 s).
 */

async function windowSnapshot(core: AppCore, site: string): Promise<SiteSnapshot | undefined> {
  const o = (await callDirect(core.handlers, 'overview:get', [], { via: 'web' })) as { snapshots: Record<string, SiteSnapshot> }
  return o.snapshots[site]
}

/** The window has seen site-2's stuck owner message for a while; the CLI shows the same first sighting. */
async function cliShowsTheWindowsAges(cli: string, core: AppCore, home: string): Promise<void> {
  let seen: PendingMessage | undefined
  for (let i = 0; i < 60 && !(seen && seen.ageSec >= 5); i++) {
    seen = (await windowSnapshot(core, 'site-2'))?.messages?.list[0]
    if (!(seen && seen.ageSec >= 5)) await new Promise((r) => setTimeout(r, 1000))
  }
  expect(seen, 'the window shows site-2 stuck message').toBeDefined()
  const r = runCli(cli, home, ['messages', 'site-2', '--json'])
  expect(await r.done, r.stderr()).toBe(0)
  const out = JSON.parse(r.lines.join('\n')) as { messages: PendingMessage[] }
  const mine = out.messages.find((m) => m.cid === seen!.cid)
  expect(mine).toMatchObject({ firstSeen: seen!.firstSeen })
  expect(mine!.ageSec).toBeGreaterThanOrEqual(seen!.ageSec)
}


describe('the demo under restarts', () => {
  it('restarts succeed with nothing changed; no alert on site-1 outside its restarts, no faults, no failed or broken sector', async () => {
    const cli = await cliBundle()
    const viaCli: RestartRecord[] = []
    const f = await runDemoSoak({
      shape: { speed: 600, sectors: 60 },
      warmupMs: 15_000,
      durationMs: 30_000,
      periodMs: 60_000,
      drainMs: 45_000,
      between: async (core, home) => {
        await cliShowsTheWindowsAges(cli, core, home)
        const start = Date.now()
        const r = runCli(cli, home, ['restart', 'site-1', 'site-2', 'site-3', '--yes', '--json', '--wait-window'])
        const code = await r.done
        const report = reportOf(r)
        expect(code, `${r.lines.join('\n')}\n${r.stderr()}`).toBe(0)
        for (const s of report.sites) {
          const run = s.run as RestartRun
          viaCli.push({ site: s.site, start: run.createdAt ?? start, end: run.result?.endedAt ?? Date.now(), phase: run.phase, detail: s.message })
        }
      },
      log: (l) => console.log(l)
    })
    expect(viaCli.map((r) => [r.site, r.phase])).toEqual([
      ['site-1', 'done'],
      ['site-2', 'done'],
      ['site-3', 'done']
    ])
    expect(f.restarts.length).toBeGreaterThanOrEqual(3)
    expect(f.restarts.filter((r) => r.phase !== 'done')).toEqual([])
    // The CLI's restart of site-1 counts as one of its restarts: alerts during it are expected.
    const outside = f.site1AlertsOutside.filter((a) => !viaCli.some((r) => r.site === 'site-1' && a.at >= r.start && a.at <= r.end + 7000))
    expect(outside).toEqual([])
    expect(f.maxFaults).toBe(0)
    expect(f.site1Failed).toEqual([])
    expect(f.badFinalized).toEqual([])
    expect(f.sealed['site-1']).toBeGreaterThan(0)
    console.log(`[measure] demo soak (CI): ${f.restarts.length + viaCli.length} restarts, sealed ${JSON.stringify(f.sealed)}, ${f.snapshots} snapshots`)
  }, 420_000)
})
