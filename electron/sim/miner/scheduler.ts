import { randomUUID } from 'node:crypto'
import type { GoLogger } from '../common/golog'
import type { TaskResources, WorkerJob, WorkerStats } from '../../../preload/contract/lotus/types'
import { TASK_PRIORITY, taskShort } from '../../../preload/contract/lotus/tasks'
import { RpcCallError } from '../common/rpcClient'
import { CallError, ERR_UNKNOWN, type CallTracker } from './calls'
import { goJsonTime } from './gofmt'
import { ActiveResources, type WorkerHandle, type WorkerRegistry } from './workers'

/**
 * The sealing scheduler (storage/sealer/sched*.go), simplified but with Lotus's observable
 * behaviour: requests wait in a global queue; a worker that has the task type and room in one of
 * its two scheduling windows takes them (`assigned(N)`); when its resources allow, a task is
 * prepared (inputs fetched: `prepared`), then started on the worker (`running`, with the worker's
 * call ID), and its result comes back through the worker's Return* call.
 */

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000'
const SCHED_WINDOWS = 2

export interface TaskRequest {
  schedId: string
  sector: number
  sealProof: number
  task: string
  /** ms */
  start: number
  /** null: this worker cannot run it; otherwise a preference (higher is better). */
  select: (w: WorkerHandle) => number | null
  /** Fetches inputs to the worker (runs while the job shows `prepared`). */
  prepare: (w: WorkerHandle) => Promise<void>
  /** Starts the call on the worker and returns its call ID. */
  call: (w: WorkerHandle) => Promise<string>
  workKey: string
  resolve: (v: unknown) => void
  reject: (e: Error) => void
  worker?: WorkerHandle
  preparing?: { since: number }
  callId?: string
  res?: TaskResources
}

function sealKey(sealProof: number, task: string): string {
  return `${sealProof}:${task}`
}

export class Scheduler {
  private queue: TaskRequest[] = []
  /** Per worker: requests assigned to its windows, in order. */
  private assigned = new Map<string, TaskRequest[]>()
  /** Requests preparing or running, by worker. */
  private active = new Map<string, TaskRequest[]>()
  /** Call ID → the live request (the workTracker's running set). */
  private running = new Map<string, TaskRequest>()
  private ticking = false
  /** Results that arrived before their call was tracked (a very fast task). */
  private early = new Map<string, { result: unknown; err: { Code: number; Message: string } | null }>()

  constructor(
    private minerId: number,
    private workers: WorkerRegistry,
    readonly calls: CallTracker,
    private log: GoLogger
  ) {}

  /**
   * Runs a task: waits for an identical call already tracked (after a restart), else schedules
   * a new request. Resolves with the worker's result.
   */
  run(r: Omit<TaskRequest, 'schedId' | 'start' | 'resolve' | 'reject'>): Promise<unknown> {
    if (this.refuse(r.sector)) return Promise.reject(new CallError(ERR_UNKNOWN, 'task aborted'))
    const existing = this.calls.byWork(r.workKey)
    if (existing) return this.calls.wait(existing.id)
    return new Promise((resolve, reject) => {
      this.queue.push({ ...r, schedId: randomUUID(), start: Date.now(), resolve, reject })
      this.tick()
    })
  }

  /** Sectors whose tasks are aborted as soon as they are asked for or started (a SectorRemove waits for their handler). */
  private refuse: (sector: number) => boolean = () => false

  refuseTasksOf(pred: (sector: number) => boolean): void {
    this.refuse = pred
  }

  /** Re-runs scheduling soon (new request, worker change, finished task). */
  tick(): void {
    if (this.ticking) return
    this.ticking = true
    queueMicrotask(() => {
      this.ticking = false
      this.schedule()
    })
  }

  private priority(a: TaskRequest, b: TaskRequest): number {
    const pa = TASK_PRIORITY[taskShort(a.task)] ?? 100
    const pb = TASK_PRIORITY[taskShort(b.task)] ?? 100
    if (pa !== pb) return pa - pb
    if (a.sector !== b.sector) return a.sector - b.sector
    return a.start - b.start
  }

  /** Which window (0, 1) a request would land in on a worker, given what is already assigned. */
  private windowsOf(w: WorkerHandle, reqs: TaskRequest[]): number[] {
    // Window 0 is what runs next (on top of what the worker runs now); window 1 a whole fresh one.
    const wins = [w.active.clone(), new ActiveResources()]
    return reqs.map((r) => {
      const res = w.resourcesFor(r.task, r.sealProof)
      const key = sealKey(r.sealProof, r.task)
      for (let i = 0; i < SCHED_WINDOWS; i++) {
        const win = wins[i] as ActiveResources
        if (win.canHandle(key, res, w.info)) {
          win.add(key, res, w.info)
          return i
        }
      }
      return -1
    })
  }

  private schedule(): void {
    this.queue.sort((a, b) => this.priority(a, b))
    const remaining: TaskRequest[] = []
    for (const req of this.queue) {
      let best: { w: WorkerHandle; score: number; util: number } | null = null
      for (const w of this.workers.workers.values()) {
        if (!w.enabled || !w.tasks.has(req.task)) continue
        const score = req.select(w)
        if (score === null) continue
        const list = [...(this.assigned.get(w.id) ?? []), req]
        const wins = this.windowsOf(w, list)
        if (wins[wins.length - 1] === -1) continue
        const util = w.active.cpuUse / Math.max(1, w.info.Resources.CPUs)
        if (!best || score > best.score || (score === best.score && util < best.util)) best = { w, score, util }
      }
      if (best) {
        req.worker = best.w
        const list = this.assigned.get(best.w.id) ?? []
        list.push(req)
        this.assigned.set(best.w.id, list)
      } else remaining.push(req)
    }
    this.queue = remaining
    for (const w of this.workers.workers.values()) {
      if (!w.enabled) continue
      const list = this.assigned.get(w.id) ?? []
      const keep: TaskRequest[] = []
      for (const req of list) {
        const res = w.resourcesFor(req.task, req.sealProof)
        const key = sealKey(req.sealProof, req.task)
        if (w.active.canHandle(key, res, w.info)) {
          w.active.add(key, res, w.info)
          req.res = res
          this.startPreparing(w, req)
        } else keep.push(req)
      }
      this.assigned.set(w.id, keep)
    }
  }

  private startPreparing(w: WorkerHandle, req: TaskRequest): void {
    req.preparing = { since: Date.now() }
    const act = this.active.get(w.id) ?? []
    act.push(req)
    this.active.set(w.id, act)
    void (async () => {
      try {
        await req.prepare(w)
        // A SectorRemove that came in while this task was being prepared: it never starts.
        if (this.refuse(req.sector)) throw new CallError(ERR_UNKNOWN, 'task aborted')
        let callId: string
        try {
          callId = await req.call(w)
        } catch (e) {
          // The worker does not answer (killed, its box down): like a failed session check, it
          // gets no more work until it answers again (or re-registers after a restart).
          if (w.url !== null && !(e instanceof RpcCallError)) this.workers.unreachable(w)
          throw e
        }
        req.preparing = undefined
        req.callId = callId
        this.running.set(callId, req)
        if (this.refuse(req.sector)) this.abort(callId)
        const result = await this.calls.wait(callId)
        this.finish(w, req)
        req.resolve(result)
      } catch (e) {
        this.finish(w, req)
        req.reject(e as Error)
      }
    })()
  }

  private finish(w: WorkerHandle, req: TaskRequest): void {
    if (req.callId) this.running.delete(req.callId)
    const act = (this.active.get(w.id) ?? []).filter((r) => r !== req)
    this.active.set(w.id, act)
    if (req.res) w.active.free(sealKey(req.sealProof, req.task), req.res, w.info)
    req.res = undefined
    this.tick()
  }

  /** Records a started call (the work tracker's running entry). */
  trackCall(id: string, req: { sector: number; task: string; workKey: string }, hostname: string, local = false): void {
    this.calls.begin({ id, sector: req.sector, task: req.task, workKey: req.workKey, hostname, ...(local ? { local } : {}), startSec: Math.floor(Date.now() / 1000) })
    const e = this.early.get(id)
    if (e) {
      this.early.delete(id)
      this.calls.complete(id, e.result, e.err)
    }
  }

  /** A worker's Return* call. */
  returnResult(callId: string, result: unknown, err: { Code: number; Message: string } | null): void {
    if (!this.calls.complete(callId, result, err)) this.early.set(callId, { result, err })
  }

  /** SealingAbort: the call returns `task aborted` (the worker may keep computing). */
  abort(callId: string): void {
    this.calls.complete(callId, null, { Code: ERR_UNKNOWN, Message: 'task aborted' })
  }

  /** SealingRemoveRequest: drops a queued request; its caller gets `scheduling request removed`. */
  removeRequest(schedId: string): void {
    if (this.queue.length === 0) throw new Error('No requests in the scheduler')
    const i = this.queue.findIndex((r) => r.schedId === schedId)
    if (i < 0) throw new Error('No request with provided details found')
    const [req] = this.queue.splice(i, 1) as [TaskRequest]
    req.reject(new Error('scheduling request removed'))
  }

  /** Aborts everything a sector has queued or running (sector removal). */
  abortSector(n: number): void {
    const drop = (r: TaskRequest) => r.sector === n
    for (const r of this.queue.filter(drop)) r.reject(new CallError(ERR_UNKNOWN, 'task aborted'))
    this.queue = this.queue.filter((r) => !drop(r))
    for (const [wid, list] of this.assigned) {
      for (const r of list.filter(drop)) r.reject(new CallError(ERR_UNKNOWN, 'task aborted'))
      this.assigned.set(wid, list.filter((r) => !drop(r)))
    }
    for (const c of this.calls.bySector(n)) if (c.status === 'running') this.abort(c.id)
  }

  /** A worker went away or was disabled: its windows go back to the queue. */
  releaseWindows(w: WorkerHandle): void {
    const list = this.assigned.get(w.id) ?? []
    this.assigned.delete(w.id)
    for (const r of list) r.worker = undefined
    this.queue.push(...list)
    this.tick()
  }

  /** Queued requests for sched-diag. */
  diag(): { SchedInfo: { Requests: unknown[]; OpenWindows: string[] }; ReturnedWork: string[]; Waiting: string[] } {
    return {
      SchedInfo: {
        Requests: this.queue.map((r) => ({
          Sector: { Miner: this.minerId, Number: r.sector },
          TaskType: r.task,
          Priority: 0,
          SchedId: r.schedId
        })),
        OpenWindows: [...this.workers.workers.values()].filter((w) => w.enabled).flatMap((w) => [w.id, w.id])
      },
      ReturnedWork: this.calls.all().filter((c) => c.status === 'done').map((c) => `${c.task}(${c.workKey})`),
      Waiting: this.calls.all().filter((c) => this.calls.hasWaiters(c.id)).map((c) => `${c.task}(${c.workKey})`)
    }
  }

  /** WorkerJobs, built as Manager.WorkerJobs does. */
  workerJobs(): Record<string, WorkerJob[]> {
    const out: Record<string, WorkerJob[]> = {}
    const push = (wid: string, j: WorkerJob) => (out[wid] ??= []).push(j)
    const sectorId = (n: number) => ({ Miner: this.minerId, Number: n })
    const undef = { Sector: { Miner: 0, Number: 0 }, ID: ZERO_UUID }
    const seen = new Set<string>()
    for (const [wid, list] of this.active) {
      for (const r of list) {
        if (r.callId) {
          seen.add(r.callId)
          const c = this.calls.get(r.callId)
          push(wid, {
            ID: { Sector: sectorId(r.sector), ID: r.callId },
            Sector: sectorId(r.sector),
            Task: r.task,
            RunWait: 0,
            Start: goJsonTime(c ? c.startSec * 1000 : r.start)
          })
        } else {
          push(wid, { ID: undef, Sector: sectorId(r.sector), Task: r.task, RunWait: 1, Start: goJsonTime(r.preparing?.since ?? r.start) })
        }
      }
    }
    for (const [wid, list] of this.assigned) {
      const w = this.workers.workers.get(wid)
      if (!w) continue
      const wins = this.windowsOf(w, list)
      list.forEach((r, i) => {
        if ((wins[i] ?? -1) < 0) return
        push(wid, { ID: undef, Sector: sectorId(r.sector), Task: r.task, RunWait: (wins[i] as number) + 2, Start: goJsonTime(r.start) })
      })
    }
    for (const c of this.calls.all()) {
      if (seen.has(c.id)) continue
      push(ZERO_UUID, {
        ID: { Sector: sectorId(c.sector), ID: c.id },
        Sector: sectorId(c.sector),
        Task: c.task,
        RunWait: c.status === 'done' ? -3 : -1,
        Start: goJsonTime(c.startSec * 1000),
        Hostname: c.hostname
      })
    }
    return out
  }

  workerStats(): Record<string, WorkerStats> {
    const out: Record<string, WorkerStats> = {}
    for (const w of this.workers.workers.values()) out[w.id] = w.stats()
    return out
  }

  /** Whether a worker is busy with anything (for shutdown/diagnostics). */
  busy(): number {
    let n = 0
    for (const list of this.active.values()) n += list.length
    return n
  }
}
