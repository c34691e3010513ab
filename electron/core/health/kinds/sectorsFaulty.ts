import type { DeadlineRow, ProvingSnapshot, Remedy, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { clockTime, ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'

/**
 * Faulty and recovering sectors by number (StateMinerPartitions FaultySectors / RecoveringSectors),
 * one finding per deadline: which sectors, in which partition, when that deadline is next due, a
 * proving check of it and the sectors' pages. Each proving period a sector stays faulty costs a
 * fault fee and its power; Lotus declares a recovery by itself (before the deadline's fault cutoff)
 * once CheckProvable finds the sector readable again, and a sector faulty for 42 days is terminated.
 */

const faulty = keysOf('sectors-faulty', 'faulty')
const recovering = keysOf('sectors-faulty', 'recovering')

/** When a deadline is next open (ms): this period if it is still ahead, else the next one. */
export function nextDue(p: ProvingSnapshot, row: DeadlineRow, blockDelay: number): number {
  if (row.index === p.deadlineIndex) return row.openAt
  if (row.index > p.deadlineIndex) return row.openAt
  const periodEpochs = p.deadlines.length * (p.close - p.open)
  return row.openAt + periodEpochs * blockDelay * 1000
}

export const sectorsFaulty: FindingRule = {
  kind: 'sectors-faulty',
  keys: keyList('sectors-faulty', ['faulty', 'recovering'], { faulty: ['check', 'sector', 'storage'], recovering: ['check', 'sector'] }),
  find({ snapshot: s, blockDelay, now }) {
    const p = s.proving
    if (!p) return []
    const out: Draft[] = []
    for (const row of p.deadlines) {
      if (row.faults === 0 && row.recoveries === 0) continue
      const parts = row.faultsByPartition ?? []
      const faultyNs = parts.flatMap((x) => x.faulty)
      const recNs = parts.flatMap((x) => x.recovering)
      const isFaulty = row.faults > 0
      const k = isFaulty ? faulty : recovering
      const due = nextDue(p, row, blockDelay)
      const params = {
        deadline: row.index,
        faults: row.faults,
        recoveries: row.recoveries,
        sectors: sectorList(isFaulty ? faultyNs : recNs),
        partitions: parts.map((x) => x.partition).join(', ') || '-',
        dueAt: clockTime(due),
        dueIn: shortDuration(Math.max(0, (due - now) / 1000))
      }
      const shown = (isFaulty ? faultyNs : recNs).slice(0, 5)
      const remedies: Remedy[] = [k.remedy('check', params, { kind: 'proving-check', deadline: row.index })]
      for (const n of shown) remedies.push(k.remedy('sector', { ...params, sector: n }, { kind: 'status', sector: n }))
      if (isFaulty) remedies.push(k.remedy('storage', params))
      out.push({
        kind: 'sectors-faulty',
        severity: isFaulty ? 'critical' : 'info',
        subject: { kind: 'deadline', id: String(row.index) },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: due,
        remedies,
        evidence: parts.map((x) => ev('partition', `deadline ${row.index} partition ${x.partition}: faulty [${sectorList(x.faulty, 50)}] recovering [${sectorList(x.recovering, 50)}]`)),
        related: [...new Set([...faultyNs, ...recNs])].map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    return out
  }
}
