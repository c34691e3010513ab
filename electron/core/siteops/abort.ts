import { MinerDeskError, type MutationPreview, type SchedRequest } from '../../../preload/contract'
import { z } from 'zod'
import { spec } from '../lotus/shapes'
import { jobStateLabel, taskShort } from '../../../preload/contract/lotus/tasks'
import type { CallId, WorkerJob } from '../../../preload/contract/lotus/types'
import { apiStepText } from '../runtime/ops'
import type { ServiceContext } from '../runtime/context'

/**
 * `lotus-miner sealing abort` (cli/miner/sealing.go): the argument is a prefix of a call UUID as
 * `sealing jobs` prints it; Lotus aborts the FIRST job whose call id starts with it (Go map
 * order). MinerDesk resolves the prefix to the full CallID first and refuses an ambiguous one,
 * shows `Filecoin.SealingAbort` with that CallID, and only then runs it.
 * With `--sched` the argument is a scheduler request UUID (sealing sched-diag) and the call is
 * `Filecoin.SealingRemoveRequest`.
 */

export const ZERO_UUID = '00000000-0000-0000-0000-000000000000'

export interface JobMatch {
  workerId: string
  job: WorkerJob
}

/** Every job whose full call id starts with the prefix (queued requests carry the zero id and never match). */
export function matchJobs(jobs: Record<string, WorkerJob[]>, prefix: string): JobMatch[] {
  const out: JobMatch[] = []
  const seen = new Set<string>()
  for (const [workerId, list] of Object.entries(jobs)) {
    for (const job of list) {
      const id = job.ID.ID.toLowerCase()
      if (id === ZERO_UUID || !id.startsWith(prefix)) continue
      // A call the manager tracks shows once per worker it touched: one CallID, one abort.
      const key = `${job.ID.Sector.Miner}-${job.ID.Sector.Number}-${id}`
      if (seen.has(key)) continue
      seen.add(key)
      out.push({ workerId, job })
    }
  }
  return out
}

/** The one job a prefix names, or a clear error (none, or several). */
export function resolveJob(jobs: Record<string, WorkerJob[]>, prefix: string): JobMatch {
  if (/^0{8}/.test(prefix)) {
    throw new MinerDeskError({
      code: 'invalid-input',
      message: 'queued requests show the call id 00000000: they have no call to abort yet',
      hint: 'remove a request still waiting in the scheduler with --sched and its request UUID (sealing sched-diag)'
    })
  }
  const found = matchJobs(jobs, prefix)
  if (found.length === 0) {
    throw new MinerDeskError({ code: 'not-found', message: `no sealing job with an id starting ${prefix}`, hint: 'the job may have ended; list the jobs again (sealing jobs)' })
  }
  if (found.length > 1) {
    throw new MinerDeskError({
      code: 'invalid-input',
      message: `${prefix} matches ${found.length} jobs: ${found.map((m) => m.job.ID.ID.slice(0, 13)).join(', ')}`,
      hint: 'give more digits of the call id'
    })
  }
  return found[0]!
}

/** `<miner>-<number>-<uuid>`, as Lotus prints a CallID. */
export function callIdText(c: CallId): string {
  return `${c.Sector.Miner}-${c.Sector.Number}-${c.ID}`
}

const schedDiagShape = z.object({
  SchedInfo: z.object({
    Requests: z
      .array(z.object({ Sector: z.object({ Miner: z.number(), Number: z.number() }), TaskType: z.string(), Priority: z.number(), SchedId: z.string() }))
      .nullable()
  })
})

/** SealingSchedDiag(false): the requests waiting in the scheduler queue (not yet assigned to a worker window). */
export async function schedRequests(ctx: ServiceContext, siteId: string): Promise<SchedRequest[]> {
  const { lotus } = ctx.sites.get(siteId)
  const [r] = await lotus.miner.batch([spec<z.infer<typeof schedDiagShape>>('SealingSchedDiag', [false], schedDiagShape)] as const)
  if (!r.ok) throw new MinerDeskError(r.error)
  return (r.value.SchedInfo.Requests ?? []).map((q) => ({
    schedId: q.SchedId,
    sector: q.Sector.Number,
    task: taskShort(q.TaskType),
    taskType: q.TaskType,
    priority: q.Priority
  }))
}

export async function previewAbort(ctx: ServiceContext, siteId: string, input: { job: string; sched?: boolean | undefined }): Promise<MutationPreview> {
  const { config, lotus } = ctx.sites.get(siteId)
  await lotus.assertCompatible()
  if (input.sched) {
    const schedId = input.job
    const req = (await schedRequests(ctx, siteId)).find((q) => q.schedId.toLowerCase() === schedId)
    if (!req) {
      throw new MinerDeskError({ code: 'not-found', message: `no request ${schedId} in the scheduler queue`, hint: 'it may have been assigned to a worker already; list the queue again (sealing sched-diag)' })
    }
    return ctx.ops.preview({
      site: siteId,
      action: 'job.remove-request',
      params: { request: schedId, sector: req.sector, task: req.task },
      steps: [{ kind: 'api', host: config.alias, text: apiStepText('SealingRemoveRequest', [schedId]) }],
      warnings: [{ key: 'removeRequest', params: { task: req.task, sector: req.sector }, text: `The ${req.task} request of sector ${req.sector} is dropped from the queue; the sector's task fails with "scheduling request removed" and Lotus handles it like any failed task.` }],
      execute: async (s) => {
        await s.run(0, async () => {
          await lotus.miner.sealingRemoveRequest(schedId)
          return `removed request ${schedId} (${req.task}, sector ${req.sector})`
        })
      }
    })
  }

  const jobs = await lotus.miner.workerJobs()
  const { job, workerId } = resolveJob(jobs, input.job)
  // Lotus sets Hostname only on ret-wait entries; `sealing jobs` takes the others' from WorkerStats.
  let hostname = job.Hostname ?? ''
  if (!hostname) hostname = (await lotus.miner.workerStats().catch(() => null))?.[workerId]?.Info.Hostname ?? ''
  const call: CallId = job.ID
  const task = taskShort(job.Task)
  return ctx.ops.preview({
    site: siteId,
    action: 'job.abort',
    params: { job: call.ID, sector: job.Sector.Number, task, host: hostname, state: jobStateLabel(job.RunWait) },
    steps: [{ kind: 'api', host: config.alias, text: apiStepText('SealingAbort', [call]) }],
    warnings: [
      { key: 'abortJob', params: { call: callIdText(call), task, sector: job.Sector.Number, host: hostname }, text: `aborting job ${callIdText(call)}, task ${task}, sector ${job.Sector.Number}, running on host ${hostname}` },
      { key: 'abortKeepsComputing', params: {}, text: 'The job leaves the list and the sector goes to the task\'s failed state (Lotus retries it). The worker process may keep computing until it finishes or is restarted (Lotus issues #5262, #9191).' }
    ],
    execute: async (s) => {
      // Still there? An abort of a call that already ended would only confuse the manager's bookkeeping.
      const now = await lotus.miner.workerJobs()
      const still = Object.values(now).some((list) => list.some((j) => j.ID.ID === call.ID))
      if (!still) {
        s.skip(0, 'the job had already ended')
        s.data({ aborted: false })
        return
      }
      await s.run(0, async () => {
        await lotus.miner.sealingAbort(call)
        return `aborted job ${callIdText(call)}, task ${task}, sector ${job.Sector.Number}`
      })
      s.data({ aborted: true })
    }
  })
}
