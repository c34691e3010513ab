import type { Evidence, Finding, FindingAction, FindingKind, I18nParams, I18nText, Remedy, Subject, SubjectKind } from '../../../preload/contract'
import type { SiteFacts } from './facts'

/**
 * The building blocks of a finding kind (one file per kind in ./kinds): a rule turns the facts
 * into drafts; evaluate.ts gives them ids, keeps their `since`, and folds findings that share a
 * root cause. Texts are i18n keys under `findings.<kind>[.<variant>]`.
 */

/** A finding as a rule makes it: evaluate.ts adds its id, site and `since`. */
export type Draft = Omit<Finding, 'id' | 'siteId' | 'since'> & {
  /** Subject kinds this finding explains wholesale (a site that cannot be reached explains everything). */
  claimsAll?: SubjectKind[]
}

/** Subjects an earlier (more fundamental) finding already explains: rules leave them out. */
export interface Claimed {
  has(kind: SubjectKind, id: string): boolean
}

export interface FindingRule {
  kind: FindingKind
  /** Every i18n key the rule can produce (the locale test checks both languages have them). */
  keys: readonly string[]
  find(facts: SiteFacts, claimed: Claimed): Draft[]
}

export function subjectKey(s: Pick<Subject, 'kind' | 'id'>): string {
  return `${s.kind}:${s.id}`
}

export function text(key: string, params: I18nParams = {}): I18nText {
  return { key, params }
}

/** Key helpers for one kind (and variant): `findings.<kind>[.<variant>].<part>`. */
export function keysOf(kind: FindingKind, variant?: string) {
  const base = `findings.${kind}${variant ? `.${variant}` : ''}`
  return {
    base,
    title: (p: I18nParams = {}) => text(`${base}.title`, p),
    cause: (p: I18nParams = {}) => text(`${base}.cause`, p),
    consequence: (p: I18nParams = {}) => text(`${base}.consequence`, p),
    remedy: (id: string, p: I18nParams = {}, action?: FindingAction): Remedy => (action ? { text: text(`${base}.remedy.${id}`, p), action } : { text: text(`${base}.remedy.${id}`, p) })
  }
}

/** Every key a kind (and its variants) uses, for `FindingRule.keys`. */
export function keyList(kind: FindingKind, variants: readonly (string | undefined)[], remedies: Record<string, readonly string[]>): string[] {
  const out: string[] = []
  for (const v of variants) {
    const base = `findings.${kind}${v ? `.${v}` : ''}`
    out.push(`${base}.title`, `${base}.cause`, `${base}.consequence`)
    for (const r of remedies[v ?? ''] ?? []) out.push(`${base}.remedy.${r}`)
  }
  return out
}

export function ev(label: string, value: string | number): Evidence {
  return { label: `evidence.${label}`, value: String(value) }
}

export const SITE: Subject = { kind: 'site', id: '' }

export function sectorSubject(n: number): Subject {
  return { kind: 'sector', id: String(n) }
}

/** A wall-clock time as `MM-DD HH:MM` in the operator's zone (language-neutral, like Lotus's `proving deadlines`). */
export function clockTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** Sector numbers as an operator writes them: `12, 13, 20-25`, at most `max` items then `…`. */
export function sectorList(ns: readonly number[], max = 12): string {
  const sorted = [...new Set(ns)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++
    parts.push(j > i + 1 ? `${sorted[i]}-${sorted[j]}` : j === i + 1 ? `${sorted[i]}, ${sorted[j]}` : String(sorted[i]))
    i = j + 1
  }
  const flat = parts.join(', ').split(', ')
  return flat.length > max ? `${flat.slice(0, max).join(', ')}, …` : flat.join(', ')
}
