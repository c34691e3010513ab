import { existsSync, readFileSync } from 'node:fs'
import { writeJsonAtomic } from '../common/persist'

/**
 * The worker's call statestore (LocalWorker's `ct`, kept in the worker repo): calls it has
 * accepted, so that after a restart the ones that never finished are returned with
 * ErrTempWorkerRestart and results the miner could not take yet are returned again.
 */
export interface WorkerCall {
  id: string
  sector: { Miner: number; Number: number }
  /** The miner's Return* method for this call. */
  ret: string
  state: 'running' | 'done'
  result?: unknown
  error?: { Code: number; Message: string } | null
}

export class CallStore {
  private calls = new Map<string, WorkerCall>()

  constructor(private file: string) {
    if (existsSync(file)) for (const c of JSON.parse(readFileSync(file, 'utf8')) as WorkerCall[]) this.calls.set(c.id, c)
  }

  private save(): void {
    writeJsonAtomic(this.file, [...this.calls.values()])
  }

  all(): WorkerCall[] {
    return [...this.calls.values()]
  }

  begin(c: WorkerCall): void {
    this.calls.set(c.id, c)
    this.save()
  }

  finish(id: string, result: unknown, error: WorkerCall['error']): void {
    const c = this.calls.get(id)
    if (!c) return
    c.state = 'done'
    c.result = result
    c.error = error
    this.save()
  }

  /** The miner took the result (onReturned). */
  returned(id: string): void {
    if (this.calls.delete(id)) this.save()
  }

  /** A result given up without the miner taking it (scenario ret-wait-after-restart). */
  forget(id: string): void {
    if (this.calls.delete(id)) this.save()
  }

  running(): number {
    let n = 0
    for (const c of this.calls.values()) if (c.state === 'running') n++
    return n
  }
}
