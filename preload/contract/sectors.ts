import { z } from 'zod'
import { ch, returns, siteIdSchema } from './define'
import type { Finding, I18nText, StageTiming, UpdateTargetCheck } from './health'
import type { MutationPreview } from './ops'
import type { Durations } from './settings'
import type { SectorGroup } from './lotus/states'
import type { JobState } from './snapshot'
import { portSchema, sectorFilePatternSchema, sectorListSchema, sectorNumberSchema, stateNameSchema } from './validators'

/**
 * Sectors: the sectors screen, the sector page (state, event log, diagnosis, files) and
 * the runbook's sector scripts as guarded actions. Channels and events are merged into channels.ts.
 *
 * The list travels in columns (one array per field) so that 200,000 sectors stay a few MB on the
 * wire and the renderer can keep them in typed arrays outside reactive state.
 */

/** Operator groups of the sectors screen (`stuck` = in a sealing state far beyond its expected duration). */
export const SECTOR_FILTER_GROUPS = ['failed', 'stuck', 'sealing', 'proving', 'removed'] as const
export type SectorFilterGroup = (typeof SECTOR_FILTER_GROUPS)[number]

/** A sealing job of a sector (from WorkerJobs), as the sectors screen and sector page show it. */
export interface SectorJob {
  /** Full call UUID (all zeros for queued requests). */
  id: string
  workerId: string
  hostname: string
  /** Short task name (PC1, C2…); `taskType` is Lotus's string. */
  task: string
  taskType: string
  state: JobState
  runWait: number
  /** ms since epoch, null when Lotus has none. */
  start: number | null
}

/** What the list knows about a sector that is not Proving (from SectorsStatus, fetched in batches). */
export interface SectorRowDetail {
  n: number
  /** When the sector entered its current state (ms; the last state-machine event of its log). */
  enteredAt: number | null
  retries: number
  lastErr: string
  /** Its one timing in its state (the same the Overview, the jobs tab and the CLI show); null without a limit. */
  timing: StageTiming | null
  /** timing.level is `overdue`. */
  stuck: boolean
  /** update-state targets that are safe for this sector (Lotus's own transitions whose handler has what it needs). */
  targets: string[]
}

export interface SectorTable {
  siteId: string
  /** ms since epoch when the data was read, and how long it took. */
  takenAt: number
  tookMs: number
  minerId: number
  /** State names referenced by `runs` (Lotus names, untranslated). */
  states: string[]
  /** Group of each entry of `states`. */
  stateGroups: SectorGroup[]
  /**
   * Every sector, by number, as runs of consecutive numbers in one state: flat triples
   * `[first, count, stateIndex, …]`, ascending, never overlapping. A site's sectors are mostly
   * consecutive Proving ones, so a million sectors are a few runs instead of megabytes of numbers.
   */
  runs: number[]
  /** Sectors in `runs`. */
  rows: number
  /** Sectors with details (every sector outside Proving/Available/Removed). */
  details: SectorRowDetail[]
  /** Jobs by sector (only sectors that have one). */
  jobs: Record<string, SectorJob[]>
  /** Every state update-state names (the safe ones per sector are in `details`). */
  targets: { all: string[] }
  /** The site's expected durations and the stuck multiple used. */
  durations: Durations
  stuckMultiple: number
  /** Calls made: JSON-RPC batches and the SectorsStatus calls inside them. */
  calls: { batches: number; sectorsStatus: number }
  /** SectorsStatus failures (a sector removed between the list and its status, say). */
  detailErrors: number
}

/* ------------------------------------------------------------------ sector page */

export interface SectorLogEntry {
  /** Lotus's Kind, e.g. `event;sealing.SectorComputeProofFailed`, `error;…`, `truncate`. */
  kind: string
  /** The event name without its prefix (`SectorComputeProofFailed`), or the kind for non-events. */
  name: string
  /** ms since epoch */
  at: number
  message: string
  trace: string
}

/**
 * What MinerDesk judges about one sector: the site's findings that concern it (the same the
 * Overview shows, judged with the sector's fresh status), and what Lotus's state machine does by
 * itself from its state (an i18n key `sectors.next.*`).
 */
export interface SectorDiagnosis {
  findings: Finding[]
  next: I18nText | null
  /** No finding concerns the sector. */
  clean: boolean
}

/** A sector the chain counts as faulty or recovering (StateSectorPartition + StateMinerPartitions). */
export interface SectorFault {
  status: 'faulty' | 'recovering'
  deadline: number
  partition: number
  /** When the deadline is next open (ms), null when the proving state could not be read. */
  dueAt: number | null
}

export interface SectorDetail {
  siteId: string
  sector: number
  minerId: number
  takenAt: number
  state: string
  group: SectorGroup
  commD: string | null
  commR: string | null
  ticketEpoch: number
  seedEpoch: number
  preCommitMsg: string | null
  commitMsg: string | null
  retries: number
  lastErr: string
  deals: number[]
  sealProof: number
  sectorSize: number | null
  /** On-chain info (SectorsStatus with showOnChainInfo): zero when not on chain. */
  onChain: { activation: number; expiration: number; initialPledge: string; dealWeight: string; verifiedDealWeight: string; onTime: number; early: number }
  log: SectorLogEntry[]
  enteredAt: number | null
  /** The one timing of the sector in its state (null when the state has no limit). */
  timing: StageTiming | null
  /** Faulty or recovering on chain, whatever the sealing state machine says (a Proving sector can be). */
  fault: SectorFault | null
  diagnosis: SectorDiagnosis
  jobs: SectorJob[]
  /** update-state: the targets safe for this sector (suggested), every state Lotus names, and why the others are refused. */
  updateTargets: { suggested: string[]; all: string[]; refused: UpdateTargetCheck[] }
}

/* ------------------------------------------------------------------ files */

export const SECTOR_FILE_KINDS = ['unsealed', 'sealed', 'cache', 'update', 'update-cache'] as const
export type SectorFileKind = (typeof SECTOR_FILE_KINDS)[number]

/** A storage path of the site, resolved to the host that holds it (`s` = the site's own host). */
export interface StoragePathRef {
  id: string
  alias: string
  path: string
  owner: 'miner' | 'worker'
  /** The worker's listen port (owner worker). */
  port: number | null
  canSeal: boolean
  canStore: boolean
  /** Known to the miner's index (false: a worker path the miner never attached). */
  attached: boolean
}

export interface FileEntry {
  kind: SectorFileKind
  /** Sector file name (`s-t01000-36`). */
  name: string
  /** Path relative to the sector entry: '' for the entry itself, else the file in the cache directory. */
  rel: string
  type: 'file' | 'dir' | 'other'
  size: number
  /** ms since epoch */
  mtime: number
}

export interface PathListing {
  storage: StoragePathRef
  entries: FileEntry[]
}

export interface HostProblem {
  alias: string | null
  /** i18n `sectors.fileProblem.<kind>` with `params`. */
  kind: 'unmapped-ip' | 'unreachable' | 'no-worker' | 'listing-failed' | 'listing-partial' | 'listing-cut' | 'unresolved-storage'
  params: Record<string, string | number>
  /** What the host or Lotus said, verbatim (never translated). */
  detail?: string
  /** English rendering (CLI). */
  message: string
}

/** Where the sector's files are (StorageFindSector per file type), as Lotus reports them. */
export interface SectorLocation {
  kind: SectorFileKind
  storageId: string
  urls: string[]
  primary: boolean
  /** Resolved storage path, null when MinerDesk could not map it to a host. */
  storage: StoragePathRef | null
}

/**
 * Which files a sector must have, from its state: `unsealed` after AddPiece, `pc1` after PreCommit1
 * (layers, tree-d), `pc2` after PreCommit2 (tree-c, tree-r-last, p_aux, t_aux, sealed),
 * `finalizing` while FinalizeSector clears the cache, `finalized` what FinalizeSector keeps,
 * `removed` nothing at all; `none`/`unknown`: nothing is checked.
 */
export type FileStage = 'none' | 'unsealed' | 'pc1' | 'pc2' | 'finalizing' | 'finalized' | 'removed' | 'unknown'

export interface FileCheck {
  stage: FileStage
  /** Files that must exist at this stage and were found nowhere. */
  missing: string[]
  /** Files that should no longer (or not yet) exist, with where they are. */
  extra: string[]
  /** Files present with size 0. */
  empty: string[]
  /** Sector entries present in more than one storage path. */
  copies: string[]
  ok: boolean
}

export interface SectorFilesReport {
  siteId: string
  sector: number
  minerId: number
  fileName: string
  state: string
  locations: SectorLocation[]
  listings: PathListing[]
  check: FileCheck
  problems: HostProblem[]
}

/** `lotus-miner storage find <n>` (storagefind.sh). */
export interface StorageFindReport {
  siteId: string
  sector: number
  entries: { id: string; types: SectorFileKind[]; canSeal: boolean; canStore: boolean; primary: boolean; localPath: string | null; urls: string[]; storage: StoragePathRef | null }[]
  /** The same as `lotus-miner storage find` prints it. */
  text: string
}

/** `findsector.sh <flag>` across the site's worker and storage hosts. */
export interface FindFilesReport {
  siteId: string
  pattern: string
  listings: PathListing[]
  /** Entries (sector files) found in total, and whether the listing was cut. */
  total: number
  truncated: boolean
  problems: HostProblem[]
}

/** `clearsector.sh <n> <reservePort>`: what would be deleted and what is kept, and why. */
export interface ClearPlanItem {
  storage: StoragePathRef
  kind: SectorFileKind
  name: string
  /** The exact path that would be deleted or is kept. */
  path: string
  size: number
  action: 'delete' | 'keep'
  /** Why it is kept: `current` (Lotus's current storage), `reserved` (the worker on the reserved port). */
  reason: 'stale' | 'current' | 'reserved'
}

export interface ClearPreview {
  plan: ClearPlanItem[]
  problems: HostProblem[]
  /** Null when there is nothing to delete. */
  preview: MutationPreview | null
}

/* ------------------------------------------------------------------ autopledge */

export interface AutopledgeTick {
  at: number
  /** Sectors in sealing states when checked. */
  sealing: number
  decision: 'pledged' | 'enough' | 'no-room' | 'error'
  sector?: number
  message?: string
}

export interface AutopledgeState {
  siteId: string
  running: boolean
  /** Keep this many sectors sealing. */
  target: number
  intervalSec: number
  startedAt: number | null
  stoppedAt: number | null
  stopReason: 'operator' | 'host-restart' | 'host-closed' | null
  /** Which host runs it (the app, the browser host or a CLI in the foreground). */
  owner: string | null
  pledged: number
  last: AutopledgeTick | null
}

export const autopledgeConfigSchema = z
  .object({
    target: z.number().int().min(1, 'keep at least 1 sector sealing').max(1000),
    intervalSec: z.number().int().min(10, 'check at most every 10 s').max(24 * 3600)
  })
  .strict()
export type AutopledgeConfig = z.infer<typeof autopledgeConfigSchema>

/**
 * The operator's explicit override of update-state safety: the refused targets are sent anyway,
 * the preview says what Lotus will do with them, and the audit log records the override.
 */
export const updateOverrideSchema = z.object({ override: z.literal(true) }).strict()
export type UpdateOverride = z.infer<typeof updateOverrideSchema>

/* ------------------------------------------------------------------ channels */

const site = siteIdSchema
/** clearsector.sh's reserved port: a number or digits only (no coercion of `true`, arrays or padded text). */
const reservePortSchema = z.union([z.number(), z.string().regex(/^[0-9]{1,5}$/, 'a port is digits, e.g. 3456')]).pipe(portSchema).nullable()

export const sectorsChannels = {
  /** Every sector of a site, in columns (SectorsSummary, SectorsListInStates, batched SectorsStatus of the non-Proving ones). */
  'sectors:list': ch(z.tuple([site]), returns<SectorTable>()),
  /** One sector: state, on-chain info, event log, diagnosis, jobs (status.sh --log). */
  'sectors:status': ch(z.tuple([site, sectorNumberSchema]), returns<SectorDetail>()),
  /** Where the sector's files are and whether the stage's files are all there. */
  'sectors:files': ch(z.tuple([site, sectorNumberSchema]), returns<SectorFilesReport>()),
  /** `lotus-miner storage find <n>` (storagefind.sh). */
  'sectors:storageFind': ch(z.tuple([site, sectorNumberSchema]), returns<StorageFindReport>()),
  /** findsector.sh: a sector number, a file name or an `s-t*` pattern, on every worker and storage host. */
  'sectors:findFiles': ch(z.tuple([site, sectorFilePatternSchema]), returns<FindFilesReport>()),
  /**
   * update-state of one or more sectors (commitwait.sh / precommitwait.sh are this with their
   * state). A target Lotus's handlers cannot take for a sector (CommitWait without a commit
   * message…) is refused before anything is sent, unless `override` says the operator insists (audited).
   */
  'sectors:previewUpdateState': ch(z.tuple([site, sectorListSchema, stateNameSchema, updateOverrideSchema.optional()]), returns<MutationPreview>()),
  /** remove.sh of one or more sectors: abort their jobs, then SectorRemove. */
  'sectors:previewRemove': ch(z.tuple([site, sectorListSchema]), returns<MutationPreview>()),
  'sectors:previewPledge': ch(z.tuple([site]), returns<MutationPreview>()),
  /** clearsector.sh: list first; the preview deletes only stale copies. `null` port: keep no worker's copy specially. */
  'sectors:previewClear': ch(z.tuple([site, sectorNumberSchema, reservePortSchema]), returns<ClearPreview>()),
  /** autopledge.sh: confirming the preview starts it. */
  'sectors:previewAutopledge': ch(z.tuple([site, autopledgeConfigSchema]), returns<MutationPreview>()),
  'sectors:autopledgeStatus': ch(z.tuple([site.nullable()]), returns<AutopledgeState[]>()),
  'sectors:stopAutopledge': ch(z.tuple([site]), returns<AutopledgeState>())
} as const

export const sectorsEvents = {
  'sectors:autopledge': returns<AutopledgeState>()
} as const
