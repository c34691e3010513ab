import { cliCommand, type Finding, type Language } from '../../preload/contract'
import { translate } from '../core/i18n/translate'

/**
 * Findings as the command line prints them, from the same i18n keys the window renders: the title,
 * then cause, what is lost and by when, each remedy with the `minerdesk` command that applies it,
 * the evidence Lotus gave, and what the finding holds.
 */

const SEVERITY = { critical: 'CRITICAL', warning: 'WARNING', info: 'INFO' } as const

function when(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

export function findingLines(lang: Language, f: Finding, o: { site?: string; detail?: boolean } = {}): string[] {
  const t = (x: { key: string; params: Record<string, string | number> }) => translate(lang, x.key, x.params)
  const head = `${SEVERITY[f.severity].padEnd(8)} ${o.site ? `${o.site}: ` : ''}${t(f.title)}`
  if (o.detail === false) return [head]
  const L = (k: string) => translate(lang, `findingsPanel.${k}`)
  const out = [head, `  ${L('cause')}: ${t(f.cause)}`, `  ${L('consequence')}: ${t(f.consequence)}${f.deadline !== null ? ` (${L('by')} ${when(f.deadline)})` : ''}`]
  f.remedies.forEach((r, i) => {
    out.push(`  ${i === 0 ? `${L('remedy')}:` : ' '.repeat(L('remedy').length + 1)} ${i + 1}. ${t(r.text)}`)
    if (r.action) out.push(`${' '.repeat(L('remedy').length + 7)}$ ${cliCommand(f.siteId, r.action)}`)
  })
  for (const e of f.evidence) out.push(`  ${translate(lang, e.label)}: ${e.value}`)
  const sectors = f.related.filter((r) => r.kind === 'sector').map((r) => r.id)
  const jobs = f.related.filter((r) => r.kind === 'job').map((r) => r.id.slice(0, 8))
  if (sectors.length) out.push(`  ${L('sectors')}: ${sectors.slice(0, 50).join(' ')}${sectors.length > 50 ? ' …' : ''}`)
  if (jobs.length) out.push(`  ${L('jobs')}: ${jobs.slice(0, 50).join(' ')}`)
  out.push(`  ${L('since')}: ${when(f.since)}   id: ${f.id}`)
  return out
}
