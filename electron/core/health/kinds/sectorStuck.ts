import type { Remedy, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'
import { stageRule } from '../stages'

/**
 * Sectors Lotus will not move by itself: final or paused states (FailedUnrecoverable, FaultedFinal,
 * FaultReported, DealsExpired on chain, a TerminateFailed that pauses for the operator, the
 * deprecated PackingFailed), and failure states whose handler has stopped retrying (a failure
 * handler retries about a minute after the last log entry; one that has been quiet past the stuck
 * factor × 10 minutes is waiting for something — handlers log `not proceeding` and return).
 */

const NOT_ON_CHAIN = new Set(['FailedUnrecoverable', 'PackingFailed', 'DealsExpired'])
const manual = keysOf('sector-stuck', 'manual')
const paused = keysOf('sector-stuck', 'paused')

export const sectorStuck: FindingRule = {
  kind: 'sector-stuck',
  keys: keyList('sector-stuck', ['manual', 'paused'], { manual: ['status', 'remove'], paused: ['status', 'rerun'] }),
  find({ sectors, timings, durations, blockDelay, now }, claimed) {
    if (!sectors) return []
    const groups = new Map<string, { variant: 'manual' | 'paused'; state: string; ns: number[]; since: number | null }>()
    for (const d of sectors.values()) {
      if (claimed.has('sector', String(d.n))) continue
      const rule = stageRule(d.state, { durations, blockDelay })
      let variant: 'manual' | 'paused' | null = null
      if (rule.class === 'manual') variant = 'manual'
      else if (rule.class === 'failed' && timings.get(d.n)?.level === 'overdue') variant = 'paused'
      if (!variant) continue
      const key = `${variant}-${d.state}`
      const g = groups.get(key) ?? { variant, state: d.state, ns: [], since: null }
      g.ns.push(d.n)
      if (d.enteredAt !== null) g.since = g.since === null ? d.enteredAt : Math.min(g.since, d.enteredAt)
      groups.set(key, g)
    }
    const out: Draft[] = []
    for (const [key, g] of groups) {
      const k = g.variant === 'manual' ? manual : paused
      const ns = g.ns.sort((a, b) => a - b)
      const params = { state: g.state, sectors: sectorList(ns), n: ns.length, elapsed: g.since !== null ? shortDuration((now - g.since) / 1000) : '-' }
      const remedies: Remedy[] =
        g.variant === 'manual'
          ? [
              k.remedy('status', params, { kind: 'status', sector: ns[0] as number }),
              // Only sectors that never made it on chain are removed; a faulted live sector is terminated on chain instead.
              ...(NOT_ON_CHAIN.has(g.state) ? [k.remedy('remove', params, { kind: 'remove', sectors: ns })] : [])
            ]
          : [k.remedy('status', params, { kind: 'status', sector: ns[0] as number }), k.remedy('rerun', params, { kind: 'update-state', sectors: ns, state: g.state })]
      out.push({
        kind: 'sector-stuck',
        severity: 'warning',
        subject: { kind: 'site', id: `stuck-${key}` },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: ns.slice(0, 10).map((n) => ev('sectorState', `${n} ${g.state}`)),
        related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    return out
  }
}
