import type { EnvCheck, JobEffect } from '../../../preload/contract/restart'
import type { JobRow } from '../../../preload/contract'
import { redactEnvValue } from '../util/redact'

/**
 * Pure checks of the miner after a start: its environment against the site's expected
 * environment (runbook §6: "the environment variables and versions are right"), its version
 * against the one before (or the operator's expected version for an upgrade), and what a
 * restart does to the sealing jobs of the moment.
 */

/**
 * `expected` is name → value, where `*` means "must be set, any value". Secrets are compared and
 * shown through the one redaction (util/redact): an `*_API_INFO` token as its fingerprint, so the
 * rows (stored in the run, exported, printed, shown) never hold one; the same token on both sides
 * gives the same fingerprint, another token another one.
 */
export function checkEnv(expected: Readonly<Record<string, string>>, actual: Readonly<Record<string, string>> | null): EnvCheck {
  const names = Object.keys(expected).sort()
  const want = (name: string) => redactEnvValue(name, expected[name]!)
  if (actual === null) {
    return { readable: false, rows: names.map((name) => ({ name, expected: want(name), actual: null, ok: false })), ok: names.length === 0 }
  }
  const rows = names.map((name) => {
    const w = want(name)
    const have = Object.prototype.hasOwnProperty.call(actual, name) ? redactEnvValue(name, actual[name]!) : null
    return { name, expected: w, actual: have, ok: have !== null && (w === '*' || have === w) }
  })
  return { readable: true, rows, ok: rows.every((r) => r.ok) }
}

/**
 * The environment's problems as params of a translated text: `problems` in English (CLI, report)
 * and `envRows`, the wrong rows as JSON (`[name, actual or null, expected]`), from which the
 * window writes them in its own language; `unreadable` when the environment could not be read.
 */
export function envParams(env: EnvCheck): { problems: string; envRows: string; unreadable: number } {
  return {
    problems: envProblems(env),
    envRows: JSON.stringify(env.rows.filter((r) => !r.ok).map((r) => [r.name, r.actual, r.expected])),
    unreadable: !env.readable && env.rows.length > 0 ? 1 : 0
  }
}

export function envProblems(env: EnvCheck): string {
  if (!env.readable && env.rows.length > 0) return "the miner's environment could not be read (is the SSH login the user that runs lotus-miner?)"
  return env.rows
    .filter((r) => !r.ok)
    .map((r) => (r.actual === null ? `${r.name} is not set (expected ${r.expected === '*' ? 'any value' : r.expected})` : `${r.name}=${r.actual} (expected ${r.expected})`))
    .join('; ')
}

/** Lotus version strings: `1.36.2-dev+mainnet+git.abc`, `v1.36.2`, `1.23.0+mainnet+git.…`. */
function normalizeVersion(v: string): string {
  return v.trim().replace(/^v/, '')
}

/**
 * Whether `actual` is the version the operator expects: the same string, or — for a version the
 * operator typed, like `1.36.2` — the same release (`1.36.2+mainnet+git.…`, `1.36.2-dev+…`).
 */
export function versionMatches(actual: string, expected: string, exact: boolean): boolean {
  const a = normalizeVersion(actual)
  const e = normalizeVersion(expected)
  if (a === e) return true
  if (exact) return false
  return a.startsWith(e) && /^[+-]/.test(a.slice(e.length))
}

/** What a restart of the miner does to a job, by its state (lotus-miner sealing jobs). */
export function jobEffect(job: Pick<JobRow, 'state'>): JobEffect {
  switch (job.state) {
    // A task running on a worker goes on; the worker hands its result to the new miner (ret-wait).
    case 'running':
      return 'continues'
    case 'ret-wait':
    case 'returned':
    case 'ret-done':
      return 'returns'
    // Queued and prepared requests live in the miner's scheduler: they are scheduled again.
    default:
      return 'requeued'
  }
}
