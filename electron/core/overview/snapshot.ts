import type {
  AppSettings,
  DaemonSnapshot,
  ErrorInfo,
  MinerSnapshot,
  PipelineSnapshot,
  ProvingCheckState,
  SectorGroup,
  SiteConfig,
  SiteSnapshot,
  SnapshotPart,
  SyncWorker
} from '../../../preload/contract'
import { effectiveDurations } from '../settings/store'
import { sectorGroup } from '../../../preload/contract/lotus/states'
import { SYNC_STAGES, type SyncState, type TipSet } from '../../../preload/contract/lotus/types'
import { versionProblem } from '../lotus/versions'
import { evaluate } from '../health/evaluate'
import { DEFAULT_THRESHOLDS, type HealthThresholds, type LogFacts } from '../health/facts'
import { sectorTimings } from '../health/stages'
import { attachTimings, buildJobs } from './jobs'
import { buildMessages } from './messages'
import { buildProving, type ChainClock } from './proving'
import { chainKey, type Got, type PollMemory, type RawPoll } from './raw'
import { jobsFirstSeen, mergeReceipts, mergeSectors, watchedList } from './watch'
import { buildWorkers } from './workers'

/**
 * The pure snapshot builder: raw call results + previous snapshot + memory + settings + now →
 * one SiteSnapshot (the health model's findings included) and the memory for the next poll. No
 * I/O, no clock. The daemon part and the miner part are built independently: either may be down.
 */

export interface BuildInput {
  siteId: string
  /** The SSH alias, for messages (default: the site id). */
  alias?: string
  seq: number
  raw: RawPoll
  prev: SiteSnapshot | null
  memory: PollMemory
  settings: AppSettings
  site: Pick<SiteConfig, 'durations'> | null
  now: number
  thresholds?: HealthThresholds
  /** What the health model knows beyond the poll: logs read over SSH, finished proving checks. */
  extras?: { logs: LogFacts | null; provingChecks: readonly ProvingCheckState[] }
}

export interface BuildOutput {
  snapshot: SiteSnapshot
  memory: PollMemory
}

/** Lotus sends 30 on mainnet; used only when Version did not answer. */
const DEFAULT_BLOCK_DELAY = 30

function firstError(...gots: Array<Got<unknown>>): ErrorInfo | undefined {
  for (const g of gots) if (g && !g.ok) return g.error
  return undefined
}

function value<T>(g: Got<T>): T | undefined {
  return g && g.ok ? g.value : undefined
}

/** MinTimestamp of a tipset (all blocks share it in practice). */
function headTimestamp(ts: TipSet): number {
  return Math.min(...ts.Blocks.map((b) => b.Timestamp))
}

function syncWorkers(s: SyncState): SyncWorker[] {
  // Stage 4 = complete, 0 = idle: only workers still doing something are listed.
  return s.ActiveSyncs.filter((a) => a.Stage !== 4 && a.Stage !== 0).map((a) => {
    const w: SyncWorker = {
      workerId: a.WorkerID,
      stage: SYNC_STAGES[a.Stage] ?? `stage ${a.Stage}`,
      baseHeight: a.Base ? a.Base.Height : null,
      targetHeight: a.Target ? a.Target.Height : null,
      height: a.Height
    }
    if (a.Stage === 5 && a.Message) w.message = a.Message
    return w
  })
}

function buildDaemon(raw: RawPoll, now: number): DaemonSnapshot {
  const d = raw.daemon
  if (raw.sshError) return { up: false, error: raw.sshError }
  const version = value(d.version)
  const head = value(d.head)
  const up = version !== undefined || head !== undefined
  const out: DaemonSnapshot = { up }
  if (!up) {
    const err = firstError(d.head, d.version)
    if (err) out.error = err
    return out
  }
  if (version) {
    out.version = version.Version
    out.apiVersion = version.APIVersion
    out.blockDelay = version.BlockDelay
  }
  const id = value(d.id)
  if (id !== undefined) out.peerId = id
  const blockDelay = version?.BlockDelay || DEFAULT_BLOCK_DELAY
  if (head) {
    out.height = head.Height
    out.headTimestamp = headTimestamp(head)
    out.headAgeSec = Math.max(0, Math.floor(now / 1000 - out.headTimestamp))
  }
  const status = value(d.nodeStatus)
  if (status) out.behindEpochs = status.SyncStatus.Behind
  else if (out.headAgeSec !== undefined) out.behindEpochs = Math.floor(out.headAgeSec / blockDelay) // NodeStatus computes it so
  const sync = value(d.syncState)
  if (sync) out.syncing = syncWorkers(sync)
  const peers = value(d.peers)
  if (peers) out.peers = peers.length
  return out
}

function buildMiner(raw: RawPoll, memory: PollMemory): MinerSnapshot {
  const m = raw.miner
  if (raw.sshError) return { up: false, error: raw.sshError }
  const version = value(m.version)
  const session = value(m.session)
  const up = version !== undefined || session !== undefined
  const out: MinerSnapshot = { up }
  if (!up) {
    const err = firstError(m.session, m.version, m.actor)
    if (err) out.error = err
  } else {
    if (version) {
      out.version = version.Version
      out.apiVersion = version.APIVersion
    }
    if (session !== undefined) out.session = session
  }
  const actor = value(m.actor) ?? memory.actor
  if (actor) out.actor = actor
  if (memory.sectorSize !== null) out.sectorSize = memory.sectorSize
  return out
}

function buildPipeline(summary: Record<string, number>): PipelineSnapshot {
  const byGroup: Record<SectorGroup, number> = { sealing: 0, failed: 0, proving: 0, removed: 0, other: 0 }
  let total = 0
  for (const [state, n] of Object.entries(summary)) {
    // States newer than MinerDesk knows are counted, but not guessed into a group ('other').
    const group: SectorGroup = sectorGroup(state)
    byGroup[group] += n
    total += n
  }
  return { byState: { ...summary }, byGroup, total }
}

export function buildSnapshot(input: BuildInput): BuildOutput {
  const { raw, memory, settings, now } = input
  const partErrors: Partial<Record<SnapshotPart, ErrorInfo>> = {}
  const next: PollMemory = { ...memory, workers: { ...memory.workers }, messageFirstSeen: { ...memory.messageFirstSeen } }

  // Remember what stays true while a node is down: the actor and its sector size.
  const actorNow = value(raw.miner.actor) ?? raw.chain.actor
  if (actorNow) next.actor = actorNow
  const minerInfo = value(raw.chain.minerInfo)
  if (minerInfo && raw.chain.actor) {
    next.sectorSize = minerInfo.SectorSize
    next.minerInfoKey = `${raw.chain.actor}|${value(raw.miner.session) ?? ''}`
  }

  const daemon = buildDaemon(raw, now)
  const miner = buildMiner(raw, next)
  // A new miner session: the miner restarted about now (the first session seen started at an unknown time).
  if (miner.session !== undefined && miner.session !== memory.minerSession?.id) next.minerSession = { id: miner.session, since: memory.minerSession ? now : null }
  if (miner.session !== undefined && next.minerSession?.id === miner.session && next.minerSession.since !== null) miner.sessionSince = next.minerSession.since

  // Versions: a too-old node is up but flagged; the error names both versions.
  const problem = versionProblem(value(raw.daemon.version) ?? null, value(raw.miner.version) ?? null, input.alias ?? input.siteId)
  if (problem) (problem.node === 'daemon' ? daemon : miner).error = problem.error

  const partError = (part: SnapshotPart, up: boolean, ...gots: Array<Got<unknown>>) => {
    const e = up ? firstError(...gots) : undefined
    if (e) partErrors[part] = e
  }

  // Pipeline, jobs, workers: the miner's.
  const summary = value(raw.miner.summary)
  const pipeline = summary ? buildPipeline(summary) : null
  partError('pipeline', miner.up, raw.miner.summary)

  const stats = value(raw.miner.workerStats) ?? null
  const jobsRaw = value(raw.miner.workerJobs)
  const built = jobsRaw ? buildJobs(jobsRaw, stats, now) : null
  partError('jobs', miner.up, raw.miner.workerJobs)

  let workers = null
  if (stats) {
    const w = buildWorkers(stats, memory.workers, now)
    workers = w.snapshot
    next.workers = w.remembered
  }
  partError('workers', miner.up, raw.miner.workerStats)

  // Proving and messages: the daemon's.
  let proving = null
  const di = value(raw.chain.provingDeadline)
  const deadlines = value(raw.chain.deadlines)
  if (deadlines) next.deadlineCount = deadlines.length
  const parts = raw.chain.partitions
  const partsFailed = parts?.find((p) => !p.ok)
  if (di && deadlines && parts && !partsFailed) {
    const head = value(raw.daemon.head)
    const clock: ChainClock = head
      ? { height: head.Height, timestamp: headTimestamp(head), blockDelay: daemon.blockDelay || DEFAULT_BLOCK_DELAY }
      : { height: di.CurrentEpoch, timestamp: Math.floor(now / 1000), blockDelay: daemon.blockDelay || DEFAULT_BLOCK_DELAY }
    proving = buildProving(di, deadlines, parts.map((p) => (p.ok ? p.value : [])), clock)
    const actor = raw.chain.actor
    next.chainAt = head && actor && raw.chain.provingDeadline && raw.chain.deadlines ? { key: chainKey(actor, head), provingDeadline: raw.chain.provingDeadline, deadlines: raw.chain.deadlines, partitions: parts } : null
  } else if (daemon.up) {
    const e = firstError(raw.chain.provingDeadline, raw.chain.deadlines) ?? (partsFailed && !partsFailed.ok ? partsFailed.error : undefined)
    if (e) partErrors.proving = e
  }

  let messages = null
  const wallets = value(raw.daemon.walletList)
  const pending = value(raw.daemon.mpoolPending)
  if (wallets && pending) {
    const m = buildMessages(pending, wallets, memory.messageFirstSeen, now)
    messages = m.snapshot
    next.messageFirstSeen = m.firstSeen
  }
  partError('messages', daemon.up, raw.daemon.walletList, raw.daemon.mpoolPending)

  // The health model's inputs: watched sectors, their one timing each, and what else it knows.
  next.sectors = mergeSectors(memory.sectors, raw.sectors, now)
  next.receipts = mergeReceipts(memory.receipts, raw.sectors, next.sectors)
  next.jobFirstSeen = jobsFirstSeen(memory.jobFirstSeen, built?.list ?? null, now)
  const durations = effectiveDurations(settings, input.site)
  const blockDelay = daemon.blockDelay || DEFAULT_BLOCK_DELAY
  const digests = new Map(Object.values(next.sectors).map((d) => [d.n, d]))
  const timings = sectorTimings(raw.sectors || Object.keys(memory.sectors).length ? digests : null, built?.list ?? [], now, { durations, blockDelay }, settings.stuckMultiple)
  const jobs = built ? attachTimings(built, timings) : null
  const sectors = raw.sectors || digests.size > 0 ? { list: watchedList(next.sectors, timings), read: digests.size, errors: raw.sectors?.errors ?? 0 } : null

  const base: Omit<SiteSnapshot, 'findings'> = {
    siteId: input.siteId,
    takenAt: raw.finishedAt,
    tookMs: raw.finishedAt - raw.startedAt,
    seq: input.seq,
    connection: raw.connection,
    daemon,
    miner,
    pipeline,
    jobs,
    workers,
    proving,
    messages,
    sectors
  }
  if (Object.keys(partErrors).length > 0) base.partErrors = partErrors
  const findings = evaluate(
    {
      siteId: input.siteId,
      now,
      snapshot: base,
      sectors: raw.sectors || digests.size > 0 ? digests : null,
      receipts: new Map(Object.entries(next.receipts)),
      jobFirstSeen: next.jobFirstSeen,
      timings,
      logs: input.extras?.logs ?? null,
      provingChecks: input.extras?.provingChecks ?? [],
      durations,
      blockDelay,
      factor: settings.stuckMultiple,
      thresholds: input.thresholds ?? DEFAULT_THRESHOLDS
    },
    input.prev?.findings ?? []
  )
  return { snapshot: { ...base, findings }, memory: next }
}
