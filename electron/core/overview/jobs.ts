import { DURATION_KEYS, type DurationKey, type Durations, type JobRow, type JobsSnapshot, type StageTiming, type WorkerRow } from '../../../preload/contract'
import { stateOfTask } from '../health/stages'
import { jobState, taskShort } from '../../../preload/contract/lotus/tasks'
import type { WorkerJob, WorkerStats } from '../../../preload/contract/lotus/types'

/**
 * Jobs as `lotus-miner sealing jobs` lists them (cli/miner/sealing.go): hostname from the job
 * (ret-wait entries carry it) else from WorkerStats, sorted by RunWait, then start, then call ID.
 * Whether a job is late is the health model's one rule on its sector's stage (attachTimings).
 */

const DURATION_KEY_SET = new Set<string>(DURATION_KEYS)

/** Lotus's zero time (`0001-01-01T00:00:00Z`) means "no start"; so does anything unparsable. */
export function jobStart(start: string): number | null {
  const t = Date.parse(start)
  if (!Number.isFinite(t) || t <= 0) return null
  return t
}

export function expectedFor(task: string, durations: Durations): number | null {
  return DURATION_KEY_SET.has(task) ? durations[task as DurationKey] : null
}

export function buildJobs(
  jobs: Record<string, WorkerJob[]>,
  stats: Record<string, WorkerStats> | null,
  now: number
): JobsSnapshot {
  const list: JobRow[] = []
  for (const [workerId, wjobs] of Object.entries(jobs)) {
    for (const j of wjobs) {
      const task = taskShort(j.Task)
      const start = jobStart(j.Start)
      const state = jobState(j.RunWait)
      const elapsedSec = start === null ? null : Math.max(0, Math.floor((now - start) / 1000))
      list.push({
        id: j.ID.ID,
        workerId,
        hostname: j.Hostname || stats?.[workerId]?.Info.Hostname || '',
        sector: j.Sector.Number,
        task,
        taskType: j.Task,
        state,
        runWait: j.RunWait,
        start,
        elapsedSec,
        timing: null,
        overdue: false
      })
    }
  }
  list.sort((a, b) => a.runWait - b.runWait || (a.start ?? 0) - (b.start ?? 0) || a.id.localeCompare(b.id))
  const byTask: JobsSnapshot['byTask'] = {}
  for (const j of list) {
    const t = (byTask[j.task] ??= {})
    t[j.state] = (t[j.state] ?? 0) + 1
  }
  return { total: list.length, byTask, list }
}

/**
 * Gives each job the timing of its sector's stage when the job is that stage's work (a PC1 job of a
 * sector in PreCommit1): the same elapsed time and verdict the sectors screen and the CLI show.
 */
export function attachTimings(jobs: JobsSnapshot, timings: ReadonlyMap<number, StageTiming>): JobsSnapshot {
  return {
    ...jobs,
    list: jobs.list.map((j) => {
      const t = timings.get(j.sector)
      if (!t || !stateOfTask(j.task).includes(t.state) || j.runWait < 0) return j
      return { ...j, timing: t, overdue: t.level === 'overdue' }
    })
  }
}

/** `8:seal/v0/precommit/1` → PC1, summed per short name. */
function taskCounts(counts: Record<string, number> | null | undefined): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [key, n] of Object.entries(counts ?? {})) {
    const short = taskShort(key.slice(key.indexOf(':') + 1))
    out[short] = (out[short] ?? 0) + n
  }
  return out
}

export function workerRow(id: string, w: WorkerStats, now: number): WorkerRow {
  const r = w.Info.Resources
  return {
    id,
    hostname: w.Info.Hostname,
    enabled: w.Enabled ?? true,
    tasks: (w.Tasks ?? []).map(taskShort),
    cpus: r.CPUs,
    cpuUse: w.CpuUse ?? 0,
    memPhysical: r.MemPhysical,
    memUsed: r.MemUsed,
    memSwap: r.MemSwap,
    memSwapUsed: r.MemSwapUsed,
    gpus: r.GPUs ?? [],
    gpuUsed: w.GpuUsed ?? 0,
    taskCounts: taskCounts(w.TaskCounts),
    lastSeen: now,
    missing: false
  }
}
