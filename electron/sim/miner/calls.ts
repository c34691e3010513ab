import { existsSync, readFileSync } from 'node:fs'
import { writeJsonAtomic } from '../common/persist'

/**
 * The manager's call tracker (storage/sealer/manager_calltracker.go): every call started on a
 * worker is recorded with its work key and kept across miner restarts, so a sector handler that
 * runs again after a restart waits for the call already running instead of starting a new one,
 * and results a worker returns while nobody waits are kept (`ret-done`) until asked for. Every
 * change is on disk at once, as Lotus's work tracker writes its statestore: a call started just
 * before a kill -9 is still known afterwards.
 */

export interface WireCallError {
  Code: number
  Message: string
}

/** storiface.CallError: `storage call error <code>: <message>`. */
export class CallError extends Error {
  constructor(
    readonly code: number,
    readonly callMessage: string
  ) {
    super(`storage call error ${code}: ${callMessage}`)
  }
}

export const ERR_UNKNOWN = 0
export const ERR_TEMP_WORKER_RESTART = 101
export const ERR_TEMP_ALLOCATE_SPACE = 102

export interface CallRecord {
  id: string
  sector: number
  task: string
  workKey: string
  hostname: string
  /** Run by the miner's built-in worker (its calls end with the miner process). */
  local?: boolean
  /** Unix seconds (WorkState.StartTime). */
  startSec: number
  status: 'running' | 'done'
  result?: unknown
  error?: WireCallError | null
}

interface Waiter {
  resolve: (v: unknown) => void
  reject: (e: Error) => void
}

export class CallTracker {
  private calls = new Map<string, CallRecord>()
  private waiters = new Map<string, Waiter[]>()

  constructor(private file: string) {
    if (existsSync(file)) {
      for (const c of JSON.parse(readFileSync(file, 'utf8')) as CallRecord[]) this.calls.set(c.id, c)
    }
  }

  flush(): void {
    writeJsonAtomic(this.file, [...this.calls.values()].map((c) => ({ ...c })))
  }

  private dirty(): void {
    this.flush()
  }

  all(): CallRecord[] {
    return [...this.calls.values()]
  }

  get(id: string): CallRecord | undefined {
    return this.calls.get(id)
  }

  byWork(workKey: string): CallRecord | undefined {
    for (const c of this.calls.values()) if (c.workKey === workKey) return c
    return undefined
  }

  /**
   * The built-in worker's calls that were running when the miner stopped: they died with it. As
   * Lotus's LocalWorker does at start, each is returned with ErrTempWorkerRestart.
   */
  endLocalUnfinished(): void {
    for (const c of this.calls.values()) {
      if (c.local && c.status === 'running') this.complete(c.id, null, { Code: ERR_TEMP_WORKER_RESTART, Message: `worker [name: ${c.hostname}] restarted` })
    }
  }

  bySector(n: number): CallRecord[] {
    return this.all().filter((c) => c.sector === n)
  }

  begin(c: Omit<CallRecord, 'status'>): void {
    this.calls.set(c.id, { ...c, status: 'running' })
    this.dirty()
  }

  /** A worker returned (or the call was aborted). False when the call is unknown. */
  complete(id: string, result: unknown, error: WireCallError | null): boolean {
    const c = this.calls.get(id)
    if (!c) return false
    if (c.status === 'done') return true
    const ws = this.waiters.get(id)
    if (ws && ws.length > 0) {
      this.waiters.delete(id)
      this.calls.delete(id)
      for (const w of ws) {
        if (error) w.reject(new CallError(error.Code, error.Message))
        else w.resolve(result)
      }
    } else {
      c.status = 'done'
      c.result = result
      c.error = error
    }
    this.dirty()
    return true
  }

  /** Waits for a call's result (consuming it). */
  wait(id: string): Promise<unknown> {
    const c = this.calls.get(id)
    if (!c) return Promise.reject(new Error(`call ${id} not tracked`))
    if (c.status === 'done') {
      this.calls.delete(id)
      this.dirty()
      return c.error ? Promise.reject(new CallError(c.error.Code, c.error.Message)) : Promise.resolve(c.result)
    }
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(id) ?? []
      list.push({ resolve, reject })
      this.waiters.set(id, list)
    })
  }

  hasWaiters(id: string): boolean {
    return (this.waiters.get(id)?.length ?? 0) > 0
  }
}
