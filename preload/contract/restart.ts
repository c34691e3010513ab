import { z } from 'zod'
import type { AuditEntry } from './app'
import { ch, returns, siteIdSchema } from './define'
import type { ErrorInfo } from './errors'
import type { MutationPreview } from './ops'

/**
 * Restart wizard: the runbook's restart order (§6) as a guided sequence of steps,
 * each with a gate that must pass before the next one: pre-check (changes nothing) → stop the
 * miner → stop the daemon → start the daemon and wait for sync → start the miner and confirm the
 * winning PoSt warm-up, environment and version → post-check. A run's state is saved in
 * MINERDESK_HOME/wizard after every change; the run is also its report.
 */

export const RESTART_STEPS = ['precheck', 'stopMiner', 'stopDaemon', 'startDaemon', 'startMiner', 'postcheck'] as const
export type RestartStepId = (typeof RESTART_STEPS)[number]

/** Audit log action of each step's commands (`wizard.stop-miner` …). */
export const RESTART_STEP_ACTION: Record<RestartStepId, string> = {
  precheck: 'wizard.precheck',
  stopMiner: 'wizard.stop-miner',
  stopDaemon: 'wizard.stop-daemon',
  startDaemon: 'wizard.start-daemon',
  startMiner: 'wizard.start-miner',
  postcheck: 'wizard.postcheck'
}

/**
 * pending: not reached · running: its command runs or its gate is being watched · waiting: the
 * operator has to decide (see RestartRun.decision) · ok / failed · skipped: nothing to do (the
 * miner was already stopped, the daemon already running…).
 */
export type RestartStepStatus = 'pending' | 'running' | 'waiting' | 'ok' | 'failed' | 'skipped'

/** ready: waiting for the operator to go on · running: the wizard drives · waiting: a decision is needed · interrupted: MinerDesk stopped while it ran. */
export type RestartPhase = 'ready' | 'running' | 'waiting' | 'interrupted' | 'done' | 'failed' | 'aborted'
export const FINISHED_PHASES: readonly RestartPhase[] = ['done', 'failed', 'aborted']

/* ------------------------------------------------------------------ pre-check */

export type VerdictKind = 'safe' | 'wait' | 'unsafe'

/** Why a restart now is not safe; `code` is an i18n key `wizard.reason.<code>` with `params`. */
export interface VerdictReason {
  code:
    | 'deadline-open'
    | 'deadline-challenge'
    | 'no-window'
    | 'proving-unknown'
    // The start configuration cannot pass the restart's own gates (checked on the site before anything stops).
    | 'workdir-missing'
    | 'start-script-missing'
    | 'start-script-noexec'
    | 'start-dir-missing'
    | 'start-program-missing'
    | 'start-sets-no-env'
  params: Record<string, string | number>
  /** English rendering (CLI, report). */
  text: string
}

export interface Verdict {
  kind: VerdictKind
  reasons: VerdictReason[]
  /**
   * 'wait': the next safe window is expected to open at this time (ms) / epoch, and closes at
   * windowEnd (ms). When it opens after a deadline's proof lands (afterProofOf), waitUntil is when
   * the proof usually lands; the window may open later, at the latest when that deadline closes.
   */
  waitUntil?: number
  waitUntilEpoch?: number
  windowEnd?: number
  afterProofOf?: number
  /** 'wait' after a proof: when that deadline closes (the window opens by then at the latest). */
  latestAt?: number
  /** The restart time the verdict assumed, where it came from, and in epochs (with margin). */
  restartSec: number
  restartSource: 'site' | 'measured' | 'default'
  restartEpochs: number
  /** English summary: "safe now", "wait until 14:05 (next safe window)", "unsafe, because …". */
  text: string
}

export interface DeadlineView {
  index: number
  openEpoch: number
  openAt: number
  challengeEpoch: number
  closeEpoch: number
  partitions: number
  sectors: number
  proven: number
  current: boolean
}

export interface ProvingView {
  currentEpoch: number
  deadlineIndex: number
  open: number
  close: number
  challenge: number
  closeAt: number
  blockDelay: number
  /** Deadlines with live sectors, and the current one. */
  deadlines: DeadlineView[]
}

/** What a restart does to a sealing job (i18n `wizard.jobEffect.<effect>`). */
export type JobEffect = 'continues' | 'requeued' | 'returns'

export interface PrecheckJob {
  id: string
  sector: number
  task: string
  hostname: string
  state: string
  effect: JobEffect
}

export interface PrecheckMessage {
  cid: string
  from: string
  nonce: number
  method: number
  ageSec: number
}

export interface EnvCheckRow {
  name: string
  /** Configured value; `*` = must be set, any value. */
  expected: string
  /** Value in the process's environment, null when not set. */
  actual: string | null
  ok: boolean
}

export interface EnvCheck {
  /** false: the process's environment could not be read (another user) or no process. */
  readable: boolean
  rows: EnvCheckRow[]
  ok: boolean
}

export interface NodeFacts {
  up: boolean
  version?: string
  error?: ErrorInfo
  /** The site's own processes of this role (matched by repo). */
  pids: number[]
  repo: string
}

/** A command the sequence will run, exactly as it will be sent. */
export interface PlannedCommand {
  step: RestartStepId
  host: string
  text: string
}

export interface Precheck {
  at: number
  daemon: NodeFacts
  miner: NodeFacts & { session?: string; actor?: string }
  chain: { height: number | null; behindEpochs: number | null; blockDelay: number | null }
  proving: ProvingView | null
  verdict: Verdict
  jobs: PrecheckJob[]
  messages: PrecheckMessage[]
  workers: string[]
  env: EnvCheck
  commands: PlannedCommand[]
  /** Other things the operator should know (i18n `wizard.warning.<code>`). */
  warnings: Array<{ code: string; params: Record<string, string | number>; text: string }>
}

/* ------------------------------------------------------------------ steps */

/**
 * One command of a step as it went: previewed (shown, not confirmed) · sending (confirmed, its
 * audit entry 'started' may exist) · ok / error · uncertain (MinerDesk stopped while it was being
 * sent: it may or may not have run) · skipped (not needed).
 */
export interface CommandRecord {
  previewId: string
  kind: 'command' | 'signal'
  host: string
  text: string
  status: 'previewed' | 'sending' | 'ok' | 'error' | 'uncertain' | 'skipped'
  at: number
  endedAt?: number
  output?: string
  error?: ErrorInfo
}

export type ObservationTone = 'info' | 'ok' | 'warning' | 'critical'

/** One thing a gate saw (i18n `wizard.obs.<code>` with params; `text` is the English rendering). */
export interface Observation {
  at: number
  code: string
  params: Record<string, string | number>
  tone: ObservationTone
  text: string
}

export interface SyncProgress {
  at: number
  height: number
  targetHeight: number | null
  behindEpochs: number
  /** Epochs validated per second (measured), and the time left at that pace. */
  ratePerSec: number | null
  etaSec: number | null
  stage: string | null
}

export interface LogExcerpt {
  file: string
  lines: string[]
}

export interface RestartStepState {
  id: RestartStepId
  status: RestartStepStatus
  startedAt?: number
  endedAt?: number
  commands: CommandRecord[]
  observations: Observation[]
  /** Older observations dropped to keep the state small (long syncs). */
  droppedObservations?: number
  sync?: SyncProgress
  /** The step's log (miner.log, daemon.log) size before its command: what the gate reads is written after it. */
  logOffset?: number
  /** The gate gives up at this time (ms); moved on by "wait longer". */
  gateUntil?: number
  /** The operator said to send again a command that may or may not have been sent. */
  resendApproved?: boolean
  excerpts: LogExcerpt[]
  error?: ErrorInfo
}

/* ------------------------------------------------------------------ decisions */

/** What the operator has to decide before the wizard goes on. */
export type RestartDecision =
  /** Step by step: the next command, previewed; confirm it with `ops:execute`. */
  | { kind: 'confirm'; step: RestartStepId; preview: MutationPreview }
  /** The pre-check verdict is not "safe now": wait (re-check) or override with an acknowledgement. */
  | { kind: 'verdict'; verdict: Verdict }
  /** A process did not stop within the timeout: wait longer, or end it (TERM, then KILL). */
  | { kind: 'stop-timeout'; step: RestartStepId; role: 'miner' | 'daemon'; pids: number[]; waitedSec: number }
  /**
   * After MinerDesk stopped mid-step: the command may have been sent (the audit log's entries
   * are shown) and the site does not show its effect. Send it again, check again, or abort.
   */
  | { kind: 'resend'; step: RestartStepId; command: string; audit: AuditEntry[]; facts: string; role: 'miner' | 'daemon'; running: boolean; pids: number[] }

export type DecisionAnswer =
  | { kind: 'wait-longer'; seconds?: number }
  | { kind: 'kill' }
  | { kind: 'resend' }
  | { kind: 'recheck' }

/* ------------------------------------------------------------------ the run */

export interface RestartOptions {
  /** For an upgrade: the version the miner (daemon) must have after the restart. */
  expectMinerVersion?: string
  expectDaemonVersion?: string
  /** Wait for the next safe window instead of refusing (rolling restarts, scripts). */
  waitForWindow?: boolean
  /** End a process that does not stop within the timeout (TERM, then KILL) without asking again. */
  allowKill?: boolean
  /** Seconds: stop gate, TERM → KILL wait, sync, warm-up, post-check (defaults from the site). */
  stopTimeoutSec?: number
  termWaitSec?: number
  syncTimeoutSec?: number
  warmupTimeoutSec?: number
  postcheckTimeoutSec?: number
}

const seconds = z.number().int().min(1).max(7 * 24 * 3600)
const versionText = z.string().min(1).max(100).regex(/^[A-Za-z0-9._+-]+$/, 'not a version (letters, digits, . _ + -)')
export const restartOptionsSchema = z
  .object({
    expectMinerVersion: versionText.optional(),
    expectDaemonVersion: versionText.optional(),
    waitForWindow: z.boolean().optional(),
    allowKill: z.boolean().optional(),
    stopTimeoutSec: seconds.optional(),
    termWaitSec: seconds.optional(),
    syncTimeoutSec: seconds.optional(),
    warmupTimeoutSec: seconds.optional(),
    postcheckTimeoutSec: seconds.optional()
  })
  .strict()

/** The state of the site as MinerDesk last read it (at the end, after an abort). */
export interface SiteState {
  at: number
  daemon: { running: boolean; pids: number[]; apiUp: boolean }
  miner: { running: boolean; pids: number[]; apiUp: boolean }
  text: string
}

export interface RestartRun {
  id: string
  siteId: string
  alias: string
  /** Where it was started, by whom. */
  via: 'electron' | 'web' | 'cli'
  operator: string
  createdAt: number
  updatedAt: number
  phase: RestartPhase
  /** 'auto': the whole sequence was confirmed once; 'step': each command is confirmed. */
  mode: 'step' | 'auto'
  current: RestartStepId
  steps: RestartStepState[]
  precheck: Precheck | null
  options: RestartOptions
  /** Repos the commands address (from endpoint discovery). */
  repos: { daemon: string; miner: string; home: string | null } | null
  /** Before anything stopped: what the restart must bring back. */
  before: { daemonVersion: string | null; minerVersion: string | null; minerSession: string | null; workers: string[] } | null
  /**
   * When this run tries again after a restart of the site that did not succeed: the workers
   * registered before the first of those attempts (`firstRun`, at `at`). The post-check expects
   * them back too, so a worker lost by an earlier attempt is named, not forgotten.
   */
  knownWorkers?: { workers: string[]; firstRun: string; at: number }
  /** An unsafe verdict overridden by the operator (also in the audit log). */
  override?: { at: number; verdict: string; note: string }
  decision: RestartDecision | null
  /** What the post-check saw after the restart. */
  after?: {
    at: number
    workers: string[]
    /** Workers not back yet because they finish a task first (they re-register after it). */
    busyWorkers: string[]
    jobs: { running: number; retWait: number; queued: number }
    proving: ProvingView | null
    faults: number
    messages: PrecheckMessage[]
  }
  /** MinerDesk stopped while the run was going (host crash, kill); resumedAt once taken up again. */
  interruptions: Array<{ at: number; detectedAt: number; step: RestartStepId; resumedAt?: number }>
  /** The process driving the run (only it changes the run). */
  owner: { pid: number; hostname: string; via: 'electron' | 'web' | 'cli' } | null
  rollingId?: string
  result?: { ok: boolean; failedStep?: RestartStepId; aborted?: boolean; error?: ErrorInfo; endedAt: number; site?: SiteState }
  /** Set on runs shown to a window whose MinerDesk does not drive them (another live process does). Never saved. */
  elsewhere?: boolean
  /**
   * The run's state could not be written to its file (a full disk): the file still holds an
   * earlier, whole state; a crash now would resume from there. Cleared by the next write that works.
   */
  stateNotSaved?: { at: number; file: string; error: string }
}

export interface RestartRunSummary {
  id: string
  siteId: string
  phase: RestartPhase
  current: RestartStepId
  createdAt: number
  updatedAt: number
  via: RestartRun['via']
  ok: boolean | null
  failedStep?: RestartStepId
  rollingId?: string
  /** Owned by another live MinerDesk process (read-only here). */
  elsewhere: boolean
}

/**
 * Why a rolling restart stopped at a site: the restart's error (its gate, translated by the reader),
 * a pre-check verdict that was not "safe now", or a step that waits for the operator's decision.
 * `message` is the same in English for logs.
 */
export interface RollingFailure {
  siteId: string
  step?: RestartStepId
  message: string
  error?: ErrorInfo
  verdict?: Verdict
  waitingAt?: RestartStepId
}

/** Several sites restarted one after another, stopping at the first failure. */
export interface RollingRun {
  id: string
  siteIds: string[]
  createdAt: number
  updatedAt: number
  phase: 'running' | 'done' | 'failed' | 'aborted' | 'interrupted'
  /** Index in siteIds of the site being restarted. */
  index: number
  runs: Record<string, string>
  options: RestartOptions
  failure?: RollingFailure
  owner: { pid: number; hostname: string; via: 'electron' | 'web' | 'cli' } | null
}

export interface RestartLogLines {
  siteId: string
  file: 'daemon' | 'miner'
  lines: string[]
}

export interface RestartTail {
  daemon: string[]
  miner: string[]
  /** The files followed (relative to the site's working directory, or absolute). */
  files: { daemon: string; miner: string }
  error?: ErrorInfo
}

export interface RestartReportFile {
  filename: string
  mime: string
  content: string
}

const runIdSchema = z.string().uuid('not a wizard run id')
const decisionAnswerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('wait-longer'), seconds: seconds.optional() }).strict(),
  z.object({ kind: z.literal('kill') }).strict(),
  z.object({ kind: z.literal('resend') }).strict(),
  z.object({ kind: z.literal('recheck') }).strict()
])
const ackSchema = z.string().trim().min(4, 'say why (a few words)').max(500)

export const restartChannels = {
  /** Every run kept in MINERDESK_HOME (newest first), optionally of one site. */
  'restart:list': ch(z.tuple([siteIdSchema.nullable()]), returns<RestartRunSummary[]>()),
  'restart:get': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  /** The site's unfinished run, else its latest one, else null. */
  'restart:forSite': ch(z.tuple([siteIdSchema]), returns<RestartRun | null>()),
  /** The pre-check and the exact commands, without creating a run (changes nothing). */
  'restart:plan': ch(z.tuple([siteIdSchema]), returns<Precheck>()),
  /** Creates a run and its pre-check (changes nothing). Refused while the site has an unfinished run. */
  'restart:start': ch(z.tuple([siteIdSchema, restartOptionsSchema]), returns<RestartRun>()),
  /** Runs the pre-check again (before anything stopped). */
  'restart:precheck': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  /** Overrides a verdict that is not "safe now"; the acknowledgement goes to the audit log. */
  'restart:override': ch(z.tuple([runIdSchema, ackSchema]), returns<RestartRun>()),
  /** Step by step: previews the next command (decision 'confirm'), or runs a step that sends nothing. */
  'restart:next': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  /** The whole remaining sequence as one preview; confirming it with ops:execute lets the wizard run every step. */
  'restart:previewAll': ch(z.tuple([runIdSchema]), returns<MutationPreview>()),
  'restart:decide': ch(z.tuple([runIdSchema, decisionAnswerSchema]), returns<RestartRun>()),
  /**
   * Takes up a run no live MinerDesk drives (interrupted, or left waiting): re-reads the site's
   * real state first. `options` update the run's (e.g. allow ending a process that does not stop).
   */
  'restart:resume': ch(z.tuple([runIdSchema, restartOptionsSchema]), returns<RestartRun>()),
  /** Resolves when the wizard stops driving the run: it finished, or waits for the operator (scripts, the CLI). */
  'restart:wait': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  /** Stops after the command in flight (never mid-command); the report says what ran. */
  'restart:abort': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  /** Ends a run whose pre-check verdict said no, recorded in the audit log as refused (the CLI without --override-unsafe). */
  'restart:refuse': ch(z.tuple([runIdSchema]), returns<RestartRun>()),
  'restart:report': ch(z.tuple([runIdSchema, z.enum(['json', 'markdown'])]), returns<RestartReportFile>()),
  /** Starts (or renews for a minute) the live tail of daemon.log and miner.log; returns the last lines. */
  'restart:tail': ch(z.tuple([siteIdSchema]), returns<RestartTail>()),
  /** Rolling restart: the sites one after another; the preview confirms all of it at once. */
  'restart:previewRolling': ch(z.tuple([z.array(siteIdSchema).min(1).max(100), restartOptionsSchema]), returns<MutationPreview>()),
  'restart:rolling': ch(z.tuple([]), returns<RollingRun | null>()),
  'restart:abortRolling': ch(z.tuple([]), returns<RollingRun | null>())
} as const

export const restartEvents = {
  'restart:update': returns<RestartRun>(),
  'restart:log': returns<RestartLogLines>(),
  'restart:rolling': returns<RollingRun>()
} as const
