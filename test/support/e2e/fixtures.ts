import {
  DEFAULT_SETTINGS,
  DEFAULT_START_COMMANDS,
  type AppInfo,
  type AppSettings,
  type AuditEntry,
  type ConnectionInfo,
  type DeadlineRow,
  type HistoryPoint,
  type SectorTable,
  type DemoStatus,
  type JobRow,
  type JobState,
  type JobsSnapshot,
  type MutationOutcome,
  type PendingMessage,
  type RestartRun,
  type PipelineSnapshot,
  type SectorGroup,
  type SiteConfig,
  type SiteSnapshot,
  type SshConfigListing,
  type WorkerRow,
  RUNBOOK_DURATIONS
} from '../../../preload/contract'
import type { SectorInfo, SectorLog } from '../../../preload/contract/lotus/types'
import { evaluate } from '../../../electron/core/health/evaluate'
import { DEFAULT_THRESHOLDS } from '../../../electron/core/health/facts'
import { digestSector, type SectorDigest } from '../../../electron/core/health/sectorLog'
import { sectorTimings } from '../../../electron/core/health/stages'
import { attachTimings } from '../../../electron/core/overview/jobs'
import { watchedList } from '../../../electron/core/overview/watch'

/**
 * Test-only data for the fixture host: three sites built from the contract's types — a busy
 * one with alerts (overdue PC1, failed sectors, faults, a stuck message, a lost worker), a quiet
 * one catching up on sync, and one that cannot be reached. Never imported by renderer/.
 */
export interface FixtureData {
  appInfo: AppInfo
  settings: AppSettings
  sites: SiteConfig[]
  snapshots: SiteSnapshot[]
  connections: ConnectionInfo[]
  demo: DemoStatus
  audit: AuditEntry[]
  sshConfig: SshConfigListing
  /** Channel name → error the call rejects with (to test error display). */
  failures: Record<string, { code: string; message: string; hint?: string; details?: string }>
  /** Sites and snapshots the fixture's demo.start brings up. */
  demoSites: SiteConfig[]
  demoSnapshots: SiteSnapshot[]
  /** Polled history per site: hourly for 30 days, every 5 minutes for the last day. */
  history: Record<string, HistoryPoint[]>
  /** `sectors:list` answers per site (none by default). */
  sectorTables: Record<string, SectorTable>
  /** What `restart:forSite` answers (null: no restart). */
  restartRun?: RestartRun | null
  /** What `ops:execute` answers (default: every step ok). */
  opOutcome?: MutationOutcome
}

const GiB = 1024 ** 3
const MINER_VERSION = '1.36.2-dev+mainnet+git.b835fab7'

function site(id: string, name: string, group: string, order: number): SiteConfig {
  return {
    id,
    alias: id,
    name,
    group,
    order,
    pollIntervalSec: 15,
    durations: id === 'sh-01' ? { PC1: 4 * 3600 } : {},
    workDir: '~/lotus',
    startCommands: DEFAULT_START_COMMANDS,
    expectedEnv: { FIL_PROOFS_USE_GPU_COLUMN_BUILDER: '1', FIL_PROOFS_USE_GPU_TREE_BUILDER: '1', FIL_PROOFS_MAXIMIZE_CACHING: '1' },
    workerHosts: id === 'sh-01' ? { '10.10.1.11': 'sh01-w01', '10.10.1.12': 'sh01-w02' } : {}
  }
}

const GROUP: Record<string, SectorGroup> = {
  Proving: 'proving', Available: 'proving', Removed: 'removed', ComputeProofFailed: 'failed', PreCommitFailed: 'failed', Faulty: 'failed', FaultReported: 'failed'
}
function pipeline(byState: Record<string, number>): PipelineSnapshot {
  const byGroup: Record<SectorGroup, number> = { sealing: 0, failed: 0, proving: 0, removed: 0, other: 0 }
  let total = 0
  for (const [state, n] of Object.entries(byState)) {
    byGroup[GROUP[state] ?? 'sealing'] += n
    total += n
  }
  return { byState, byGroup, total }
}

function uuid(n: number, salt = 0): string {
  const h = ((n * 2654435761 + salt * 40503) >>> 0).toString(16).padStart(8, '0')
  return `${h}-${(n % 9999).toString().padStart(4, '0')}-4${(salt % 999).toString().padStart(3, '0')}-8000-${(n * 7919 + salt).toString(16).padStart(12, '0')}`
}

const TASK_TYPE: Record<string, string> = {
  AP: 'seal/v0/addpiece', PC1: 'seal/v0/precommit/1', PC2: 'seal/v0/precommit/2', C1: 'seal/v0/commit/1', C2: 'seal/v0/commit/2', FIN: 'seal/v0/finalize', GET: 'seal/v0/fetch'
}
const RUN_WAIT: Record<JobState, number> = { running: 0, prepared: 1, assigned: 2, 'ret-wait': -1, returned: -2, 'ret-done': -3 }

function jobs(now: number, spec: { task: string; state: JobState; host: string; worker: number; sector: number; elapsed: number | null; expected: number; queuePos?: number }[], _stuckMultiple: number): JobsSnapshot {
  const list: JobRow[] = spec.map((j, i) => ({
    id: j.state === 'assigned' ? '00000000-0000-0000-0000-000000000000' : uuid(i + 1, j.sector),
    workerId: uuid(j.worker, 77),
    hostname: j.host,
    sector: j.sector,
    task: j.task,
    taskType: TASK_TYPE[j.task] ?? 'seal/v0/unknown',
    state: j.state,
    runWait: j.state === 'assigned' ? 1 + (j.queuePos ?? 1) : RUN_WAIT[j.state],
    start: j.elapsed === null ? null : now - j.elapsed * 1000,
    elapsedSec: j.elapsed,
    // The stage timing comes from the health model (judged() below), as the poller attaches it.
    timing: null,
    overdue: false
  }))
  const byTask: JobsSnapshot['byTask'] = {}
  for (const j of list) {
    const t = (byTask[j.task] ??= {})
    t[j.state] = (t[j.state] ?? 0) + 1
  }
  return { total: list.length, byTask, list }
}

function worker(n: number, host: string, tasks: string[], opts: Partial<WorkerRow> & { now: number }): WorkerRow {
  const { now, ...rest } = opts
  return {
    id: uuid(n, 77),
    hostname: host,
    enabled: true,
    tasks,
    cpus: 128,
    cpuUse: 64,
    memPhysical: 1024 * GiB,
    memUsed: 612 * GiB,
    memSwap: 0,
    memSwapUsed: 0,
    gpus: ['NVIDIA GeForce RTX 3090'],
    gpuUsed: 0,
    taskCounts: {},
    lastSeen: now,
    missing: false,
    ...rest
  }
}

/** 48 deadlines of 60 epochs in a 2880-epoch period, like `proving deadlines` on mainnet. */
function deadlines(now: number, currentIndex: number, currentEpoch: number, sectorsPer: (i: number) => number, faultsAt: Record<number, number[]>): { rows: DeadlineRow[]; periodStart: number } {
  // The current deadline opened 20 epochs (10 minutes) ago; the period started `index` deadlines before it.
  const base = currentEpoch - 20 - currentIndex * 60
  const rows: DeadlineRow[] = []
  for (let i = 0; i < 48; i++) {
    const openEpoch = base + i * 60
    const sectors = sectorsPer(i)
    rows.push({
      index: i,
      openEpoch,
      openAt: now + (openEpoch - currentEpoch) * 30_000,
      partitions: sectors === 0 ? 0 : Math.ceil(sectors / 2349),
      sectors,
      faults: faultsAt[i]?.length ?? 0,
      recoveries: 0,
      proven: i < currentIndex && sectors > 0 ? Math.ceil(sectors / 2349) : 0,
      current: i === currentIndex,
      ...(faultsAt[i] ? { faultsByPartition: [{ partition: 0, faulty: faultsAt[i]!, recovering: [] }] } : {})
    })
  }
  return { rows, periodStart: base }
}

function message(cid: string, from: string, to: string, nonce: number, method: number, ageSec: number, now: number): PendingMessage {
  return { cid, from, to, nonce, method, value: '0', gasFeeCap: '1234567890', gasPremium: '99821', gasLimit: 58_294_311, firstSeen: now - ageSec * 1000, ageSec }
}

function connected(siteId: string, now: number): ConnectionInfo {
  return { siteId, state: 'connected', since: now - 3 * 3600_000 }
}

/** A sector as SectorsStatus returns it (Lotus's documented shape), in `state` since `sinceSec` ago, with its last error. */
function sectorInfo(n: number, state: string, sinceSec: number, now: number, trace = '', o: Partial<SectorInfo> = {}): SectorInfo {
  const at = Math.floor(now / 1000) - sinceSec
  const cid = { '/': 'bafy2bzacea3wsdh6y3a36tb3skempjoxqpuyompjbmfeyf34fi3uy6uue42v4' }
  const log: SectorLog[] = [{ Kind: 'event;sealing.SectorStartCC', Timestamp: at - 3 * 3600, Trace: '', Message: `{"User":{"ID":${n},"SectorType":8}}` }]
  log.push(trace ? { Kind: 'event;sealing.SectorComputeProofFailed', Timestamp: at, Trace: trace, Message: '{"User":{}}' } : { Kind: 'event;sealing.SectorTicket', Timestamp: at, Trace: '', Message: '{"User":{}}' })
  return {
    SectorID: n, State: state, CommD: cid, CommR: cid, Proof: null, Deals: [], Pieces: [], Ticket: { Value: 'Bw==', Epoch: 4_500_000 }, Seed: { Value: null, Epoch: 0 },
    PreCommitMsg: null, CommitMsg: null, Retries: 0, ToUpgrade: false, ReplicaUpdateMessage: null, LastErr: '', Log: log, SealProof: 8,
    Activation: 0, Expiration: 0, DealWeight: '0', VerifiedDealWeight: '0', InitialPledge: '0', OnTime: 0, Early: 0, ...o
  }
}

/**
 * The fixture's findings, job timings and watched sectors as the poller builds them: the health
 * model itself judges the fixture (so the screens show exactly what a real poll would).
 */
function judged(base: Omit<SiteSnapshot, 'findings' | 'sectors'>, infos: SectorInfo[], now: number, sinceMin: Record<string, number> = {}, durations = RUNBOOK_DURATIONS): SiteSnapshot {
  const digests = new Map<number, SectorDigest>(infos.map((i) => [i.SectorID, digestSector(i, now)]))
  const blockDelay = base.daemon.blockDelay ?? 30
  const timings = sectorTimings(digests, base.jobs?.list ?? [], now, { durations, blockDelay }, 2)
  const snap: Omit<SiteSnapshot, 'findings'> = {
    ...base,
    jobs: base.jobs ? attachTimings(base.jobs, timings) : null,
    sectors: infos.length || base.jobs ? { list: watchedList(Object.fromEntries(digests), timings), read: digests.size, errors: 0 } : null
  }
  const findings = evaluate({
    siteId: base.siteId, now, snapshot: snap, sectors: base.miner.up ? digests : null, receipts: new Map(), jobFirstSeen: {}, timings,
    logs: null, provingChecks: [], durations, blockDelay, factor: 2, thresholds: DEFAULT_THRESHOLDS
  }).map((f) => ({ ...f, since: now - (sinceMin[f.kind] ?? 5) * 60_000 }))
  return { ...snap, findings }
}

function busySite(now: number, id: string, actor: string, height: number): SiteSnapshot {
  const pc1 = 4 * 3600
  const j = jobs(
    now,
    [
      { task: 'PC1', state: 'running', host: 'sh01-w01', worker: 1, sector: 10231, elapsed: 9 * 3600 + 12 * 60, expected: pc1 },
      { task: 'PC1', state: 'running', host: 'sh01-w01', worker: 1, sector: 10240, elapsed: 2 * 3600 + 5 * 60, expected: pc1 },
      { task: 'PC1', state: 'running', host: 'sh01-w02', worker: 2, sector: 10241, elapsed: 1 * 3600 + 40 * 60, expected: pc1 },
      { task: 'PC1', state: 'running', host: 'sh01-w02', worker: 2, sector: 10242, elapsed: 37 * 60, expected: pc1 },
      { task: 'PC2', state: 'running', host: 'sh01-w03', worker: 3, sector: 10236, elapsed: 41 * 60, expected: 3600 },
      { task: 'C2', state: 'running', host: 'sh01-c2-01', worker: 4, sector: 10229, elapsed: 9 * 60 + 12, expected: 900 },
      { task: 'C1', state: 'ret-wait', host: 'sh01-w03', worker: 3, sector: 10228, elapsed: 4, expected: 10 },
      { task: 'AP', state: 'prepared', host: 'sh01-w01', worker: 1, sector: 10243, elapsed: null, expected: 120 },
      { task: 'AP', state: 'assigned', host: 'sh01-w01', worker: 1, sector: 10244, elapsed: null, expected: 120, queuePos: 1 },
      { task: 'AP', state: 'assigned', host: 'sh01-w02', worker: 2, sector: 10245, elapsed: null, expected: 120, queuePos: 2 },
      { task: 'GET', state: 'running', host: 'sh01-w03', worker: 3, sector: 10220, elapsed: 6 * 60, expected: 1800 },
      { task: 'FIN', state: 'running', host: 'sh01-w03', worker: 3, sector: 10221, elapsed: 80, expected: 600 },
      // sh01-w04 is disabled (the miner lost it) with two PC1s: one finding for the worker, not one per job.
      { task: 'PC1', state: 'running', host: 'sh01-w04', worker: 5, sector: 10250, elapsed: 5 * 3600, expected: pc1 },
      { task: 'PC1', state: 'running', host: 'sh01-w04', worker: 5, sector: 10251, elapsed: 5 * 3600, expected: pc1 }
    ],
    2
  )
  const dl = deadlines(now, 16, height, (i) => (i < 30 ? 2349 - i * 3 : i < 40 ? 512 : 0), { 20: [7742, 7743] })
  const workers = [
    worker(1, 'sh01-w01', ['AP', 'PC1', 'PC2', 'GET', 'FIN'], { now, taskCounts: { PC1: 2, AP: 1 }, cpuUse: 96 }),
    worker(2, 'sh01-w02', ['AP', 'PC1', 'PC2', 'GET', 'FIN'], { now, taskCounts: { PC1: 2 }, cpuUse: 88 }),
    worker(3, 'sh01-w03', ['PC2', 'C1', 'GET', 'FIN'], { now, taskCounts: { PC2: 1, GET: 1, FIN: 1 }, gpuUsed: 1 }),
    worker(4, 'sh01-c2-01', ['C2'], { now, taskCounts: { C2: 1 }, gpus: ['NVIDIA GeForce RTX 3090', 'NVIDIA GeForce RTX 3090'], gpuUsed: 1, cpuUse: 32, cpus: 64, memPhysical: 512 * GiB, memUsed: 301 * GiB }),
    worker(5, 'sh01-w04', ['AP', 'PC1'], { now, enabled: false, cpuUse: 0, memUsed: 12 * GiB }),
    worker(6, 'sh01-w05', ['AP', 'PC1', 'PC2'], { now, missing: true, lastSeen: now - 43 * 60_000, missingSince: now - 42 * 60_000, cpuUse: 0 })
  ]
  return judged({
    siteId: id,
    takenAt: now - 4_000,
    tookMs: 412,
    seq: 318,
    connection: connected(id, now),
    daemon: {
      up: true,
      version: MINER_VERSION,
      apiVersion: 0x020300,
      blockDelay: 30,
      peerId: '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf',
      height,
      headTimestamp: Math.floor((now - 12_000) / 1000),
      headAgeSec: 8,
      behindEpochs: 0,
      syncing: [],
      peers: 187
    },
    miner: { up: true, version: MINER_VERSION, apiVersion: 0x010500, actor, sectorSize: 32 * GiB, session: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b' },
    pipeline: pipeline({ Proving: 10_234, Packing: 2, PreCommit1: 14, PreCommit2: 3, SubmitPreCommitBatch: 5, WaitSeed: 6, Committing: 2, SubmitCommitAggregate: 4, FinalizeSector: 1, ComputeProofFailed: 1, PreCommitFailed: 1, Removed: 3 }),
    jobs: j,
    workers: { list: workers, online: 5, disabled: 1, missing: 1 },
    proving: {
      currentEpoch: height,
      periodStart: dl.periodStart,
      deadlineIndex: 16,
      open: dl.rows[16]?.openEpoch ?? 0,
      close: (dl.rows[16]?.openEpoch ?? 0) + 60,
      closeAt: (dl.rows[16]?.openAt ?? now) + 30 * 60_000,
      nextWithSectors: { index: 17, openEpoch: dl.rows[17]?.openEpoch ?? 0, openAt: dl.rows[17]?.openAt ?? now },
      deadlines: dl.rows,
      faults: 2,
      recoveries: 0,
      sectors: dl.rows.reduce((a, d) => a + d.sectors, 0)
    },
    messages: {
      count: 2,
      oldestAgeSec: 52 * 60,
      list: [
        message('bafy2bzacea3wsdh6y3a36tb3skempjoxqpuyompjbmfeyf34fi3uy6uue42v4', 'f3vfs6f7tagrcpnwv65wq3leznbajqyg77bmijrsvrdbtvfnqhblzs4gjoqkntz7ffhc5ggx7bcdhmmywvnnfa', actor, 9812, 28, 52 * 60, now),
        message('bafy2bzaceb6a7hmjbwq3wzd4zkj4qqxhf3nxa5k2ms7thp7jb2l6n7gywrfs6', 'f3vfs6f7tagrcpnwv65wq3leznbajqyg77bmijrsvrdbtvfnqhblzs4gjoqkntz7ffhc5ggx7bcdhmmywvnnfa', actor, 9813, 26, 3 * 60, now)
      ]
    }
  }, [
    // The sealing sectors the scan reads: the one that failed its C1, and those the jobs above work on.
    sectorInfo(10199, 'ComputeProofFailed', 40 * 60, now, 'computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated'),
    sectorInfo(10231, 'PreCommit1', 9 * 3600 + 12 * 60, now),
    sectorInfo(10240, 'PreCommit1', 2 * 3600 + 5 * 60, now),
    sectorInfo(10250, 'PreCommit1', 5 * 3600, now),
    sectorInfo(10251, 'PreCommit1', 5 * 3600, now)
  ], now, { 'sectors-faulty': 35, 'worker-down': 42, 'stage-overdue': 95, 'sector-error': 40, 'message-stuck': 22 }, { ...RUNBOOK_DURATIONS, PC1: 4 * 3600 })
}

function quietSite(now: number, id: string, actor: string, height: number): SiteSnapshot {
  const dl = deadlines(now, 16, height, (i) => (i < 12 ? 1200 : 0), {})
  const j = jobs(
    now,
    [
      { task: 'PC1', state: 'running', host: 'sh02-w01', worker: 11, sector: 3301, elapsed: 2 * 3600, expected: 11400 },
      { task: 'PC2', state: 'running', host: 'sh02-w02', worker: 12, sector: 3299, elapsed: 20 * 60, expected: 3600 },
      { task: 'C2', state: 'running', host: 'sh02-w02', worker: 12, sector: 3297, elapsed: 5 * 60, expected: 900 }
    ],
    2
  )
  return judged({
    siteId: id,
    takenAt: now - 9_000,
    tookMs: 288,
    seq: 97,
    connection: connected(id, now),
    daemon: {
      up: true,
      version: MINER_VERSION,
      apiVersion: 0x020300,
      blockDelay: 30,
      peerId: '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK',
      height: height - 2,
      headTimestamp: Math.floor((now - 70_000) / 1000),
      headAgeSec: 61,
      behindEpochs: 2,
      syncing: [{ workerId: 31050, stage: 'message sync', baseHeight: height - 4, targetHeight: height, height: height - 2 }],
      peers: 96
    },
    miner: { up: true, version: MINER_VERSION, apiVersion: 0x010500, actor, sectorSize: 32 * GiB, session: 'c5d6e7f8-0a1b-4c2d-9e3f-405162738495' },
    pipeline: pipeline({ Proving: 14_400, PreCommit1: 1, PreCommit2: 1, Committing: 1 }),
    jobs: j,
    workers: {
      list: [
        worker(11, 'sh02-w01', ['AP', 'PC1', 'GET', 'FIN'], { now, taskCounts: { PC1: 1 } }),
        worker(12, 'sh02-w02', ['PC2', 'C1', 'C2'], { now, taskCounts: { PC2: 1, C2: 1 }, gpuUsed: 1 })
      ],
      online: 2,
      disabled: 0,
      missing: 0
    },
    proving: {
      currentEpoch: height,
      periodStart: dl.periodStart,
      deadlineIndex: 16,
      open: dl.rows[16]?.openEpoch ?? 0,
      close: (dl.rows[16]?.openEpoch ?? 0) + 60,
      closeAt: (dl.rows[16]?.openAt ?? now) + 30 * 60_000,
      nextWithSectors: { index: 0, openEpoch: (dl.rows[0]?.openEpoch ?? 0) + 2880, openAt: (dl.rows[0]?.openAt ?? now) + 24 * 3600_000 },
      deadlines: dl.rows,
      faults: 0,
      recoveries: 0,
      sectors: dl.rows.reduce((a, d) => a + d.sectors, 0)
    },
    messages: { count: 0, oldestAgeSec: null, list: [] }
  }, [], now)
}

function unreachableSite(now: number, id: string): { snapshot: SiteSnapshot; connection: ConnectionInfo } {
  const connection: ConnectionInfo = { siteId: id, state: 'unreachable', since: now - 11 * 60_000, detail: 'connect ETIMEDOUT 10.8.0.21:22', attempt: 7, nextRetryAt: now + 25_000 }
  const error = { code: 'ssh/unreachable' as const, message: 'connect ETIMEDOUT 10.8.0.21:22' }
  return {
    connection,
    snapshot: judged({
      siteId: id,
      takenAt: now - 6_000,
      tookMs: 10_000,
      seq: 55,
      connection,
      daemon: { up: false, error },
      miner: { up: false, error },
      pipeline: null,
      jobs: null,
      workers: null,
      proving: null,
      messages: null
    }, [], now, { 'site-unreachable': 11 })
  }
}

/** A plausible month of a busy site: a pipeline that breathes, a sync hiccup, a few sealed per hour. */
function siteHistory(now: number, height: number, seed: number): HistoryPoint[] {
  const out: HistoryPoint[] = []
  const push = (t: number) => {
    const h = (t - now) / 3600_000
    const wave = (k: number) => Math.max(0, Math.round(k + k * 0.6 * Math.sin(h / 3 + seed + k)))
    out.push({
      t,
      daemonUp: true,
      minerUp: true,
      height: height + Math.floor((t - now) / 30_000),
      behind: Math.abs(h + 7) < 0.4 ? 14 : Math.abs(h + 30) < 0.5 ? 40 : 0,
      headAgeSec: 12,
      peers: 38 + Math.round(6 * Math.sin(h / 5 + seed)),
      byState: { PreCommit1: wave(14), PreCommit2: wave(3), WaitSeed: wave(6), Committing: wave(2), FinalizeSector: wave(1), ...(h > -5 ? { ComputeProofFailed: 2 } : {}) },
      proving: 70_000 + Math.floor((t - now + 30 * 86400_000) / 3600_000) * 4,
      removed: 12,
      failed: h > -5 ? 2 : 0,
      faults: h > -0.6 ? 2 : 0,
      recoveries: 0,
      sealed: 0
    })
  }
  for (let t = now - 30 * 86400_000; t < now - 86400_000; t += 3600_000) push(t)
  for (let t = now - 86400_000; t <= now - 5000; t += 300_000) push(t)
  for (let i = 1; i < out.length; i++) out[i]!.sealed = Math.max(0, out[i]!.proving! - out[i - 1]!.proving!)
  return out
}

export interface FixtureOptions {
  language?: AppSettings['language']
  theme?: AppSettings['theme']
  host?: AppInfo['host']
  /** Start with no sites (the demo offer). */
  empty?: boolean
}

export function buildFixture(opts: FixtureOptions = {}): FixtureData {
  const now = Date.now()
  const height = 5_210_400 + Math.floor((now / 30_000) % 1000)
  const sites = [site('sh-01', '上海一号', '上海', 0), site('sh-02', '上海二号', '上海', 1), site('bj-01', '北京一号', '北京', 2)]
  const bj = unreachableSite(now, 'bj-01')
  const snapshots = [busySite(now, 'sh-01', 'f01234567', height), quietSite(now, 'sh-02', 'f02345678', height), bj.snapshot]
  const connections = [connected('sh-01', now), connected('sh-02', now), bj.connection]
  const demoSites = [site('demo-1', 'demo-1', 'demo', 0), site('demo-2', 'demo-2', 'demo', 1), site('demo-3', 'demo-3', 'demo', 2)]
  const demoSnapshots = [busySite(now, 'demo-1', 't01000', height), quietSite(now, 'demo-2', 't01001', height), quietSite(now, 'demo-3', 't01002', height)]
  return {
    appInfo: {
      version: '0.1.0',
      host: opts.host ?? 'electron',
      platform: 'linux',
      home: '/home/ops/.minerdesk',
      operator: 'ops',
      secretProtection: 'os',
      language: opts.language ?? 'zh-CN'
    },
    settings: { ...DEFAULT_SETTINGS, language: opts.language ?? 'zh-CN', theme: opts.theme ?? 'light' },
    sites: opts.empty ? [] : sites,
    snapshots: opts.empty ? [] : snapshots,
    connections: opts.empty ? [] : connections,
    demo: { phase: 'off', sites: [] },
    // As the core writes it: `started` before each step runs, then how it ended; refusals alone.
    audit: [
      { time: new Date(now - 3 * 86400_000).toISOString(), site: '-', operator: 'ops@desk', via: 'electron', action: 'settings.change', command: 'language; theme', result: 'started' },
      { time: new Date(now - 3 * 86400_000 + 40).toISOString(), site: '-', operator: 'ops@desk', via: 'electron', action: 'settings.change', command: 'language; theme', result: 'ok' },
      { time: new Date(now - 3600_000).toISOString(), site: 'sh-01', operator: 'ops@desk', via: 'electron', action: 'sector.update-state', command: 'sh-01: Filecoin.SectorsUpdate [10198,"Removing"]', result: 'started' },
      { time: new Date(now - 3600_000 + 300).toISOString(), site: 'sh-01', operator: 'ops@desk', via: 'electron', action: 'sector.update-state', command: 'sh-01: Filecoin.SectorsUpdate [10198,"Removing"]', result: 'ok', detail: '10198: Committing → Removing' },
      { time: new Date(now - 2400_000).toISOString(), site: 'sh-02', operator: 'li@ops-2', via: 'cli', action: 'job.abort', command: 'sh-02: Filecoin.SealingAbort [{"Sector":{"Miner":1234567,"Number":10190},"ID":"7a3b9c1d-0000-4000-8000-000000000000"}]', result: 'refused', detail: 'sh-02 is being restarted by wang@ops-3' },
      { time: new Date(now - 1800_000).toISOString(), site: 'sh-01', operator: 'ops@desk', via: 'cli', action: 'job.abort', command: 'sh-01: Filecoin.SealingAbort [{"Sector":{"Miner":1234567,"Number":10190},"ID":"7a3b9c1d-0000-4000-8000-000000000000"}]', result: 'started' },
      { time: new Date(now - 1800_000 + 900).toISOString(), site: 'sh-01', operator: 'ops@desk', via: 'cli', action: 'job.abort', command: 'sh-01: Filecoin.SealingAbort [{"Sector":{"Miner":1234567,"Number":10190},"ID":"7a3b9c1d-0000-4000-8000-000000000000"}]', result: 'error', detail: 'job not found' },
      { time: new Date(now - 600_000).toISOString(), site: 'sh-02', operator: 'wang@ops-3', via: 'web', action: 'restart.start-miner', command: 'sh-02: cd ~/lotus && nohup lotus-miner run >> miner.log 2>&1 < /dev/null &', result: 'started' }
    ],
    sshConfig: {
      path: '/home/ops/.ssh/config',
      aliases: [
        { alias: 'sh-01', hostName: '10.10.1.2', port: 22, user: 'ops', proxyJump: [], identityFiles: ['~/.ssh/id_ed25519'], added: !opts.empty },
        { alias: 'sh-02', hostName: '10.10.2.2', port: 22, user: 'ops', proxyJump: [], identityFiles: ['~/.ssh/id_ed25519'], added: !opts.empty },
        { alias: 'bj-01', hostName: '10.8.0.21', port: 22, user: 'ops', proxyJump: ['jump-bj'], identityFiles: ['~/.ssh/id_ed25519'], added: !opts.empty },
        { alias: 'gz-01', hostName: '10.12.0.5', port: 2222, user: 'root', proxyJump: ['jump-gz'], identityFiles: [], added: false }
      ]
    },
    failures: {},
    demoSites,
    demoSnapshots,
    history: opts.empty ? {} : { 'sh-01': siteHistory(now, height, 1), 'sh-02': siteHistory(now, height, 2) },
    sectorTables: {}
  }
}
