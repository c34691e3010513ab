import type { Remedy, Subject } from '../../../../preload/contract'
import { FAILURE_STATES, FAULT_STATES } from '../../../../preload/contract/lotus/states'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'
import { firstLine, matchedLine, type SectorDigest } from '../sectorLog'
import { SIGNATURES, type Signature } from '../signatures'
import { MANUAL_STATES } from '../stages'

/**
 * Sectors whose errors since they last made progress match a known signature (signatures.ts),
 * one finding per signature with every sector that shows it; errors no signature knows, and
 * sectors in a failure state with no error text left, are findings too — a failed sector is
 * never "no error". LastErr (filled only by old miners, never cleared) counts when the log shows
 * no newer progress or the sector is in a failure state.
 */

const FAILED = new Set<string>([...FAILURE_STATES, ...FAULT_STATES])
const unknown = keysOf('sector-error', 'unknown')
const failedState = keysOf('sector-error', 'failed-state')

export interface SectorMatch {
  sig: Signature
  line: string
  at: number | null
}

/** The signatures a sector's recent errors match (most specific first, redundant ones dropped), and its unmatched error. */
export function matchSector(d: SectorDigest): { matches: SectorMatch[]; unmatched: string | null } {
  const texts = d.errors.map((e) => ({ text: e.text, at: e.at as number | null }))
  if (d.lastErr.trim() && !texts.some((t) => t.text.includes(firstLine(d.lastErr))) && (d.errors.length === 0 || FAILED.has(d.state))) texts.push({ text: d.lastErr, at: null })
  const found = new Map<string, SectorMatch>()
  let unmatched: string | null = null
  for (const { text, at } of texts) {
    let any = false
    for (const sig of SIGNATURES) {
      if (!sig.re.test(text)) continue
      any = true
      if (!found.has(sig.id)) found.set(sig.id, { sig, line: matchedLine(text, sig.re), at })
    }
    if (!any) unmatched ??= firstLine(text)
  }
  for (const m of [...found.values()]) for (const s of m.sig.suppresses ?? []) found.delete(s)
  return { matches: SIGNATURES.filter((s) => found.has(s.id)).map((s) => found.get(s.id) as SectorMatch), unmatched: found.size > 0 ? null : unmatched }
}

const remedyKeys: Record<string, string[]> = { unknown: ['status', 'remove'], 'failed-state': ['status', 'remove'] }
for (const s of SIGNATURES) remedyKeys[s.id] = s.remedies.map((r) => r.id)

export const sectorError: FindingRule = {
  kind: 'sector-error',
  keys: keyList('sector-error', [...SIGNATURES.map((s) => s.id), 'unknown', 'failed-state'], remedyKeys),
  find({ sectors }, claimed) {
    if (!sectors) return []
    const bySig = new Map<string, { d: SectorDigest; line: string }[]>()
    const add = (id: string, d: SectorDigest, line: string) => bySig.set(id, [...(bySig.get(id) ?? []), { d, line }])
    for (const d of sectors.values()) {
      if (d.state === 'Removed' || d.state === 'Removing' || claimed.has('sector', String(d.n))) continue
      const { matches, unmatched } = matchSector(d)
      for (const m of matches) add(m.sig.id, d, m.line)
      if (matches.length === 0 && unmatched) add('unknown', d, unmatched)
      // A state Lotus never leaves by itself is sector-stuck's: it says what to do about it.
      else if (matches.length === 0 && FAILED.has(d.state) && !MANUAL_STATES.has(d.state)) add('failed-state', d, d.state)
    }
    const out: Draft[] = []
    for (const [id, list] of bySig) {
      const sig = SIGNATURES.find((s) => s.id === id)
      const ns = list.map((x) => x.d.n).sort((a, b) => a - b)
      const k = keysOf('sector-error', id)
      const params = { sectors: sectorList(ns), n: ns.length, line: list[0]?.line.slice(0, 200) ?? '', state: list[0]?.d.state ?? '' }
      const remedies: Remedy[] = sig
        ? sig.remedies.map((r) => k.remedy(r.id, params, r.action?.(ns)))
        : [k.remedy('status', params, { kind: 'status', sector: ns[0] as number }), k.remedy('remove', params, { kind: 'remove', sectors: ns })]
      out.push({
        kind: 'sector-error',
        severity: sig?.severity ?? (id === 'unknown' ? 'warning' : 'warning'),
        subject: { kind: 'site', id: `error-${id}` },
        title: (id === 'unknown' ? unknown : id === 'failed-state' ? failedState : k).title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: list.slice(0, 10).map((x) => ev('sectorError', `${x.d.n} ${x.d.state}: ${x.line}`)),
        related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    return out
  }
}
