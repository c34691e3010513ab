import type { SectorJob } from '../../../preload/contract/sectors'
import { jobState, taskShort } from '../../../preload/contract/lotus/tasks'
import type { CallId, WorkerJob, WorkerStats } from '../../../preload/contract/lotus/types'
import { jobStart } from '../overview/jobs'

/** Sealing jobs grouped by sector (WorkerJobs, hostnames from WorkerStats as `sealing jobs` does), running first. */
export function jobsBySector(jobs: Record<string, WorkerJob[]>, stats: Record<string, WorkerStats> | null): Map<number, SectorJob[]> {
  const out = new Map<number, SectorJob[]>()
  for (const [workerId, list] of Object.entries(jobs)) {
    for (const j of list) {
      const row: SectorJob = {
        id: j.ID.ID,
        workerId,
        hostname: j.Hostname || stats?.[workerId]?.Info.Hostname || '',
        task: taskShort(j.Task),
        taskType: j.Task,
        state: jobState(j.RunWait),
        runWait: j.RunWait,
        start: jobStart(j.Start)
      }
      const n = j.Sector.Number
      out.set(n, [...(out.get(n) ?? []), row])
    }
  }
  // `sealing jobs` order puts ret-wait (-1) first; for a sector the job that runs matters most.
  const rank = (r: number) => (r === 0 ? 0 : r === 1 ? 1 : r < 0 ? 2 : 3)
  for (const list of out.values()) list.sort((a, b) => rank(a.runWait) - rank(b.runWait) || (a.start ?? 0) - (b.start ?? 0))
  return out
}

const ZERO_UUID = '00000000-0000-0000-0000-000000000000'

/** Jobs SealingAbort can end: those with a call id (queued scheduler requests carry the zero id). */
export function abortableCalls(jobs: readonly SectorJob[], minerId: number, sector: number): CallId[] {
  return jobs.filter((j) => j.id !== ZERO_UUID && j.runWait <= 1 && j.runWait >= -1).map((j) => ({ Sector: { Miner: minerId, Number: sector }, ID: j.id }))
}

export function isQueued(j: SectorJob): boolean {
  return j.id === ZERO_UUID || j.runWait >= 2
}
