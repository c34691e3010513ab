import { ev, keyList, keysOf, type Draft, type FindingRule } from '../finding'

/**
 * A block mined later than the block time (miner/miner.go): `CAUTION: block production took us
 * past the block time. Your computer may not be fast enough to keep up` after `mined new block`,
 * or `mined block in the past`; and `completed mineOne {"lateStart": true}` for a round the miner
 * won but started late (the base tipset arrived late: sync or peers). A late block is likely
 * orphaned: the block reward is lost.
 */

const late = keysOf('late-block', 'late')
const lateStart = keysOf('late-block', 'late-start')

export const lateBlock: FindingRule = {
  kind: 'late-block',
  keys: keyList('late-block', ['late', 'late-start'], { late: ['load', 'winning-worker'], 'late-start': ['sync', 'peers'] }),
  find({ logs, now, thresholds }) {
    const out: Draft[] = []
    const recent = (logs?.events ?? []).filter((e) => e.at === null || now - e.at <= thresholds.logEventMaxAgeSec * 1000)
    const lates = recent.filter((e) => e.kind === 'block-late' || e.kind === 'block-in-past')
    if (lates.length > 0) {
      const last = lates[lates.length - 1]!
      const height = last.kind === 'block-late' ? last.height : null
      const params = { blocks: lates.filter((e) => e.kind === 'block-late').length || lates.length, height: height ?? '-', took: last.kind === 'block-late' && last.tookSec !== null ? `${last.tookSec.toFixed(1)}s` : '-', proof: last.kind === 'block-late' && last.proofSec !== null ? `${last.proofSec.toFixed(1)}s` : '-' }
      out.push({
        kind: 'late-block',
        severity: 'critical',
        subject: { kind: 'block', id: height !== null ? String(height) : 'late' },
        title: late.title(params),
        cause: late.cause(params),
        consequence: late.consequence(params),
        deadline: null,
        remedies: [late.remedy('load', params), late.remedy('winning-worker', params)],
        evidence: lates.slice(-5).map((e) => ev('minerLog', e.line)),
        related: []
      })
    }
    const starts = recent.filter((e) => e.kind === 'mine-late-start' && e.winner)
    if (starts.length > 0) {
      const last = starts[starts.length - 1]!
      const params = { rounds: starts.length, round: last.kind === 'mine-late-start' ? (last.round ?? '-') : '-', delta: last.kind === 'mine-late-start' && last.baseDeltaSec !== null ? `${last.baseDeltaSec}s` : '-' }
      out.push({
        kind: 'late-block',
        severity: 'warning',
        subject: { kind: 'block', id: 'late-start' },
        title: lateStart.title(params),
        cause: lateStart.cause(params),
        consequence: lateStart.consequence(params),
        deadline: null,
        remedies: [lateStart.remedy('sync', params), lateStart.remedy('peers', params)],
        evidence: starts.slice(-5).map((e) => ev('minerLog', e.line)),
        related: []
      })
    }
    return out
  }
}
