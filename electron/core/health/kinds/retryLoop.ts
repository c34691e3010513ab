import type { Remedy, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, sectorList, text, type Draft, type FindingRule } from '../finding'
import { firstLine, LOG_CUT_AT, type SectorDigest } from '../sectorLog'
import { SIGNATURES } from '../signatures'

/**
 * A sector that fails over and over: its failures counted across the whole event log (every
 * failure handler retries about once a minute, states_failed.go failedCooldown), the span of
 * time, the last cause and its remedy — or removing the sector. A log Lotus cut (fsm.go
 * logAppend, or miner.log's `truncating sector log`) counts as at least 8000 events long.
 * Sectors looping on the same cause are one finding.
 */

const k = keysOf('retry-loop')

export function isLoop(d: SectorDigest, minFailures: number, cut: boolean): boolean {
  return cut || d.failures >= minFailures
}

export const retryLoop: FindingRule = {
  kind: 'retry-loop',
  keys: keyList('retry-loop', [undefined], { '': ['remove', 'unknown'] }),
  find({ sectors, thresholds, logs }, claimed) {
    if (!sectors) return []
    const cutByLog = new Set((logs?.events ?? []).flatMap((e) => (e.kind === 'sector-log-truncated' ? [e.sector] : [])))
    const groups = new Map<string, SectorDigest[]>()
    for (const d of sectors.values()) {
      if (claimed.has('sector', String(d.n))) continue
      if (!isLoop(d, thresholds.loopFailures, d.cut || cutByLog.has(d.n))) continue
      const last = d.lastError?.text ?? ''
      const sig = SIGNATURES.find((s) => s.re.test(last))
      const key = sig?.id ?? 'unknown'
      groups.set(key, [...(groups.get(key) ?? []), d])
    }
    const out: Draft[] = []
    for (const [key, list] of groups) {
      const sig = SIGNATURES.find((s) => s.id === key)
      const ns = list.map((d) => d.n).sort((a, b) => a - b)
      const worst = [...list].sort((a, b) => b.failures - a.failures)[0] as SectorDigest
      const cut = list.some((d) => d.cut || cutByLog.has(d.n))
      const first = Math.min(...list.map((d) => d.firstFailureAt ?? Infinity))
      const lastAt = Math.max(...list.map((d) => d.lastFailureAt ?? 0))
      const params = {
        sectors: sectorList(ns),
        n: ns.length,
        failures: worst.failures,
        atLeast: cut ? '≥' : '',
        span: Number.isFinite(first) && lastAt > first ? shortDuration((lastAt - first) / 1000) : '-',
        last: firstLine(worst.lastError?.text ?? '').slice(0, 200) || '-',
        state: worst.state
      }
      const remedies: Remedy[] = []
      if (sig) for (const r of sig.remedies) if (r.id !== 'remove') remedies.push(r.action ? { text: text(`findings.sector-error.${sig.id}.remedy.${r.id}`), action: r.action(ns) } : { text: text(`findings.sector-error.${sig.id}.remedy.${r.id}`) })
      if (!sig) remedies.push(k.remedy('unknown', params, { kind: 'status', sector: worst.n }))
      remedies.push(k.remedy('remove', params, { kind: 'remove', sectors: ns }))
      out.push({
        kind: 'retry-loop',
        severity: 'critical',
        subject: { kind: 'site', id: `loop-${key}` },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: list
          .slice(0, 10)
          .map((d) =>
            ev('loop', `${d.n} ${d.state}: ${d.failures}${d.cut || cutByLog.has(d.n) ? `+ (log cut by Lotus: ≥ ${LOG_CUT_AT} events)` : ''} failures in ${d.logLength} events${d.firstFailureAt && d.lastFailureAt ? `, ${shortDuration((d.lastFailureAt - d.firstFailureAt) / 1000)}` : ''}`)
          )
          .concat(worst.lastError ? [ev('lastError', firstLine(worst.lastError.text))] : []),
        related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    return out
  }
}
