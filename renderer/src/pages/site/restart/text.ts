import dayjs from 'dayjs'
import type { TFunction } from 'i18next'
import type { ErrorInfo, Observation, RollingFailure, Verdict, VerdictReason } from '@contract'

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
  if (typeof params.envRows === 'string') out.problems = envProblemsText(t, params.envRows, params.unreadable === 1)
  // The count a sentence is about picks its plural form (English): `n`, else `faults`.
  const count = params.n ?? params.faults
  if (out.count === undefined && typeof count === 'number') out.count = count
  return out
}

/** The wrong environment variables in the operator's language (names and values as they are). */
export function envProblemsText(t: TFunction, envRows: string, unreadable: boolean): string {
  if (unreadable) return t('wizard.env.unreadable')
  let rows: [string, string | null, string][] = []
  try {
    rows = JSON.parse(envRows) as [string, string | null, string][]
  } catch {
    return ''
  }
  return rows
    .map(([name, actual, expected]) =>
      actual === null
        ? t('wizard.env.unset', { name, expected: expected === '*' ? t('wizard.env.anyValue') : expected, interpolation: { escapeValue: false } })
        : t('wizard.env.differs', { name, actual, expected, interpolation: { escapeValue: false } })
    )
    .join(t('wizard.env.separator'))
}

/** `running (pid …)` / `stopped` of one node, in the operator's language. */
export function processState(t: TFunction, running: boolean, pids: string, apiUp: boolean): string {
  return running ? t(apiUp ? 'wizard.procRunning' : 'wizard.procRunningNoApi', { pids }) : apiUp ? t('wizard.procApiOnly') : t('wizard.procStopped')
}

export function observationText(t: TFunction, o: Observation): string {
  if (o.code === 'resume' && o.params.daemonRunning !== undefined) {
    const p = o.params
    const state = t('wizard.siteState', { daemon: processState(t, p.daemonRunning === 1, String(p.daemonPids), p.daemonApi === 1), miner: processState(t, p.minerRunning === 1, String(p.minerPids), p.minerApi === 1), interpolation: { escapeValue: false } })
    return t('wizard.obs.resume', { state, interpolation: { escapeValue: false } })
  }
  return t(`wizard.obs.${o.code}`, { ...translateParams(t, o.params), defaultValue: o.text, interpolation: { escapeValue: false } })
}

export function reasonText(t: TFunction, r: VerdictReason): string {
  return t(`wizard.reason.${r.code}`, { ...r.params, defaultValue: r.text, interpolation: { escapeValue: false } })
}

export function warningText(t: TFunction, w: { code: string; params: Record<string, string | number>; text: string }): string {
  return t(`wizard.warning.${w.code}`, { ...translateParams(t, w.params), defaultValue: w.text, interpolation: { escapeValue: false } })
}

/** A gate's failure (`params.gate`), else the error's own message. */
export function failureText(t: TFunction, e: ErrorInfo): string {
  const gate = e.params?.gate
  if (typeof gate === 'string') return t(`wizard.fail.${gate}`, { ...translateParams(t, e.params ?? {}), defaultValue: e.message, interpolation: { escapeValue: false } })
  return e.message
}

/**
 * What to do about a gate's failure, in the operator's language (`wizard.failHint.<hintKey>`);
 * the main side's English advice only in the English window.
 */
export function failureHint(t: TFunction, e: ErrorInfo, language: string): string | null {
  const key = e.params?.hintKey
  if (typeof key === 'string') return t(`wizard.failHint.${key}`, { ...e.params, defaultValue: language === 'en' ? (e.hint ?? '') : '', interpolation: { escapeValue: false } }) || null
  return language === 'en' ? (e.hint ?? null) : null
}

/** A verdict's times: to the second when they are minutes away. */
export const verdictClock = (ms: number): string => dayjs(ms).format(Math.abs(ms - Date.now()) < 10 * 60_000 ? 'HH:mm:ss' : 'HH:mm')

/** Why a rolling restart stopped, in the reader's language (the core's English only as a last resort). */
export function rollingFailureText(t: TFunction, f: RollingFailure, clock: (ms: number) => string): string {
  if (f.error) return failureText(t, f.error)
  if (f.verdict) return t('wizard.rolling.notRestarted', { verdict: verdictHeadline(t, f.verdict, clock) })
  if (f.waitingAt) return t('wizard.rolling.waiting', { step: t(`wizard.step.${f.waitingAt}`) })
  return f.message
}

export function verdictHeadline(t: TFunction, v: Verdict, clock: (ms: number) => string): string {
  if (v.kind === 'safe') return t('wizard.verdict.safe')
  if (v.kind === 'unsafe') return t('wizard.verdict.unsafe')
  if (v.afterProofOf !== undefined && v.waitUntil) {
    return t('wizard.verdict.waitProof', { deadline: v.afterProofOf, time: clock(v.waitUntil), latest: v.latestAt ? clock(v.latestAt) : '—' })
  }
  return t('wizard.verdict.waitUntil', { time: v.waitUntil ? clock(v.waitUntil) : '—' })
}
