import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncProgress, RestartRun } from '../../preload/contract/restart'
import { auditOf, cleanupHome, homeWithSites, siteProcs, testCore, waitFor, type TestCore } from '../support/restartHarness'
import { epochsMs, startSimSites, type SimSites } from '../support/simSites'

/** The simulator's speed factor: an epoch is 500 ms. */
const SPEED = 60

/**
 * The gates against simulated sites behind real sshd, through the contract as the window calls
 * it: a winning PoSt warm-up that fails, a daemon that syncs slowly (live progress), a miner that
 * will not stop (the kill path, confirmed), a miner started with the wrong environment, and an
 * abort that leaves the site in a known state.
 */

let sim: SimSites
let home: string
let t: TestCore

beforeAll(async () => {
  sim = await startSimSites({ sites: 3, sectors: 30, speed: SPEED, workers: { pc1: 0, pc2: 0, c2: 1 }, scenarios: { 'site-1': ['warmup-fail'], 'site-2': ['slow-sync'] } })
  home = homeWithSites(sim)
  t = testCore(home)
}, 120_000)

afterAll(async () => {
  await t?.close()
  await sim?.down()
  if (home) cleanupHome(home)
})

const step = (run: RestartRun, id: string) => run.steps.find((s) => s.id === id)!

/** Starts a run and gets it past the pre-check (these tests are about the gates; the verdict has its own tests). */
async function started(site: string, options = {}): Promise<RestartRun> {
  let run = await t.call('restart:start', site, options)
  if (run.decision?.kind === 'verdict') run = await t.call('restart:override', run.id, 'test site, no proof at stake')
  return run
}

/** Confirms everything from here as one sequence (the "run all" button) and waits until the wizard stops. */
async function runAll(run: RestartRun): Promise<RestartRun> {
  const preview = await t.call('restart:previewAll', run.id)
  const out = await t.call('ops:execute', preview.id, null)
  expect(out.ok).toBe(true)
  return t.call('restart:wait', run.id)
}

/** Step by step: previews the next command, confirms it, waits for its gate. */
async function oneStep(run: RestartRun): Promise<RestartRun> {
  let r = await t.call('restart:next', run.id)
  if (r.decision?.kind === 'confirm') {
    await t.call('ops:execute', r.decision.preview.id, null)
    r = await t.call('restart:wait', run.id)
  }
  return r
}

describe('restart wizard gates', () => {
  it('fails the miner step when the winning PoSt warm-up fails, showing the lines around it', async () => {
    const run = await runAll(await started('site-1'))
    expect(run.phase).toBe('failed')
    expect(run.result).toMatchObject({ ok: false, failedStep: 'startMiner' })
    const s = step(run, 'startMiner')
    expect(s.error).toMatchObject({ code: 'conflict', message: 'winning PoSt warmup failed', params: { gate: 'warmup-failed' } })
    expect(s.error!.params!.error).toMatch(/failed to compute proof/)
    const excerpt = s.excerpts.map((e) => e.lines.join('\n')).join('\n')
    expect(excerpt).toMatch(/starting winning PoSt warmup/)
    expect(excerpt).toMatch(/\tERROR\tminer\tminer\/warmup\.go:\d+\twinning PoSt warmup failed/)
    expect(s.observations.map((o) => o.code)).toContain('warmup-failed')
    // The steps before it passed; the daemon is up and synced, the miner runs (without a good warm-up).
    expect(['stopMiner', 'stopDaemon', 'startDaemon'].map((id) => step(run, id).status)).toEqual(['ok', 'ok', 'ok'])
    expect(run.result!.site!.miner.running).toBe(true)
    const md = await t.call('restart:report', run.id, 'markdown')
    expect(md.content).toContain('failed at "Start the miner and confirm the warm-up": winning PoSt warmup failed')
  }, 90_000)

  it('shows live sync progress while the daemon catches up slowly', async () => {
    let run = await started('site-2')
    run = await oneStep(run)
    expect(run.current).toBe('stopDaemon')
    run = await oneStep(run)
    expect(run.current).toBe('startDaemon')
    // The daemon stays down for a while: 24 epochs to catch up at the slow-sync pace.
    await new Promise((r) => setTimeout(r, epochsMs(24, SPEED)))
    const seen: SyncProgress[] = []
    const off = t.core.events.on('restart:update', (r) => {
      const p = r.id === run.id ? step(r, 'startDaemon').sync : undefined
      if (p && seen[seen.length - 1]?.at !== p.at) seen.push({ ...p })
    })
    run = await oneStep(run)
    off()
    expect(step(run, 'startDaemon').status).toBe('ok')
    expect(seen.length).toBeGreaterThan(4)
    const first = seen[0]!
    const last = seen[seen.length - 1]!
    expect(first.behindEpochs).toBeGreaterThan(15)
    expect(last.behindEpochs).toBeLessThanOrEqual(2)
    expect(last.height).toBeGreaterThan(first.height)
    expect(seen.some((p) => p.ratePerSec !== null && p.ratePerSec > 0 && p.etaSec !== null && p.etaSec > 0)).toBe(true)
    expect(seen.some((p) => p.targetHeight !== null && p.stage !== null)).toBe(true)
    const obs = step(run, 'startDaemon').observations
    expect(obs.filter((o) => o.code === 'sync-progress').length).toBeGreaterThan(0)
    expect(obs.find((o) => o.code === 'synced')!.text).toMatch(/^chain synced: head \d+, [0-2] epoch\(s\) behind/)
    run = await runAll(run)
    expect(run.phase).toBe('done')
  }, 120_000)

  it('offers to wait longer or end a miner that will not stop, and ends it only when confirmed (TERM, then KILL)', async () => {
    let run = await started('site-3', { stopTimeoutSec: 3, termWaitSec: 2 })
    // The miner hangs (frozen): Shutdown never completes.
    const pid = siteProcs(sim, 'site-3').miner[0]!.pid
    await sim.sshOk('site-3', `kill -STOP ${pid}`)
    run = await oneStep(run)
    expect(run.decision).toMatchObject({ kind: 'stop-timeout', step: 'stopMiner', role: 'miner', pids: [pid] })
    expect(run.phase).toBe('waiting')
    // `lotus-miner stop` could not reach the frozen miner.
    expect(step(run, 'stopMiner').commands[0]).toMatchObject({ text: 'lotus-miner stop', status: 'error' })

    run = await t.call('restart:decide', run.id, { kind: 'wait-longer', seconds: 2 })
    run = await t.call('restart:wait', run.id)
    expect(run.decision?.kind).toBe('stop-timeout')
    expect(siteProcs(sim, 'site-3').miner.map((p) => p.pid)).toEqual([pid])

    run = await t.call('restart:decide', run.id, { kind: 'kill' })
    if (run.decision?.kind !== 'confirm') throw new Error(`expected a kill preview, got ${JSON.stringify(run.decision)}`)
    const preview = run.decision.preview
    expect(preview.steps).toEqual([
      { kind: 'signal', host: 'site-3', text: `kill -TERM ${pid}` },
      { kind: 'signal', host: 'site-3', text: `kill -KILL ${pid}` }
    ])
    expect(preview.confirm).toEqual({ kind: 'type', expected: String(pid) })
    await expect(t.call('ops:execute', preview.id, '1')).rejects.toMatchObject({ code: 'mutation/not-confirmed' })
    expect(siteProcs(sim, 'site-3').miner.map((p) => p.pid)).toEqual([pid])
    await t.call('ops:execute', preview.id, String(pid))
    run = await t.call('restart:wait', run.id)
    expect(step(run, 'stopMiner').status).toBe('ok')
    expect(run.current).toBe('stopDaemon')
    expect(siteProcs(sim, 'site-3').miner).toEqual([])
    // A stopped process ignores TERM: KILL ended it.
    expect(step(run, 'stopMiner').commands.map((c) => [c.text, c.status])).toEqual([
      ['lotus-miner stop', 'error'],
      [`kill -TERM ${pid}`, 'ok'],
      [`kill -KILL ${pid}`, 'ok']
    ])
    const audit = await auditOf(t.core, 'site-3')
    expect(audit.filter((e) => e.action === 'wizard.stop-miner.kill').map((e) => `${e.command} ${e.result}`)).toEqual([
      `site-3: kill -TERM ${pid} started`,
      `site-3: kill -TERM ${pid} ok`,
      `site-3: kill -KILL ${pid} started`,
      `site-3: kill -KILL ${pid} ok`
    ])

    // Go on, with a runminer.sh someone edited: the miner comes up with the wrong environment.
    t.core.store.updateSite('site-3', {
      startCommands: { ...t.core.store.getSite('site-3')!.startCommands, miner: './runminer.sh' },
      expectedEnv: { RUST_LOG: 'info', FIL_PROOFS_PARAMETER_CACHE: '/var/tmp/filecoin-proof-parameters', TMPDIR: '*', LOTUS_MINER_PATH: `${sim.site('site-3').config.home}/.lotusminer` }
    })
    await sim.sshOk('site-3', "sed -i 's/^export RUST_LOG=info$/export RUST_LOG=debug/' runminer.sh && grep -c 'RUST_LOG=debug' runminer.sh")
    run = await runAll(run)
    expect(run.phase).toBe('failed')
    expect(run.result!.failedStep).toBe('startMiner')
    const s = step(run, 'startMiner')
    expect(s.error).toMatchObject({ params: { gate: 'env', problems: 'RUST_LOG=debug (expected info)' } })
    expect(s.error!.details).toContain('BAD RUST_LOG=debug  expected info')
    expect(s.observations.find((o) => o.code === 'env-bad')!.tone).toBe('critical')

    // Fixed: the next restart stops the wrongly started miner and starts it right.
    await sim.sshOk('site-3', "sed -i 's/^export RUST_LOG=debug$/export RUST_LOG=info/' runminer.sh")
    const next = await runAll(await started('site-3'))
    expect(next.phase).toBe('done')
    expect(step(next, 'startMiner').observations.find((o) => o.code === 'env-ok')!.text).toBe('environment as expected (4 variable(s))')
  }, 150_000)

  it('abort leaves the site in a known state and the report says what ran', async () => {
    let run = await started('site-1')
    run = await oneStep(run)
    expect(step(run, 'stopMiner').status).toBe('ok')
    run = await t.call('restart:next', run.id)
    expect(run.decision?.kind).toBe('confirm')
    run = await t.call('restart:abort', run.id)
    expect(run.phase).toBe('aborted')
    expect(run.result).toMatchObject({ ok: false, aborted: true, failedStep: 'stopDaemon' })
    expect(run.result!.site).toMatchObject({ daemon: { running: true, apiUp: true }, miner: { running: false, apiUp: false } })
    expect(run.result!.site!.text).toMatch(/^daemon running \(pid \d+\); miner stopped$/)
    // The daemon stop was shown but never confirmed: it did not run and its preview is gone.
    const audit = await auditOf(t.core, 'site-1')
    expect(audit.filter((e) => e.action === 'wizard.stop-daemon' && e.time >= new Date(run.createdAt).toISOString())).toEqual([])
    const md = (await t.call('restart:report', run.id, 'markdown')).content
    expect(md).toContain('- Result: **aborted at "Stop the daemon"**')
    expect(md).toContain('- Ran (command): `site-1: lotus-miner stop` — ok')
    expect(md).toContain('- The site at the end: daemon running')
    await waitFor('no run of site-1 unfinished', async () => (await t.call('restart:list', 'site-1')).every((r) => r.phase !== 'running' && r.phase !== 'waiting'))
  }, 60_000)
})
