import { z } from 'zod'
import type { ConnectionInfo } from './connection'
import { ch, returns, siteIdSchema } from './define'
import type { Health, SiteSnapshot } from './snapshot'

/**
 * The health model's findings: what MinerDesk judges about a site, one finding per root cause.
 * The core builds them (electron/core/health); the Overview, the site and sector pages,
 * notifications and the CLI only render them, so they never disagree. Every text is an i18n key
 * with parameters (`findings.<kind>[.<variant>].title|cause|consequence|remedy.<id>`), never prose;
 * evidence values are what Lotus printed or answered, verbatim.
 */

export type FindingSeverity = 'critical' | 'warning' | 'info'

/** Every kind of finding; each has one file in electron/core/health/kinds/. */
export const FINDING_KINDS = [
  'site-unreachable',
  'daemon-down',
  'miner-down',
  'sync-error',
  'sync-behind',
  'worker-down',
  'job-uncollected',
  'commit-failed',
  'retry-loop',
  'sector-error',
  'sector-stuck',
  'stage-overdue',
  'sectors-faulty',
  'proving-check',
  'wdpost-slow',
  'late-block',
  'worker-lost-miner',
  'message-stuck'
] as const
export type FindingKind = (typeof FINDING_KINDS)[number]

export type SubjectKind = 'site' | 'daemon' | 'miner' | 'sector' | 'job' | 'worker' | 'deadline' | 'sync-worker' | 'message' | 'block'

/** What a finding is about (or one of the things grouped under it). */
export interface Subject {
  kind: SubjectKind
  /** Sector number, job call UUID, worker UUID, deadline index, sync worker id, message CID, block CID; '' for the site. */
  id: string
  /** How an operator names it: the worker's hostname, `PC1 of sector 12`… (language-neutral). */
  label?: string
}

export type I18nParams = Record<string, string | number>

export interface I18nText {
  key: string
  params: I18nParams
}

/**
 * A MinerDesk action that applies a remedy. Mutations open their preview (and are confirmed and
 * audited like every action); read-only ones run directly. `cliCommand` gives the command line.
 */
export type FindingAction =
  | { kind: 'abort'; job: string }
  | { kind: 'update-state'; sectors: number[]; state: string }
  | { kind: 'remove'; sectors: number[] }
  | { kind: 'runworker'; start: 'worker' | 'workerC2' }
  | { kind: 'killw'; flag: string }
  | { kind: 'wps'; flag: string }
  | { kind: 'proving-check'; deadline: number }
  | { kind: 'mpool-replace'; from: string; nonce: number }
  | { kind: 'sync-check-bad'; cid: string }
  | { kind: 'sync-unmark-bad'; cid: string }
  | { kind: 'status'; sector: number }
  | { kind: 'read-logs' }
  | { kind: 'restart' }

/**
 * A finding seen from one sector's page: the actions that change several sectors of the group
 * (remove, update-state) apply to that sector only there; the group's page (Overview, sectors tab)
 * keeps them for all.
 */
export function findingForSector(f: Finding, sector: number): Finding {
  const narrow = (a: FindingAction | undefined): FindingAction | undefined =>
    a && (a.kind === 'remove' || a.kind === 'update-state') && a.sectors.includes(sector) ? { ...a, sectors: [sector] } : a
  return { ...f, remedies: f.remedies.map((r) => (r.action ? { ...r, action: narrow(r.action) } : r)) }
}

export interface Remedy {
  /** `findings.<kind>[.<variant>].remedy.<id>` */
  text: I18nText
  action?: FindingAction
}

export interface Evidence {
  /** i18n key of the label (`evidence.<name>`). */
  label: string
  /** The value or line as Lotus gave it (never translated). */
  value: string
}

export interface Finding {
  /** Stable across polls: `${siteId}:${kind}:${subject.kind}:${subject.id}`. */
  id: string
  siteId: string
  kind: FindingKind
  severity: FindingSeverity
  subject: Subject
  /** One line for lists and notifications. */
  title: I18nText
  /** Why: the root cause as MinerDesk reads it. */
  cause: I18nText
  /** What is lost if nothing is done. */
  consequence: I18nText
  /** When that loss happens (ms since epoch), null when it is not bound to a time. */
  deadline: number | null
  /** What an operator does, most useful first. */
  remedies: Remedy[]
  /** The values and lines MinerDesk saw. */
  evidence: Evidence[]
  /** What this root cause holds (the jobs and sectors of a dead worker). */
  related: Subject[]
  /** First seen (ms since epoch), kept across polls. */
  since: number
}

const RANK: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 }

export function severityRank(s: FindingSeverity): number {
  return RANK[s]
}

/** Most severe first, then by kind and subject: the order every screen and the CLI list findings in. */
export function compareFindings(a: Finding, b: Finding): number {
  return RANK[a.severity] - RANK[b.severity] || a.kind.localeCompare(b.kind) || a.siteId.localeCompare(b.siteId) || a.subject.id.localeCompare(b.subject.id, 'en', { numeric: true })
}

/** The findings that concern one sector: about it, or holding it as a related subject. */
export function findingsOfSector(findings: readonly Finding[], sector: number): Finding[] {
  const id = String(sector)
  return findings.filter((f) => (f.subject.kind === 'sector' && f.subject.id === id) || f.related.some((r) => r.kind === 'sector' && r.id === id))
}

/** Findings about (or holding) a subject of a kind, e.g. a worker or a job. */
export function findingsOf(findings: readonly Finding[], kind: SubjectKind, id: string): Finding[] {
  return findings.filter((f) => (f.subject.kind === kind && f.subject.id === id) || f.related.some((r) => r.kind === kind && r.id === id))
}

/** The `minerdesk` command line that applies an action (what the CLI prints under a remedy). */
export function cliCommand(siteId: string, a: FindingAction): string {
  switch (a.kind) {
    case 'abort':
      return `minerdesk abort ${siteId} ${a.job.slice(0, 8)}`
    case 'update-state':
      return `minerdesk update-state ${siteId} ${a.sectors.join(',')} ${a.state}`
    case 'remove':
      return `minerdesk remove ${siteId} ${a.sectors.join(' ')}`
    case 'runworker':
      return `minerdesk ${a.start === 'worker' ? 'runworker' : 'runworker-c2'} ${siteId}`
    case 'killw':
      return `minerdesk killw ${siteId} ${a.flag}`
    case 'wps':
      return `minerdesk wps ${siteId} ${a.flag}`
    case 'proving-check':
      return `minerdesk proving-check ${siteId} ${a.deadline}`
    case 'mpool-replace':
      return `minerdesk mpool-replace ${siteId} ${a.from} ${a.nonce} --fee-limit <FIL>`
    case 'sync-check-bad':
      return `minerdesk sync-check-bad ${siteId} ${a.cid}`
    case 'sync-unmark-bad':
      return `minerdesk sync-unmark-bad ${siteId} ${a.cid}`
    case 'status':
      return `minerdesk status ${siteId} ${a.sector} --log`
    case 'read-logs':
      return `minerdesk findings ${siteId} --logs`
    case 'restart':
      return `minerdesk restart ${siteId} --plan`
  }
}

/**
 * One word for a site's state, shared by the Overview, the sidebar and the CLI so they never
 * disagree: `unknown` while MinerDesk has no current data (never polled, or the SSH connection is
 * not up), else the worst finding severity (`info` findings do not lower health).
 */
export function siteHealth(snapshot: Pick<SiteSnapshot, 'findings'> | undefined, connection: Pick<ConnectionInfo, 'state'> | undefined): Health {
  const state = connection?.state
  if (state !== undefined && state !== 'connected') {
    // A site that cannot be reached is itself a critical condition the operator must act on;
    // `connecting`/`idle`/`stale` only mean "no fresh data yet".
    if (state === 'unreachable' || state === 'auth-failed' || state === 'host-key-changed' || state === 'config-error') return 'critical'
    if (state === 'host-key-unknown' || state === 'passphrase-needed') return 'warning'
    return 'unknown'
  }
  if (!snapshot) return 'unknown'
  if (snapshot.findings.some((a) => a.severity === 'critical')) return 'critical'
  if (snapshot.findings.some((a) => a.severity === 'warning')) return 'warning'
  return 'ok'
}

/* ------------------------------------------------------------------ stage timing */

/** `late`: past the expected time; `overdue`: past the stuck factor × the expected time. */
export type TimingLevel = 'ok' | 'late' | 'overdue'

/**
 * What a sector waits for in a state: a worker task (`compute`), the chain (`chain`), a message
 * batch (`batch`), a handler that moves on within minutes (`handler`), a failure handler's retry
 * (`failed`); `manual`: Lotus never moves it by itself; `done`: Proving/Available/Removed.
 */
export type StageClass = 'compute' | 'chain' | 'batch' | 'handler' | 'failed' | 'manual' | 'done'

/** The one elapsed time of a sector in its state, judged by the one rule (electron/core/health/stages.ts). */
export interface StageTiming {
  state: string
  class: StageClass
  /** When the sector entered the state (ms since epoch): elapsed is always now − since. */
  since: number
  elapsedSec: number
  expectedSec: number
  /** The stuck factor used (settings.stuckMultiple). */
  factor: number
  level: TimingLevel
}

/* ------------------------------------------------------------------ update-state safety */

/**
 * Why update-state refuses a target: `not-a-transition` Lotus's handlers never move a sector there
 * from its state; `no-commit-message` / `no-precommit-message` the wait state's handler needs the
 * message; `no-commr`, `no-seed`, `no-proof` what the handler computes with is missing;
 * `not-committed` Proving/FinalizeSector before a commit message; `already-committed` re-sealing a
 * sector whose commit message exists; `not-on-chain` a fault or termination state of a sector that
 * is not proving; `use-remove` removal has its own action.
 */
export const TARGET_REFUSALS = [
  'not-a-transition',
  'no-commit-message',
  'no-precommit-message',
  'no-commr',
  'no-seed',
  'no-proof',
  'not-committed',
  'already-committed',
  'not-on-chain',
  'use-remove'
] as const
export type TargetRefusal = (typeof TARGET_REFUSALS)[number]

export interface UpdateTargetCheck {
  state: string
  ok: boolean
  reasons: TargetRefusal[]
}

/* ------------------------------------------------------------------ channels */

/** One site's findings as `minerdesk findings` and the Overview show them. */
export interface SiteFindings {
  siteId: string
  connection: ConnectionInfo['state']
  health: Health
  /** When the poll they come from finished (ms). */
  takenAt: number
  findings: Finding[]
}

/** A log file read for findings (the running process's own log, found through /proc). */
export interface LogSourceReport {
  host: string
  file: string
  role: 'miner' | 'worker' | 'daemon'
  worker?: string
  lines: number
  error?: string
}

export interface LogReadReport {
  siteId: string
  readAt: number
  sources: LogSourceReport[]
  /** Lotus log events found (slow WindowPoSt, late blocks, lost workers, CheckProvable faults…). */
  events: number
  /** The site's findings after the read. */
  findings: Finding[]
}

export const healthChannels = {
  /** Polls the named sites now (every site with an empty list) and returns their findings. */
  'health:findings': ch(z.tuple([z.array(siteIdSchema).max(1000)]), returns<SiteFindings[]>()),
  /** Reads the miner's and the workers' logs over SSH for what only logs reveal, then re-judges the site. */
  'health:readLogs': ch(z.tuple([siteIdSchema]), returns<LogReadReport>())
} as const

export const healthEvents = {
  /** Findings (warning or worse) that appeared in a site's latest poll: what deserves a notification. */
  'findings:new': returns<Finding[]>()
} as const
