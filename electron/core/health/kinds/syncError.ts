import type { Subject } from '../../../../preload/contract'
import { isSyncBehind } from '../facts'
import { ev, keyList, keysOf, type Draft, type FindingRule } from '../finding'

/**
 * A sync worker in the `error` stage (SyncState Stage 5, chain/syncstate.go). When Lotus refused
 * a chain because of a block it had marked bad (chain/sync.go: `chain linked to block marked
 * previously as bad ([<incoming>], <bad>) (reason: …)`), operators look at the reason with
 * `lotus sync check-bad <cid>` and clear the mark with `lotus sync unmark-bad <cid>` (or `--all`)
 * so the node can validate that chain again. Other errors keep Lotus's message.
 */

/** The block Lotus marked bad, from its message. */
export function badBlockOf(message: string): { cid: string; reason: string } | null {
  const m = /marked previously as bad \(\[[^\]]*\],?\s*(bafy[a-z0-9]+)\)(?:\s*\(reason:\s*([\s\S]*)\))?/.exec(message)
  if (!m) return null
  return { cid: m[1] as string, reason: (m[2] ?? '').trim() }
}

const bad = keysOf('sync-error', 'bad-block')
const other = keysOf('sync-error', 'other')

export const syncError: FindingRule = {
  kind: 'sync-error',
  keys: keyList('sync-error', ['bad-block', 'other'], { 'bad-block': ['check-bad', 'unmark-bad'], other: ['log', 'peers'] }),
  find({ snapshot: s, thresholds }) {
    const out: Draft[] = []
    const behind = isSyncBehind(s.daemon, thresholds)
    const related: Subject[] = behind ? [{ kind: 'daemon', id: 'sync' }] : []
    for (const w of s.daemon.syncing ?? []) {
      if (w.stage !== 'error') continue
      const message = w.message ?? ''
      const b = badBlockOf(message)
      const params = { worker: w.workerId, target: w.targetHeight ?? '-', behind: s.daemon.behindEpochs ?? 0 }
      const evidence = [ev('syncWorker', `worker ${w.workerId}: target ${w.targetHeight ?? '-'}, height ${w.height}`), ev('lotusMessage', message)]
      const subject: Subject = { kind: 'sync-worker', id: String(w.workerId) }
      if (b) {
        out.push({
          kind: 'sync-error',
          severity: behind ? 'critical' : 'warning',
          subject,
          title: bad.title(params),
          cause: bad.cause({ ...params, cid: b.cid }),
          consequence: bad.consequence(params),
          deadline: behind ? (s.proving?.nextWithSectors?.openAt ?? null) : null,
          remedies: [bad.remedy('check-bad', { cid: b.cid }, { kind: 'sync-check-bad', cid: b.cid }), bad.remedy('unmark-bad', { cid: b.cid }, { kind: 'sync-unmark-bad', cid: b.cid })],
          evidence: [...evidence, ev('badBlock', b.cid), ...(b.reason ? [ev('badReason', b.reason)] : [])],
          related: [...related, { kind: 'block', id: b.cid }]
        })
      } else {
        out.push({
          kind: 'sync-error',
          severity: behind ? 'critical' : 'warning',
          subject,
          title: other.title(params),
          cause: other.cause(params),
          consequence: other.consequence(params),
          deadline: behind ? (s.proving?.nextWithSectors?.openAt ?? null) : null,
          remedies: [other.remedy('log', {}, { kind: 'read-logs' }), other.remedy('peers')],
          evidence,
          related
        })
      }
    }
    return out
  }
}
