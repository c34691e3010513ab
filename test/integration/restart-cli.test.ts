import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestartRun } from '../../preload/contract/restart'
import { auditOf, cleanupHome, cliBundle, homeWithSites, reportOf, runCli, siteProcs, startedCount, testCore } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * `npx minerdesk restart` end to end against simulated sites behind real sshd: the plan changes
 * nothing; `--yes` stops the miner, stops the daemon, starts the daemon, waits for sync, starts the
 * miner and confirms its warm-up, in the runbook's order, each command audited once; `--json`
 * prints one object per event and a final report; several sites go one after another.
 */

let sim: SimSites
let home: string
let cli: string

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 2, sectors: 40, speed: 60, workers: { pc1: 1, pc2: 0, c2: 1 } }), cliBundle()])
  home = homeWithSites(sim)
}, 120_000)

afterAll(async () => {
  await sim?.down()
  if (home) cleanupHome(home)
})

const minerLog = (alias: string) => readFileSync(join(sim.site(alias).config.home, 'miner.log'), 'utf8')

describe('minerdesk restart', () => {
  it('--plan shows the pre-check and the exact commands and changes nothing', async () => {
    const before = siteProcs(sim, 'site-1')
    const r = runCli(cli, home, ['restart', 'site-1', '--plan'])
    const code = await r.done
    const out = r.lines.join('\n')
    expect([0, 3]).toContain(code)
    expect(out).toContain('site-1: restart pre-check (changes nothing)')
    expect(out).toMatch(/verdict +(Safe now|Wait until|Unsafe, because)/)
    expect(out).toMatch(/1\. Stop the miner +site-1: lotus-miner stop/)
    expect(out).toMatch(/2\. Stop the daemon +site-1: lotus daemon stop/)
    expect(out).toContain(`3. Start the daemon and wait for sync       site-1: cd "$HOME" && sh -c 'nohup lotus daemon >> daemon.log 2>&1 < /dev/null &'`)
    expect(out).toContain(`4. Start the miner and confirm the warm-up  site-1: cd "$HOME" && sh -c 'nohup lotus-miner run >> miner.log 2>&1 < /dev/null &'`)
    expect(out).toContain('keeps running on its worker')
    // Nothing changed: the same processes, no run kept, nothing audited but reads.
    const after = siteProcs(sim, 'site-1')
    expect(after.miner.map((p) => p.pid)).toEqual(before.miner.map((p) => p.pid))
    expect(after.daemon.map((p) => p.pid)).toEqual(before.daemon.map((p) => p.pid))
    const t = testCore(home)
    expect(await t.call('restart:list', null)).toEqual([])
    await t.close()
  }, 60_000)

  it('--yes restarts daemon and miner in the runbook order, waits for sync and the warm-up, and reports it', async () => {
    const before = siteProcs(sim, 'site-1')
    const logBefore = minerLog('site-1').length
    const since = new Date().toISOString()
    const r = runCli(cli, home, ['restart', 'site-1', '--yes', '--json', '--wait-window'])
    const code = await r.done
    const report = reportOf(r)
    expect(code, `${r.lines.join('\n')}\n${r.stderr()}`).toBe(0)
    expect(report).toMatchObject({ ok: true, exitCode: 0 })
    const run = report.sites[0]!.run as RestartRun
    expect(run.phase).toBe('done')
    expect(run.steps.map((s) => [s.id, s.status])).toEqual([
      ['precheck', 'ok'],
      ['stopMiner', 'ok'],
      ['stopDaemon', 'ok'],
      ['startDaemon', 'ok'],
      ['startMiner', 'ok'],
      ['postcheck', 'ok']
    ])
    // The runbook's order, each step after the previous one's gate.
    for (let i = 2; i < run.steps.length; i++) expect(run.steps[i]!.startedAt!).toBeGreaterThanOrEqual(run.steps[i - 1]!.endedAt!)
    // Events: one JSON object per line, in order.
    const sent = r.events.filter((e) => e.type === 'command' && e.status === 'sending').map((e) => e.step)
    expect(sent).toEqual(['stopMiner', 'stopDaemon', 'startDaemon', 'startMiner'])
    expect(r.events.some((e) => e.type === 'observation' && e.code === 'synced')).toBe(true)
    expect(r.events.some((e) => e.type === 'observation' && e.code === 'warmup-ok')).toBe(true)
    expect(r.events.some((e) => e.type === 'sync' && typeof e.height === 'number')).toBe(true)
    expect(r.lines.every((l) => l === '' || JSON.parse(l))).toBe(true)

    // New processes, one of each; the warm-up written after this start.
    const after = siteProcs(sim, 'site-1')
    expect(after.daemon).toHaveLength(1)
    expect(after.miner).toHaveLength(1)
    expect(after.daemon[0]!.pid).not.toBe(before.daemon[0]!.pid)
    expect(after.miner[0]!.pid).not.toBe(before.miner[0]!.pid)
    expect(minerLog('site-1').slice(logBefore)).toContain('winning PoSt warmup successful')
    const warm = run.steps.find((s) => s.id === 'startMiner')!.excerpts.flatMap((e) => e.lines).join('\n')
    expect(warm).toContain('winning PoSt warmup successful')

    // Every command went through the audit log, each started exactly once and ended ok.
    const t = testCore(home)
    const audit = await auditOf(t.core, 'site-1')
    expect(startedCount(audit, since)).toEqual({ 'wizard.stop-miner': 1, 'wizard.stop-daemon': 1, 'wizard.start-daemon': 1, 'wizard.start-miner': 1 })
    const mine = audit.filter((e) => e.time >= since)
    expect(mine.map((e) => `${e.action} ${e.result}`)).toEqual(
      expect.arrayContaining(['wizard.precheck ok', 'wizard.restart ok', 'wizard.stop-miner ok', 'wizard.stop-daemon ok', 'wizard.start-daemon ok', 'wizard.start-miner ok'])
    )
    expect(mine.find((e) => e.action === 'wizard.stop-miner' && e.result === 'started')!.command).toBe('site-1: lotus-miner stop')
    expect(mine.every((e) => e.via === 'cli')).toBe(true)

    // The report is kept and exported.
    const md = runCli(cli, home, ['restart-report', 'site-1'])
    expect(await md.done).toBe(0)
    const text = md.lines.join('\n')
    expect(text).toContain('# Restart of site-1 (site-1)')
    expect(text).toContain('- Result: **done: daemon and miner restarted**')
    expect(text).toMatch(/## 1\. Stop the miner — ok\n\n- Start: .*; end: .*; took [\d.]+ s\n- Ran \(command\): `site-1: lotus-miner stop` — ok/)
    expect(text).toContain('Graceful shutdown successful')
    expect(text).toContain('## After the restart')
    const file = await t.call('restart:report', run.id, 'json')
    expect(JSON.parse(file.content)).toMatchObject({ id: run.id, phase: 'done' })
    await t.close()
  }, 120_000)

  it('refuses, before anything stops, a restart whose start script is missing or would not set the miner\'s environment', async () => {
    const t = testCore(home)
    const orig = t.core.store.getSite('site-2')!
    t.core.store.updateSite('site-2', { startCommands: { ...orig.startCommands, miner: './no-such-runminer.sh' } })
    await t.close()
    const before = siteProcs(sim, 'site-2')
    const r = runCli(cli, home, ['restart', 'site-2', '--yes', '--json', '--wait-window'])
    expect(await r.done, `${r.lines.join('\n')}\n${r.stderr()}`).toBe(3)
    const run = reportOf(r).sites[0]!.run as RestartRun
    expect(run.precheck!.verdict.kind).toBe('unsafe')
    expect(run.precheck!.verdict.reasons[0]).toMatchObject({ code: 'start-script-missing', params: { role: 'lotus-miner', script: './no-such-runminer.sh' } })
    expect(reportOf(r).sites[0]!.message).toContain('does not exist in ~')
    // Lotus's default start command while the miner must have an environment: refused the same way.
    const t2 = testCore(home)
    t2.core.store.updateSite('site-2', { startCommands: orig.startCommands, expectedEnv: { FIL_PROOFS_USE_GPU_TREE_BUILDER: '1', RUST_LOG: 'info' } })
    await t2.close()
    const r2 = runCli(cli, home, ['restart', 'site-2', '--yes', '--json', '--wait-window'])
    expect(await r2.done).toBe(3)
    const run2 = reportOf(r2).sites[0]!.run as RestartRun
    expect(run2.precheck!.verdict.reasons.map((x) => x.code)).toContain('start-sets-no-env')
    // Nothing was stopped or sent.
    expect(siteProcs(sim, 'site-2').miner.map((p) => p.pid)).toEqual(before.miner.map((p) => p.pid))
    expect(run2.steps.filter((s) => s.commands.length > 0)).toEqual([])
    const t3 = testCore(home)
    t3.core.store.updateSite('site-2', { startCommands: orig.startCommands, expectedEnv: orig.expectedEnv })
    await t3.close()
  }, 90_000)

  it('restarts several sites one after another and stops at the first failure', async () => {
    // site-2's miner start command fails (it exists, so the pre-check lets it run): the rolling
    // restart stops there; site-1 is not touched again.
    const t = testCore(home)
    t.core.store.updateSite('site-2', { startCommands: { ...t.core.store.getSite('site-2')!.startCommands, miner: 'false' } })
    await t.close()
    const before1 = siteProcs(sim, 'site-1').miner.map((p) => p.pid)
    const r = runCli(cli, home, ['restart', 'site-2', 'site-1', '--yes', '--json', '--wait-window'])
    const code = await r.done
    const report = reportOf(r)
    expect(code, `${r.lines.join('\n')}\n${r.stderr()}`).toBe(14)
    expect(report.sites.map((s) => [s.site, s.exitCode])).toEqual([['site-2', 14]])
    expect((report as unknown as { notStarted: string[] }).notStarted).toEqual(['site-1'])
    const run2 = report.sites[0]!.run as RestartRun
    expect(run2.result).toMatchObject({ ok: false, failedStep: 'startMiner' })
    expect(run2.steps.find((s) => s.id === 'startMiner')!.commands[0]).toMatchObject({ status: 'error', text: `cd "$HOME" && sh -c false` })
    // The miner is down now and the report says so.
    expect(run2.result!.site!.text).toMatch(/miner stopped/)
    expect(siteProcs(sim, 'site-1').miner.map((p) => p.pid)).toEqual(before1)

    // Fixed, the next restart finds the miner already stopped, does not stop it again, and starts it.
    const t2 = testCore(home)
    t2.core.store.updateSite('site-2', { startCommands: { ...t2.core.store.getSite('site-2')!.startCommands, miner: './runminer.sh' } })
    await t2.close()
    const again = runCli(cli, home, ['restart', 'site-2', '--yes', '--json', '--wait-window', '--override-unsafe', 'miner is down already'])
    expect(await again.done, `${again.lines.join('\n')}\n${again.stderr()}`).toBe(0)
    const run = reportOf(again).sites[0]!.run as RestartRun
    // Another attempt of the restart that did not succeed (refused twice, then failed): the workers
    // to expect back are those registered before the first of those attempts, kept run to run.
    expect(run.knownWorkers).toEqual(run2.knownWorkers)
    expect(run.knownWorkers!.firstRun).not.toBe(run2.id)
    expect(run.knownWorkers!.workers).toEqual(run2.before!.workers)
    expect(run.knownWorkers!.workers.length).toBeGreaterThan(0)
    // Its miner was down; another site's miner runs under the same login: named, in case it was this site's.
    expect(run.precheck!.warnings.find((w) => w.code === 'other-repo')!.text).toContain(`${sim.site('site-1').config.home}/.lotusminer`)
    expect(run.steps.find((s) => s.id === 'stopMiner')).toMatchObject({ status: 'skipped', commands: [] })
    expect(run.steps.find((s) => s.id === 'stopMiner')!.observations[0]!.code).toBe('already-stopped')
    expect(siteProcs(sim, 'site-2').miner).toHaveLength(1)
  }, 150_000)
})
