import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, type Draft, type FindingRule } from '../finding'

/** A local message pending far longer than a few epochs: its premium is too low (the runbook's `mpool replace`). */
const k = keysOf('message-stuck')

export const messageStuck: FindingRule = {
  kind: 'message-stuck',
  keys: keyList('message-stuck', [undefined], { '': ['replace'] }),
  find({ snapshot: s, thresholds }) {
    const out: Draft[] = []
    for (const m of s.messages?.list ?? []) {
      if (m.ageSec <= thresholds.messageStuckSec) continue
      const params = { from: m.from, nonce: m.nonce, age: shortDuration(m.ageSec), method: m.method }
      out.push({
        kind: 'message-stuck',
        severity: 'warning',
        subject: { kind: 'message', id: m.cid },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies: [k.remedy('replace', params, { kind: 'mpool-replace', from: m.from, nonce: m.nonce })],
        evidence: [ev('message', m.cid), ev('gas', `premium ${m.gasPremium}, fee cap ${m.gasFeeCap}, limit ${m.gasLimit}`)],
        related: []
      })
    }
    return out
  }
}
