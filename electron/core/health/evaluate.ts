import { compareFindings, type Finding, type SubjectKind } from '../../../preload/contract'
import type { SiteFacts } from './facts'
import type { Claimed } from './finding'
import { RULES } from './rules'

/**
 * The health model (pure): facts → findings. Rules run most fundamental first; each finding
 * claims what it explains so later rules leave it out (one finding per root cause). Ids are
 * stable across polls (`site:kind:subjectKind:subjectId`) and a finding that persists keeps its
 * first `since`.
 */

class Claims implements Claimed {
  private readonly keys = new Set<string>()
  private readonly kinds = new Set<SubjectKind>()
  has(kind: SubjectKind, id: string): boolean {
    return this.kinds.has(kind) || this.keys.has(`${kind}:${id}`)
  }
  add(kind: SubjectKind, id: string): void {
    this.keys.add(`${kind}:${id}`)
  }
  addKind(kind: SubjectKind): void {
    this.kinds.add(kind)
  }
}

export function findingId(siteId: string, kind: string, subject: { kind: string; id: string }): string {
  return `${siteId}:${kind}:${subject.kind}:${subject.id}`
}

export function evaluate(facts: SiteFacts, prev: readonly Finding[] = []): Finding[] {
  const before = new Map(prev.map((f) => [f.id, f]))
  const claims = new Claims()
  const out: Finding[] = []
  const ids = new Set<string>()
  for (const rule of RULES) {
    for (const d of rule.find(facts, claims)) {
      if (d.subject.kind !== 'site' && claims.has(d.subject.kind, d.subject.id)) continue
      const id = findingId(facts.siteId, d.kind, d.subject)
      if (ids.has(id)) continue
      ids.add(id)
      for (const r of d.related) claims.add(r.kind, r.id)
      for (const k of d.claimsAll ?? []) claims.addKind(k)
      out.push({
        id,
        siteId: facts.siteId,
        kind: d.kind,
        severity: d.severity,
        subject: d.subject,
        title: d.title,
        cause: d.cause,
        consequence: d.consequence,
        deadline: d.deadline,
        remedies: d.remedies,
        evidence: d.evidence,
        related: d.related,
        since: before.get(id)?.since ?? facts.now
      })
    }
  }
  return out.sort(compareFindings)
}

/** Findings in `next` that were not in `prev` (by id), at warning or worse: what deserves a notification. */
export function newFindings(prev: readonly Finding[], next: readonly Finding[]): Finding[] {
  const known = new Set(prev.map((f) => f.id))
  return next.filter((f) => !known.has(f.id) && f.severity !== 'info')
}
