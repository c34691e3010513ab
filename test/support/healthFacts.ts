import { DEFAULT_SETTINGS, RUNBOOK_DURATIONS, type ErrorInfo, type ProvingCheckState, type Result, type SiteSnapshot } from '../../preload/contract'
import { DEFAULT_THRESHOLDS, type LogFacts, type SiteFacts } from '../../electron/core/health/facts'
import { logEvents, type LogSource } from '../../electron/core/health/logEvents'
import { digestSector, type SectorDigest } from '../../electron/core/health/sectorLog'
import { sectorTimings } from '../../electron/core/health/stages'
import { conformance } from './lotus/conformance'
import type { NodeStatus, SectorInfo, SectorLog, TipSet, WorkerJob, WorkerStats } from '../../preload/contract/lotus/types'
import { emptyMemory, emptyRaw, type PollMemory, type RawPoll } from '../../electron/core/overview/raw'
import { buildSnapshot } from '../../electron/core/overview/snapshot'

/**
 * TEST-ONLY: health-model facts built the way the poller builds them, from Lotus's documented
 * answers (../shared/lotus-conformance/) changed where a test needs a situation.
 */

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorInfo['code'], message: string = code): Result<never> => ({ ok: false, error: { code, message } })

/** full.ChainHead.response's timestamp (unix seconds): "now" is a minute after it. */
export const HEAD_TS = 1744204890
export const NOW = (HEAD_TS + 60) * 1000
export const ZERO_UUID = '00000000-0000-0000-0000-000000000000'

/** A poll in which every call answered with Lotus's documentation example; a healthy sync (nothing active). */
export function conformanceRaw(now = NOW): RawPoll {
  const raw = emptyRaw({ siteId: 's1', state: 'connected', since: 0 }, now - 250)
  raw.finishedAt = now
  const head = conformance<TipSet>('full.ChainHead.response')
  raw.daemon = {
    version: ok(conformance('full.Version.response')),
    id: ok(conformance('full.ID.response')),
    head: ok(head),
    syncState: ok({ ActiveSyncs: [], VMApplied: 0 }),
    nodeStatus: ok({ ...conformance<NodeStatus>('full.NodeStatus.response'), SyncStatus: { Epoch: head.Height, Behind: 0 } }),
    peers: ok(conformance('full.NetPeers.response')),
    walletList: ok(conformance('full.WalletList.response')),
    mpoolPending: ok([])
  }
  raw.miner = {
    version: ok(conformance('miner.Version.response')),
    session: ok(conformance('miner.Session.response')),
    actor: ok(conformance('miner.ActorAddress.response')),
    summary: ok(conformance('miner.SectorsSummary.response')),
    workerStats: ok(conformance('miner.WorkerStats.response')),
    workerJobs: ok({})
  }
  raw.chain = {
    actor: 'f01234',
    minerInfo: ok(conformance('full.StateMinerInfo.response')),
    provingDeadline: ok(conformance('full.StateMinerProvingDeadline.response')),
    deadlines: ok(conformance('full.StateMinerDeadlines.response')),
    partitions: [ok([{ AllSectors: [0, 10], FaultySectors: [], RecoveringSectors: [], LiveSectors: [0, 10], ActiveSectors: [0, 10] }])]
  }
  return raw
}

/** The documented WorkerJob, moved to another worker / state / start. */
export function job(o: { worker?: string; id?: string; sector?: number; task?: string; runWait?: number; start?: string; hostname?: string }): { worker: string; job: WorkerJob } {
  const doc = conformance<Record<string, WorkerJob[]>>('miner.WorkerJobs.response')
  const base = Object.values(doc)[0]![0]!
  const j: WorkerJob = {
    ...base,
    ID: { ...base.ID, ID: o.id ?? base.ID.ID, Sector: { ...base.ID.Sector, Number: o.sector ?? base.Sector.Number } },
    Sector: { ...base.Sector, Number: o.sector ?? base.Sector.Number },
    Task: o.task ?? base.Task,
    RunWait: o.runWait ?? base.RunWait,
    Start: o.start ?? base.Start
  }
  if (o.hostname !== undefined) j.Hostname = o.hostname
  else delete j.Hostname
  return { worker: o.worker ?? Object.keys(doc)[0]!, job: j }
}

export function jobsMap(list: { worker: string; job: WorkerJob }[]): Record<string, WorkerJob[]> {
  const out: Record<string, WorkerJob[]> = {}
  for (const { worker, job: j } of list) (out[worker] ??= []).push(j)
  return out
}

/** The documented WorkerStats entry, renamed and enabled/disabled. */
export function workerStats(list: { id: string; hostname: string; enabled?: boolean; tasks?: string[] }[]): Record<string, WorkerStats> {
  const doc = conformance<Record<string, WorkerStats>>('miner.WorkerStats.response')
  const base = Object.values(doc)[0]!
  return Object.fromEntries(list.map((w) => [w.id, { ...base, Info: { ...base.Info, Hostname: w.hostname }, Enabled: w.enabled ?? true, Tasks: w.tasks ?? ['seal/v0/precommit/1'] }]))
}

/** A log entry as SectorsStatus returns it. */
export function entry(kind: string, atSec: number, trace = '', message = '{"User":{}}'): SectorLog {
  return { Kind: kind.includes(';') ? kind : `event;sealing.${kind}`, Timestamp: atSec, Trace: trace, Message: message }
}

/** The documented SectorsStatus, as sector `n` in `state` with this log. */
export function sector(n: number, state: string, log: SectorLog[], o: Partial<Pick<SectorInfo, 'PreCommitMsg' | 'CommitMsg' | 'Retries' | 'CommR' | 'CommD' | 'Proof' | 'LastErr'>> & { seedEpoch?: number; ticketEpoch?: number } = {}): SectorInfo {
  const doc = conformance<SectorInfo>('miner.SectorsStatus.response')
  return {
    ...doc,
    SectorID: n,
    State: state,
    Log: log,
    PreCommitMsg: o.PreCommitMsg === undefined ? doc.PreCommitMsg : o.PreCommitMsg,
    CommitMsg: o.CommitMsg === undefined ? doc.CommitMsg : o.CommitMsg,
    Retries: o.Retries ?? 0,
    CommR: o.CommR === undefined ? doc.CommR : o.CommR,
    CommD: o.CommD === undefined ? doc.CommD : o.CommD,
    Proof: o.Proof === undefined ? doc.Proof : o.Proof,
    LastErr: o.LastErr ?? '',
    Seed: { ...doc.Seed, Epoch: o.seedEpoch ?? doc.Seed.Epoch },
    Ticket: { ...doc.Ticket, Epoch: o.ticketEpoch ?? doc.Ticket.Epoch }
  }
}

export interface FactsInput {
  raw?: RawPoll
  memory?: PollMemory
  sectors?: SectorInfo[]
  receipts?: Record<string, number>
  logs?: { source: LogSource; lines: string[] }[]
  checks?: ProvingCheckState[]
  jobFirstSeen?: Record<string, number>
  now?: number
  factor?: number
}

export function snapshotOf(i: FactsInput): Omit<SiteSnapshot, 'findings'> {
  const raw = i.raw ?? conformanceRaw(i.now)
  const { snapshot } = buildSnapshot({ siteId: 's1', alias: 'miner-a', seq: 1, raw, prev: null, memory: i.memory ?? emptyMemory(), settings: DEFAULT_SETTINGS, site: { durations: {} }, now: i.now ?? raw.finishedAt })
  const { findings: _findings, ...rest } = snapshot
  return rest
}

export function facts(i: FactsInput = {}): SiteFacts {
  const now = i.now ?? NOW
  const snapshot = snapshotOf({ ...i, now })
  const digests = new Map<number, SectorDigest>((i.sectors ?? []).map((s) => [s.SectorID, digestSector(s, now)]))
  const blockDelay = snapshot.daemon.blockDelay ?? 30
  const factor = i.factor ?? DEFAULT_SETTINGS.stuckMultiple
  const logs: LogFacts | null = i.logs ? { readAt: now, sources: i.logs.map((l) => ({ ...l.source, lines: l.lines.length })), events: i.logs.flatMap((l) => logEvents(l.lines, l.source)) } : null
  return {
    siteId: 's1',
    now,
    snapshot,
    sectors: digests,
    receipts: new Map(Object.entries(i.receipts ?? {}).map(([cid, exitCode]) => [cid, { exitCode, height: 100 }])),
    jobFirstSeen: i.jobFirstSeen ?? {},
    timings: sectorTimings(digests, snapshot.jobs?.list ?? [], now, { durations: RUNBOOK_DURATIONS, blockDelay }, factor),
    logs,
    provingChecks: i.checks ?? [],
    durations: RUNBOOK_DURATIONS,
    blockDelay,
    factor,
    thresholds: DEFAULT_THRESHOLDS
  }
}
