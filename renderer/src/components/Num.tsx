import { useTranslation } from 'react-i18next'
import { formatInt } from '@renderer/model/format'

/** A count in a table: monospace, grouped per locale; zeros recede so the counts that matter stand out. */
export function Num({ n, group = true }: { n: number; group?: boolean }) {
  const { i18n } = useTranslation()
  return <span className={n === 0 ? 'md-mono md-muted' : 'md-mono'}>{group ? formatInt(n, i18n.language) : n}</span>
}
