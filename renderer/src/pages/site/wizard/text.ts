import type { TFunction } from 'i18next'
import type { ErrorInfo } from '../../../contract'
import type { Observation, Verdict, VerdictReason } from '../../../../../preload/contract/wizard'

/**
 * The wizard's words in the operator's language. The core sends codes with params (and an English
 * rendering): each is translated from `wizard.<group>.<code>`, falling back to the English text
 * for a code this window does not know. Lotus names (lotus-miner, kill -TERM…) stay as they are.
 */

/** Params that are words themselves (API up/down, running/stopped, a verdict kind). */
function translateParams(t: TFunction, params: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = { ...params }
  if (params.api === 'up' || params.api === 'down') out.api = t(`wizard.apiState.${params.api}`)
  if (params.state === 'running' || params.state === 'stopped') out.state = t(`wizard.runState.${params.state}`)
  if (typeof params.kind === 'string') out.verdict = t(`wizard.verdictKind.${params.kind}`, { defaultValue: params.kind })
  return out
}

export function observationText(t: TFunction, o: Observation): string {
  return t(`wizard.obs.${o.code}`, { ...translateParams(t, o.params), defaultValue: o.text, interpolation: { escapeValue: false } })
}

export function reasonText(t: TFunction, r: VerdictReason): string {
  return t(`wizard.reason.${r.code}`, { ...r.params, defaultValue: r.text, interpolation: { escapeValue: false } })
}

export function warningText(t: TFunction, w: { code: string; params: Record<string, string | number>; text: string }): string {
  return t(`wizard.warning.${w.code}`, { ...w.params, defaultValue: w.text, interpolation: { escapeValue: false } })
}

/** A gate's failure (`params.gate`), else the error's own message. */
export function failureText(t: TFunction, e: ErrorInfo): string {
  const gate = e.params?.gate
  if (typeof gate === 'string') return t(`wizard.fail.${gate}`, { ...e.params, defaultValue: e.message, interpolation: { escapeValue: false } })
  return e.message
}

export function verdictHeadline(t: TFunction, v: Verdict, clock: (ms: number) => string): string {
  if (v.kind === 'safe') return t('wizard.verdict.safe')
  if (v.kind === 'unsafe') return t('wizard.verdict.unsafe')
  if (v.afterProofOf !== undefined && v.waitUntil) {
    return t('wizard.verdict.waitProof', { deadline: v.afterProofOf, time: clock(v.waitUntil), latest: v.latestAt ? clock(v.latestAt) : '—' })
  }
  return t('wizard.verdict.waitUntil', { time: v.waitUntil ? clock(v.waitUntil) : '—' })
}
