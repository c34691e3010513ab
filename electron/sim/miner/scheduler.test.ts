import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { GoLogger } from '../common/golog'
import type { WorkerInfo } from '../../../preload/contract/lotus/types'
import { resourceTable } from '../worker/resources'
import { CallTracker } from './calls'
import { Scheduler, ZERO_UUID } from './scheduler'
import { WorkerHandle, WorkerRegistry } from './workers'

const quiet: GoLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function info(host: string, memGiB: number, cpus: number, gpus: string[] = []): WorkerInfo {
  return {
    Hostname: host,
    IgnoreResources: false,
    Resources: { MemPhysical: memGiB * 2 ** 30, MemUsed: 2 ** 30, MemSwap: 0, MemSwapUsed: 0, CPUs: cpus, GPUs: gpus, Resources: resourceTable({}) }
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mdsim-sched-'))
  dirs.push(dir)
  const calls = new CallTracker(join(dir, 'calls.json'))
  const reg = new WorkerRegistry(quiet, { onEnabledChange: () => {}, onRemoved: () => {} })
  const sched = new Scheduler(1000, reg, calls, quiet)
  const started: { id: string; method: string; sector: number }[] = []
  let n = 0
  const worker = (id: string, host: string, tasks: string[], memGiB = 256, cpus = 64) => {
    const w = new WorkerHandle(
      id,
      info(host, memGiB, cpus),
      new Set(tasks),
      [{ ID: `${id}-path`, Weight: 10, LocalPath: `/p/${host}`, CanSeal: true, CanStore: false }],
      { call: async () => ({}) },
      `http://127.0.0.1:${3000 + reg.workers.size}/rpc/v0`
    )
    reg.add(w)
    return w
  }
  const request = (sector: number, task: string) =>
    sched.run({
      sector,
      task,
      sealProof: 8,
      workKey: `${task}:${sector}`,
      select: () => 0,
      prepare: async () => {},
      call: async (w) => {
        const id = `0000000${++n}-0000-4000-8000-000000000000`
        sched.trackCall(id, { sector, task, workKey: `${task}:${sector}` }, w.hostname)
        started.push({ id, method: task, sector })
        return id
      }
    })
  return { sched, calls, reg, worker, request, started, dir }
}

const flush = () => new Promise((r) => setTimeout(r, 20))

describe('scheduler and WorkerJobs (storage/sealer)', () => {
  it('runs what fits, queues the rest in the worker\'s windows as assigned(N) with zero call IDs', async () => {
    const s = setup()
    // 192 GiB, no swap: a 32 GiB PC1 may use up to 64 GiB, so two fit now and two more in the next window.
    const w = s.worker('aaaaaaaa-0000-4000-8000-000000000001', 'pc1box', ['seal/v0/precommit/1'], 192, 64)
    for (let i = 0; i < 6; i++) void s.request(10 + i, 'seal/v0/precommit/1')
    await flush()
    const jobs = s.sched.workerJobs()[w.id] ?? []
    const rw = jobs.map((j) => j.RunWait).sort()
    expect(rw.filter((x) => x === 0)).toHaveLength(2)
    expect(rw.filter((x) => x === 2)).toHaveLength(0)
    expect(rw.filter((x) => x === 3)).toHaveLength(2)
    for (const j of jobs.filter((j) => j.RunWait > 0)) expect(j.ID).toEqual({ Sector: { Miner: 0, Number: 0 }, ID: ZERO_UUID })
    for (const j of jobs.filter((j) => j.RunWait === 0)) expect(j.ID.Sector.Number).toBe(j.Sector.Number)
    expect(jobs.every((j) => j.Hostname === undefined)).toBe(true)
    // Two requests do not fit in the two windows: they wait in the global queue, not shown.
    expect(jobs).toHaveLength(4)
    const st = s.sched.workerStats()[w.id]
    expect(st?.TaskCounts).toEqual({ '8:seal/v0/precommit/1': 2 })
    expect(st?.MemUsedMin).toBe(2 * 56 * 2 ** 30)
    expect(st?.CpuUse).toBe(2)
  })

  it('only gives tasks to workers that have the task type', async () => {
    const s = setup()
    s.worker('aaaaaaaa-0000-4000-8000-000000000001', 'pc1box', ['seal/v0/precommit/1'])
    const c2 = s.worker('bbbbbbbb-0000-4000-8000-000000000002', 'c2box', ['seal/v0/commit/2'])
    void s.request(5, 'seal/v0/commit/2')
    void s.request(6, 'seal/v0/precommit/2')
    await flush()
    expect(s.started.map((x) => [x.method, x.sector])).toEqual([['seal/v0/commit/2', 5]])
    expect(Object.keys(s.sched.workerJobs())).toEqual([c2.id])
  })

  it('a result comes back through the call tracker; abort returns "task aborted"', async () => {
    const s = setup()
    s.worker('aaaaaaaa-0000-4000-8000-000000000001', 'pc1box', ['seal/v0/precommit/1', 'seal/v0/precommit/2'])
    const a = s.request(1, 'seal/v0/precommit/1')
    const b = s.request(2, 'seal/v0/precommit/2')
    await flush()
    // PC2 has priority over PC1 (sealtasks order), so it started first.
    expect(s.started.map((x) => x.method)).toEqual(['seal/v0/precommit/2', 'seal/v0/precommit/1'])
    const cb = s.started[0]
    const ca = s.started[1]
    s.sched.returnResult(ca?.id as string, 'pc1-out', null)
    await expect(a).resolves.toBe('pc1-out')
    s.sched.abort(cb?.id as string)
    await expect(b).rejects.toThrow('storage call error 0: task aborted')
    expect(s.sched.workerJobs()).toEqual({})
  })

  it('refuses new tasks of a sector a pending SectorRemove waits on, and only those', async () => {
    const s = setup()
    s.worker('aaaaaaaa-0000-4000-8000-000000000001', 'pc1box', ['seal/v0/precommit/1'])
    s.sched.refuseTasksOf((n) => n === 7)
    await expect(s.request(7, 'seal/v0/precommit/1')).rejects.toThrow('storage call error 0: task aborted')
    void s.request(8, 'seal/v0/precommit/1')
    await flush()
    expect(s.started.map((x) => x.sector)).toEqual([8])
  })

  it('calls tracked before a restart show as ret-wait under the zero worker UUID, and are awaited again', async () => {
    const s = setup()
    s.worker('aaaaaaaa-0000-4000-8000-000000000001', 'pc1box', ['seal/v0/precommit/1'])
    void s.request(1, 'seal/v0/precommit/1')
    await flush()
    s.calls.flush()
    // A new miner process: same call file, no workers yet.
    const calls = new CallTracker(join(s.dir, 'calls.json'))
    const reg = new WorkerRegistry(quiet, { onEnabledChange: () => {}, onRemoved: () => {} })
    const sched = new Scheduler(1000, reg, calls, quiet)
    const jobs = sched.workerJobs()
    expect(Object.keys(jobs)).toEqual([ZERO_UUID])
    expect(jobs[ZERO_UUID]?.[0]).toMatchObject({ RunWait: -1, Hostname: 'pc1box', Task: 'seal/v0/precommit/1', ID: { ID: s.started[0]?.id } })
    const again = sched.run({ sector: 1, task: 'seal/v0/precommit/1', sealProof: 8, workKey: 'seal/v0/precommit/1:1', select: () => 0, prepare: async () => {}, call: async () => 'x' })
    sched.returnResult(s.started[0]?.id as string, 'late result', null)
    await expect(again).resolves.toBe('late result')
  })

  it('a result nobody waits for is kept as ret-done', async () => {
    const s = setup()
    s.sched.trackCall('cccccccc-0000-4000-8000-000000000003', { sector: 4, task: 'seal/v0/commit/2', workKey: 'k' }, 'c2box')
    s.sched.returnResult('cccccccc-0000-4000-8000-000000000003', 'proof', null)
    expect(s.sched.workerJobs()[ZERO_UUID]?.[0]?.RunWait).toBe(-3)
  })

  it('SealingRemoveRequest removes queued requests only, with Lotus\'s errors', async () => {
    const s = setup()
    expect(() => s.sched.removeRequest('x')).toThrow('No requests in the scheduler')
    const p = s.request(1, 'seal/v0/precommit/1')
    await flush()
    const id = (s.sched.diag().SchedInfo.Requests[0] as { SchedId: string }).SchedId
    expect(() => s.sched.removeRequest('nope')).toThrow('No request with provided details found')
    s.sched.removeRequest(id)
    await expect(p).rejects.toThrow('scheduling request removed')
  })
})
