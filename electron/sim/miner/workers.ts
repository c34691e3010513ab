import { callRpc, RpcCallError, type ApiEndpoint } from '../common/rpcClient'
import type { GoLogger } from '../common/golog'
import type { TaskResources, WorkerInfo, WorkerStats } from '../../../preload/contract/lotus/types'
import { taskThreads } from '../worker/resources'

/**
 * Workers as the miner's scheduler sees them (storage/sealer WorkerHandle): remote
 * `lotus-worker` processes registered through WorkerConnect, and the miner's built-in local
 * worker. Tracks what each runs (ActiveResources) and checks their session every heartbeat.
 */

export interface WorkerPathInfo {
  ID: string
  Weight: number
  LocalPath: string
  CanSeal: boolean
  CanStore: boolean
}

export class ActiveResources {
  memUsedMin = 0
  memUsedMax = 0
  cpuUse = 0
  gpuUsed = 0
  counts = new Map<string, number>()

  private gpus(info: WorkerInfo): number {
    return info.Resources.GPUs?.length ?? 0
  }

  add(key: string, r: TaskResources, info: WorkerInfo): void {
    if (r.GPUUtilization > 0 && this.gpus(info) > 0) this.gpuUsed += r.GPUUtilization
    this.cpuUse += taskThreads(r, info.Resources.CPUs, this.gpus(info))
    this.memUsedMin += r.MinMemory
    this.memUsedMax += r.MaxMemory
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1)
  }

  free(key: string, r: TaskResources, info: WorkerInfo): void {
    if (r.GPUUtilization > 0 && this.gpus(info) > 0) this.gpuUsed = Math.max(0, this.gpuUsed - r.GPUUtilization)
    this.cpuUse = Math.max(0, this.cpuUse - taskThreads(r, info.Resources.CPUs, this.gpus(info)))
    this.memUsedMin = Math.max(0, this.memUsedMin - r.MinMemory)
    this.memUsedMax = Math.max(0, this.memUsedMax - r.MaxMemory)
    const c = (this.counts.get(key) ?? 0) - 1
    if (c <= 0) this.counts.delete(key)
    else this.counts.set(key, c)
  }

  /** ActiveResources.CanHandleRequest (hardware resource filtering). */
  canHandle(key: string, r: TaskResources, info: WorkerInfo): boolean {
    const res = info.Resources
    if (r.MaxConcurrent > 0 && (this.counts.get(key) ?? 0) >= r.MaxConcurrent) return false
    if (info.IgnoreResources) return true
    if (r.MinMemory + r.BaseMinMemory > res.MemPhysical - this.memUsedMin) return false
    const vmemUsed = Math.max(this.memUsedMax, res.MemUsed + res.MemSwapUsed)
    if (r.MaxMemory + r.BaseMinMemory > res.MemPhysical + res.MemSwap - vmemUsed) return false
    if (this.cpuUse + taskThreads(r, res.CPUs, this.gpus(info)) > res.CPUs) return false
    if (this.gpus(info) > 0 && r.GPUUtilization > 0 && this.gpuUsed + r.GPUUtilization > this.gpus(info)) return false
    return true
  }

  clone(): ActiveResources {
    const c = new ActiveResources()
    c.memUsedMin = this.memUsedMin
    c.memUsedMax = this.memUsedMax
    c.cpuUse = this.cpuUse
    c.gpuUsed = this.gpuUsed
    c.counts = new Map(this.counts)
    return c
  }
}

/** What a worker runs tasks with: a remote RPC endpoint, or the miner's own executor. */
export interface WorkerExecutor {
  call(method: string, params: unknown[]): Promise<unknown>
}

export class WorkerHandle {
  enabled = true
  active = new ActiveResources()
  missedHeartbeats = 0

  constructor(
    readonly id: string,
    public info: WorkerInfo,
    public tasks: Set<string>,
    public paths: WorkerPathInfo[],
    readonly exec: WorkerExecutor,
    readonly url: string | null
  ) {}

  get hostname(): string {
    return this.info.Hostname
  }

  resourcesFor(task: string, sealProof: number): TaskResources {
    const byProof = this.info.Resources.Resources[task]
    return (
      byProof?.[String(sealProof)] ?? {
        MinMemory: 0,
        MaxMemory: 0,
        GPUUtilization: 0,
        MaxParallelism: 0,
        MaxParallelismGPU: 0,
        BaseMinMemory: 0,
        MaxConcurrent: 0
      }
    )
  }

  stats(): WorkerStats {
    const counts: Record<string, number> = {}
    for (const [k, v] of this.active.counts) counts[k] = v
    return {
      Info: this.info,
      Tasks: [...this.tasks],
      Enabled: this.enabled,
      MemUsedMin: this.active.memUsedMin,
      MemUsedMax: this.active.memUsedMax,
      GpuUsed: this.active.gpuUsed,
      CpuUse: this.active.cpuUse,
      TaskCounts: counts
    }
  }
}

/** A remote worker's RPC executor (the miner calls it with its own admin token). */
export function remoteExecutor(url: string, token: string): WorkerExecutor {
  const u = new URL(url)
  const ep: ApiEndpoint = { host: u.hostname, port: Number(u.port), token, path: u.pathname || '/rpc/v0' }
  return { call: (method, params) => callRpc(ep, method, params, 10_000) }
}

/**
 * Whether the worker at `base` (`http://ip:port`) answers: a fetch from its storage (Lotus reads
 * it from the worker's /remote endpoint) fails while it is down.
 */
export async function remoteServing(base: string, token: string): Promise<boolean> {
  const u = new URL(base)
  try {
    await callRpc({ host: u.hostname, port: Number(u.port), token, path: '/rpc/v0' }, 'Version', [], 2000)
    return true
  } catch (e) {
    // A JSON-RPC error is an answer too.
    return e instanceof RpcCallError
  }
}

export interface WorkerEvents {
  onEnabledChange(w: WorkerHandle): void
  onRemoved(w: WorkerHandle): void
}

/**
 * The set of connected workers. Every heartbeat (10 s, paths.HeartbeatInterval) each remote
 * worker's Session is checked: errors disable it (shown `(disabled)`), a changed session
 * (the worker restarted) drops it, as Lotus's schedWorker does.
 */
export class WorkerRegistry {
  readonly workers = new Map<string, WorkerHandle>()
  private timer: NodeJS.Timeout | null = null

  constructor(
    private log: GoLogger,
    private events: WorkerEvents,
    private heartbeatMs = 10_000
  ) {}

  add(w: WorkerHandle): void {
    if (this.workers.has(w.id)) {
      this.log.warn('sealer/sched_worker.go:55', 'duplicated worker added', { id: w.id })
      return
    }
    this.workers.set(w.id, w)
  }

  start(): void {
    this.timer = setInterval(() => void this.heartbeat(), this.heartbeatMs)
    this.timer.unref()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
  }

  async heartbeat(): Promise<void> {
    await Promise.all([...this.workers.values()].filter((w) => w.url !== null).map((w) => this.check(w)))
  }

  private async check(w: WorkerHandle): Promise<void> {
    try {
      const ses = (await w.exec.call('Session', [])) as string
      if (ses !== w.id) {
        if (ses !== '00000000-0000-0000-0000-000000000000') {
          this.log.warn('sealer/sched_worker.go:240', 'worker session changed (worker restarted?)', { initial: w.id, current: ses })
        }
        this.remove(w)
        return
      }
      if (!w.enabled) {
        w.enabled = true
        this.events.onEnabledChange(w)
      }
    } catch (e) {
      this.log.warn('sealer/sched_worker.go:211', 'failed to check worker session', { error: (e as Error).message })
      if (w.enabled) {
        w.enabled = false
        this.events.onEnabledChange(w)
      }
    }
  }

  /** A call to the worker could not be sent: disabled until its next session check answers. */
  unreachable(w: WorkerHandle): void {
    if (!w.enabled || !this.workers.has(w.id)) return
    w.enabled = false
    this.events.onEnabledChange(w)
  }

  remove(w: WorkerHandle): void {
    if (!this.workers.delete(w.id)) return
    this.log.warn('sealer/sched_worker.go:92', 'Worker closing', { workerid: w.id })
    this.events.onRemoved(w)
  }

  /** Remote workers registered from the same URL (a restarted worker re-registers there). */
  byUrl(url: string): WorkerHandle[] {
    return [...this.workers.values()].filter((w) => w.url === url)
  }
}
