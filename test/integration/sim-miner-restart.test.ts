import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootSite, createTestSite, minerRpc, prepareBundle, type Booted, type SiteProcess, type TestSite } from '../support/sim/minerSite'

/**
 * Stopping and starting the miner the way operators do (runbook §6): clean `lotus-miner stop`,
 * state kept across restarts, the warm-up lines after each start, jobs still running on workers
 * shown as ret-wait and picked up again, a kill -9 leaving its lock behind; and the operator's
 * commands on sectors: update-state (unvalidated by the API), remove during a job, abort.
 */

let dir: string
let site: TestSite
let booted: Booted
let miner: SiteProcess

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdsim-miner-restart-'))
  const bundle = await prepareBundle(dir)
  site = await createTestSite({ dir, bundle, speed: 300, sectors: 20, sectorDeadlines: 'far' })
  booted = await bootSite(site)
  miner = booted.miner
}, 120_000)

afterAll(async () => {
  await site?.stopAll()
  rmSync(dir, { recursive: true, force: true })
})

type Jobs = Record<string, { ID: { ID: string }; Sector: { Number: number }; Task: string; RunWait: number; Hostname?: string }[]>
const repo = () => join(site.cfg.home, '.lotusminer')
const status = (n: number) => minerRpc<{ State: string; Log: { Kind: string; Message: string; Trace: string }[] }>(site, 'SectorsStatus', [n, false])

async function until<T>(f: () => Promise<T | undefined | null | false>, ms: number, what: string): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = await f().catch(() => undefined)
    if (v) return v
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

async function startMiner(): Promise<SiteProcess> {
  const from = existsSync(join(site.cfg.home, 'miner.log')) ? readFileSync(join(site.cfg.home, 'miner.log')).length : 0
  const p = site.start('lotus-miner', ['run'], 'miner.log')
  await p.waitFor(/Remote version/, 60_000, from)
  return p
}

describe('miner stop and start', () => {
  it('stop → state kept, start → warm-up again, running jobs shown as ret-wait and picked up', async () => {
    // Sector 19 starts in PreCommit1; wait until its PC1 runs on the PC1 worker.
    const pc1Job = await until(async () => Object.values(await minerRpc<Jobs>(site, 'WorkerJobs')).flat().find((j) => j.Sector.Number === 19 && j.Task === 'seal/v0/precommit/1' && j.RunWait === 0), 30_000, 'PC1 running')
    const summary = await minerRpc<Record<string, number>>(site, 'SectorsSummary')
    const session = await minerRpc<string>(site, 'Session')

    const stop = site.run('lotus-miner', ['stop'])
    expect(stop).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(await miner.exited()).toBe(0)
    const log = readFileSync(miner.log, 'utf8')
    expect(log).toMatch(/\tWARN\tbuilder\tnode\/shutdown\.go:33\treceived shutdown\n.*\tWARN\tbuilder\tnode\/shutdown\.go:36\tShutting down\.\.\.\n/)
    expect(log).toContain('\tWARN\tbuilder\tnode/shutdown.go:47\tGraceful shutdown successful')
    expect(existsSync(join(repo(), 'api'))).toBe(false)
    expect(existsSync(join(repo(), 'repo.lock'))).toBe(false)
    const down = site.run('lotus-miner', ['sealing', 'jobs'])
    expect(down.stderr).toBe(`ERROR: could not get API info for StorageMiner: could not get api endpoint: No file (${repo()}/api): API not running (no endpoint)\n\n`)

    const from = readFileSync(miner.log).length
    miner = await startMiner()
    const fresh = () => readFileSync(miner.log, 'utf8').slice(from)
    await miner.waitFor(/winning PoSt warmup successful/, 20_000, from)
    expect(fresh()).toMatch(/\tINFO\tminer\tminer\/warmup\.go:52\tstarting winning PoSt warmup\t\{"sector": "\d+"\}\n/)
    expect(fresh()).toMatch(/\tINFO\tminer\tminer\/warmup\.go:87\twinning PoSt warmup successful\t\{"took": \d+\.\d+\}\n/)
    expect(fresh()).toContain('\tINFO\twdpost\twdpost/wdpost_sched.go:170\trestarting window post scheduler')
    expect(await minerRpc<string>(site, 'Session')).not.toBe(session)
    // Every sector is still there; a sector that finished a step while the stop was on its way
    // (a commit sent before the miner exited) is recorded one state further, never one back.
    const after = await minerRpc<Record<string, number>>(site, 'SectorsSummary')
    const total = (x: Record<string, number>) => Object.values(x).reduce((a, b) => a + b, 0)
    expect(total(after)).toBe(total(summary))
    expect(after.Proving ?? 0).toBeGreaterThanOrEqual(summary.Proving ?? 0)
    expect(after.PreCommit1).toBe(summary.PreCommit1)

    // The PC1 keeps running on the worker; the new miner shows it as ret-wait (zero worker ID).
    const jobs = await minerRpc<Jobs>(site, 'WorkerJobs')
    const retWait = jobs['00000000-0000-0000-0000-000000000000']?.find((j) => j.ID.ID === pc1Job.ID.ID)
    expect(retWait).toMatchObject({ RunWait: -1, Hostname: 'site-1-pc1', Task: 'seal/v0/precommit/1' })
    const text = site.run('lotus-miner', ['sealing', 'jobs']).stdout
    expect(text).toMatch(new RegExp(`^${pc1Job.ID.ID.slice(0, 8)}  19 +00000000  site-1-pc1  PC1   ret-wait  `, 'm'))
    // The worker notices the new miner and re-registers once its task is done; the sector goes on.
    const pc1 = booted.workers.get('site-1-pc1') as SiteProcess
    await pc1.waitFor(/\tERROR\tworker\tworker\/worker\.go:778\tLOTUS-MINER CONNECTION LOST$/, 20_000)
    await pc1.waitFor(/Redeclaring local storage/, 1000)
    await until(async () => ['PreCommit2', 'SubmitPreCommitBatch', 'PreCommitBatchWait', 'WaitSeed'].includes((await status(19)).State), 60_000, 'sector 19 past PreCommit1')
    expect((await status(19)).Log.filter((l) => l.Kind === 'event;sealing.SectorPreCommit1')).toHaveLength(1)
    // Re-registration comes after the lost connection (a worker whose miner is down when it tries
    // to register gives up and exits, as Lotus's does).
    const lost = readFileSync(pc1.log, 'utf8').lastIndexOf('LOTUS-MINER CONNECTION LOST')
    await pc1.waitFor(/Worker registered successfully/, 30_000, Buffer.byteLength(readFileSync(pc1.log, 'utf8').slice(0, lost)))
  }, 150_000)

  it('kill -9 leaves api and repo.lock; the next start takes over the dead lock', async () => {
    miner.proc.kill('SIGKILL')
    await miner.exited()
    expect(existsSync(join(repo(), 'api'))).toBe(true)
    expect(readFileSync(join(repo(), 'repo.lock'), 'utf8')).toBe(String(miner.proc.pid))
    miner = await startMiner()
    expect(readFileSync(join(repo(), 'repo.lock'), 'utf8')).toBe(String(miner.proc.pid))
    expect((await minerRpc<number[]>(site, 'SectorsList')).length).toBeGreaterThanOrEqual(20)
  }, 90_000)
})

describe('operator commands on sectors', () => {
  it('SectorsUpdate does not validate the state name; the FSM logs the unexpected state', async () => {
    expect(await minerRpc(site, 'SectorsUpdate', [4, 'NotAState'])).toBeNull()
    const s = await until(async () => {
      const x = await status(4)
      return x.Log.at(-1)?.Kind.startsWith('error;') ? x : null
    }, 5000, 'planner error')
    expect(s.State).toBe('NotAState')
    expect(s.Log.slice(-2).map((l) => [l.Kind, l.Message])).toEqual([
      ['event;sealing.SectorForceState', '{"User":{"State":"NotAState"}}'],
      ['error;*xerrors.errorString', 'state machine error: unexpected sector update state: NotAState']
    ])
    expect(site.run('lotus-miner', ['sectors', 'list', '--fast']).stdout).toMatch(/^4 +NotAState +YES/m)
    await miner.waitFor(/\tERROR\tsectors\tpipeline\/fsm\.go:587\tunexpected sector update state: NotAState$/, 2000)
    expect(site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', '4', 'Proving']).code).toBe(0)
    await until(async () => (await status(4)).State === 'Proving', 5000, 'back to Proving')
  })

  it('update-state of a Proving sector to Committing finds its commit on chain and returns to Proving through finalize', async () => {
    expect(site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', '6', 'Committing']).code).toBe(0)
    const s = await until(async () => {
      const x = await status(6)
      return x.Log.at(-1)?.Kind === 'event;sealing.SectorFinalized' && x.State === 'Proving' ? x : null
    }, 60_000, 'sector 6 Proving again')
    const tail = s.Log.slice(-8).map((l) => l.Kind.replace('event;sealing.', ''))
    expect(tail).toContain('SectorForceState')
    expect(tail.slice(-2)).toEqual(['SectorProving', 'SectorFinalized'])
  }, 70_000)

  it('remove during a running job: the job ends, the files go, the sector is Removed', async () => {
    const n = (await minerRpc<{ Number: number }>(site, 'PledgeSector')).Number
    const name = `s-t0${site.cfg.minerId}-${n}`
    const pc1Repo = site.cfg.workers.find((w) => w.kind === 'pc1')?.repo as string
    await until(async () => Object.values(await minerRpc<Jobs>(site, 'WorkerJobs')).flat().some((j) => j.Sector.Number === n && j.Task === 'seal/v0/precommit/1' && j.RunWait === 0), 30_000, 'PC1 running')
    await until(async () => existsSync(join(pc1Repo, 'cache', name)) && readdirSync(join(pc1Repo, 'cache', name)).length > 0, 20_000, 'layers written')
    const r = site.run('lotus-miner', ['sectors', 'remove', '--really-do-it', String(n)])
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' })
    await until(async () => (await status(n)).State === 'Removed', 10_000, 'Removed')
    const kinds = (await status(n)).Log.map((l) => l.Kind.replace('event;sealing.', ''))
    expect(kinds.slice(kinds.indexOf('SectorRemove'))).toContain('SectorRemoved')
    expect(existsSync(join(pc1Repo, 'cache', name))).toBe(false)
    expect(existsSync(join(pc1Repo, 'unsealed', name))).toBe(false)
    expect(Object.values(await minerRpc<Jobs>(site, 'WorkerJobs')).flat().filter((j) => j.Sector.Number === n && j.RunWait >= 0)).toEqual([])
    expect(site.run('lotus-miner', ['sectors', 'list']).stdout).not.toMatch(new RegExp(`^${n} `, 'm'))
    expect(site.run('lotus-miner', ['sectors', 'list', '-r', '--fast']).stdout).toMatch(new RegExp(`^${n} +Removed `, 'm'))
    expect(site.run('lotus-miner', ['sectors', 'update-state', '--really-do-it', String(n), 'Proving']).stderr).toBe('ERROR: normal shutdown of state machine\n\n')
  }, 60_000)

  it('sealing abort of a running PC1: the sector goes to SealPreCommit1Failed and retries', async () => {
    const n = (await minerRpc<{ Number: number }>(site, 'PledgeSector')).Number
    const job = await until(async () => Object.values(await minerRpc<Jobs>(site, 'WorkerJobs')).flat().find((j) => j.Sector.Number === n && j.Task === 'seal/v0/precommit/1' && j.RunWait === 0), 30_000, 'PC1 running')
    const out = site.run('lotus-miner', ['sealing', 'abort', job.ID.ID.slice(0, 6)])
    expect(out.stdout).toBe(`aborting job ${site.cfg.minerId}-${n}-${job.ID.ID}, task PC1, sector ${n}, running on host \n`)
    const s = await until(async () => {
      const x = await status(n)
      return x.Log.some((l) => l.Kind === 'event;sealing.SectorRetrySealPreCommit1') ? x : null
    }, 10_000, 'retry')
    expect(s.Log.find((l) => l.Kind === 'event;sealing.SectorSealPreCommit1Failed')?.Trace).toBe('seal pre commit(1) failed: storage call error 0: task aborted')
    expect(site.run('lotus-miner', ['sealing', 'abort', 'ffffffff']).stderr).toBe('ERROR: job with specified id prefix not found\n\n')
  }, 60_000)

  it('terminate a proving sector: TerminateSectors on chain, then the sector is removed', async () => {
    expect(site.run('lotus-miner', ['sectors', 'terminate', '--really-do-it', '7']).code).toBe(0)
    const s = await until(async () => {
      const x = await status(7)
      return x.State === 'Removed' ? x : null
    }, 60_000, 'terminated and removed')
    expect(s.Log.map((l) => l.Kind.replace('event;sealing.', '')).slice(-5)).toEqual(['SectorTerminate', 'SectorTerminating', 'SectorTerminated', 'SectorRemove', 'SectorRemoved'])
  }, 70_000)
})
