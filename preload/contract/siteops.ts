import { z } from 'zod'
import { ch, returns, siteIdSchema } from './define'
import type { ErrorInfo } from './errors'
import type { MutationPreview } from './ops'
import {
  addressSchema,
  blockCidSchema,
  deadlineIndexSchema,
  filAmountSchema,
  jobIdSchema,
  nonceSchema,
  peerIdSchema,
  processFlagSchema,
  sshAliasSchema,
  uuidSchema
} from './validators'

/**
 * Jobs, workers and their processes, proving checks, chain and messages: the
 * runbook's jobs.sh / workers.sh / killw.sh / wps.sh / runworker.sh / runworkerC2.sh and its
 * `sealing abort`, `proving check --slow`, `net block add peer` and `mpool replace --auto`.
 * Every `preview…` channel returns a MutationPreview that `ops:execute` runs once (ops.ts).
 * Channels and events are merged into channels.ts.
 */

/** A Lotus process as wps.sh finds it on one host (only the site's own processes). */
export interface SiteProcess {
  /** SSH alias of the host it runs on. */
  host: string
  pid: number
  ppid: number
  /** /proc state letter: R running, S sleeping, D disk, T stopped, Z zombie. */
  state: string
  /** Start time (ms since epoch). */
  startedAt: number
  role: 'daemon' | 'miner' | 'worker' | null
  /** The command line, words as the process has them. */
  argv: string[]
  /** `lotus-worker run --name X`: the name (= Hostname in `sealing workers`/`jobs`), else null. */
  workerName: string | null
}

export interface HostProcesses {
  host: string
  /** Set when this host could not be listed (the others still are). */
  error?: ErrorInfo
  processes: SiteProcess[]
  /** Matching Lotus processes on this host that belong to another site or user (left out). */
  othersSkipped: number
}

export interface WpsResult {
  siteId: string
  flag: string
  hosts: HostProcesses[]
  /**
   * How workers were told apart from other sites' workers: their MINER_API_INFO points at this
   * site's miner (`miner-api`), or — the miner being down — they run under the login's HOME.
   */
  matchedBy: 'miner-api' | 'home'
}

/** One row of `lotus-miner proving check` (deadline, partition, sector, status). */
export interface ProvingCheckRow {
  deadline: number
  partition: number
  sector: number
  ok: boolean
  /** Lotus's reason for a bad sector, verbatim. */
  reason?: string
}

export type ProvingCheckStatus = 'running' | 'done' | 'failed' | 'cancelled'

export interface ProvingCheckState {
  id: string
  siteId: string
  deadline: number
  status: ProvingCheckStatus
  /** The exact remote command line. */
  command: string
  host: string
  startedAt: number
  endedAt: number | null
  /** Live sectors and partitions of the deadline when the check started (what Lotus will check). */
  expectedSectors: number | null
  partitions: number | null
  checked: number
  bad: number
  rows: ProvingCheckRow[]
  /** stderr of the command (Lotus prints its errors there). */
  stderr: string
  error?: ErrorInfo
}

/** Pushed while a check runs: the state without rows, plus the rows parsed since the last update. */
export interface ProvingCheckUpdate extends Omit<ProvingCheckState, 'rows'> {
  newRows: ProvingCheckRow[]
}

export interface PeerRow {
  id: string
  addrs: string[]
  /** NetPubsubScores score, null when the peer has none. */
  score: number | null
}

export interface PeersInfo {
  siteId: string
  /** The node's own peer ID (never blockable). */
  self: string
  peers: PeerRow[]
  blocked: { peers: string[]; ipAddrs: string[]; ipSubnets: string[] }
}

/** A request in the scheduler queue (`lotus-miner sealing sched-diag`), removable with `sealing abort --sched`. */
export interface SchedRequest {
  schedId: string
  sector: number
  task: string
  taskType: string
  priority: number
}

export const START_KINDS = ['worker', 'workerC2'] as const
export type StartKind = (typeof START_KINDS)[number]

const site = siteIdSchema

export const abortInputSchema = z
  .object({
    /** Call id prefix (8+ hex digits) as `sealing jobs` prints it, or with `sched` a scheduler request UUID. */
    job: jobIdSchema,
    sched: z.boolean().optional()
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.sched && !uuidSchema.safeParse(v.job).success) ctx.addIssue({ code: 'custom', path: ['job'], message: 'with --sched the id is a full scheduler request UUID (sealing sched-diag)' })
  })

export const runWorkerInputSchema = z
  .object({
    kind: z.enum(START_KINDS),
    /** Where to run it: the site's alias (default) or one of its worker hosts. */
    host: sshAliasSchema.optional()
  })
  .strict()

export const mpoolReplaceInputSchema = z
  .object({
    from: addressSchema,
    nonce: nonceSchema,
    /** `--fee-limit` in FIL. */
    feeLimit: filAmountSchema
  })
  .strict()

export const siteopsChannels = {
  /** `lotus-miner sealing abort <callid-prefix>` (or `--sched <uuid>`): resolves the job first. */
  'siteops:previewAbort': ch(z.tuple([site, abortInputSchema]), returns<MutationPreview>()),
  /** `lotus-miner sealing sched-diag`: requests still waiting in the scheduler queue. */
  'siteops:schedRequests': ch(z.tuple([site]), returns<SchedRequest[]>()),
  /** wps.sh: the site's Lotus processes whose command line contains the flag, on the site host and every worker host. */
  'siteops:wps': ch(z.tuple([site, processFlagSchema]), returns<WpsResult>()),
  /** killw.sh: TERM then KILL the site's lotus-worker processes matching the flag (exact PIDs). */
  'siteops:previewKillWorkers': ch(z.tuple([site, processFlagSchema]), returns<MutationPreview>()),
  /** runworker.sh / runworkerC2.sh: the site's configured start command, in its work directory. */
  'siteops:previewRunWorker': ch(z.tuple([site, runWorkerInputSchema]), returns<MutationPreview>()),
  /** `lotus-miner proving check --slow <deadline>`: runs now; progress comes as `siteops:provingCheck` events. */
  'siteops:provingCheckStart': ch(z.tuple([site, deadlineIndexSchema]), returns<ProvingCheckState>()),
  'siteops:provingCheckCancel': ch(z.tuple([uuidSchema]), returns<null>()),
  'siteops:provingCheckGet': ch(z.tuple([uuidSchema]), returns<ProvingCheckState>()),
  /** Recent checks of a site (newest first), so a reopened page finds a running one again. */
  'siteops:provingChecks': ch(z.tuple([site]), returns<ProvingCheckState[]>()),
  /** `lotus net peers` + `net scores` + `net block list`. */
  'siteops:peers': ch(z.tuple([site]), returns<PeersInfo>()),
  /** `lotus net block add peer <id>` (NetBlockAdd). */
  'siteops:previewBlockPeer': ch(z.tuple([site, peerIdSchema]), returns<MutationPreview>()),
  /** `lotus sync check-bad <cid>` (SyncCheckBad): why the node marked a block bad, '' when it did not. */
  'siteops:syncCheckBad': ch(z.tuple([site, blockCidSchema]), returns<{ cid: string; reason: string }>()),
  /** `lotus sync unmark-bad <cid>` (SyncUnmarkBad), or `--all` with null (SyncUnmarkAllBad). */
  'siteops:previewUnmarkBad': ch(z.tuple([site, blockCidSchema.nullable()]), returns<MutationPreview>()),
  /** `lotus mpool replace --auto --fee-limit <FIL> <from> <nonce>`. */
  'siteops:previewMpoolReplace': ch(z.tuple([site, mpoolReplaceInputSchema]), returns<MutationPreview>())
} as const

export const siteopsEvents = {
  'siteops:provingCheck': returns<ProvingCheckUpdate>()
} as const
