import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { RESTART_STEPS, type RestartRun } from '../../../preload/contract/restart'
import type { ServiceContext } from '../runtime/context'
import { RestartEngine } from './engine'

/** What a MinerDesk that died leaves behind, and how the next one reads it. */
describe('interrupted runs', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  // A pid that certainly belonged to a process that has ended.
  const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim())

  function run(patch: Partial<RestartRun>, owner: RestartRun['owner']): RestartRun {
    return {
      id: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`,
      siteId: 'site-1',
      alias: 'site-1',
      via: 'cli',
      operator: 'op',
      createdAt: 1000,
      updatedAt: 2000,
      phase: 'running',
      mode: 'auto',
      current: 'stopMiner',
      steps: RESTART_STEPS.map((id) => ({ id, status: 'pending', commands: [], observations: [], excerpts: [] })),
      precheck: null,
      options: {},
      repos: null,
      before: null,
      decision: null,
      interruptions: [],
      owner,
      ...patch
    }
  }

  function engine(): RestartEngine {
    const home = mkdtempSync(join(tmpdir(), 'md-wz-int-'))
    dirs.push(home)
    return new RestartEngine({ home } as ServiceContext)
  }

  it('marks a run whose process died while it drove it as interrupted, a command being sent as uncertain', () => {
    const e = engine()
    const r = run({}, { pid: deadPid(), hostname: hostname(), via: 'cli' })
    r.steps[1]!.status = 'running'
    r.steps[1]!.commands.push({ previewId: 'p', kind: 'command', host: 'site-1', text: 'lotus-miner stop', status: 'sending', at: 1500 })
    e.store.saveRun(r)
    expect(e.detectInterrupted().map((x) => x.id)).toEqual([r.id])
    const saved = e.store.readRun(r.id)!
    expect(saved).toMatchObject({ phase: 'interrupted', owner: null, decision: null, interruptions: [{ at: 2000, step: 'stopMiner' }] })
    expect(saved.steps[1]!.commands[0]!.status).toBe('uncertain')
    // Seen once: the next look does not count it again.
    expect(e.detectInterrupted()).toEqual([])
  })

  it('releases a run left waiting; a confirmation whose preview died with its process is dropped, other questions stay', () => {
    const e = engine()
    const dead = { pid: deadPid(), hostname: hostname(), via: 'web' as const }
    const confirm = run({ phase: 'waiting', decision: { kind: 'confirm', step: 'stopMiner', preview: { id: 'x', site: 'site-1', action: 'wizard.stop-miner', params: {}, steps: [], warnings: [], confirm: { kind: 'click' }, expiresAt: 0 } } }, dead)
    const verdict = run({ phase: 'waiting', current: 'precheck', decision: { kind: 'verdict', verdict: { kind: 'wait', reasons: [], restartSec: 1, restartSource: 'default', restartEpochs: 3, text: 'wait' } } }, dead)
    e.store.saveRun(confirm)
    e.store.saveRun(verdict)
    expect(e.detectInterrupted()).toEqual([])
    expect(e.store.readRun(confirm.id)).toMatchObject({ phase: 'ready', decision: null, owner: null, interruptions: [] })
    expect(e.store.readRun(verdict.id)).toMatchObject({ phase: 'waiting', decision: { kind: 'verdict' }, owner: null })
  })

  it('leaves alone runs a live MinerDesk drives, and finished ones', () => {
    const e = engine()
    const live = run({}, { pid: process.pid === 1 ? 2 : 1, hostname: hostname(), via: 'web' })
    const done = run({ phase: 'done' }, { pid: deadPid(), hostname: hostname(), via: 'cli' })
    e.store.saveRun(live)
    e.store.saveRun(done)
    expect(e.detectInterrupted()).toEqual([])
    expect(e.store.readRun(live.id)!.phase).toBe('running')
    expect(e.list(null).find((s) => s.id === live.id)!.elsewhere).toBe(true)
  })
})
