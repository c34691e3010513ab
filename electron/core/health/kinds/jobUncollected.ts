import type { JobRow, Remedy, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { expectedFor } from '../../overview/jobs'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'
import { runsAtPace } from '../pace'
import { overdueLimitSec } from '../stages'

/**
 * Jobs whose result nobody collects: `ret-wait` (the worker finished or lost the call and the
 * miner waits for its result) and `returned` (the result came back but the sector's state machine
 * has not taken it) normally last seconds; after a miner or worker restart they stay forever.
 * `prepared` (fetching the sector's files) and `assigned(N)` (queued in a worker's window) that
 * last far longer than the task are stuck the same way, unless the worker runs other tasks at
 * their pace: then the job waits its turn. `lotus-miner sealing abort <callid>` ends
 * such a call and the sector's state machine retries the step; queued requests carry no call id
 * (`sealing abort --sched <request>` from `sealing sched-diag`). One finding per job state.
 *
 * How long a job has waited: since MinerDesk first saw it in that state, or — on a first look —
 * since it should have finished (its start + the task's expected time). A ret-wait job with a
 * start waits from when it should have finished, however long it has been listed: after a miner restart Lotus lists every call
 * still running on its worker as ret-wait (its work tracker starts empty) until the worker returns
 * the result, which for a PC1 begun an hour ago is two hours away.
 */

const VARIANTS = ['ret-wait', 'returned', 'prepared', 'assigned'] as const
type Variant = (typeof VARIANTS)[number]

export interface JobWait {
  job: JobRow
  waitedSec: number
}

/** How long each job has waited in its state; `firstSeen` is `${id}|${sector}|${state}` → ms. */
export function jobWaits(jobs: readonly JobRow[], firstSeen: Readonly<Record<string, number>>, durations: Parameters<typeof expectedFor>[1], now: number): JobWait[] {
  return jobs.map((job) => {
    const seen = firstSeen[`${job.id}|${job.sector}|${job.state}`]
    const fromSeen = seen !== undefined ? (now - seen) / 1000 : 0
    const expected = expectedFor(job.task, durations) ?? 0
    const fromStart = job.start !== null ? (now - job.start) / 1000 - (job.state === 'ret-wait' || job.state === 'returned' ? expected : 0) : 0
    const waited = job.state === 'ret-wait' && job.start !== null ? fromStart : Math.max(fromSeen, fromStart)
    return { job, waitedSec: Math.max(0, Math.floor(waited)) }
  })
}

export const jobUncollected: FindingRule = {
  kind: 'job-uncollected',
  keys: keyList('job-uncollected', VARIANTS, { 'ret-wait': ['abort', 'worker'], returned: ['abort'], prepared: ['abort', 'fetch'], assigned: ['sched', 'worker'] }),
  find({ snapshot: s, now, durations, factor, blockDelay, thresholds, jobFirstSeen }, claimed) {
    const limitFor = (j: JobRow): number => {
      if (j.state === 'ret-wait' || j.state === 'returned') return Math.max(thresholds.uncollectedEpochs * blockDelay, thresholds.uncollectedMinSec)
      return overdueLimitSec((j.state === 'prepared' ? durations.GET : expectedFor(j.task, durations)) ?? durations.GET, factor)
    }
    const jobs = s.jobs?.list ?? []
    // An assigned job waits its turn while its worker runs other tasks at their pace (stage-overdue says so).
    const queuedInTurn = (j: JobRow): boolean => j.state === 'assigned' && runsAtPace(jobs, j.workerId, now, durations, factor)
    const waits = jobWaits(jobs, jobFirstSeen, durations, now).filter(
      (w) => (VARIANTS as readonly string[]).includes(w.job.state) && w.waitedSec > limitFor(w.job) && !queuedInTurn(w.job) && !claimed.has('job', w.job.id) && !claimed.has('sector', String(w.job.sector))
    )
    const out: Draft[] = []
    for (const variant of VARIANTS) {
      const list = waits.filter((w) => w.job.state === variant).sort((a, b) => b.waitedSec - a.waitedSec)
      if (list.length === 0) continue
      const k = keysOf('job-uncollected', variant as Variant)
      const longest = list[0] as JobWait
      const sectors = [...new Set(list.map((w) => w.job.sector))]
      const params = {
        jobs: list.length,
        sectors: sectorList(sectors),
        longest: shortDuration(longest.waitedSec),
        job: longest.job.id.slice(0, 8),
        task: longest.job.task,
        host: longest.job.hostname || '-'
      }
      const remedies: Remedy[] = []
      if (variant === 'assigned') remedies.push(k.remedy('sched', params), k.remedy('worker', params))
      else {
        for (const w of list.slice(0, 10)) remedies.push(k.remedy('abort', { job: w.job.id.slice(0, 8), task: w.job.task, sector: w.job.sector }, { kind: 'abort', job: w.job.id }))
        if (variant === 'ret-wait') remedies.push(k.remedy('worker', params))
        if (variant === 'prepared') remedies.push(k.remedy('fetch', params))
      }
      out.push({
        kind: 'job-uncollected',
        severity: 'warning',
        subject: { kind: 'site', id: `jobs-${variant}` },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: list.slice(0, 20).map((w) => ev('job', `${w.job.id.slice(0, 8)} ${w.job.task} sector ${w.job.sector} ${w.job.hostname || w.job.workerId.slice(0, 8)} ${w.job.state} ${shortDuration(w.waitedSec)}`)),
        related: [...list.map((w): Subject => ({ kind: 'job', id: w.job.id, label: `${w.job.task} ${w.job.sector}` })), ...sectors.map((n): Subject => ({ kind: 'sector', id: String(n) }))]
      })
    }
    return out
  }
}
