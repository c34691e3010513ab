import type { FindingAction, JobRow, Remedy, StageTiming, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'
import { runsAtPace } from '../pace'
import { overdueLimitSec, stateOfTask } from '../stages'
import { safeTargets } from '../updateTargets'

/**
 * Sectors that stay in a state longer than it takes (stages.ts: the one rule and the one elapsed
 * time): `late` past the expected time (info), `overdue` past the stuck factor × it (warning,
 * overdueLimitSec).
 * Grouped by state, verdict and what they wait for: the worker running their job, a worker that
 * has not taken the task (queued), the chain, a message batch, or a handler that should have moved
 * on within minutes. A job that runs at its pace after waiting long for a worker (after a miner
 * restart workers take new work only once their earlier tasks end) started late: the wait is the
 * cause, not the worker, and it resolves by itself (info). So does a job a worker has taken while
 * it runs others at their pace (`behind`: the worker is the bottleneck, not broken).
 */

const VARIANTS = ['running', 'started-late', 'behind', 'queued', 'chain', 'batch', 'handler'] as const
type Variant = (typeof VARIANTS)[number]

function variantOf(t: StageTiming, job: JobRow | undefined): Variant | null {
  // A prepared job has begun on its worker (fetching what it needs): timed like a running one.
  if (t.class === 'compute') return job?.state === 'running' || job?.state === 'prepared' ? 'running' : 'queued'
  if (t.class === 'chain' || t.class === 'batch' || t.class === 'handler') return t.class
  return null
}

export const stageOverdue: FindingRule = {
  kind: 'stage-overdue',
  keys: keyList('stage-overdue', VARIANTS, { running: ['worker', 'abort'], 'started-late': ['capacity'], behind: ['capacity'], queued: ['workers', 'sched'], chain: ['messages', 'recheck'], batch: ['batch'], handler: ['rerun'] }),
  find({ timings, sectors, snapshot: s, now, durations }, claimed) {
    const jobs = s.jobs?.list ?? []
    const groups = new Map<string, { variant: Variant; level: 'late' | 'overdue'; state: string; host: string; items: { n: number; t: StageTiming; job?: JobRow }[] }>()
    for (const [n, t] of timings) {
      if (t.level === 'ok' || claimed.has('sector', String(n))) continue
      const job = jobs.find((j) => j.sector === n && stateOfTask(j.task).includes(t.state) && j.runWait >= 0)
      let variant = variantOf(t, job)
      if (!variant) continue
      const ranSec = variant === 'running' && job?.start != null ? Math.max(0, (now - job.start) / 1000) : null
      // Not overdue by its own run (a job at its pace may end a little past 1×): the wait before
      // it is what made the stage late.
      if (ranSec !== null && ranSec <= overdueLimitSec(t.expectedSec, t.factor)) variant = 'started-late'
      // Taken by a worker that runs other tasks at their pace: it waits its turn (capacity, not a fault).
      if (variant === 'queued' && job?.state === 'assigned' && runsAtPace(jobs, job.workerId, now, durations, t.factor)) variant = 'behind'
      const host = variant === 'running' || variant === 'started-late' || variant === 'behind' ? job?.hostname || job?.workerId.slice(0, 8) || '' : ''
      const key = `${t.level}-${t.state}-${variant}-${host}`
      const g = groups.get(key) ?? { variant, level: t.level, state: t.state, host, items: [] }
      g.items.push({ n, t, ...(job ? { job } : {}) })
      groups.set(key, g)
    }
    const out: Draft[] = []
    for (const [key, g] of groups) {
      const k = keysOf('stage-overdue', g.variant)
      const ns = g.items.map((i) => i.n).sort((a, b) => a - b)
      const worst = [...g.items].sort((a, b) => b.t.elapsedSec - a.t.elapsedSec)[0]!
      const params = {
        state: g.state,
        sectors: sectorList(ns),
        n: ns.length,
        elapsed: shortDuration(worst.t.elapsedSec),
        expected: shortDuration(worst.t.expectedSec),
        limit: shortDuration(overdueLimitSec(worst.t.expectedSec, worst.t.factor)),
        factor: worst.t.factor,
        host: g.host || '-',
        task: worst.job?.task ?? '-',
        ran: worst.job?.start != null ? shortDuration(Math.max(0, (now - worst.job.start) / 1000)) : '-',
        waited: worst.job?.start != null ? shortDuration(Math.max(0, (worst.job.start - worst.t.since) / 1000)) : '-',
        ahead: worst.job ? jobs.filter((j) => j.workerId === worst.job?.workerId && j.state === 'running').length : 0
      }
      const remedies: Remedy[] = []
      const flag = /^[A-Za-z0-9_][A-Za-z0-9_.:=@/-]{0,63}$/.test(g.host) ? g.host : null
      if (g.variant === 'running') {
        remedies.push(k.remedy('worker', params, flag ? ({ kind: 'wps', flag } as FindingAction) : undefined))
        for (const i of g.items.slice(0, 5)) if (i.job) remedies.push(k.remedy('abort', { ...params, job: i.job.id.slice(0, 8), sector: i.n }, { kind: 'abort', job: i.job.id }))
      } else if (g.variant === 'started-late' || g.variant === 'behind') remedies.push(k.remedy('capacity', params))
      else if (g.variant === 'queued') remedies.push(k.remedy('workers', params), k.remedy('sched', params))
      else if (g.variant === 'chain') {
        remedies.push(k.remedy('messages', params))
        const failState = g.state.startsWith('PreCommit') ? 'PreCommitFailed' : g.state.startsWith('Commit') ? 'CommitFailed' : null
        const d = sectors?.get(ns[0] as number)
        if (failState && d && safeTargets(d).includes(failState)) remedies.push(k.remedy('recheck', { ...params, target: failState }, { kind: 'update-state', sectors: ns, state: failState }))
      } else if (g.variant === 'batch') remedies.push(k.remedy('batch', params))
      else {
        const d = sectors?.get(ns[0] as number)
        if (d && safeTargets(d).includes(g.state)) remedies.push(k.remedy('rerun', params, { kind: 'update-state', sectors: ns, state: g.state }))
        else remedies.push(k.remedy('rerun', params))
      }
      out.push({
        kind: 'stage-overdue',
        severity: g.level === 'overdue' && g.variant !== 'started-late' && g.variant !== 'behind' ? 'warning' : 'info',
        subject: { kind: 'site', id: `stage-${key}` },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: g.level === 'late' ? worst.t.since + overdueLimitSec(worst.t.expectedSec, worst.t.factor) * 1000 : null,
        remedies,
        evidence: g.items.slice(0, 10).map((i) => ev('stage', `${i.n} ${i.t.state} ${shortDuration(i.t.elapsedSec)} / ${shortDuration(i.t.expectedSec)}${i.job ? ` (${i.job.task} ${i.job.state} on ${i.job.hostname || i.job.workerId.slice(0, 8)})` : ''}`)),
        related: [...ns.map((n): Subject => ({ kind: 'sector', id: String(n) })), ...g.items.flatMap((i): Subject[] => (i.job ? [{ kind: 'job', id: i.job.id, label: `${i.job.task} ${i.n}` }] : []))]
      })
    }
    return out
  }
}
