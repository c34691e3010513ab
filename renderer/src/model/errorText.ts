import type { TFunction } from 'i18next'
import type { ErrorInfo } from '@contract'

export interface ErrorText {
  /** What happened, in the operator's language (`errors.<code>`, else the English message). */
  title: string
  /** What to do: the translated advice for the code, then the main side's specific hint if it adds one. */
  hint: string | null
  /** The main side's own hint (English, specific to this failure), when it differs from the advice. */
  specificHint: string | null
  /** Verbatim detail (remote stderr, Lotus error text), never translated. */
  details: string | null
}

export function describeError(t: TFunction, err: ErrorInfo): ErrorText {
  const title = t(`errors.${err.code}`, { ...(err.params ?? {}), defaultValue: err.message })
  const hint = t(`errorHints.${err.code}`, { ...(err.params ?? {}), defaultValue: '' }) || null
  const specificHint = err.hint && err.hint !== hint ? err.hint : null
  // The English message carries specifics (paths, hosts) the translated title omits.
  const details = [err.message !== title ? err.message : null, err.details ?? null].filter(Boolean).join('\n') || null
  return { title, hint, specificHint, details }
}
