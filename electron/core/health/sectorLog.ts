import type { I18nText } from '../../../preload/contract'
import type { SectorInfo, SectorLog as LotusLogEntry } from '../../../preload/contract/lotus/types'

/**
 * What the health model keeps of a sector's SectorsStatus: the fields update-state safety needs
 * (messages, ticket, seed, CommR), when it entered its state, and a digest of its event log —
 * never the log itself (a looping sector's log holds up to 8000 entries).
 *
 * Failures are counted across the whole log: FSM failure events and planner errors. Lotus cuts a
 * log that passes 8000 entries (storage/pipeline/fsm.go logAppend): it keeps entries 0..1999 and
 * 6000.., dropping 4000 without a marker (only miner.log says `truncating sector log`). A cut log
 * shows as a jump in time between entries 1999 and 2000; such a log counts as at least 8000 events.
 */

/** FSM events that record a failure (storage/pipeline/fsm_events.go). */
export const FAILURE_EVENTS = new Set([
  'SectorAddPieceFailed', 'SectorSealPreCommit1Failed', 'SectorSealPreCommit2Failed', 'SectorChainPreCommitFailed',
  'SectorComputeProofFailed', 'SectorRemoteCommit1Failed', 'SectorRemoteCommit2Failed', 'SectorCommitFailed',
  'SectorFinalizeFailed', 'SectorDealsExpired', 'SectorTicketExpired', 'SectorUpdateReplicaFailed',
  'SectorProveReplicaUpdateFailed', 'SectorSubmitReplicaUpdateFailed', 'SectorReleaseKeyFailed',
  'SectorTerminateFailed', 'SectorRemoveFailed', 'SectorFaulty'
])

/** Events that mean a sealing step succeeded: errors before the last of them are history. */
export const PROGRESS_EVENTS = new Set([
  'SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent', 'SectorPreCommitted',
  'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorProofReady', 'SectorCommitSubmitted',
  'SectorCommitAggregateSent', 'SectorProving', 'SectorFinalized', 'SectorFinalizedAvailable'
])

/** Entries past which Lotus cuts the log, and what it keeps. */
export const LOG_CUT_AT = 8000
export const LOG_KEEP_HEAD = 2000
export const LOG_CUT_DROPS = 4000

export interface SectorErrorText {
  /** The error as Lotus wrote it (trace, else message), at most 2000 characters. */
  text: string
  at: number
  /** The event name (`SectorComputeProofFailed`) or the entry kind (`error;…`). */
  event: string
  index: number
}

export interface SectorDigest {
  n: number
  state: string
  /** When it entered its state: the last state-machine event of its log (ms), null with no log. */
  enteredAt: number | null
  preCommitMsg: string | null
  commitMsg: string | null
  ticketEpoch: number
  seedEpoch: number
  hasCommR: boolean
  hasCommD: boolean
  hasProof: boolean
  /** SectorInfo.Retries (Lotus's InvalidProofs). */
  retries: number
  /** SectorInfo.LastErr: filled only by old miners, never cleared. */
  lastErr: string
  logLength: number
  /** The log shows Lotus's cut (a time jump at entry 2000). */
  cut: boolean
  failures: number
  firstFailureAt: number | null
  lastFailureAt: number | null
  /** Errors since the last progress event, newest first (at most 20). */
  errors: SectorErrorText[]
  /** The newest error of the whole log (the cause of a loop), null when the log holds none. */
  lastError: SectorErrorText | null
  /** Counters the failure handlers decide by. */
  pc1Fails: number
  pc2FailsSincePc1: number
  /**
   * SectorRetrySubmitCommit since the last progress: the commit batch holding the sector failed
   * before it was sent and the sector's own check passed (handleSubmitCommitAggregate), so it goes
   * round SubmitCommit → SubmitCommitAggregate with no error in its log; `since` is the first.
   */
  batchRetries: number
  batchRetriesSince: number | null
  fetchedAt: number
}

/** `event;sealing.SectorComputeProofFailed` → `SectorComputeProofFailed`; other kinds unchanged. */
export function eventName(kind: string): string {
  const m = /^event;(?:sealing\.)?(.+)$/.exec(kind)
  return m ? (m[1] as string) : kind
}

export function isErrorEntry(e: Pick<LotusLogEntry, 'Kind' | 'Trace'>): boolean {
  return (e.Trace ?? '').trim() !== '' || e.Kind.startsWith('error;') || e.Kind === 'panic'
}

function isFailure(e: LotusLogEntry): boolean {
  return FAILURE_EVENTS.has(eventName(e.Kind)) || e.Kind.startsWith('error;') || e.Kind === 'panic'
}

function errorText(e: LotusLogEntry): string {
  return ((e.Trace ?? '').trim() || e.Message || '').slice(0, 2000)
}

/** When the sector entered its current state: the last state-machine event of its log (ms). */
export function enteredAt(log: readonly Pick<LotusLogEntry, 'Kind' | 'Timestamp'>[] | null): number | null {
  if (!log) return null
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!
    if (e.Kind.startsWith('event;')) return Math.round(e.Timestamp * 1000)
  }
  return null
}

/** Whether the log shows Lotus's cut: entries 1999 → 2000 jump far more than the log's usual pace. */
export function looksCut(log: readonly Pick<LotusLogEntry, 'Timestamp'>[]): boolean {
  if (log.length <= LOG_CUT_AT - LOG_CUT_DROPS) return false
  const gap = (log[LOG_KEEP_HEAD]!.Timestamp - log[LOG_KEEP_HEAD - 1]!.Timestamp) * 1000
  // The usual pace around the cut, from the 200 entries after it.
  const end = Math.min(log.length - 1, LOG_KEEP_HEAD + 200)
  const pace = ((log[end]!.Timestamp - log[LOG_KEEP_HEAD]!.Timestamp) * 1000) / Math.max(1, end - LOG_KEEP_HEAD)
  // 4000 dropped entries at that pace; a quarter of it is already far beyond chance.
  return gap > Math.max(60_000, pace * (LOG_CUT_DROPS / 4))
}

const cid = (c: { '/': string } | null | undefined): string | null => (c && typeof c['/'] === 'string' ? c['/'] : null)

export function digestSector(info: SectorInfo, fetchedAt: number): SectorDigest {
  const log = info.Log ?? []
  let failures = 0
  let firstFailureAt: number | null = null
  let lastFailureAt: number | null = null
  let lastProgress = -1
  let lastError: SectorErrorText | null = null
  let pc1Fails = 0
  let lastPc1Fail = -1
  for (let i = 0; i < log.length; i++) {
    const e = log[i]!
    const name = eventName(e.Kind)
    const at = Math.round(e.Timestamp * 1000)
    if (PROGRESS_EVENTS.has(name)) lastProgress = i
    if (name === 'SectorSealPreCommit1Failed') {
      pc1Fails++
      lastPc1Fail = i
    }
    if (isFailure(e)) {
      failures++
      firstFailureAt ??= at
      lastFailureAt = at
    }
    if (isErrorEntry(e)) lastError = { text: errorText(e), at, event: name, index: i }
  }
  let pc2FailsSincePc1 = 0
  for (let i = lastPc1Fail + 1; i < log.length; i++) if (eventName(log[i]!.Kind) === 'SectorSealPreCommit2Failed') pc2FailsSincePc1++
  let batchRetries = 0
  let batchRetriesSince: number | null = null
  for (let i = lastProgress + 1; i < log.length; i++) {
    if (eventName(log[i]!.Kind) !== 'SectorRetrySubmitCommit') continue
    batchRetries++
    batchRetriesSince ??= Math.round(log[i]!.Timestamp * 1000)
  }
  const errors: SectorErrorText[] = []
  for (let i = log.length - 1; i > lastProgress && errors.length < 20; i--) {
    const e = log[i]!
    if (isErrorEntry(e)) errors.push({ text: errorText(e), at: Math.round(e.Timestamp * 1000), event: eventName(e.Kind), index: i })
  }
  return {
    n: info.SectorID,
    state: info.State,
    enteredAt: enteredAt(log),
    preCommitMsg: cid(info.PreCommitMsg),
    commitMsg: cid(info.CommitMsg),
    ticketEpoch: info.Ticket?.Epoch ?? 0,
    seedEpoch: info.Seed?.Epoch ?? 0,
    hasCommR: cid(info.CommR) !== null,
    hasCommD: cid(info.CommD) !== null,
    hasProof: typeof info.Proof === 'string' && info.Proof !== '',
    retries: info.Retries ?? 0,
    lastErr: (info.LastErr ?? '').slice(0, 2000),
    logLength: log.length,
    cut: looksCut(log),
    failures,
    firstFailureAt,
    lastFailureAt,
    errors,
    lastError,
    pc1Fails,
    pc2FailsSincePc1,
    batchRetries,
    batchRetriesSince,
    fetchedAt
  }
}

/** The first non-empty line of an error, at most 500 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.trim().slice(0, 500)
}

/** The line of `text` that matches, else its first line. */
export function matchedLine(text: string, re: RegExp): string {
  const line = text.split('\n').find((l) => re.test(l))
  return (line ?? firstLine(text)).trim().slice(0, 500)
}

/**
 * The sector's last error as an operator means it: current Lotus never fills LastErr (it survives
 * for old miners), so it is the newest error since the sector last made progress; '' when none.
 */
export function lastErrorText(d: Pick<SectorDigest, 'lastErr' | 'errors'>): string {
  if (d.lastErr.trim()) return firstLine(d.lastErr)
  const e = d.errors[0]
  return e ? firstLine(e.text) : ''
}

const next = (key: string, params: Record<string, string | number> = {}): I18nText => ({ key: `sectors.next.${key}`, params })

/** What Lotus's state machine does by itself from the sector's state (states_failed.go; retries about once a minute). */
export function lotusNext(d: Pick<SectorDigest, 'state' | 'retries' | 'pc1Fails' | 'pc2FailsSincePc1'>): I18nText | null {
  switch (d.state) {
    case 'ComputeProofFailed':
      // handleComputeProofFailed: InvalidProofs > 1 → SectorSealPreCommit1Failed; else SectorRetryComputeProof.
      return d.retries > 1 ? next('cpf-reseal', { retries: d.retries }) : next('cpf-retry', { left: 2 - d.retries })
    case 'SealPreCommit1Failed':
      // PreCommit1Fails > MaxPreCommit1Retries (3) → SectorRemove.
      return d.pc1Fails > 3 ? next('pc1-remove', { fails: d.pc1Fails }) : next('pc1-retry', { left: 4 - d.pc1Fails, fails: d.pc1Fails })
    case 'SealPreCommit2Failed':
      return d.pc2FailsSincePc1 > 3 ? next('pc2-reseal', { fails: d.pc2FailsSincePc1 }) : next('pc2-retry', { left: 4 - d.pc2FailsSincePc1, fails: d.pc2FailsSincePc1 })
    case 'PreCommitFailed':
      return next('precommit-failed')
    case 'CommitFailed':
      return next('commit-failed')
    case 'RemoteCommitFailed':
      return next('remote-commit-retry')
    case 'FinalizeFailed':
    case 'CommitFinalizeFailed':
    case 'FinalizeReplicaUpdateFailed':
      return next('finalize-retry')
    case 'AddPieceFailed':
      return next('addpiece-retry')
    case 'DealsExpired':
      return next('deals-expired')
    case 'RecoverDealIDs':
      return next('recover-deals')
    case 'RemoveFailed':
      return next('remove-retry')
    case 'TerminateFailed':
      return next('terminate-failed')
    case 'Faulty':
      return next('faulty')
    case 'FaultReported':
    case 'FaultedFinal':
    case 'FailedUnrecoverable':
      return next('final')
    case 'PackingFailed':
      return next('packing-failed')
    case 'Removing':
      return next('removing')
    case 'Removed':
      return next('removed')
    default:
      return null
  }
}
