import type { Remedy, Subject } from '../../../../preload/contract'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'

/**
 * Sectors a proving check found unprovable (`lotus-miner proving check --slow`, rows `bad (<reason>)`),
 * and the miner's own pre-check before each WindowPoSt (`CheckProvable Sector FAULT: …` in miner.log),
 * classified by Lotus's reason (storage/sealer/faults.go, storage/paths): a vanilla proof that did not
 * finish in time (SingleCheckTimeout 10 min / PartitionCheckTimeout 20 min: slow storage), files that
 * are not there (`fsstat: path not found`, `sector not found`), storage that does not answer (a remote
 * path's HTTP request failed), a read lock held by a task. Such sectors are skipped at their next
 * WindowPoSt and become faulty.
 */

export const CHECK_CLASSES = ['timeout', 'missing', 'unreachable', 'locked', 'other'] as const
export type CheckClass = (typeof CHECK_CLASSES)[number]

export function classifyCheck(reason: string): CheckClass {
  if (/before context cancellation|waiting for check worker|context deadline exceeded/.test(reason)) return 'timeout'
  if (/do request|connection refused|non-200 code|dial tcp|no route to host|i\/o timeout|connection reset|EOF/.test(reason)) return 'unreachable'
  if (/path not found|sector not found|no such file|not found/.test(reason)) return 'missing'
  if (/acquire read lock|tryLock/.test(reason)) return 'locked'
  return 'other'
}

interface Bad {
  sector: number
  deadline: number | null
  reason: string
  at: number | null
  from: 'check' | 'log'
}

export const provingCheck: FindingRule = {
  kind: 'proving-check',
  keys: keyList('proving-check', CHECK_CLASSES, {
    timeout: ['storage', 'timeouts', 'recheck'],
    missing: ['find', 'restore', 'recheck'],
    unreachable: ['host', 'recheck'],
    locked: ['jobs', 'recheck'],
    other: ['status', 'recheck']
  }),
  find({ provingChecks, logs, now, thresholds, snapshot }) {
    const bad = new Map<number, Bad>()
    // The newest check of each deadline is the truth for its sectors.
    const seen = new Set<number>()
    const goodAt = new Map<number, number>()
    for (const c of provingChecks) {
      if (c.status !== 'done' || seen.has(c.deadline)) continue
      seen.add(c.deadline)
      for (const r of c.rows) {
        if (!r.ok) bad.set(r.sector, { sector: r.sector, deadline: r.deadline, reason: r.reason ?? '', at: c.endedAt, from: 'check' })
        else goodAt.set(r.sector, c.endedAt ?? now)
      }
    }
    for (const e of logs?.events ?? []) {
      if (e.kind !== 'checkprovable-fault' || e.sector === null || bad.has(e.sector)) continue
      // A check that found the sector good since then says it is readable again.
      if ((goodAt.get(e.sector) ?? -Infinity) >= (e.at ?? 0)) continue
      if (e.at !== null && now - e.at > thresholds.logEventMaxAgeSec * 1000) continue
      bad.set(e.sector, { sector: e.sector, deadline: null, reason: e.reason, at: e.at, from: 'log' })
    }
    const groups = new Map<CheckClass, Bad[]>()
    for (const b of bad.values()) {
      const c = classifyCheck(b.reason)
      groups.set(c, [...(groups.get(c) ?? []), b])
    }
    const out: Draft[] = []
    for (const cls of CHECK_CLASSES) {
      const list = groups.get(cls)
      if (!list) continue
      const k = keysOf('proving-check', cls)
      const ns = list.map((b) => b.sector).sort((a, b) => a - b)
      const deadlines = [...new Set(list.map((b) => b.deadline).filter((d): d is number => d !== null))].sort((a, b) => a - b)
      const params = { sectors: sectorList(ns), n: ns.length, deadlines: deadlines.join(', ') || '-', reason: list[0]?.reason.slice(0, 200) ?? '' }
      const remedies: Remedy[] = []
      if (cls === 'timeout') remedies.push(k.remedy('storage', params), k.remedy('timeouts', params))
      else if (cls === 'missing') remedies.push(k.remedy('find', params, { kind: 'status', sector: ns[0] as number }), k.remedy('restore', params))
      else if (cls === 'unreachable') remedies.push(k.remedy('host', params))
      else if (cls === 'locked') remedies.push(k.remedy('jobs', params))
      else remedies.push(k.remedy('status', params, { kind: 'status', sector: ns[0] as number }))
      for (const d of deadlines.slice(0, 3)) remedies.push(k.remedy('recheck', { ...params, deadline: d }, { kind: 'proving-check', deadline: d }))
      // Faulty sectors of a deadline are already their own finding; these may not be faulty yet.
      const faulty = new Set((snapshot.proving?.deadlines ?? []).flatMap((d) => (d.faultsByPartition ?? []).flatMap((p) => p.faulty)))
      out.push({
        kind: 'proving-check',
        severity: ns.some((n) => !faulty.has(n)) ? 'critical' : 'warning',
        subject: { kind: 'site', id: `check-${cls}` },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: list.slice(0, 10).map((b) => ev(b.from === 'check' ? 'provingCheck' : 'minerLog', `${b.deadline !== null ? `deadline ${b.deadline} ` : ''}sector ${b.sector}: ${b.reason}`)),
        related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    return out
  }
}
