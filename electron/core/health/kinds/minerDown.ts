import { ev, keyList, keysOf, type FindingRule } from '../finding'

/** lotus-miner does not answer: sealing, scheduling and WindowPoSt all stop with it. */
const k = keysOf('miner-down')

export const minerDown: FindingRule = {
  kind: 'miner-down',
  keys: keyList('miner-down', [undefined], { '': ['check', 'restart'] }),
  find({ snapshot: s }) {
    if (s.miner.up) return []
    return [
      {
        kind: 'miner-down',
        severity: 'critical',
        subject: { kind: 'miner', id: '' },
        title: k.title(),
        cause: k.cause({ error: s.miner.error?.message ?? '' }),
        consequence: k.consequence(),
        deadline: s.proving?.nextWithSectors?.openAt ?? null,
        remedies: [k.remedy('check', {}, { kind: 'read-logs' }), k.remedy('restart', {}, { kind: 'restart' })],
        evidence: s.miner.error ? [ev('error', s.miner.error.message)] : [],
        related: [],
        claimsAll: ['sector', 'job', 'worker']
      }
    ]
  }
}
