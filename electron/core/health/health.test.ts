import { describe, expect, it } from 'vitest'
import { cliCommand, type Finding, type FindingKind } from '../../../preload/contract'
import { conformanceRaw, entry, facts, HEAD_TS, job, jobsMap, NOW, ok, sector, workerStats, ZERO_UUID } from '../../../test/support/healthFacts'
import { translate } from '../i18n/translate'
import { encode } from '../lotus/bitfield'
import { SECTOR_STATES } from '../../../preload/contract/lotus/states'
import type { Partition } from '../../../preload/contract/lotus/types'
import { emptyMemory } from '../overview/raw'
import { evaluate } from './evaluate'
import { stageRule, timingLevel } from './stages'
import { RUNBOOK_DURATIONS } from '../../../preload/contract'

/**
 * The health model on Lotus's documented shapes (../shared/lotus-conformance/), changed only where a
 * situation needs it: each of the situations an operator reads at a glance becomes one finding
 * that names its subject, cause and remedy.
 */

const W1 = 'ef8d99a2-6865-4189-8ffa-9fef0f806eee' // the documented worker UUID
const CALL = '76081ba0-61bd-45a5-bc08-af05f1c26e5d' // the documented call UUID
const MSG = 'bafy2bzacebbpdegvr3i4cosewthysg5xkxpqfn2wfcz6mv2hmoktwbdxkax4s'

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
const ago = (sec: number) => iso(NOW - sec * 1000)
const nowSec = NOW / 1000

function only(findings: Finding[], kind: FindingKind): Finding[] {
  return findings.filter((f) => f.kind === kind)
}

/** Both languages render the finding with every placeholder filled. */
function rendered(f: Finding): string[] {
  const texts = [f.title, f.cause, f.consequence, ...f.remedies.map((r) => r.text)]
  const out: string[] = []
  for (const lang of ['zh-CN', 'en'] as const) {
    for (const t of texts) {
      const s = translate(lang, t.key, t.params)
      expect(s, `${t.key} in ${lang}`).not.toBe(t.key)
      expect(s, `${t.key} in ${lang}`).not.toMatch(/\{\{/)
      out.push(s)
    }
  }
  return out
}

describe('results never collected', () => {
  it('names ret-wait jobs of a restarted miner with their ids and `sealing abort`', () => {
    const raw = conformanceRaw()
    // Lotus lists calls it tracks with no live worker under the all-zero worker, with the hostname (storage/sealer/stats.go).
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(3 * 3600), hostname: 'pc2box', task: 'seal/v0/precommit/2' })]))
    const f = only(evaluate(facts({ raw })), 'job-uncollected')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'warning', subject: { kind: 'site', id: 'jobs-ret-wait' }, related: expect.arrayContaining([{ kind: 'job', id: CALL, label: 'PC2 100' }, { kind: 'sector', id: '100' }]) })
    const abort = f[0]!.remedies.find((r) => r.action?.kind === 'abort')!
    expect(abort.action).toEqual({ kind: 'abort', job: CALL })
    expect(cliCommand('s1', abort.action!)).toBe('minerdesk abort s1 76081ba0')
    expect(rendered(f[0]!).join('\n')).toContain('lotus-miner sealing abort 76081ba0')
  })

  it('leaves a ret-wait of a few seconds alone, and flags long prepared and assigned jobs', () => {
    const raw = conformanceRaw()
    raw.miner.workerJobs = ok(
      jobsMap([
        job({ worker: ZERO_UUID, runWait: -1, start: ago(3610), hostname: 'pc2box' }), // PC2 takes 1 h: just returned
        job({ id: '11111111-61bd-45a5-bc08-af05f1c26e5d', sector: 101, runWait: 1, start: ago(3 * 3600) }),
        job({ id: ZERO_UUID, sector: 102, runWait: 3, start: ago(5 * 3600) })
      ])
    )
    const kinds = only(evaluate(facts({ raw })), 'job-uncollected').map((f) => f.subject.id)
    expect(kinds).toEqual(['jobs-assigned', 'jobs-prepared'])
  })

  it("gives a result's way back at least a minute on a fast chain, and 20 epochs on mainnet", () => {
    // A PC2 (1 h) that should have finished `waited` seconds ago.
    const judged = (waited: number, blockDelay: number) => {
      const raw = conformanceRaw()
      raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(3600 + waited), hostname: 'pc2box' })]))
      return only(evaluate({ ...facts({ raw }), blockDelay }), 'job-uncollected').map((f) => f.subject.id)
    }
    // 20 epochs of a 0.5 s chain are 10 s: a worker that returns after a miner restart takes longer.
    expect(judged(30, 0.5)).toEqual([])
    expect(judged(90, 0.5)).toEqual(['jobs-ret-wait'])
    // On mainnet 20 epochs are 10 minutes.
    expect(judged(300, 30)).toEqual([])
    expect(judged(700, 30)).toEqual(['jobs-ret-wait'])
  })

  it('leaves a call still running through a miner restart alone however long it is listed as ret-wait', () => {
    const raw = conformanceRaw()
    // A PC1 (3 h 10 min) begun an hour ago, listed as ret-wait since the miner restarted 50 minutes ago.
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(3600), hostname: 'pc1box', task: 'seal/v0/precommit/1' })]))
    const f = facts({ raw, jobFirstSeen: { [`${CALL}|100|ret-wait`]: NOW - 50 * 60_000 } })
    expect(only(evaluate(f), 'job-uncollected')).toEqual([])
    // Past its time by more than 20 epochs (the documented chain's 42 s blocks) it is flagged.
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(RUNBOOK_DURATIONS.PC1 + 900), hostname: 'pc1box', task: 'seal/v0/precommit/1' })]))
    expect(only(evaluate(facts({ raw })), 'job-uncollected').map((x) => x.subject.id)).toEqual(['jobs-ret-wait'])
  })
})

describe('a worker disabled or gone while it holds jobs', () => {
  it('is ONE critical finding naming the host, its jobs and sectors, not one alert per job', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok(workerStats([{ id: W1, hostname: 'pc1box', enabled: false }]))
    raw.miner.workerJobs = ok(
      jobsMap([
        job({ worker: W1, sector: 7, task: 'seal/v0/precommit/1', runWait: 0, start: ago(9 * 3600) }),
        job({ worker: W1, id: '22222222-61bd-45a5-bc08-af05f1c26e5d', sector: 8, task: 'seal/v0/precommit/1', runWait: 0, start: ago(9 * 3600) })
      ])
    )
    const sectors = [7, 8].map((n) => sector(n, 'PreCommit1', [entry('SectorTicket', nowSec - 9 * 3600)], { CommitMsg: null, PreCommitMsg: null }))
    const all = evaluate(facts({ raw, sectors }))
    const down = only(all, 'worker-down')
    expect(down).toHaveLength(1)
    expect(down[0]).toMatchObject({ severity: 'critical', subject: { kind: 'worker', id: W1, label: 'pc1box' } })
    expect(down[0]!.related).toEqual(expect.arrayContaining([{ kind: 'sector', id: '7' }, { kind: 'sector', id: '8' }]))
    expect(down[0]!.title.params).toMatchObject({ host: 'pc1box', jobs: 2, sectors: '7, 8' })
    expect(down[0]!.remedies.map((r) => r.action?.kind)).toEqual(['wps', 'killw'])
    // The sectors' overdue PC1 is the same root cause: folded into the worker.
    expect(only(all, 'stage-overdue')).toEqual([])
    rendered(down[0]!)
  })

  it('a gone worker holding ret-wait calls is critical, with runworker and the aborts', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok({})
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(7200), hostname: 'c2box', task: 'seal/v0/commit/2', sector: 9 })]))
    const memory = emptyMemory()
    memory.workers = { [W1]: { id: W1, hostname: 'c2box', enabled: true, tasks: ['C2'], cpus: 1, cpuUse: 0, memPhysical: 1, memUsed: 0, memSwap: 0, memSwapUsed: 0, gpus: [], gpuUsed: 0, taskCounts: {}, lastSeen: NOW - 600_000, missing: true, missingSince: NOW - 600_000 } }
    const all = evaluate(facts({ raw, memory }))
    const down = only(all, 'worker-down')
    expect(down[0]).toMatchObject({ severity: 'critical', subject: { kind: 'worker', id: W1 }, title: { key: 'findings.worker-down.gone.title' } })
    expect(down[0]!.remedies.map((r) => r.action)).toEqual([{ kind: 'runworker', start: 'workerC2' }, { kind: 'wps', flag: 'c2box' }, { kind: 'abort', job: CALL }])
    expect(only(all, 'job-uncollected')).toEqual([])
  })

  it('a worker missing since a miner restart while its calls still run is busy, not gone, until they are due', () => {
    // Lotus: after the miner restarted, the worker re-registers only once its PC1 (begun an hour ago) ends.
    const raw = conformanceRaw()
    raw.miner.workerStats = ok({})
    const pc1 = (startSec: number) => ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(startSec), hostname: 'pc1box', task: 'seal/v0/precommit/1', sector: 9 })]))
    const memory = emptyMemory()
    memory.workers = { [W1]: { id: W1, hostname: 'pc1box', enabled: true, tasks: ['PC1'], cpus: 1, cpuUse: 0, memPhysical: 1, memUsed: 0, memSwap: 0, memSwapUsed: 0, gpus: [], gpuUsed: 0, taskCounts: {}, lastSeen: NOW - 600_000, missing: true, missingSince: NOW - 600_000 } }
    raw.miner.workerJobs = pc1(3600)
    expect(only(evaluate(facts({ raw, memory })), 'worker-down').map((f) => [f.severity, f.title.key])).toEqual([['info', 'findings.worker-down.returning.title']])
    // Its PC1 was due 10 minutes ago and it has not come back: gone.
    raw.miner.workerJobs = pc1(RUNBOOK_DURATIONS.PC1 + 600)
    expect(only(evaluate(facts({ raw, memory })), 'worker-down').map((f) => f.subject.id)).toEqual([W1])
  })

  it('a worker that dropped out as the miner restarted, with no call listed for it, is busy for at most the longest task it runs', () => {
    // Lotus: a call sent as the old miner stopped is not tracked by the new one; the worker still
    // runs it and registers again only once every local task has ended.
    const raw = conformanceRaw()
    raw.miner.workerStats = ok({})
    raw.miner.workerJobs = ok(jobsMap([]))
    const session = (raw.miner.session as { ok: true; value: string }).value
    const at = (restartAgoSec: number, droppedAfterSec = 0, firstSession = false) => {
      const memory = emptyMemory()
      memory.minerSession = { id: session, since: firstSession ? null : NOW - restartAgoSec * 1000 }
      const went = NOW - (restartAgoSec - droppedAfterSec) * 1000
      memory.workers = { [W1]: { id: W1, hostname: 'pc1box', enabled: true, tasks: ['AP', 'PC1'], cpus: 1, cpuUse: 0, memPhysical: 1, memUsed: 0, memSwap: 0, memSwapUsed: 0, gpus: [], gpuUsed: 0, taskCounts: {}, lastSeen: went - 30_000, missing: true, missingSince: went } }
      return only(evaluate(facts({ raw, memory })), 'worker-down').map((f) => [f.severity, f.title.key])
    }
    // Ten minutes after the restart its PC1 (3 h 10 min) may still run.
    expect(at(600)).toEqual([['info', 'findings.worker-down.returning.titleUntracked']])
    // Past the longest task it runs (and the grace): gone.
    expect(at(RUNBOOK_DURATIONS.PC1 + 200)).toEqual([['warning', 'findings.worker-down.gone.titleIdle']])
    // Dropped out five minutes after the restart: not the restart's doing.
    expect(at(600, 300)).toEqual([['warning', 'findings.worker-down.gone.titleIdle']])
    // The first session MinerDesk saw: when it began is unknown.
    expect(at(600, 0, true)).toEqual([['warning', 'findings.worker-down.gone.titleIdle']])
  })

  it('while it finishes them, one info finding holds its calls and the sectors queued for its tasks, not one overdue each', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok({})
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(3600), hostname: 'pc1box', task: 'seal/v0/precommit/1', sector: 9 })]))
    const memory = emptyMemory()
    memory.workers = { [W1]: { id: W1, hostname: 'pc1box', enabled: true, tasks: ['PC1'], cpus: 1, cpuUse: 0, memPhysical: 1, memUsed: 0, memSwap: 0, memSwapUsed: 0, gpus: [], gpuUsed: 0, taskCounts: {}, lastSeen: NOW - 600_000, missing: true, missingSince: NOW - 600_000 } }
    // Sector 10 entered PreCommit1 7 h ago and no worker has taken it: it waits for pc1box.
    const sectors = [sector(9, 'PreCommit1', [entry('SectorTicket', nowSec - 3600)]), sector(10, 'PreCommit1', [entry('SectorTicket', nowSec - 7 * 3600)])]
    const all = evaluate(facts({ raw, memory, sectors }))
    const down = only(all, 'worker-down')
    expect(down.map((f) => [f.severity, f.title.key, f.subject.id])).toEqual([['info', 'findings.worker-down.returning.title', W1]])
    expect(down[0]!.related.filter((r) => r.kind === 'sector').map((r) => r.id)).toEqual(['9', '10'])
    expect(down[0]!.consequence.params).toMatchObject({ queued: 1, waiting: '10', waitTasks: 'PC1' })
    expect(down[0]!.remedies.map((r) => r.text.key)).toEqual(['findings.worker-down.returning.remedy.wait', 'findings.worker-down.returning.remedy.host'])
    expect(only(all, 'stage-overdue')).toEqual([])
    rendered(down[0]!)
  })
})

describe('overdue at every stage, by one rule', () => {
  it('gives a sub-minute step a minute beyond its time; every real duration keeps factor ×', () => {
    // The demo's AddPiece (2 min at 60×: 2 s) waiting for its worker to come up is not overdue at 9 s.
    expect(timingLevel(9, 2, 2)).toBe('late')
    expect(timingLevel(63, 2, 2)).toBe('overdue')
    // Real durations: AddPiece 2 min, C1+C2 15 min, PC1 3 h 10 min: factor × as before.
    expect(timingLevel(241, 120, 2)).toBe('overdue')
    expect(timingLevel(239, 120, 2)).toBe('late')
    expect(timingLevel(2 * 910 + 1, 910, 2)).toBe('overdue')
    expect(timingLevel(3 * 11400 + 1, 11400, 3)).toBe('overdue')
    expect(timingLevel(3 * 11400 - 1, 11400, 3)).toBe('late')
  })

  it('is late past 1× and overdue past the factor, with one elapsed time for the sector and its job', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok(workerStats([{ id: W1, hostname: 'pc1box' }]))
    raw.miner.workerJobs = ok(jobsMap([job({ worker: W1, sector: 7, task: 'seal/v0/precommit/1', runWait: 0, start: ago(4 * 3600) }), job({ worker: W1, id: '33333333-61bd-45a5-bc08-af05f1c26e5d', sector: 8, task: 'seal/v0/precommit/1', runWait: 0, start: ago(7 * 3600) })]))
    const sectors = [sector(7, 'PreCommit1', [entry('SectorTicket', nowSec - 4 * 3600)]), sector(8, 'PreCommit1', [entry('SectorTicket', nowSec - 7 * 3600)])]
    const f = facts({ raw, sectors })
    expect(f.timings.get(7)).toMatchObject({ level: 'late', elapsedSec: 4 * 3600, expectedSec: RUNBOOK_DURATIONS.PC1 })
    expect(f.timings.get(8)).toMatchObject({ level: 'overdue', elapsedSec: 7 * 3600 })
    const over = only(evaluate(f), 'stage-overdue')
    expect(over.map((x) => [x.severity, x.title.params.sectors, x.title.params.elapsed])).toEqual([
      ['warning', '8', '7h'],
      ['info', '7', '4h']
    ])
    expect(over[0]!.remedies.find((r) => r.action?.kind === 'abort')?.action).toEqual({ kind: 'abort', job: '33333333-61bd-45a5-bc08-af05f1c26e5d' })
    // The factor is the setting: at ×4 sector 8 is only late.
    expect(facts({ raw, sectors, factor: 4 }).timings.get(8)?.level).toBe('late')
  })

  it('a job that waited for a worker and now runs at its pace started late (info), it is not a slow worker', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok(workerStats([{ id: W1, hostname: 'pc2box' }]))
    // Sector 12 entered PreCommit2 3 h ago; its PC2 (1 h expected) began on pc2box 20 min ago.
    raw.miner.workerJobs = ok(jobsMap([job({ worker: W1, sector: 12, task: 'seal/v0/precommit/2', runWait: 0, start: ago(1200), hostname: 'pc2box' })]))
    const sectors = [sector(12, 'PreCommit2', [entry('SectorPreCommit1', nowSec - 3 * 3600)])]
    const f = facts({ raw, sectors })
    expect(f.timings.get(12)).toMatchObject({ level: 'overdue', elapsedSec: 3 * 3600 })
    const over = only(evaluate(f), 'stage-overdue')
    expect(over.map((x) => [x.severity, x.title.key])).toEqual([['info', 'findings.stage-overdue.started-late.title']])
    expect(over[0]!.cause.params).toMatchObject({ waited: '2h40m', ran: '20m', host: 'pc2box' })
    expect(over[0]!.remedies.map((r) => r.action)).toEqual([undefined])
    rendered(over[0]!)
  })

  it('a job that waited, then runs a little past its expected time or has just begun preparing, started late too', () => {
    // Seen in the hour-long demo soak: a PC2 that waited 1 min 4 s and had run 61 s of its 60 s; one
    // prepared 1 s after waiting 2 min 4 s. Here at the runbook's scale (PC2 1 h, factor 2).
    const raw = conformanceRaw()
    raw.miner.workerStats = ok(workerStats([{ id: W1, hostname: 'pc2box', tasks: ['seal/v0/precommit/2'] }]))
    const sectors = [sector(12, 'PreCommit2', [entry('SectorPreCommit1', nowSec - 7440)])]
    for (const [runWait, ranSec] of [
      [0, 3660],
      [1, 60]
    ] as const) {
      raw.miner.workerJobs = ok(jobsMap([job({ worker: W1, sector: 12, task: 'seal/v0/precommit/2', runWait, start: ago(ranSec), hostname: 'pc2box' })]))
      const over = only(evaluate(facts({ raw, sectors })), 'stage-overdue')
      expect(over.map((x) => [x.severity, x.title.key]), `RunWait ${runWait}`).toEqual([['info', 'findings.stage-overdue.started-late.title']])
    }
    // Running past twice its hour is the worker's own slowness.
    raw.miner.workerJobs = ok(jobsMap([job({ worker: W1, sector: 12, task: 'seal/v0/precommit/2', runWait: 0, start: ago(7300), hostname: 'pc2box' })]))
    expect(only(evaluate(facts({ raw, sectors })), 'stage-overdue').map((x) => [x.severity, x.title.key])).toEqual([['warning', 'findings.stage-overdue.running.title']])
  })

  it('a job a worker has taken while it runs others at their pace waits its turn (info); behind a slow one it is queued (warning)', () => {
    const raw = conformanceRaw()
    raw.miner.workerStats = ok(workerStats([{ id: W1, hostname: 'pc2box', tasks: ['seal/v0/precommit/2'] }]))
    // Sector 12 entered PreCommit2 2 h 30 min ago; pc2box took its PC2 (assigned, RunWait 2) and runs
    // sector 11's, begun 40 min ago (1 h expected).
    const jobs = (runningForSec: number) =>
      ok(
        jobsMap([
          job({ worker: W1, id: '33333333-61bd-45a5-bc08-af05f1c26e5d', sector: 11, task: 'seal/v0/precommit/2', runWait: 0, start: ago(runningForSec), hostname: 'pc2box' }),
          job({ worker: W1, id: ZERO_UUID, sector: 12, task: 'seal/v0/precommit/2', runWait: 2, start: ago(3 * 3600), hostname: 'pc2box' })
        ])
      )
    const sectors = [sector(11, 'PreCommit2', [entry('SectorPreCommit1', nowSec - 2400)]), sector(12, 'PreCommit2', [entry('SectorPreCommit1', nowSec - 9000)])]
    raw.miner.workerJobs = jobs(2400)
    const over = only(evaluate(facts({ raw, sectors })), 'stage-overdue')
    expect(over.map((x) => [x.severity, x.title.key])).toEqual([['info', 'findings.stage-overdue.behind.title']])
    expect(over[0]!.cause.params).toMatchObject({ host: 'pc2box', ahead: 1, task: 'PC2', sectors: '12' })
    rendered(over[0]!)
    // The PC2 ahead has run 2 h 30 min (over twice its hour): it runs late, and the job queued behind it is stuck.
    raw.miner.workerJobs = jobs(9000)
    const stuck = evaluate(facts({ raw, sectors: [sector(11, 'PreCommit2', [entry('SectorPreCommit1', nowSec - 9000)]), sectors[1]!] })).filter((x) => x.kind === 'stage-overdue' || x.kind === 'job-uncollected')
    expect(stuck.map((x) => [x.severity, x.title.key, x.title.params.sectors]).sort()).toEqual([
      ['warning', 'findings.job-uncollected.assigned.title', '12'],
      ['warning', 'findings.stage-overdue.running.title', '11']
    ])
  })

  it('gives every state Lotus has an expected time or a rule', () => {
    for (const state of SECTOR_STATES) {
      const r = stageRule(state, { durations: RUNBOOK_DURATIONS, blockDelay: 30 })
      if (r.class === 'done' || r.class === 'manual') expect(r.expectedSec, state).toBeNull()
      else expect(r.expectedSec, state).toBeGreaterThan(0)
    }
    expect(stageRule('Empty', { durations: RUNBOOK_DURATIONS, blockDelay: 30 })).toEqual({ class: 'batch', expectedSec: 6 * 3600 + 120 })
    expect(stageRule('GetTicket', { durations: RUNBOOK_DURATIONS, blockDelay: 30 }).class).toBe('handler')
    expect(stageRule('CommitWait', { durations: RUNBOOK_DURATIONS, blockDelay: 30 })).toEqual({ class: 'chain', expectedSec: 1800 })
    expect(stageRule('FailedUnrecoverable', { durations: RUNBOOK_DURATIONS, blockDelay: 30 }).class).toBe('manual')
  })

  it('a sector that has not moved for days in Empty, GetTicket, PreCommitWait or CommitWait is never "no error"', () => {
    const days = 3 * 86400
    const sectors = [
      sector(1, 'Empty', [entry('SectorStart', nowSec - days)], { CommitMsg: null, PreCommitMsg: null }),
      sector(2, 'GetTicket', [entry('SectorPacked', nowSec - days)], { CommitMsg: null, PreCommitMsg: null }),
      sector(3, 'PreCommitWait', [entry('SectorRetryPreCommitWait', nowSec - days)], { CommitMsg: null }),
      sector(4, 'CommitWait', [entry('SectorRetryCommitWait', nowSec - days)]),
      sector(5, 'FailedUnrecoverable', [entry('SectorForceState', nowSec - days, '', '{"User":{"State":"FailedUnrecoverable"}}')])
    ]
    const all = evaluate(facts({ sectors }))
    const named = new Set(all.flatMap((f) => f.related.filter((r) => r.kind === 'sector').map((r) => r.id)))
    expect([...named].sort()).toEqual(['1', '2', '3', '4', '5'])
    expect(only(all, 'sector-stuck')[0]).toMatchObject({ title: { key: 'findings.sector-stuck.manual.title', params: { state: 'FailedUnrecoverable', sectors: '5' } } })
    for (const f of all) rendered(f)
  })
})

describe('faulty and recovering sectors by number', () => {
  it('names the sectors, deadline, partition, next due time, a proving check and the sector pages', () => {
    const raw = conformanceRaw()
    const parts: Partition[] = [
      { AllSectors: encode([3, 4, 5, 6]), FaultySectors: encode([4, 5]), RecoveringSectors: encode([5]), LiveSectors: encode([3, 4, 5, 6]), ActiveSectors: encode([3, 6]) }
    ]
    raw.chain.partitions = [ok(parts)]
    const all = evaluate(facts({ raw }))
    const f = only(all, 'sectors-faulty')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'critical', subject: { kind: 'deadline', id: '0' }, title: { params: { deadline: 0, faults: 2, recoveries: 1, sectors: '4, 5' } } })
    expect(f[0]!.related).toEqual([{ kind: 'sector', id: '4' }, { kind: 'sector', id: '5' }])
    expect(f[0]!.deadline).toBeGreaterThan(0)
    expect(f[0]!.remedies.map((r) => r.action)).toEqual([{ kind: 'proving-check', deadline: 0 }, { kind: 'status', sector: 4 }, { kind: 'status', sector: 5 }, undefined])
    expect(f[0]!.evidence[0]?.value).toBe('deadline 0 partition 0: faulty [4, 5] recovering [5]')
    rendered(f[0]!)
  })
})

describe('sync workers in the error stage', () => {
  const BAD = 'bafy2bzacecnamqgqmifpluoeldx7zzglxcljo6oja4vrmtj7432rphldpdmm2'
  const message = `chain linked to block marked previously as bad ([bafy2bzaceaalh3mr6gmdkl6uhj2m4mqmnowxrxpvu73nqhhb5eo6pvltvd5nu], ${BAD}) (reason: linked to ${BAD} caused by: [bafy2bzacea2qzlqgxfn4ewy6ik2xu6mx3sn4dbchrrjgxjeadqtqbx3cnogh6] validating block: block height too far in future)`

  it("gives Lotus's message and check-bad / unmark-bad of the bad block, apart from `behind`", () => {
    const raw = conformanceRaw()
    const doc = (raw.daemon.head as { ok: true; value: { Height: number } }).value
    raw.daemon.syncState = ok({ ActiveSyncs: [{ WorkerID: 31050, Base: null, Target: null, Stage: 5, Height: doc.Height, Start: '2025-04-09T12:00:00Z', End: '2025-04-09T12:00:03Z', Message: message }], VMApplied: 0 })
    raw.daemon.nodeStatus = ok({ SyncStatus: { Epoch: doc.Height, Behind: 40 }, PeerStatus: { PeersToPublishMsgs: 1, PeersToPublishBlocks: 1 }, ChainStatus: { BlocksPerTipsetLast100: 1, BlocksPerTipsetLastFinality: 1 } })
    const all = evaluate(facts({ raw }))
    const f = only(all, 'sync-error')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'critical', subject: { kind: 'sync-worker', id: '31050' }, title: { key: 'findings.sync-error.bad-block.title' } })
    expect(f[0]!.remedies.map((r) => r.action)).toEqual([{ kind: 'sync-check-bad', cid: BAD }, { kind: 'sync-unmark-bad', cid: BAD }])
    expect(f[0]!.evidence).toContainEqual({ label: 'evidence.lotusMessage', value: message })
    // "Behind" is the consequence of this root cause, not a finding of its own.
    expect(only(all, 'sync-behind')).toEqual([])
    expect(rendered(f[0]!).join('\n')).toContain(`lotus sync unmark-bad ${BAD}`)
  })
})

describe('retry loops', () => {
  it('counts failures across the whole log, with the span and the last cause', () => {
    const log = [entry('SectorStartCC', nowSec - 5 * 86400)]
    for (let i = 0; i < 40; i++) {
      const t = nowSec - 4 * 86400 + i * 3600
      log.push(entry('SectorComputeProofFailed', t, 'computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated'))
      log.push(entry('SectorRetryComputeProof', t + 60))
    }
    const all = evaluate(facts({ sectors: [sector(12, 'ComputeProofFailed', log, { CommitMsg: null })] }))
    const f = only(all, 'retry-loop')
    expect(f).toHaveLength(1)
    expect(f[0]!.title.params).toMatchObject({ sectors: '12', failures: 40, atLeast: '', span: '39h' })
    expect(f[0]!.remedies.map((r) => r.text.key)).toEqual(['findings.sector-error.invalid-vanilla-proof.remedy.files', 'findings.retry-loop.remedy.remove'])
    expect(only(all, 'sector-error')).toEqual([])
    rendered(f[0]!)
  })

  it('counts a log Lotus cut at 8000 entries as at least that long', () => {
    // What logAppend leaves: entries 0..1999, then 6000.. — here 4002 entries with the jump at 2000.
    const log = []
    for (let i = 0; i < 4002; i++) {
      const t = i < 2000 ? nowSec - 6 * 86400 + i * 30 : nowSec - 86400 + (i - 2000) * 30
      log.push(i % 2 === 0 ? entry('SectorCommitFailed', t, 'proof validation failed, sector not found in sector set after cron') : entry('SectorRetryComputeProof', t))
    }
    const all = evaluate(facts({ sectors: [sector(13, 'CommitFailed', log)] }))
    expect(only(all, 'retry-loop')[0]!.title.params).toMatchObject({ atLeast: '≥', failures: 2001 })
    expect(only(all, 'retry-loop')[0]!.evidence[0]?.value).toContain('log cut by Lotus')
  })
})

describe('commit and aggregate failures read by the exit code', () => {
  const trace = (code: number) => `submitting sector proof failed (exit=${code}, msg=${MSG}) (t:07; s:07(10101); p:796279746520617272617979)`

  it('groups the sectors of a failed aggregate (exit 16) with the remedy for an invalid proof, not for funds', () => {
    const sectors = [21, 22, 23].map((n) => sector(n, 'CommitFailed', [entry('SectorCommitAggregateSent', nowSec - 3600), entry('SectorCommitFailed', nowSec - 600, trace(16))]))
    sectors[1]!.Log!.push(entry('SectorCommitFailed', nowSec - 300, 'commit check error: invalid proof (compute error?)'))
    const f = only(evaluate(facts({ sectors })), 'commit-failed')
    expect(f).toHaveLength(1)
    expect(f[0]).toMatchObject({ severity: 'critical', subject: { kind: 'message', id: MSG }, title: { key: 'findings.commit-failed.exit16.title', params: { code: 16, name: 'ErrIllegalArgument', n: 3, bad: '22' } } })
    expect(f[0]!.remedies[0]!.action).toEqual({ kind: 'remove', sectors: [22] })
    expect(f[0]!.remedies.map((r) => r.text.key).join(' ')).not.toMatch(/fund/)
    rendered(f[0]!)
  })

  it('exit 19 asks to fund the miner actor; exit 6 and 7 come from receipts Lotus retried by itself', () => {
    const m6 = 'bafy2bzacedq6hgwsqv5rwkx2q5ii5v4qsyxkmjydxcgqdfccydm2h6ojtlxmy'
    const m7 = 'bafy2bzacebw2iwq6k6hsx3eojdsd6kfhayyplxvz6l3gtcnqzvrg6gyrk5l6w'
    const sectors = [
      sector(31, 'CommitFailed', [entry('SectorCommitFailed', nowSec - 60, trace(19))]),
      sector(32, 'SubmitCommit', [entry('SectorRetrySubmitCommit', nowSec - 60)], { CommitMsg: { '/': m6 } }),
      sector(33, 'SubmitCommit', [entry('SectorRetrySubmitCommit', nowSec - 60)], { CommitMsg: { '/': m7 } })
    ]
    const f = only(evaluate(facts({ sectors, receipts: { [m6]: 6, [m7]: 7 } })), 'commit-failed')
    expect(f.map((x) => [x.title.key, x.severity])).toEqual([
      ['findings.commit-failed.exit19.title', 'critical'],
      ['findings.commit-failed.exit6.title', 'warning'],
      ['findings.commit-failed.exit7.title', 'info']
    ])
    expect(f[0]!.remedies.map((r) => r.text.key)).toEqual(['findings.commit-failed.exit19.remedy.fund-actor', 'findings.commit-failed.exit19.remedy.collateral'])
    for (const x of f) rendered(x)
  })
})

describe('one finding per root cause', () => {
  it('a miner that is down explains its jobs, workers and sectors', () => {
    const raw = conformanceRaw()
    raw.miner = { version: { ok: false, error: { code: 'lotus/miner-down', message: 'connection refused' } }, session: null, actor: null, summary: null, workerStats: null, workerJobs: null }
    const all = evaluate(facts({ raw, sectors: [sector(7, 'PreCommit1', [entry('SectorTicket', nowSec - 9 * 3600)], { CommitMsg: null })] }))
    expect(all.map((f) => f.kind)).toEqual(['miner-down'])
  })

  it('keeps `since` across evaluations', () => {
    const raw = conformanceRaw()
    raw.miner.workerJobs = ok(jobsMap([job({ worker: ZERO_UUID, runWait: -1, start: ago(3 * 3600), hostname: 'pc2box' })]))
    const first = evaluate(facts({ raw }))
    const again = evaluate(facts({ raw: conformanceRaw(NOW + 60_000), now: NOW + 60_000 }), first)
    expect(again).toEqual([])
    const raw2 = conformanceRaw(NOW + 60_000)
    raw2.miner.workerJobs = raw.miner.workerJobs
    const second = evaluate(facts({ raw: raw2, now: NOW + 60_000 }), first)
    expect(second[0]!.since).toBe(NOW)
    expect(HEAD_TS).toBeGreaterThan(0)
  })
})
