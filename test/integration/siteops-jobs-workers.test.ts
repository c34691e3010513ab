import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobRow, MutationPreview, SchedRequest, SiteSnapshot, WpsResult } from '../../preload/contract'
import { startSimSites, type SimSites } from '../support/simSites'
import { simWorkerPids, startCore, waitFor, type TestCore } from '../support/siteops'

/**
 * Jobs and workers through the real core, over real sshd, against two simulated sites that share
 * one host and one login (so scoping by site is really tested): abort the PC2 that hangs
 * (scenario job-hangs), wps, killw by flag (TERM then KILL, exact PIDs, the other site's
 * same-named workers untouched), and runworker.sh to bring the killed worker back.
 */

interface WorkerJobWire {
  ID: { Sector: { Miner: number; Number: number }; ID: string }
  Sector: { Number: number }
  Task: string
  RunWait: number
}

let sim: SimSites
let t: TestCore

beforeAll(async () => {
  sim = await startSimSites({ sites: 2, sectors: 40, speed: 60, scenarios: { 'site-1': ['job-hangs'] } })
  t = startCore(sim)
})

afterAll(async () => {
  await t?.close()
  await sim?.down()
})

const jobsOf = (alias: string) => sim.rpc<Record<string, WorkerJobWire[] | null>>(alias, 'miner', 'WorkerJobs')

describe('abort a sealing job (lotus-miner sealing abort)', () => {
  it('aborts the PC2 that hangs: full CallID previewed, the job gone, the sector retries PC2', async () => {
    const job = await waitFor('the PC2 of sector 38 to run', 30_000, async () =>
      Object.values(await jobsOf('site-1'))
        .flatMap((l) => l ?? [])
        .find((j) => j.Sector.Number === 38 && j.Task === 'seal/v0/precommit/2' && j.RunWait === 0)
    )
    const prefix = job.ID.ID.slice(0, 8).toUpperCase()
    const { preview, outcome } = await t.run('siteops:previewAbort', ['site-1', { job: prefix }])
    expect(preview.action).toBe('job.abort')
    expect(preview.confirm).toEqual({ kind: 'click' })
    expect(preview.steps).toEqual([{ kind: 'api', host: 'site-1', text: `Filecoin.SealingAbort ${JSON.stringify([job.ID])}` }])
    expect(preview.warnings[0]?.text).toBe(`aborting job ${job.ID.Sector.Miner}-38-${job.ID.ID}, task PC2, sector 38, running on host site-1-pc2`)
    expect(outcome.ok).toBe(true)
    expect(outcome.data).toEqual({ aborted: true })
    const after = Object.values(await jobsOf('site-1')).flatMap((l) => l ?? [])
    expect(after.some((j) => j.ID.ID === job.ID.ID)).toBe(false)
    const status = await waitFor('SectorSealPreCommit2Failed in the log of sector 38', 20_000, async () => {
      const s = await sim.rpc<{ Log: { Kind: string; Trace: string }[] }>('site-1', 'miner', 'SectorsStatus', [38, false])
      return s.Log.find((l) => l.Kind === 'event;sealing.SectorSealPreCommit2Failed') ? s : null
    })
    expect(status.Log.find((l) => l.Kind === 'event;sealing.SectorSealPreCommit2Failed')?.Trace).toBe('seal pre commit(2) failed: storage call error 0: task aborted')
    const audit = t.audit().filter((e) => e.action === 'job.abort')
    expect(audit.map((e) => e.result)).toEqual(['started', 'ok'])
    expect(audit[0]?.command).toBe(`site-1: Filecoin.SealingAbort ${JSON.stringify([job.ID])}`)
    expect(audit[0]?.via).toBe('web')
  })

  it('refuses what it cannot resolve: unknown prefix, queued 00000000, a scheduler request that is not queued', async () => {
    expect((await t.fails('siteops:previewAbort', ['site-1', { job: 'ffffffff' }])).code).toBe('not-found')
    const zero = await t.fails('siteops:previewAbort', ['site-1', { job: '00000000' }])
    expect(zero.code).toBe('invalid-input')
    expect(zero.hint).toMatch(/--sched/)
    expect((await t.fails('siteops:previewAbort', ['site-1', { job: '0123abcd-0000-4000-8000-000000000000', sched: true }])).code).toBe('not-found')
    expect((await t.fails('siteops:previewAbort', ['site-1', { job: '0123abcd', sched: true }])).code).toBe('invalid-input')
    expect(await t.ok<unknown[]>('siteops:schedRequests', ['site-1'])).toEqual(expect.any(Array))
  })

  it('the jobs of the snapshot carry elapsed time against the expected duration', async () => {
    const snap = await t.core.sites.get('site-2').poller.refresh()
    const jobs = (snap as SiteSnapshot).jobs?.list ?? []
    expect(jobs.length).toBeGreaterThan(0)
    const running = jobs.find((j: JobRow) => j.state === 'running')
    expect(running?.hostname).toMatch(/^site-2-/)
    expect(running?.timing?.expectedSec).toBeGreaterThan(0)
  })
})

describe('worker processes (wps.sh, killw.sh, runworker.sh)', () => {
  it("wps finds only the site's own workers although both sites' workers match the flag", async () => {
    const r = await t.ok<WpsResult>('siteops:wps', ['site-1', 'pc1'])
    expect(r.matchedBy).toBe('miner-api')
    expect(r.hosts).toHaveLength(1)
    const procs = r.hosts[0]!.processes
    expect(procs.map((p) => p.workerName)).toEqual(['site-1-pc1'])
    expect(procs[0]!.pid).toBe(simWorkerPids(sim.site('site-1').config.home).get('site-1-pc1'))
    expect(procs[0]!.role).toBe('worker')
    // site-2-pc1 (and other simulated sites on this machine) match "pc1" too: left out, counted.
    expect(r.hosts[0]!.othersSkipped).toBeGreaterThanOrEqual(1)
    const all = await t.ok<WpsResult>('siteops:wps', ['site-1', 'lotus'])
    expect(all.hosts[0]!.processes.map((p) => p.role).sort()).toEqual(['daemon', 'miner', 'worker', 'worker', 'worker'])
  })

  it('killw ends exactly the previewed PIDs after the flag is typed; the other site keeps its same-named worker', async () => {
    const site1 = sim.site('site-1').config.home
    const site2 = sim.site('site-2').config.home
    const pid1 = simWorkerPids(site1).get('site-1-pc1')
    const pid2 = simWorkerPids(site2).get('site-2-pc1')
    expect(pid1).toBeGreaterThan(1)
    expect(pid2).toBeGreaterThan(1)
    const preview = await t.ok<MutationPreview>('siteops:previewKillWorkers', ['site-1', 'pc1'])
    expect(preview.confirm).toEqual({ kind: 'type', expected: 'pc1' })
    expect(preview.steps[0]).toEqual({ kind: 'signal', host: 'site-1', text: `kill -TERM ${pid1}` })
    expect(preview.steps[1]?.text).toMatch(new RegExp(`^kill -KILL ${pid1} +\\(only those still running 10 s after TERM\\)$`))
    expect(preview.warnings.map((w) => w.text).join('\n')).toMatch(/site-1-pc1 \(pid \d+\)/)
    // A wrong confirmation runs nothing and leaves the preview waiting.
    const wrong = await t.call('ops:execute', [preview.id, 'pc2'])
    expect(!wrong.ok && wrong.error.code).toBe('mutation/not-confirmed')
    expect(simWorkerPids(site1).get('site-1-pc1')).toBe(pid1)
    const outcome = await t.ok<{ ok: boolean; steps: { status: string; output?: string }[] }>('ops:execute', [preview.id, 'pc1'])
    expect(outcome.ok).toBe(true)
    expect(outcome.steps[0]).toMatchObject({ status: 'ok', output: `TERM sent to site-1-pc1 (pid ${pid1})` })
    expect(['ok', 'skipped']).toContain(outcome.steps[1]?.status)
    expect(simWorkerPids(site1).has('site-1-pc1')).toBe(false)
    expect(simWorkerPids(site1).has('site-1-pc2')).toBe(true)
    expect(simWorkerPids(site2).get('site-2-pc1')).toBe(pid2)
    // Run once: the same preview cannot run again.
    expect((await t.fails('ops:execute', [preview.id, 'pc1'])).code).toBe('mutation/not-confirmed')
    // Nothing left to kill for this flag now.
    expect((await t.fails('siteops:previewKillWorkers', ['site-1', 'pc1'])).code).toBe('not-found')
    const audit = t.audit().filter((e) => e.action === 'workers.kill')
    expect(audit[0]).toMatchObject({ site: 'site-1', command: `site-1: kill -TERM ${pid1}`, result: 'started' })
    expect(audit[1]).toMatchObject({ result: 'ok' })
  })

  it('abort --sched removes a request waiting in the scheduler queue (SealingRemoveRequest)', async () => {
    // With the AddPiece worker gone (and the miner aware of it), a new sector's AP request waits in the queue.
    await waitFor('the miner to see site-1-pc1 gone', 30_000, async () => {
      const stats = await sim.rpc<Record<string, { Info: { Hostname: string }; Enabled: boolean }>>('site-1', 'miner', 'WorkerStats')
      return Object.values(stats).every((w) => w.Info.Hostname !== 'site-1-pc1' || !w.Enabled)
    })
    const { Number: sector } = await sim.rpc<{ Number: number }>('site-1', 'miner', 'PledgeSector')
    const req = await waitFor('the AP request of the pledged sector in the queue', 20_000, async () =>
      (await t.ok<SchedRequest[]>('siteops:schedRequests', ['site-1'])).find((r) => r.sector === sector && r.task === 'AP')
    )
    expect(req.schedId).toMatch(/^[0-9a-f-]{36}$/)
    const { preview, outcome } = await t.run('siteops:previewAbort', ['site-1', { job: req.schedId.toUpperCase(), sched: true }])
    expect(preview.action).toBe('job.remove-request')
    expect(preview.steps).toEqual([{ kind: 'api', host: 'site-1', text: `Filecoin.SealingRemoveRequest ${JSON.stringify([req.schedId])}` }])
    expect(outcome.ok).toBe(true)
    expect((await t.ok<SchedRequest[]>('siteops:schedRequests', ['site-1'])).some((r) => r.schedId === req.schedId)).toBe(false)
    expect(t.audit().filter((e) => e.action === 'job.remove-request').map((e) => e.result)).toEqual(['started', 'ok'])
    // Gone from the queue: removing it again finds nothing.
    expect((await t.fails('siteops:previewAbort', ['site-1', { job: req.schedId, sched: true }])).code).toBe('not-found')
  })

  it('a worker that ignores TERM gets KILL once the grace time is over', async () => {
    const home = sim.site('site-1').config.home
    const node = sim.site('site-1').config.node
    // A stand-in lotus-worker of site-1 (its MINER_API_INFO, its login) that traps TERM.
    const script = 'process.title="lotus-worker run --name site-1-stubborn --listen 127.0.0.1:1"; process.on("SIGTERM", () => {}); setInterval(() => {}, 1e6)'
    await sim.sshOk('site-1', `export $(lotus-miner auth api-info --perm admin); nohup '${node}' -e '${script}' > /dev/null 2>&1 < /dev/null &`)
    const pid = await waitFor('the stubborn worker', 10_000, () => simWorkerPids(home).get('site-1-stubborn'))
    const { preview, outcome } = await t.run('siteops:previewKillWorkers', ['site-1', 'stubborn'])
    expect(preview.steps.map((s) => s.text.split('   ')[0])).toEqual([`kill -TERM ${pid}`, `kill -KILL ${pid}`])
    expect(outcome.ok).toBe(true)
    expect(outcome.steps.map((s) => s.status)).toEqual(['ok', 'ok'])
    expect(outcome.steps[1]?.output).toBe(`KILL sent to site-1-stubborn (pid ${pid})`)
    expect(simWorkerPids(home).has('site-1-stubborn')).toBe(false)
    expect(t.audit().filter((e) => e.action === 'workers.kill' && e.command === `site-1: ${preview.steps[1]!.text}`).map((e) => e.result)).toEqual(['started', 'ok'])
  }, 40_000)

  it('runworker.sh starts the killed worker again; it registers with the miner', async () => {
    const home = sim.site('site-1').config.home
    const preview = await t.ok<MutationPreview>('siteops:previewRunWorker', ['site-1', { kind: 'worker' }])
    expect(preview.steps).toEqual([{ kind: 'command', host: 'site-1', text: `cd "$HOME" && sh -c ./runworker.sh` }])
    expect(preview.params).toMatchObject({ host: 'site-1', command: './runworker.sh', script: 'runworker.sh' })
    // site-1-pc2 and the C2 worker still run: the operator is told before confirming.
    expect(preview.warnings.map((w) => w.text).join('\n')).toMatch(/lotus-worker process\(es\) of this site already run on site-1: .*site-1-pc2/)
    const outcome = await t.ok<{ ok: boolean; data?: Record<string, unknown>; steps: { output?: string }[] }>('ops:execute', [preview.id, null])
    expect(outcome.ok).toBe(true)
    expect(outcome.steps[0]?.output).toMatch(/started site-1-pc1 \(pid \d+\)/)
    const pid = await waitFor('site-1-pc1 running again', 20_000, () => simWorkerPids(home).get('site-1-pc1'))
    await waitFor('site-1-pc1 registered with the miner', 30_000, async () => {
      const stats = await sim.rpc<Record<string, { Info: { Hostname: string }; Enabled: boolean }>>('site-1', 'miner', 'WorkerStats')
      return Object.values(stats).some((w) => w.Info.Hostname === 'site-1-pc1' && w.Enabled)
    })
    expect(pid).toBeGreaterThan(1)
    const audit = t.audit().filter((e) => e.action === 'workers.start')
    expect(audit.map((e) => e.result)).toEqual(['started', 'ok'])
    expect(audit[0]?.command).toBe('site-1: cd "$HOME" && sh -c ./runworker.sh')
  })

  it('runworkerC2.sh brings back the C2 worker; a host that is not the site\'s is refused', async () => {
    const home = sim.site('site-1').config.home
    const killed = await t.run('siteops:previewKillWorkers', ['site-1', 'site-1-c2'])
    expect(killed.outcome.ok).toBe(true)
    expect(simWorkerPids(home).has('site-1-c2')).toBe(false)
    const { preview, outcome } = await t.run('siteops:previewRunWorker', ['site-1', { kind: 'workerC2' }])
    expect(preview.steps[0]?.text).toBe('cd "$HOME" && sh -c ./runworkerC2.sh')
    expect(preview.action).toBe('workers.start-c2')
    expect(outcome.ok).toBe(true)
    expect(outcome.steps[0]?.output).toMatch(/started site-1-c2 \(pid \d+\)/)
    expect(simWorkerPids(home).has('site-1-c2')).toBe(true)
    const e = await t.fails('siteops:previewRunWorker', ['site-1', { kind: 'worker', host: 'site-2' }])
    expect(e.code).toBe('invalid-input')
    expect(e.hint).toMatch(/hosts of this site: site-1/)
  })
})
