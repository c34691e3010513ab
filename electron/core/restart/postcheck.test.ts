import { describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../../preload/contract'
import type { Observation, RestartRun, RestartStepState } from '../../../preload/contract/restart'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { GateFailure, postcheckGate, type GateCtx } from './gates'

/**
 * The post-check's worker comparison: against the workers registered before this attempt, and,
 * when the run tries again after a restart that did not succeed, before the first attempt too.
 */

function snapshot(workers: string[], jobs: Array<{ hostname: string; state: string }> = []): SiteSnapshot {
  return {
    miner: { up: true },
    daemon: { up: true },
    workers: { list: workers.map((h, i) => ({ id: `w${i}`, hostname: h, missing: false })) },
    jobs: { list: jobs },
    proving: null,
    messages: { list: [] }
  } as unknown as SiteSnapshot
}

function ctx(run: Partial<RestartRun>, snap: SiteSnapshot, timeoutSec = 0): { g: GateCtx; observations: Observation[] } {
  const observations: Observation[] = []
  const step = { id: 'postcheck', status: 'running', commands: [], observations, excerpts: [] } as RestartStepState
  const g: GateCtx = {
    run: { before: null, ...run } as RestartRun,
    step,
    handle: { poller: { refresh: async () => snap } } as unknown as SiteHandle,
    signal: new AbortController().signal,
    opts: { stopTimeoutSec: 1, termWaitSec: 1, syncTimeoutSec: 1, warmupTimeoutSec: 1, postcheckTimeoutSec: timeoutSec },
    pollMs: 10,
    observe: (code, params, tone, text) => observations.push({ at: Date.now(), code, params, tone, text }),
    changed: () => undefined
  }
  return { g, observations }
}

const before = (workers: string[]) => ({ daemonVersion: null, minerVersion: null, minerSession: null, workers })

describe('restart post-check: workers back', () => {
  it('passes when the workers seen before this attempt are back', async () => {
    const { g, observations } = ctx({ before: before(['pc1', 'c2']) }, snapshot(['c2', 'pc1']))
    await postcheckGate(g)
    expect(observations.find((o) => o.code === 'workers-back')?.params).toEqual({ n: 2, before: 2 })
  })

  it('names a worker lost by an earlier attempt of the same restart, which this attempt never saw', async () => {
    // The failed attempt lost pc2: this run's own "before" no longer has it.
    const run = { before: before(['c2', 'pc1']), knownWorkers: { workers: ['c2', 'pc1', 'pc2'], firstRun: '1234567890abcdef', at: Date.now() - 60_000 } }
    const { g, observations } = ctx(run, snapshot(['c2', 'pc1']))
    const err = await postcheckGate(g).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GateFailure)
    expect((err as GateFailure).message).toBe('worker(s) did not register again: pc2')
    const earlier = observations.find((o) => o.code === 'workers-lost-earlier')
    expect(earlier).toMatchObject({ tone: 'warning', params: { hosts: 'pc2', run: '12345678' } })
    expect(earlier?.text).toContain('registered before the first attempt of this restart')
  })

  it('a worker still finishing a task is not missing', async () => {
    const run = { before: before(['pc1']), knownWorkers: { workers: ['pc1', 'pc2'], firstRun: 'r', at: 0 } }
    const { g, observations } = ctx(run, snapshot(['pc1'], [{ hostname: 'pc2', state: 'ret-wait' }]))
    await postcheckGate(g)
    expect(observations.find((o) => o.code === 'workers-busy')?.params).toEqual({ hosts: 'pc2' })
  })
})
