import type { Durations, FindingAction, JobRow, Remedy, StageTiming, Subject, WorkerRow } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { expectedFor } from '../../overview/jobs'
import { clockTime, ev, keyList, keysOf, sectorList, text, type Draft, type FindingRule } from '../finding'
import { stateOfTask } from '../stages'

/**
 * A worker that is disabled (the miner's session check of it failed: storage/sealer/sched_worker.go
 * disables it and retries every heartbeat) or gone (no longer in WorkerStats), while it holds
 * jobs: ONE finding for the worker, with its jobs and their sectors under it — not one "overdue"
 * per job. Its jobs are those listed under its id, and the ret-wait/returned calls the miner keeps
 * under the all-zero worker with its hostname (storage/sealer/stats.go).
 */

const ZERO = '00000000-0000-0000-0000-000000000000'
const disabled = keysOf('worker-down', 'disabled')
const gone = keysOf('worker-down', 'gone')

export function jobsOfWorker(w: Pick<WorkerRow, 'id' | 'hostname'>, jobs: readonly JobRow[]): JobRow[] {
  return jobs.filter((j) => j.workerId === w.id || (j.workerId === ZERO && j.hostname !== '' && j.hostname === w.hostname && j.runWait < 0 && j.runWait > -3))
}

const FLAG = /^[A-Za-z0-9_][A-Za-z0-9_.:=@/-]{0,63}$/

/**
 * Since when a missing worker counts as away. After a miner restart Lotus lists the calls still
 * running on a worker as ret-wait under the all-zero worker with its hostname (the new miner's
 * work tracker is empty), and the worker registers again only once they have ended ("Making sure
 * no local tasks are running"): until they are due it is busy, not gone. A worker that drops while
 * the miner runs keeps its calls listed as running under its own id, so this never hides it.
 */
function missingFrom(w: WorkerRow, jobs: readonly JobRow[], durations: Durations, sessionSince: number | undefined): number {
  const went = w.missingSince ?? w.lastSeen
  let from = went
  for (const j of jobsOfWorker(w, jobs)) {
    if (j.runWait !== -1 || j.start === null) continue
    from = Math.max(from, j.start + (expectedFor(j.task, durations) ?? 0) * 1000)
  }
  // A worker that dropped out as the restarted miner came up may run a call the new miner does
  // not track (sent as the old one stopped): it registers again once all its local tasks end, so
  // it is busy for at most the longest task it runs.
  if (sessionSince !== undefined && went >= sessionSince && went - sessionSince <= RESTART_DROP_MS) {
    const longest = Math.max(0, ...w.tasks.map((t) => expectedFor(t, durations) ?? 0))
    from = Math.max(from, sessionSince + longest * 1000)
  }
  return from
}

/** Workers missing from the first polls of a new miner session dropped out with the restart. */
const RESTART_DROP_MS = 60_000

export const workerDown: FindingRule = {
  kind: 'worker-down',
  keys: [
    ...keyList('worker-down', ['disabled', 'gone', 'returning'], { disabled: ['host', 'restart', 'abort'], gone: ['runworker', 'host', 'abort'], returning: ['wait', 'host'] }),
    ...['disabled', 'gone'].flatMap((v) => [`findings.worker-down.${v}.titleIdle`, `findings.worker-down.${v}.causeIdle`, `findings.worker-down.${v}.consequenceIdle`]),
    'findings.worker-down.returning.titleUntracked',
    'findings.worker-down.returning.causeUntracked'
  ],
  find({ snapshot: s, now, thresholds, durations, timings }, claimed) {
    const out: Draft[] = []
    const jobs = s.jobs?.list ?? []
    for (const w of s.workers?.list ?? []) {
      if (claimed.has('worker', w.id)) continue
      // A restarted worker comes back under a new id with the same hostname: then this is history.
      if (w.missing && (s.workers?.list ?? []).some((o) => !o.missing && o.enabled && o.hostname === w.hostname && o.id !== w.id)) continue
      const back = missingFrom(w, jobs, durations, s.miner?.sessionSince)
      const isGone = w.missing && now - back >= thresholds.workerLostGraceSec * 1000
      const isDisabled = !w.missing && !w.enabled
      if (w.missing && !isGone && back > (w.missingSince ?? w.lastSeen)) {
        out.push(returning(w, s.workers?.list ?? [], jobs, timings, back))
        continue
      }
      if (!isGone && !isDisabled) continue
      const held = jobsOfWorker(w, jobs)
      const sectors = [...new Set(held.map((j) => j.sector))]
      const k = isGone ? gone : disabled
      const since = isGone ? (w.missingSince ?? w.lastSeen) : null
      const params = {
        host: w.hostname,
        jobs: held.length,
        sectors: sectorList(sectors),
        tasks: [...new Set(held.map((j) => j.task))].join(', ') || '-',
        away: since !== null ? shortDuration((now - since) / 1000) : '-'
      }
      const c2 = w.tasks.includes('C2') && !w.tasks.includes('PC1')
      const flag = FLAG.test(w.hostname) ? w.hostname : null
      const aborts: FindingAction[] = held.filter((j) => j.runWait === -1 || j.runWait === -2).slice(0, 10).map((j) => ({ kind: 'abort', job: j.id }))
      const remedies: Remedy[] = isGone
        ? [gone.remedy('runworker', params, { kind: 'runworker', start: c2 ? 'workerC2' : 'worker' }), gone.remedy('host', params, flag ? { kind: 'wps', flag } : undefined)]
        : [disabled.remedy('host', params, flag ? { kind: 'wps', flag } : undefined), disabled.remedy('restart', params, flag ? { kind: 'killw', flag } : undefined)]
      for (const a of aborts) remedies.push(k.remedy('abort', { ...params, job: a.kind === 'abort' ? a.job.slice(0, 8) : '' }, a))
      const related: Subject[] = [
        ...held.map((j): Subject => ({ kind: 'job', id: j.id, label: `${j.task} ${j.sector}` })),
        ...sectors.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      ]
      out.push({
        kind: 'worker-down',
        severity: held.length > 0 ? 'critical' : 'warning',
        subject: { kind: 'worker', id: w.id, label: w.hostname },
        // Without jobs only capacity is lost: said so, in its own words.
        title: held.length > 0 ? k.title(params) : text(`${k.base}.titleIdle`, params),
        cause: held.length > 0 ? k.cause(params) : text(`${k.base}.causeIdle`, params),
        consequence: held.length > 0 ? k.consequence(params) : text(`${k.base}.consequenceIdle`, params),
        deadline: null,
        remedies,
        evidence: [
          ev('worker', `${w.hostname} (${w.id.slice(0, 8)}) ${isGone ? 'gone' : 'disabled'}`),
          ...held.slice(0, 20).map((j) => ev('job', `${j.id.slice(0, 8)} ${j.task} sector ${j.sector} ${j.state}`))
        ],
        related
      })
    }
    return out
  }
}

const returningKeys = keysOf('worker-down', 'returning')

/**
 * A worker still finishing the calls it ran before a miner restart (Lotus re-registers it only once
 * they end): one finding for it, its calls, and the sectors queued for the tasks it runs, which wait
 * for it rather than being overdue on their own. Restarting it would throw its work away.
 */
function returning(w: WorkerRow, workers: readonly WorkerRow[], jobs: readonly JobRow[], timings: ReadonlyMap<number, StageTiming>, until: number): Draft {
  const held = jobsOfWorker(w, jobs)
  const tasks = [...new Set(held.map((j) => j.task))]
  const mine = new Set(held.map((j) => j.sector))
  // Queued sectors wait for it when no registered worker takes their task (an AP queued behind the
  // PC1 box that also does AddPiece, say).
  const live = workers.filter((o) => !o.missing && o.enabled)
  const onlyHere = [...new Set([...w.tasks, ...tasks])].filter((t) => !live.some((o) => o.tasks.includes(t)))
  const states = new Set(onlyHere.flatMap((t) => stateOfTask(t)))
  const active = new Set(jobs.filter((j) => j.runWait >= 0 || j.runWait === -1).map((j) => j.sector))
  const queued = [...timings].filter(([n, t]) => t.class === 'compute' && t.level !== 'ok' && states.has(t.state) && !mine.has(n) && !active.has(n)).map(([n]) => n).sort((a, b) => a - b)
  const params = {
    host: w.hostname,
    jobs: held.length,
    tasks: tasks.join(', ') || '-',
    sectors: sectorList([...mine]),
    until: clockTime(until),
    queued: queued.length,
    waitTasks: onlyHere.join(', ') || '-',
    waiting: queued.length ? sectorList(queued) : '-',
    runs: w.tasks.join(', ') || '-'
  }
  const flag = FLAG.test(w.hostname) ? w.hostname : null
  return {
    kind: 'worker-down',
    severity: 'info',
    subject: { kind: 'worker', id: w.id, label: w.hostname },
    // No call listed for it: the new miner does not know what it runs, only the tasks it takes.
    title: held.length > 0 ? returningKeys.title(params) : text(`${returningKeys.base}.titleUntracked`, params),
    cause: held.length > 0 ? returningKeys.cause(params) : text(`${returningKeys.base}.causeUntracked`, params),
    consequence: returningKeys.consequence(params),
    deadline: null,
    remedies: [returningKeys.remedy('wait', params), returningKeys.remedy('host', params, flag ? { kind: 'wps', flag } : undefined)],
    evidence: [ev('worker', `${w.hostname} (${w.id.slice(0, 8)}) not registered since the miner restart`), ...held.slice(0, 20).map((j) => ev('job', `${j.id.slice(0, 8)} ${j.task} sector ${j.sector} ${j.state}`))],
    related: [
      ...held.map((j): Subject => ({ kind: 'job', id: j.id, label: `${j.task} ${j.sector}` })),
      ...[...mine, ...queued].map((n): Subject => ({ kind: 'sector', id: String(n) }))
    ]
  }
}
