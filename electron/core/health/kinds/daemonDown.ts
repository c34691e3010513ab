import { ev, keyList, keysOf, type FindingRule } from '../finding'

/** lotus daemon does not answer: no chain, so no proofs and no messages; the miner depends on it. */
const k = keysOf('daemon-down')

export const daemonDown: FindingRule = {
  kind: 'daemon-down',
  keys: keyList('daemon-down', [undefined], { '': ['check', 'restart'] }),
  find({ snapshot: s }) {
    if (s.daemon.up) return []
    return [
      {
        kind: 'daemon-down',
        severity: 'critical',
        subject: { kind: 'daemon', id: '' },
        title: k.title(),
        cause: k.cause({ error: s.daemon.error?.message ?? '' }),
        consequence: k.consequence(),
        deadline: s.proving?.nextWithSectors?.openAt ?? null,
        remedies: [k.remedy('check', {}, { kind: 'read-logs' }), k.remedy('restart', {}, { kind: 'restart' })],
        evidence: s.daemon.error ? [ev('error', s.daemon.error.message)] : [],
        related: [],
        claimsAll: ['sync-worker', 'message', 'deadline']
      }
    ]
  }
}
