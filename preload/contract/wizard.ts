import { z } from 'zod'
import type { AuditEntry } from './app'
import { ch, returns, siteIdSchema } from './define'
import type { ErrorInfo } from './errors'
import type { MutationPreview } from './ops'

/**
 * Restart wizard (issue #4): the runbook's restart order (§6) as a guided sequence of steps,
 * each with a gate that must pass before the next one: pre-check (changes nothing) → stop the
 * miner → stop the daemon → start the daemon and wait for sync → start the miner and confirm the
 * winning PoSt warm-up, environment and version → post-check. A run's state is saved in
 * MINERDESK_HOME/wizard after every change; the run is also its report.
 */

export const WIZARD_STEPS = ['precheck', 'stopMiner', 'stopDaemon', 'startDaemon', 'startMiner', 'postcheck'] as const
export type WizardStepId = (typeof WIZARD_STEPS)[number]

/** Audit log action of each step's commands (`wizard.stop-miner` …). */
export const WIZARD_STEP_ACTION: Record<WizardStepId, string> = {
  precheck: 'wizard.precheck',
  stopMiner: 'wizard.stop-miner',
  stopDaemon: 'wizard.stop-daemon',
  startDaemon: 'wizard.start-daemon',
  startMiner: 'wizard.start-miner',
  postcheck: 'wizard.postcheck'
}

/**
 * pending: not reached · running: its command runs or its gate is being watched · waiting: the
 * operator has to decide (see WizardRun.decision) · ok / failed · skipped: nothing to do (the
 * miner was already stopped, the daemon already running…).
 */
export type WizardStepStatus = 'pending' | 'running' | 'waiting' | 'ok' | 'failed' | 'skipped'

/** ready: waiting for the operator to go on · running: the wizard drives · waiting: a decision is needed · interrupted: MinerDesk stopped while it ran. */
export type WizardPhase = 'ready' | 'running' | 'waiting' | 'interrupted' | 'done' | 'failed' | 'aborted'
export const FINISHED_PHASES: readonly WizardPhase[] = ['done', 'failed', 'aborted']

/* ------------------------------------------------------------------ pre-check */

export type VerdictKind = 'safe' | 'wait' | 'unsafe'

/** Why a restart now is not safe; `code` is an i18n key `wizard.reason.<code>` with `params`. */
export interface VerdictReason {
  code: 'deadline-open' | 'deadline-challenge' | 'no-window' | 'proving-unknown'
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
  step: WizardStepId
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

export interface WizardStepState {
  id: WizardStepId
  status: WizardStepStatus
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
export type WizardDecision =
  /** Step by step: the next command, previewed; confirm it with `ops:execute`. */
  | { kind: 'confirm'; step: WizardStepId; preview: MutationPreview }
  /** The pre-check verdict is not "safe now": wait (re-check) or override with an acknowledgement. */
  | { kind: 'verdict'; verdict: Verdict }
  /** A process did not stop within the timeout: wait longer, or end it (TERM, then KILL). */
  | { kind: 'stop-timeout'; step: WizardStepId; role: 'miner' | 'daemon'; pids: number[]; waitedSec: number }
  /**
   * After MinerDesk stopped mid-step: the command may have been sent (the audit log's entries
   * are shown) and the site does not show its effect. Send it again, check again, or abort.
   */
  | { kind: 'resend'; step: WizardStepId; command: string; audit: AuditEntry[]; facts: string; role: 'miner' | 'daemon'; running: boolean; pids: number[] }

export type DecisionAnswer =
  | { kind: 'wait-longer'; seconds?: number }
  | { kind: 'kill' }
  | { kind: 'resend' }
  | { kind: 'recheck' }

/* ------------------------------------------------------------------ the run */

export interface WizardOptions {
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
export const wizardOptionsSchema = z
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

export interface WizardRun {
  id: string
  siteId: string
  alias: string
  /** Where it was started, by whom. */
  via: 'electron' | 'web' | 'cli'
  operator: string
  createdAt: number
  updatedAt: number
  phase: WizardPhase
  /** 'auto': the whole sequence was confirmed once; 'step': each command is confirmed. */
  mode: 'step' | 'auto'
  current: WizardStepId
  steps: WizardStepState[]
  precheck: Precheck | null
  options: WizardOptions
  /** Repos the commands address (from endpoint discovery). */
  repos: { daemon: string; miner: string; home: string | null } | null
  /** Before anything stopped: what the restart must bring back. */
  before: { daemonVersion: string | null; minerVersion: string | null; minerSession: string | null; workers: string[] } | null
  /** An unsafe verdict overridden by the operator (also in the audit log). */
  override?: { at: number; verdict: string; note: string }
  decision: WizardDecision | null
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
  interruptions: Array<{ at: number; detectedAt: number; step: WizardStepId; resumedAt?: number }>
  /** The process driving the run (only it changes the run). */
  owner: { pid: number; hostname: string; via: 'electron' | 'web' | 'cli' } | null
  rollingId?: string
  result?: { ok: boolean; failedStep?: WizardStepId; aborted?: boolean; error?: ErrorInfo; endedAt: number; site?: SiteState }
  /** Set on runs shown to a window whose MinerDesk does not drive them (another live process does). Never saved. */
  elsewhere?: boolean
}

export interface WizardRunSummary {
  id: string
  siteId: string
  phase: WizardPhase
  current: WizardStepId
  createdAt: number
  updatedAt: number
  via: WizardRun['via']
  ok: boolean | null
  failedStep?: WizardStepId
  rollingId?: string
  /** Owned by another live MinerDesk process (read-only here). */
  elsewhere: boolean
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
  options: WizardOptions
  failure?: { siteId: string; step?: WizardStepId; message: string }
  owner: { pid: number; hostname: string; via: 'electron' | 'web' | 'cli' } | null
}

export interface WizardLogLines {
  siteId: string
  file: 'daemon' | 'miner'
  lines: string[]
}

export interface WizardTail {
  daemon: string[]
  miner: string[]
  /** The files followed (relative to the site's working directory, or absolute). */
  files: { daemon: string; miner: string }
  error?: ErrorInfo
}

export interface WizardReportFile {
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

export const wizardChannels = {
  /** Every run kept in MINERDESK_HOME (newest first), optionally of one site. */
  'wizard:list': ch(z.tuple([siteIdSchema.nullable()]), returns<WizardRunSummary[]>()),
  'wizard:get': ch(z.tuple([runIdSchema]), returns<WizardRun>()),
  /** The site's unfinished run, else its latest one, else null. */
  'wizard:forSite': ch(z.tuple([siteIdSchema]), returns<WizardRun | null>()),
  /** The pre-check and the exact commands, without creating a run (changes nothing). */
  'wizard:plan': ch(z.tuple([siteIdSchema]), returns<Precheck>()),
  /** Creates a run and its pre-check (changes nothing). Refused while the site has an unfinished run. */
  'wizard:start': ch(z.tuple([siteIdSchema, wizardOptionsSchema]), returns<WizardRun>()),
  /** Runs the pre-check again (before anything stopped). */
  'wizard:precheck': ch(z.tuple([runIdSchema]), returns<WizardRun>()),
  /** Overrides a verdict that is not "safe now"; the acknowledgement goes to the audit log. */
  'wizard:override': ch(z.tuple([runIdSchema, ackSchema]), returns<WizardRun>()),
  /** Step by step: previews the next command (decision 'confirm'), or runs a step that sends nothing. */
  'wizard:next': ch(z.tuple([runIdSchema]), returns<WizardRun>()),
  /** The whole remaining sequence as one preview; confirming it with ops:execute lets the wizard run every step. */
  'wizard:previewAll': ch(z.tuple([runIdSchema]), returns<MutationPreview>()),
  'wizard:decide': ch(z.tuple([runIdSchema, decisionAnswerSchema]), returns<WizardRun>()),
  /**
   * Takes up a run no live MinerDesk drives (interrupted, or left waiting): re-reads the site's
   * real state first. `options` update the run's (e.g. allow ending a process that does not stop).
   */
  'wizard:resume': ch(z.tuple([runIdSchema, wizardOptionsSchema]), returns<WizardRun>()),
  /** Resolves when the wizard stops driving the run: it finished, or waits for the operator (scripts, the CLI). */
  'wizard:wait': ch(z.tuple([runIdSchema]), returns<WizardRun>()),
  /** Stops after the command in flight (never mid-command); the report says what ran. */
  'wizard:abort': ch(z.tuple([runIdSchema]), returns<WizardRun>()),
  'wizard:report': ch(z.tuple([runIdSchema, z.enum(['json', 'markdown'])]), returns<WizardReportFile>()),
  /** Starts (or renews for a minute) the live tail of daemon.log and miner.log; returns the last lines. */
  'wizard:tail': ch(z.tuple([siteIdSchema]), returns<WizardTail>()),
  /** Rolling restart: the sites one after another; the preview confirms all of it at once. */
  'wizard:previewRolling': ch(z.tuple([z.array(siteIdSchema).min(1).max(100), wizardOptionsSchema]), returns<MutationPreview>()),
  'wizard:rolling': ch(z.tuple([]), returns<RollingRun | null>()),
  'wizard:abortRolling': ch(z.tuple([]), returns<RollingRun | null>())
} as const

export const wizardEvents = {
  'wizard:update': returns<WizardRun>(),
  'wizard:log': returns<WizardLogLines>(),
  'wizard:rolling': returns<RollingRun>()
} as const
