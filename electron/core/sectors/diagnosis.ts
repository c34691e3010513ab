import type { Diagnosis, DiagnosisFinding, DiagnosisSeverity, LotusNext, SectorLogEntry } from '../../../preload/contract/sectors'
import { FAILURE_STATES, FAULT_STATES } from '../../../preload/contract/lotus/states'

/**
 * The diagnosis of a sector from its last error and its event log: known error signatures
 * (runbook §7, lotus-reference §4.1) with the operator's usual remedy, and what Lotus's state
 * machine will do by itself from the current state (lotus-reference §3.3, with the retry counters
 * Lotus keeps: InvalidProofs, PreCommit1Fails, PreCommit2Fails). Pure: no I/O, English texts for
 * the CLI, ids and params for the window's translations (`sectors.diag.<id>.*`, `sectors.next.<key>`).
 *
 * Only errors since the sector last made progress count: a Proving sector's LastErr from a
 * failure long ago is history, not a diagnosis.
 */

export interface DiagnosisInput {
  state: string
  lastErr: string
  /** SectorInfo.Retries (Lotus's InvalidProofs counter). */
  retries: number
  log: readonly SectorLogEntry[]
}

interface Signature {
  id: string
  severity: DiagnosisSeverity
  re: RegExp
  title: string
  remedy: string
  actions: string[]
  /** Generic signatures a more specific one makes redundant. */
  suppresses?: string[]
  /** Extra template values from the match. */
  params?: (m: RegExpExecArray) => Record<string, string | number>
}

const PROVE_COMMIT_EXIT: Record<string, string> = {
  '16': 'illegal argument: a bad or late proof',
  '19': 'insufficient funds',
  '6': 'insufficient funds (SysErrInsufficientFunds)'
}

/** Most specific first; every id has `sectors.diag.<id>.title` / `.remedy` in both languages. */
export const SIGNATURES: readonly Signature[] = [
  {
    id: 'invalid-vanilla-proof',
    severity: 'critical',
    re: /Invalid vanilla proof generated/,
    title: 'C1 failed: Invalid vanilla proof generated',
    remedy:
      'Remove the sector (runbook §7). The cache or sealed file no longer matches the replica — usually after a worker restart, a disk problem, or PC2 done on another host. Check the disk of the worker that holds it.',
    actions: ['remove', 'clear-files'],
    suppresses: ['compute-proof-c1']
  },
  {
    id: 'compute-proof-c1',
    severity: 'critical',
    re: /computing seal proof failed\(1\)/,
    title: 'C1 (Commit1) failed',
    remedy: 'Check the sector\'s cache and sealed files (Files below) and the worker that ran C1. If the files are incomplete, remove the sector.',
    actions: ['update-state:Committing', 'remove']
  },
  {
    id: 'compute-proof-c2',
    severity: 'critical',
    re: /computing seal proof failed\(2\)/,
    title: 'C2 (Commit2) failed',
    remedy: 'Check the C2 worker: GPU, proof parameters (FIL_PROOFS_PARAMETER_CACHE) and memory. Then let Lotus retry, or update-state to Committing.',
    actions: ['update-state:Committing']
  },
  {
    id: 'worker-restarted',
    severity: 'warning',
    re: /worker restarted/,
    title: 'The worker restarted during the task (error 101)',
    remedy: 'Nothing to do if the worker is back: Lotus retries the task. Find out why the worker restarted (its log, memory).',
    actions: [],
    suppresses: ['pc1-failed', 'pc2-failed']
  },
  {
    id: 'task-aborted',
    severity: 'info',
    re: /task aborted/,
    title: 'The sealing task was aborted',
    remedy: 'The job was aborted (sealing abort): Lotus retries the step.',
    actions: [],
    suppresses: ['pc1-failed', 'pc2-failed']
  },
  {
    id: 'pc1-failed',
    severity: 'warning',
    re: /seal pre commit\(1\) failed/,
    title: 'PreCommit1 failed',
    remedy: 'Check the PC1 worker (disk space of its sealing path, memory, parent cache). Lotus retries; a sector that keeps failing is removed by Lotus.',
    actions: []
  },
  {
    id: 'pc2-failed',
    severity: 'warning',
    re: /seal pre commit\(2\) failed/,
    title: 'PreCommit2 failed',
    remedy: 'Check the PC2 worker (GPU, disk space) and that the layers are complete (Files below). Lotus retries, then re-seals from PreCommit1.',
    actions: ['update-state:PreCommit2']
  },
  {
    id: 'ticket-expired',
    severity: 'critical',
    re: /ticket expired/,
    title: 'Ticket expired',
    remedy: 'The precommit came too late (over ~31.5 h after the ticket). Nothing to repair: Lotus re-seals or removes the sector; seal faster (more PC1/PC2 capacity, shorter batch waits).',
    actions: ['remove']
  },
  {
    id: 'precommit-funds',
    severity: 'critical',
    re: /insufficient funds for pre-commit deposit/,
    title: 'Insufficient funds for the pre-commit deposit',
    remedy:
      'Send FIL to the miner actor (check "Available" in lotus-miner info), or to the worker/control addresses; consider CollateralFromMinerBalance and AvailableBalanceBuffer. Lotus retries by itself once funded.',
    actions: [],
    suppresses: ['precommit-failed']
  },
  {
    id: 'pledge-funds',
    severity: 'critical',
    re: /locked funds insufficient to cover initial pledges|unlocked balance does not cover pledge requirements/,
    title: 'The miner actor cannot cover the initial pledge',
    remedy: 'Fund the miner actor (lotus-miner actor / wallet send to the miner address). Lotus retries the commit once funded.',
    actions: [],
    suppresses: ['aggregate-failed', 'prove-commit-exit']
  },
  {
    id: 'mpool-funds',
    severity: 'critical',
    re: /not enough funds/,
    title: 'The sending address has not enough funds',
    remedy: 'Fund the worker or control addresses that send sealing messages (lotus-miner actor control list), or lower the fee limits.',
    actions: [],
    suppresses: ['precommit-failed', 'aggregate-failed']
  },
  {
    id: 'invalid-proof',
    severity: 'critical',
    re: /commit check error: invalid proof/,
    title: 'The commit proof did not verify',
    remedy: 'Lotus recomputes the proof once, then re-seals. If it keeps failing, remove the sector.',
    actions: ['update-state:Committing', 'remove']
  },
  {
    id: 'not-found-after-cron',
    severity: 'critical',
    re: /sector not found in sector set after cron/,
    title: 'Sector not found in the sector set after cron',
    remedy: 'The commit landed but the sector is not active (usually a commit too late for its precommit). It loops CommitFailed ↔ Committing: remove the sector.',
    actions: ['remove'],
    suppresses: ['aggregate-failed', 'prove-commit-exit']
  },
  {
    id: 'precommit-info-missing',
    severity: 'critical',
    re: /is allocated, but PreCommit info wasn't found on chain/,
    title: 'Sector number allocated but its precommit is not on chain',
    remedy: 'The precommit expired and the number was reused; Lotus stops here. Remove the sector.',
    actions: ['remove']
  },
  {
    id: 'porep-wait',
    severity: 'warning',
    re: /failed to wait for porep inclusion/,
    title: 'Waiting for the ProveCommit message failed',
    remedy: 'Lotus retries CommitWait. If the message vanished from the chain and the mpool, update-state to SubmitCommit (or CommitWait once it is found).',
    actions: ['update-state:SubmitCommit', 'update-state:CommitWait']
  },
  {
    id: 'aggregate-failed',
    severity: 'warning',
    re: /aggregate seal verify failed|sector failed in aggregate processing|aggregate message was nil|aggregate error|sending message failed \(params size/,
    title: 'The commit aggregate (batch) failed',
    remedy: 'Lotus retries through CommitFailed. Check the balance of the sending addresses, MaxCommitBatch and the gas limits; for a lost message update-state to SubmitCommit.',
    actions: ['update-state:SubmitCommit', 'update-state:CommitWait']
  },
  {
    id: 'prove-commit-exit',
    severity: 'critical',
    re: /submitting sector proof failed \(exit=(\d+)/,
    title: 'The ProveCommit message failed on chain (exit {{exit}})',
    remedy: 'Exit 16: bad or late proof (recompute or remove); exit 19 or 6: insufficient funds (fund the sender or the miner actor).',
    actions: ['update-state:Committing', 'remove'],
    params: (m) => ({ exit: m[1] ?? '?', meaning: PROVE_COMMIT_EXIT[m[1] ?? ''] ?? 'see the exit code' })
  },
  {
    id: 'precommit-failed',
    severity: 'warning',
    re: /sector precommit failed|precommit batch error|queuing precommit batch failed/,
    title: 'The precommit message failed',
    remedy: 'Lotus retries through PreCommitFailed. Check the funds of the miner actor and the sending addresses, then let it retry (or update-state to PreCommitting).',
    actions: ['update-state:PreCommitting']
  },
  {
    id: 'vanilla-proof-timeout',
    severity: 'warning',
    re: /failed to generate vanilla proof before context cancellation/,
    title: 'Reading the sector for a proof timed out',
    remedy: 'The storage is slow or unreachable (disks, NFS). Check it; SingleCheckTimeout / PartitionCheckTimeout in the miner config.',
    actions: []
  },
  {
    id: 'wpost-invalid-vanilla',
    severity: 'critical',
    re: /Generated vanilla proof for sector .* is invalid/,
    title: 'A WindowPoSt vanilla proof of this sector is invalid',
    remedy: 'The sector\'s files are corrupt: the sector will be faulted. Check its files; if they cannot be recovered, terminate it.',
    actions: []
  },
  {
    id: 'consecutive-compute-fails',
    severity: 'info',
    re: /consecutive compute fails|consecutive invalid proofs/,
    title: 'Lotus gave up recomputing the proof and re-seals from PreCommit1',
    remedy: 'Let it re-seal, or remove the sector if re-sealing is not worth it.',
    actions: ['remove']
  },
  {
    id: 'worker-connection-lost',
    severity: 'warning',
    re: /LOTUS-MINER CONNECTION LOST/,
    title: 'A worker lost its connection to the miner',
    remedy: 'The worker registers again when the miner is back; check the network and the miner.',
    actions: []
  }
]

/** Events that mean a sealing step succeeded: errors before the last of them are history. */
const PROGRESS = new Set([
  'SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent', 'SectorPreCommitted',
  'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorProofReady', 'SectorCommitSubmitted',
  'SectorCommitAggregateSent', 'SectorProving', 'SectorFinalized', 'SectorFinalizedAvailable'
])

const FAILED_STATES = new Set<string>([...FAILURE_STATES, ...FAULT_STATES])

function isErrorEntry(e: SectorLogEntry): boolean {
  return e.trace.trim() !== '' || e.kind.startsWith('error;') || e.kind === 'panic'
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? ''
  return line.trim().slice(0, 500)
}

/** The line of `text` that matches, else its first line. */
function matchedLine(text: string, re: RegExp): string {
  const line = text.split('\n').find((l) => re.test(l))
  return (line ?? firstLine(text)).trim().slice(0, 500)
}

function count(log: readonly SectorLogEntry[], name: string, from = 0): number {
  let n = 0
  for (let i = from; i < log.length; i++) if (log[i]!.name === name) n++
  return n
}

function lastIndexOf(log: readonly SectorLogEntry[], name: string): number {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.name === name) return i
  return -1
}

function next(key: string, text: string, params: Record<string, string | number> = {}): LotusNext {
  let t = text
  for (const [k, v] of Object.entries(params)) t = t.split(`{{${k}}}`).join(String(v))
  return { key, text: t, params }
}

/** What the state machine does by itself from `state` (lotus-reference §3.3; retries about once a minute). */
export function lotusNext(input: DiagnosisInput): LotusNext | null {
  const { state, retries, log } = input
  switch (state) {
    case 'ComputeProofFailed': {
      // handleComputeProofFailed: InvalidProofs > 1 → SectorSealPreCommit1Failed; else SectorRetryComputeProof (InvalidProofs++).
      if (retries > 1) return next('cpf-reseal', 'Lotus will re-seal the sector from PreCommit1 at its next retry (about a minute after the failure): C1/C2 were already retried {{retries}} times ("consecutive compute fails").', { retries })
      return next('cpf-retry', 'Lotus will retry C1/C2 (back to Committing) about a minute after the failure; if the proof fails {{left}} more time(s), it re-seals the sector from PreCommit1.', { left: 2 - retries })
    }
    case 'SealPreCommit1Failed': {
      // PreCommit1Fails counts SectorSealPreCommit1Failed events; more than 3 → SectorRemove.
      const fails = count(log, 'SectorSealPreCommit1Failed')
      if (fails > 3) return next('pc1-remove', 'Lotus will remove the sector: PreCommit1 failed {{fails}} times (more than 3).', { fails })
      return next('pc1-retry', 'Lotus will retry PreCommit1 about a minute after the failure; after {{left}} more failure(s) it removes the sector.', { left: 4 - fails, fails })
    }
    case 'SealPreCommit2Failed': {
      const since = lastIndexOf(log, 'SectorSealPreCommit1Failed') + 1
      const fails = count(log, 'SectorSealPreCommit2Failed', since)
      if (fails > 3) return next('pc2-reseal', 'Lotus will re-seal the sector from PreCommit1: PreCommit2 failed {{fails}} times.', { fails })
      return next('pc2-retry', 'Lotus will retry PreCommit2 about a minute after the failure; after {{left}} more failure(s) it re-seals from PreCommit1.', { left: 4 - fails, fails })
    }
    case 'PreCommitFailed':
      return next('precommit-failed', 'Lotus checks the precommit message and the chain about once a minute, then goes back to PreCommitting (or on to PreCommitWait / WaitSeed if the precommit landed). A funds problem repeats until it is fixed.')
    case 'CommitFailed':
      return next('commit-failed', 'Lotus checks the commit about once a minute and moves on by the cause: Committing (recompute), CommitWait, SubmitCommit or PreCommitting; a second invalid proof re-seals from PreCommit1; an expired ticket removes the sector.')
    case 'RemoteCommitFailed':
      return next('remote-commit-retry', 'Lotus retries the commit computation (back to Committing).')
    case 'FinalizeFailed':
    case 'CommitFinalizeFailed':
    case 'FinalizeReplicaUpdateFailed':
      return next('finalize-retry', 'Lotus retries finalizing about a minute after the failure.')
    case 'AddPieceFailed':
      return next('addpiece-retry', 'Lotus goes back to WaitDeals and adds the pieces again.')
    case 'DealsExpired':
      return next('deals-expired', 'Lotus removes the sector if it is not on chain yet; if it is on chain, it stops here and waits for you.')
    case 'RecoverDealIDs':
      return next('recover-deals', 'Lotus tries to fix the deal IDs and return to the state it came from; if it cannot, it removes the sector.')
    case 'RemoveFailed':
      return next('remove-retry', 'Lotus retries the removal.')
    case 'TerminateFailed':
      return next('terminate-failed', 'Lotus retries the termination, or pauses when the sector is only precommitted (then it waits for you).')
    case 'Faulty':
      return next('faulty', 'Lotus declares the fault on chain (FaultReported).')
    case 'FaultReported':
    case 'FaultedFinal':
    case 'FailedUnrecoverable':
      return next('final', 'Nothing: this state is final. Only update-state or remove move the sector.')
    case 'PackingFailed':
      return next('packing-failed', 'Lotus treats it as DealsExpired (a deprecated state).')
    case 'Removing':
      return next('removing', 'Lotus is deleting the sector\'s files; then the sector is Removed.')
    case 'Removed':
      return next('removed', 'Nothing: the sector is removed. Stale copies of its files can be cleared.')
    default:
      return null
  }
}

/** Index just after the last progress event (0 when there is none). */
function sinceProgress(log: readonly SectorLogEntry[]): number {
  for (let i = log.length - 1; i >= 0; i--) if (PROGRESS.has(log[i]!.name)) return i + 1
  return 0
}

/**
 * The sector's last error as an operator means it: current Lotus never fills SectorInfo.LastErr
 * (the field survives only for old miners), so it is the first line of the newest error in the
 * log since the sector last made progress; '' when there is none.
 */
export function lastError(lastErr: string, log: readonly SectorLogEntry[]): string {
  if (lastErr.trim()) return firstLine(lastErr)
  const from = sinceProgress(log)
  for (let i = log.length - 1; i >= from; i--) {
    const e = log[i]!
    if (isErrorEntry(e)) return firstLine(e.trace.trim() || e.message)
  }
  return ''
}

/**
 * Diagnoses a sector. Every signature that matches an error since the last progress event is a
 * finding (once, with its most recent evidence); errors no signature knows make `unknown`.
 */
export function diagnose(input: DiagnosisInput): Diagnosis {
  const { log, state, lastErr } = input
  // A removed sector has nothing left to repair; only what Lotus does (nothing) and stale files matter.
  if (state === 'Removed' || state === 'Removing') return { findings: [], next: lotusNext(input), unknown: null, clean: true }
  const from = sinceProgress(log)
  // Most recent first, so each finding carries its latest evidence.
  const texts: { text: string; logIndex: number | null }[] = []
  for (let i = log.length - 1; i >= from; i--) {
    const e = log[i]!
    if (isErrorEntry(e)) texts.push({ text: e.trace.trim() || e.message, logIndex: i })
  }
  // LastErr (filled only by old miners) is never cleared on success: it counts when the log shows
  // no newer progress (or is empty/truncated away), or the sector is in a failure state.
  if (lastErr.trim() && !texts.some((t) => t.text.includes(firstLine(lastErr))) && (from === 0 || FAILED_STATES.has(state))) {
    texts.push({ text: lastErr, logIndex: null })
  }

  const found = new Map<string, DiagnosisFinding>()
  const unmatched: string[] = []
  for (const { text, logIndex } of texts) {
    let any = false
    for (const sig of SIGNATURES) {
      const m = sig.re.exec(text)
      if (!m) continue
      any = true
      if (found.has(sig.id)) continue
      found.set(sig.id, {
        id: sig.id,
        severity: sig.severity,
        title: sig.params ? fill(sig.title, sig.params(m)) : sig.title,
        evidence: matchedLine(text, sig.re),
        logIndex,
        remedy: sig.remedy,
        params: sig.params ? sig.params(m) : {},
        actions: [...sig.actions]
      })
    }
    if (!any) unmatched.push(firstLine(text))
  }
  for (const sig of SIGNATURES) if (found.has(sig.id)) for (const s of sig.suppresses ?? []) found.delete(s)
  const findings = SIGNATURES.filter((s) => found.has(s.id)).map((s) => found.get(s.id) as DiagnosisFinding)
  const failedState = FAILED_STATES.has(state)
  let unknown: Diagnosis['unknown'] = null
  if (findings.length === 0 && (unmatched.length > 0 || failedState)) {
    unknown = { text: unmatched[0] ?? (lastErr.trim() ? firstLine(lastErr) : '') }
  }
  return { findings, next: lotusNext(input), unknown, clean: findings.length === 0 && unknown === null }
}

function fill(text: string, params: Record<string, string | number>): string {
  let t = text
  for (const [k, v] of Object.entries(params)) t = t.split(`{{${k}}}`).join(String(v))
  return t
}

/** `event;sealing.SectorComputeProofFailed` → `SectorComputeProofFailed`; other kinds unchanged. */
export function eventName(kind: string): string {
  const m = /^event;(?:sealing\.)?(.+)$/.exec(kind)
  return m ? (m[1] as string) : kind
}

/** When the sector entered its current state: the last state-machine event of its log (ms). */
export function enteredAt(log: readonly { Kind: string; Timestamp: number }[] | null): number | null {
  if (!log) return null
  for (let i = log.length - 1; i >= 0; i--) {
    const e = log[i]!
    if (e.Kind.startsWith('event;')) return Math.round(e.Timestamp * 1000)
  }
  return null
}

/** Lotus's log entries (SectorInfo.Log) as the contract carries them. */
export function logEntries(log: readonly { Kind: string; Timestamp: number; Trace?: string; Message?: string }[] | null): SectorLogEntry[] {
  return (log ?? []).map((e) => ({ kind: e.Kind, name: eventName(e.Kind), at: Math.round(e.Timestamp * 1000), message: e.Message ?? '', trace: e.Trace ?? '' }))
}
