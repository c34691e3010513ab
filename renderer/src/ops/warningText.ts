import type { TFunction } from 'i18next'
import type { OpWarning } from '@contract'

/** A preview's warning in the window's language; the core's English only when a key is missing. */
export function opWarningText(t: TFunction, w: OpWarning): string {
  const key = w.key.includes('.') ? w.key : `ops.warning.${w.key}`
  return t(key, { ...w.params, defaultValue: w.text, interpolation: { escapeValue: false } })
}
