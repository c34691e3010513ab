import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootSite, createTestSite, minerRpc, prepareBundle, workerArgs, workerEnv, type Booted, type TestSite } from '../support/sim/minerSite'

/**
 * The failure scenarios of the design doc on one site: compute-proof-failed (an initial
 * Committing sector fails C1 with "Invalid vanilla proof generated" and follows Lotus's retry
 * rules), job-hangs (a PC2 that only ends when aborted), precommit-funds (PreCommitFailed from the
 * node's MpoolPushMessage error), worker-dies (the PC1 worker process dies mid-PC1; when it comes back
 * it returns ErrTempWorkerRestart and the miner asks for the PC1 again) and warmup-fail.
 */

let dir: string
let site: TestSite
let booted: Booted

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdsim-miner-scenarios-'))
  const bundle = await prepareBundle(dir)
  site = await createTestSite({
    dir,
    bundle,
    speed: 300,
    sectors: 40,
    sectorDeadlines: 'far',
    scenarios: ['compute-proof-failed', 'job-hangs', 'precommit-funds', 'worker-dies', 'warmup-fail']
  })
  booted = await bootSite(site)
}, 120_000)

afterAll(async () => {
  await site?.stopAll()
  rmSync(dir, { recursive: true, force: true })
})

interface Status {
  State: string
  Log: { Kind: string; Trace: string; Message: string }[]
}

const status = (n: number) => minerRpc<Status>(site, 'SectorsStatus', [n, false])

async function waitLog(n: number, pred: (s: Status) => boolean, ms: number): Promise<Status> {
  const t0 = Date.now()
  for (;;) {
    const s = await status(n)
    if (pred(s)) return s
    if (Date.now() - t0 > ms) throw new Error(`sector ${n}: condition not reached; state ${s.State}, log ${s.Log.map((l) => l.Kind).join(', ')}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const kinds = (s: Status) => s.Log.map((l) => l.Kind.replace('event;sealing.', ''))

// The initial pipeline of 40 sectors: 36 Committing, 37 WaitSeed, 38 PreCommit2, 39 PreCommit1.
describe('failure scenarios', () => {
  it('warmup-fail: the warm-up after start fails', async () => {
    const line = await booted.miner.waitFor(/winning PoSt warmup/, 20_000)
    expect(line).toMatch(/\tINFO\tminer\tminer\/warmup\.go:52\tstarting winning PoSt warmup\t\{"sector": "\d+"\}$/)
    const failed = await booted.miner.waitFor(/winning PoSt warmup failed/, 20_000)
    expect(failed).toMatch(/\tERROR\tminer\tminer\/warmup\.go:94\twinning PoSt warmup failed\t\{"error": "failed to compute proof: faulty sectors \[SectorId\(\d+\)\]"\}$/)
  })

  it('compute-proof-failed: ComputeProofFailed within seconds, retried, then re-sealed from PC1', async () => {
    const s = await waitLog(36, (x) => kinds(x).includes('SectorSealPreCommit1Failed'), 30_000)
    const k = kinds(s)
    const first = k.indexOf('SectorComputeProofFailed')
    expect(k.slice(first, first + 7)).toEqual([
      'SectorComputeProofFailed', 'SectorRetryComputeProof', 'SectorComputeProofFailed', 'SectorRetryComputeProof',
      'SectorComputeProofFailed', 'SectorSealPreCommit1Failed', 'SectorRetrySealPreCommit1'
    ])
    const trace = s.Log[first]?.Trace ?? ''
    expect(trace.split('\n')[0]).toBe('computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated')
    expect(trace).toContain('Stack backtrace:\n   0: filecoin_proofs_api::seal::seal_commit_phase1_inner')
    expect(s.Log[first + 5]?.Trace).toBe('consecutive compute fails')
    const text = site.run('lotus-miner', ['sectors', 'status', '--log', '36']).stdout
    expect(text).toMatch(/\[event;sealing\.SectorComputeProofFailed\]\t\{"User":\{\}\}\n\tcomputing seal proof failed\(1\): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated\n/)
  }, 40_000)

  it('job-hangs: the PC2 never ends until aborted, then the sector retries and seals on', async () => {
    const pc2Running = async () => {
      const jobs = await minerRpc<Record<string, { ID: { ID: string }; Sector: { Number: number }; Task: string; RunWait: number; Start: string }[]>>(site, 'WorkerJobs')
      return Object.values(jobs).flat().find((j) => j.Sector.Number === 38 && j.Task === 'seal/v0/precommit/2' && j.RunWait === 0)
    }
    let job = await pc2Running()
    for (let i = 0; i < 100 && !job; i++) {
      await new Promise((r) => setTimeout(r, 200))
      job = await pc2Running()
    }
    expect(job).toBeDefined()
    // A PC2 takes 12 s at this speed; this one is still running long after it began.
    await new Promise((r) => setTimeout(r, Date.parse(job!.Start) + 16_000 - Date.now()))
    expect((await pc2Running())?.ID.ID).toBe(job?.ID.ID)
    expect((await status(38)).State).toBe('PreCommit2')
    const abort = site.run('lotus-miner', ['sealing', 'abort', (job?.ID.ID ?? '').slice(0, 8)])
    expect(abort.stdout).toBe(`aborting job ${site.cfg.minerId}-38-${job?.ID.ID}, task PC2, sector 38, running on host \n`)
    const s = await waitLog(38, (x) => kinds(x).includes('SectorPreCommit2'), 40_000)
    const i = kinds(s).indexOf('SectorSealPreCommit2Failed')
    expect(s.Log[i]?.Trace).toBe('seal pre commit(2) failed: storage call error 0: task aborted')
    expect(kinds(s).slice(i, i + 3)).toEqual(['SectorSealPreCommit2Failed', 'SectorRetrySealPreCommit2', 'SectorPreCommit2'])
  }, 90_000)

  it('precommit-funds: the precommit batch fails with the node\'s error and loops PreCommitFailed', async () => {
    const s = await waitLog(38, (x) => kinds(x).filter((k) => k === 'SectorChainPreCommitFailed').length >= 2, 30_000)
    const fail = s.Log.find((l) => l.Kind === 'event;sealing.SectorChainPreCommitFailed')
    expect(fail?.Trace).toMatch(
      /^precommit batch error: GasEstimateMessageGas error: estimating gas used: message execution failed: exit 19, reason: insufficient funds for pre-commit deposit: \d+ \(RetCode=19\)$/
    )
    const k = kinds(s)
    const i = k.indexOf('SectorChainPreCommitFailed')
    expect(k.slice(i, i + 4)).toEqual(['SectorChainPreCommitFailed', 'SectorRetryPreCommit', 'SectorPreCommitBatch', 'SectorChainPreCommitFailed'])
    await booted.miner.waitFor(/\tWARN\tsectors\tpipeline\/precommit_batch\.go:125\tPreCommitBatcher processBatch error\t\{"error": "pushing message to mpool: GasEstimateMessageGas error: /, 1000)
  }, 40_000)

  it('worker-dies: the PC1 worker dies mid-PC1; restarted, it returns ErrTempWorkerRestart and the sector asks for PC1 again, not failed', async () => {
    const pc1 = site.cfg.workers.find((w) => w.kind === 'pc1')
    if (!pc1) throw new Error('no PC1 worker')
    const proc = booted.workers.get(pc1.name)
    const exit = await Promise.race([proc?.exited(), new Promise((r) => setTimeout(() => r('alive'), 60_000))])
    expect(exit).toBeNull()
    expect(proc?.proc.signalCode).toBe('SIGKILL')
    // The miner keeps the job of the dead worker; the worker shows as disabled.
    await booted.miner.waitFor(/failed to check worker session/, 15_000)
    const workers = site.run('lotus-miner', ['sealing', 'workers']).stdout
    expect(workers).toMatch(/host site-1-pc1 \(disabled\)/)
    const restarted = site.start('lotus-worker', workerArgs(pc1), `worker-${pc1.name}.log`, workerEnv(site, pc1))
    await restarted.waitFor(/Worker registered successfully/, 20_000, 0)
    // Lotus's retrySoftErr: the PC1 is asked for again in the same state after SoftErrRetryWait.
    await booted.miner.waitFor(/\tERROR\tsectors\tpipeline\/states_sealing\.go:243\tretrying soft error\t\{"err": "storage call error 101: worker \[name: site-1-pc1\] restarted", "code": 101\}$/, 20_000)
    const t0 = Date.now()
    for (;;) {
      const jobs = await minerRpc<Record<string, { Sector: { Number: number }; Task: string; RunWait: number }[]>>(site, 'WorkerJobs')
      if (Object.values(jobs).flat().some((j) => j.Sector.Number === 39 && j.Task === 'seal/v0/precommit/1' && j.RunWait >= 0)) break
      if (Date.now() - t0 > 15_000) throw new Error('PC1 of sector 39 was not scheduled again')
      await new Promise((r) => setTimeout(r, 200))
    }
    const s = await status(39)
    expect(s.State).toBe('PreCommit1')
    expect(kinds(s)).not.toContain('SectorSealPreCommit1Failed')
  }, 120_000)
})
