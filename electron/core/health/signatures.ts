import type { FindingAction, FindingSeverity } from '../../../preload/contract'

/**
 * Known sector errors, recognised by Lotus's own texts (storage/pipeline/states_*.go, the sealer,
 * rust-fil-proofs; docs/lotus.md) with the remedy an operator applies. Most specific first; a
 * signature can make a more generic one redundant (`suppresses`). Texts live in the locale files
 * under `findings.sector-error.<id>.title|cause|remedy.<remedy>`; exit-code failures of commit
 * messages are their own finding kind (commit-failed), read by exitCodeOf below.
 */

export interface SignatureRemedy {
  id: string
  action?: (sectors: number[]) => FindingAction
}

export interface Signature {
  id: string
  severity: FindingSeverity
  re: RegExp
  suppresses?: string[]
  remedies: SignatureRemedy[]
}

const remove: SignatureRemedy = { id: 'remove', action: (sectors) => ({ kind: 'remove', sectors }) }
const committing: SignatureRemedy = { id: 'committing', action: (sectors) => ({ kind: 'update-state', sectors, state: 'Committing' }) }
const wait: SignatureRemedy = { id: 'wait' }
const status = (id: string): SignatureRemedy => ({ id, action: (sectors) => ({ kind: 'status', sector: sectors[0] as number }) })

export const SIGNATURES: readonly Signature[] = [
  { id: 'invalid-vanilla-proof', severity: 'critical', re: /Invalid vanilla proof generated/, suppresses: ['compute-proof-c1'], remedies: [status('files'), remove] },
  { id: 'compute-proof-c1', severity: 'critical', re: /computing seal proof failed\(1\)/, remedies: [status('files'), committing, remove] },
  { id: 'compute-proof-c2', severity: 'critical', re: /computing seal proof failed\(2\)/, remedies: [{ id: 'gpu' }, committing] },
  { id: 'worker-restarted', severity: 'warning', re: /worker restarted/, suppresses: ['pc1-failed', 'pc2-failed'], remedies: [wait, { id: 'why' }] },
  { id: 'task-aborted', severity: 'info', re: /task aborted/, suppresses: ['pc1-failed', 'pc2-failed'], remedies: [wait] },
  { id: 'pc1-failed', severity: 'warning', re: /seal pre commit\(1\) failed/, remedies: [{ id: 'worker' }, wait] },
  { id: 'pc2-failed', severity: 'warning', re: /seal pre commit\(2\) failed/, remedies: [{ id: 'worker' }, { id: 'pc2', action: (sectors) => ({ kind: 'update-state', sectors, state: 'PreCommit2' }) }] },
  { id: 'ticket-expired', severity: 'critical', re: /ticket expired/, remedies: [{ id: 'faster' }, remove] },
  { id: 'precommit-funds', severity: 'critical', re: /insufficient funds for pre-commit deposit/, suppresses: ['precommit-failed'], remedies: [{ id: 'fund' }, wait] },
  { id: 'pledge-funds', severity: 'critical', re: /locked funds insufficient to cover initial pledges|unlocked balance does not cover pledge requirements/, suppresses: ['aggregate-failed'], remedies: [{ id: 'fund' }] },
  { id: 'mpool-funds', severity: 'critical', re: /not enough funds/, suppresses: ['precommit-failed', 'aggregate-failed'], remedies: [{ id: 'fund' }] },
  { id: 'invalid-proof', severity: 'critical', re: /commit check error: invalid proof|consecutive invalid proofs/, remedies: [wait, remove] },
  { id: 'not-found-after-cron', severity: 'critical', re: /sector not found in sector set after cron/, suppresses: ['aggregate-failed'], remedies: [remove] },
  { id: 'precommit-info-missing', severity: 'critical', re: /is allocated, but PreCommit info wasn't found on chain|precommit info not found on chain/, remedies: [remove] },
  { id: 'no-commit-cid', severity: 'warning', re: /entered commit wait with no commit cid/, remedies: [{ id: 'handler' }, committing] },
  { id: 'no-precommit-cid', severity: 'warning', re: /precommit message was nil/, remedies: [{ id: 'handler' }, { id: 'precommitting', action: (sectors) => ({ kind: 'update-state', sectors, state: 'PreCommitting' }) }] },
  { id: 'porep-wait', severity: 'warning', re: /failed to wait for porep inclusion/, remedies: [wait, { id: 'submit', action: (sectors) => ({ kind: 'update-state', sectors, state: 'SubmitCommit' }) }] },
  { id: 'aggregate-failed', severity: 'warning', re: /aggregate seal verify failed|sector failed in aggregate processing|aggregate message was nil|aggregate error|sending message failed \(params size/, remedies: [wait, { id: 'batch' }] },
  { id: 'precommit-failed', severity: 'warning', re: /precommit batch error|queuing precommit batch failed|batch message was nil/, remedies: [{ id: 'fund' }, wait] },
  { id: 'consecutive-compute-fails', severity: 'info', re: /consecutive compute fails/, remedies: [wait, remove] },
  { id: 'deals-expired', severity: 'warning', re: /deals expired|expired dealIDs/, remedies: [wait, remove] },
  { id: 'nil-comm', severity: 'warning', re: /sector had nil commR or commD/, remedies: [{ id: 'reseal', action: (sectors) => ({ kind: 'update-state', sectors, state: 'PreCommit1' }) }, remove] }
]

/**
 * The exit code a failed message ended with, as Lotus writes it in a sector's log:
 * `submitting sector proof failed (exit=16, msg=…)` (handleCommitWait), `sector precommit
 * failed: 16` (handlePreCommitWait), `message execution failed (exit=[16]…)` (gas estimation,
 * api/api_errors.go; names like `SysErrOutOfGas(7)` for system codes) and the 2020-era
 * `exit 16, reason: … (RetCode=16)`.
 */
export function exitCodeOf(text: string): number | null {
  const m =
    /\(exit=(\d+),/.exec(text) ??
    /exit=\[(?:[A-Za-z]+\()?(\d+)\)?/.exec(text) ??
    /RetCode=(\d+)/.exec(text) ??
    /\bexit (\d+),/.exec(text) ??
    /sector precommit failed: (\d+)/.exec(text)
  return m ? Number(m[1]) : null
}

/** The message CID of a failed commit (`msg=bafy…`). */
export function messageCidOf(text: string): string | null {
  const m = /msg=(bafy[a-z0-9]{20,})/.exec(text)
  return m ? (m[1] as string) : null
}

/** Which message failed: a ProveCommit (or its aggregate) or a PreCommit. */
export function failedMessageKind(text: string): 'commit' | 'precommit' | null {
  if (/submitting sector proof failed|aggregate|ProveCommit|CommitBatch/i.test(text)) return 'commit'
  if (/precommit/i.test(text)) return 'precommit'
  return null
}
