import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestartRun, RestartStepId } from '../../preload/contract/restart'
import { auditOf, cleanupHome, cliBundle, homeWithSites, reportOf, runCli, setSite, siteProcs, startedCount, testCore, waitFor, type CliRun } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * MinerDesk killed (SIGKILL of the CLI) during each step of a restart, and started again with
 * `--resume`: the run is shown where it was, the site is read again first, and no stop or start
 * is repeated blindly — a start that may have been sent is put to the operator with what the
 * audit log says ran, and is not sent again once its effect shows.
 */

let sim: SimSites
let home: string
let cli: string

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 2, sectors: 30, speed: 60, workers: { pc1: 0, pc2: 0, c2: 1 } }), cliBundle()])
  home = homeWithSites(sim)
  mkdirSync(join(home, 'wizard', 'runs'), { recursive: true })
}, 120_000)

afterAll(async () => {
  await sim?.down()
  if (home) cleanupHome(home)
})

const runsDir = () => join(home, 'wizard', 'runs')
const restart = (site: string, ...flags: string[]) => runCli(cli, home, ['restart', site, '--yes', '--json', '--override-unsafe', 'test site: no proof at stake', ...flags])

async function savedRun(id: string): Promise<RestartRun> {
  const t = testCore(home)
  try {
    return await t.call('restart:get', id)
  } finally {
    await t.close()
  }
}

/** Where to kill the CLI in each step: a moment inside the step, from its --json events. */
const KILL_AT: Record<RestartStepId, ((e: Record<string, unknown>) => boolean) | 'run-file'> = {
  // As soon as the run exists: its pre-check is still going.
  precheck: 'run-file',
  // The stop command went out; the gate starts watching.
  stopMiner: (e) => e.type === 'command' && e.step === 'stopMiner' && e.status === 'ok',
  // The daemon's API is gone, its process maybe not yet: the gate is watching.
  stopDaemon: (e) => e.type === 'observation' && e.step === 'stopDaemon' && e.code === 'api-down',
  // The start command went out.
  startDaemon: (e) => e.type === 'command' && e.step === 'startDaemon' && e.status === 'ok',
  // The miner answers; its warm-up is not done yet.
  startMiner: (e) => e.type === 'observation' && e.step === 'startMiner' && e.code === 'api-up',
  // Workers are being checked.
  postcheck: (e) => e.type === 'step' && e.step === 'postcheck' && e.status === 'running'
}

async function killDuring(site: string, step: RestartStepId): Promise<RestartRun> {
  const known = new Set(readdirSync(runsDir()))
  const r: CliRun = restart(site)
  const at = KILL_AT[step]
  let runId: string
  if (at === 'run-file') {
    // The other site's restart runs alongside: only a new run of this site counts.
    const ofSite = (f: string): boolean => {
      try {
        return (JSON.parse(readFileSync(join(runsDir(), f), 'utf8')) as RestartRun).siteId === site
      } catch {
        return false
      }
    }
    const file = await waitFor(`a run file of ${site}`, () => readdirSync(runsDir()).find((f) => !known.has(f) && f.endsWith('.json') && ofSite(f)), 20_000, 5)
    r.kill('SIGKILL')
    runId = file.replace(/\.json$/, '')
  } else {
    let daemonPid = 0
    if (step === 'postcheck') {
      // The post-check is short: the daemon is frozen once the warm-up has what it needs from the
      // chain, so the post-check's first poll waits for it while MinerDesk is killed.
      await r.waitEvent((x) => x.type === 'observation' && x.step === 'startMiner' && x.code === 'warmup-started', 60_000)
      await new Promise((res) => setTimeout(res, 300))
      daemonPid = siteProcs(sim, site).daemon[0]!.pid
      await sim.sshOk(site, `kill -STOP ${daemonPid}`)
    }
    const e = await r.waitEvent(at, 60_000)
    r.kill('SIGKILL')
    runId = String(e.run)
    if (daemonPid) await sim.sshOk(site, `kill -CONT ${daemonPid}`)
  }
  await r.done
  return savedRun(runId)
}

async function killAndResume(site: string, step: RestartStepId): Promise<void> {
  const since = new Date().toISOString()
  const killed = await killDuring(site, step)
  // Shown where it was: the step it was in, not finished.
  expect(killed.current, `${site} ${step}`).toBe(step)
  // 'interrupted' when the other site's CLI (same home) already noticed that its owner died.
  expect(['running', 'ready', 'waiting', 'interrupted']).toContain(killed.phase)
  // The site's restart lock stays with the dead run (its heartbeat stops) until it resumes.
  expect((await sim.sshOk(site, 'cat ~/.minerdesk/restart.lock/token')).trim(), `${site} ${step}`).toBe(killed.id)

  // A second CLI sees it interrupted and does not start a new restart over it.
  const plain = restart(site)
  expect(await plain.done).toBe(3)
  expect(reportOf(plain).sites[0]!.message).toMatch(new RegExp(`has an unfinished restart \\(run ${killed.id}, interrupted at`))

  const resumed = restart(site, '--resume', '--wait-window')
  const code = await resumed.done
  expect(code, `${site} ${step}: ${resumed.lines.join('\n')}\n${resumed.stderr()}`).toBe(0)
  const run = reportOf(resumed).sites[0]!.run!
  expect(run.id).toBe(killed.id)
  expect(run.phase).toBe('done')
  // Taken again on resume, let go at the end.
  expect((await sim.ssh(site, 'test -e ~/.minerdesk/restart.lock')).code, `${site} ${step}`).toBe(1)
  expect(run.interruptions).toEqual([expect.objectContaining({ step, resumedAt: expect.any(Number) })])
  expect(run.steps.find((s) => s.id === step)!.observations.some((o) => o.code === 'resume')).toBe(step !== 'precheck')
  // One daemon and one miner, and every command of the run started exactly once.
  const procs = siteProcs(sim, site)
  expect(procs.daemon).toHaveLength(1)
  expect(procs.miner).toHaveLength(1)
  const t = testCore(home)
  const audit = await auditOf(t.core, site)
  await t.close()
  expect(startedCount(audit, since), `${site} ${step}`).toEqual({ 'wizard.stop-miner': 1, 'wizard.stop-daemon': 1, 'wizard.start-daemon': 1, 'wizard.start-miner': 1 })
  const md = (await (async () => {
    const tt = testCore(home)
    try {
      return await tt.call('restart:report', run.id, 'markdown')
    } finally {
      await tt.close()
    }
  })()).content
  expect(md).toMatch(/- MinerDesk stopped during ".*" \(last saved .*\); taken up again /)
}

describe('restart wizard: MinerDesk killed during each step, then resumed', () => {
  it('resumes after a kill in every step, never repeating a stop or a start', async () => {
    // Two sites side by side, three kills each. Both loops end before the test does (a failure in
    // one must not leave the other restarting a site under the next test).
    const settled = await Promise.allSettled([
      (async () => {
        for (const step of ['precheck', 'stopDaemon', 'startMiner'] as const) await killAndResume('site-1', step)
      })(),
      (async () => {
        for (const step of ['stopMiner', 'startDaemon', 'postcheck'] as const) await killAndResume('site-2', step)
      })()
    ])
    for (const s of settled) if (s.status === 'rejected') throw s.reason
  }, 400_000)

  it('puts a start that may have been sent to the operator, and does not send it again once it shows', async () => {
    // A slow start script: MinerDesk dies while it runs; the remote shell carries on without it.
    const t = testCore(home)
    const cmds = t.core.store.getSite('site-1')!.startCommands
    await t.close()
    setSite(home, 'site-1', { startCommands: { ...cmds, daemon: `sleep 6; ${cmds.daemon}` } })
    const since = new Date().toISOString()
    const r = restart('site-1')
    const e = await r.waitEvent((x) => x.type === 'command' && x.step === 'startDaemon' && x.status === 'sending', 60_000)
    await new Promise((res) => setTimeout(res, 500))
    r.kill('SIGKILL')
    await r.done
    expect((await savedRun(String(e.run))).steps.find((s) => s.id === 'startDaemon')!.commands[0]!.status).toBe('sending')

    // Right away: no daemon yet, and the audit log says the start was begun with no result.
    const first = restart('site-1', '--resume')
    expect(await first.done).toBe(3)
    const decision = first.events.find((x) => x.type === 'decision')!.decision as { kind: string; command: string; facts: string; audit: Array<{ result: string; command: string }> }
    expect(decision.kind).toBe('resend')
    expect(decision.facts).toBe('lotus daemon is not running')
    expect(decision.audit.map((a) => a.result)).toEqual(['started'])
    expect(decision.command).toContain('sleep 6;')
    expect(reportOf(first).sites[0]!.message).toMatch(/may have been sent before MinerDesk stopped .*started.*Send it again with --resend/)
    expect(siteProcs(sim, 'site-1').daemon).toHaveLength(0)

    // The script finishes by itself and the daemon comes up: taken up again, it is not started twice.
    await waitFor('the daemon started by the surviving script', () => siteProcs(sim, 'site-1').daemon.length === 1, 15_000)
    setSite(home, 'site-1', { startCommands: cmds })
    const second = restart('site-1', '--resume', '--wait-window')
    expect(await second.done, second.lines.join('\n')).toBe(0)
    const run = reportOf(second).sites[0]!.run!
    expect(run.steps.find((s) => s.id === 'startDaemon')!.observations.find((o) => o.code === 'effect-seen')!.text).toBe('lotus daemon is running: the command had its effect; not sending it again')
    const tt = testCore(home)
    expect(startedCount(await auditOf(tt.core, 'site-1'), since)['wizard.start-daemon']).toBe(1)
    await tt.close()
    expect(siteProcs(sim, 'site-1').daemon).toHaveLength(1)
  }, 120_000)

  it('sends a lost start again only when told to (--resend)', async () => {
    // A start script that dies without starting anything: the command was sent, its effect never shows.
    const t = testCore(home)
    const cmds = t.core.store.getSite('site-2')!.startCommands
    await t.close()
    setSite(home, 'site-2', { startCommands: { ...cmds, miner: 'sleep 4; exit 0' } })
    const since = new Date().toISOString()
    const r = restart('site-2')
    await r.waitEvent((x) => x.type === 'command' && x.step === 'startMiner' && x.status === 'sending', 60_000)
    await new Promise((res) => setTimeout(res, 500))
    r.kill('SIGKILL')
    await r.done
    await new Promise((res) => setTimeout(res, 4500))
    setSite(home, 'site-2', { startCommands: cmds })
    const asked = restart('site-2', '--resume')
    expect(await asked.done).toBe(3)
    expect(siteProcs(sim, 'site-2').miner).toHaveLength(0)
    const resent = restart('site-2', '--resume', '--resend', '--wait-window')
    expect(await resent.done, resent.lines.join('\n')).toBe(0)
    const run = reportOf(resent).sites[0]!.run!
    expect(run.steps.find((s) => s.id === 'startMiner')!.commands.map((c) => c.status)).toEqual(['uncertain', 'ok'])
    const tt = testCore(home)
    expect(startedCount(await auditOf(tt.core, 'site-2'), since)['wizard.start-miner']).toBe(2)
    await tt.close()
    expect(siteProcs(sim, 'site-2').miner).toHaveLength(1)
  }, 120_000)
})
