import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Precheck, RestartRun } from '../../preload/contract/restart'
import { auditOf, cleanupHome, cliBundle, homeWithSites, reportOf, runCli, siteProcs, startedCount, testCore } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * The pre-check's safety verdict on the sim clock: a site with sectors in every one of the 48
 * deadlines (48 partitions) is refused while a WindowPoSt proof is due — its current deadline not
 * yet proven, or the next one challenged within the expected restart time — and allowed once the
 * window opens: after the proof lands, with the restart fitting before the next challenge.
 */

const PARTITION = 2349
let sim: SimSites
let home: string
let cli: string

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 1, sectors: 48 * PARTITION, speed: 60, workers: { pc1: 0, pc2: 0, c2: 1 }, timeoutMs: 180_000 }), cliBundle()])
  // A restart of this site is expected to take 5 s: 10 epochs of 0.5 s (+ 2 epochs of margin).
  home = homeWithSites(sim, { 'site-1': { restart: { expectedSec: 5 } } })
}, 240_000)

afterAll(async () => {
  await sim?.down()
  if (home) cleanupHome(home)
})

async function plan(): Promise<Precheck> {
  const r = runCli(cli, home, ['restart', 'site-1', '--plan', '--json'])
  await r.done
  const e = r.events.find((x) => x.type === 'precheck')
  if (!e) throw new Error(`no plan:\n${r.lines.join('\n')}\n${r.stderr()}`)
  return e.precheck as Precheck
}

describe('restart wizard: WindowPoSt deadlines on the sim clock', () => {
  it('refuses while a proof is due, and restarts once the window opens', async () => {
    // Wait for a moment well inside a "not safe" stretch (each deadline: 30 s, about 10 s of it safe).
    let p = await plan()
    expect(p.proving!.deadlines.filter((d) => d.partitions > 0)).toHaveLength(48)
    expect(p.verdict).toMatchObject({ restartSec: 5, restartSource: 'site', restartEpochs: 12 })
    for (let i = 0; i < 40 && !(p.verdict.kind === 'wait' && (p.verdict.waitUntil ?? 0) - Date.now() > 6000); i++) {
      await new Promise((r) => setTimeout(r, 1000))
      p = await plan()
    }
    expect(p.verdict.kind).toBe('wait')
    const reason = p.verdict.reasons[0]!
    expect(['deadline-open', 'deadline-challenge']).toContain(reason.code)

    const since = new Date().toISOString()
    const before = siteProcs(sim, 'site-1')
    const refused = runCli(cli, home, ['restart', 'site-1', '--yes', '--json'])
    expect(await refused.done).toBe(3)
    const out = reportOf(refused).sites[0]!
    expect(out.message).toMatch(/^not restarted: wait until after deadline \d+ is proven, about \S+, at the latest \S+ \(next safe window\): deadline \d+ /)
    expect(out.run!.phase).toBe('aborted')
    expect(out.run!.precheck!.verdict.kind).toBe('wait')
    // Nothing was stopped, and the refusal is in the audit log.
    expect(siteProcs(sim, 'site-1').miner.map((p) => p.pid)).toEqual(before.miner.map((p) => p.pid))
    const t = testCore(home)
    let audit = await auditOf(t.core, 'site-1')
    expect(startedCount(audit, since)).toEqual({})
    expect(audit.find((e) => e.time >= since && e.result === 'refused')).toMatchObject({ action: 'wizard.precheck', command: 'site-1: restart refused by the pre-check', detail: expect.stringMatching(/^wait until after deadline/) })

    // Allowed after the window passes: --wait-window waits for the proof, re-checks, then restarts.
    const allowed = runCli(cli, home, ['restart', 'site-1', '--yes', '--json', '--wait-window'])
    expect(await allowed.done, allowed.lines.join('\n')).toBe(0)
    const run = reportOf(allowed).sites[0]!.run as RestartRun
    const pre = run.steps.find((s) => s.id === 'precheck')!
    expect(pre.observations.map((o) => o.code)).toEqual(expect.arrayContaining(['verdict', 'window-wait']))
    expect(pre.observations[0]!.params.kind).toBe('wait')
    expect(pre.observations.at(-1)).toMatchObject({ code: 'verdict', params: { kind: 'safe' } })
    // It went on only when it was safe: the current deadline proven, the next challenge far enough.
    const final = run.precheck!
    expect(final.verdict.kind).toBe('safe')
    const current = final.proving!.deadlines.find((d) => d.current)!
    expect(current.proven).toBeGreaterThanOrEqual(current.partitions)
    expect(final.proving!.deadlines.find((d) => d.index === (current.index + 1) % 48)!.challengeEpoch - final.proving!.currentEpoch).toBeGreaterThanOrEqual(12)
    expect(run.steps.find((s) => s.id === 'stopMiner')!.startedAt!).toBeGreaterThanOrEqual(final.at)
    expect(run.phase).toBe('done')
    audit = await auditOf(t.core, 'site-1')
    expect(startedCount(audit, since)).toEqual({ 'wizard.stop-miner': 1, 'wizard.stop-daemon': 1, 'wizard.start-daemon': 1, 'wizard.start-miner': 1 })
    await t.close()
  }, 240_000)
})
