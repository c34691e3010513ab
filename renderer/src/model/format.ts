/**
 * Number and time formatting for a dense ops UI. Durations use Lotus's own short notation
 * (`3h10m`, `12m5s`, `45s`): operators read it in `lotus-miner sealing jobs` every day, and it is
 * the same in both languages.
 */

/** Seconds → the two most significant units: `2d4h`, `3h10m`, `12m5s`, `45s`, `0s`. */
export function formatDuration(totalSec: number): string {
  if (!Number.isFinite(totalSec)) return '—'
  const sign = totalSec < 0 ? '-' : ''
  let s = Math.floor(Math.abs(totalSec))
  const d = Math.floor(s / 86400)
  s -= d * 86400
  const h = Math.floor(s / 3600)
  s -= h * 3600
  const m = Math.floor(s / 60)
  s -= m * 60
  const parts: [number, string][] = [
    [d, 'd'],
    [h, 'h'],
    [m, 'm'],
    [s, 's']
  ]
  const first = parts.findIndex(([v]) => v > 0)
  if (first < 0) return '0s'
  const shown = parts.slice(first, first + 2).filter(([v], i) => i === 0 || v > 0)
  return sign + shown.map(([v, u]) => `${v}${u}`).join('')
}

/** An age to show as "… ago": seconds matter for the first ten minutes only. */
export function formatAge(sec: number): string {
  return formatDuration(sec >= 600 ? Math.floor(sec / 60) * 60 : sec)
}

const DURATION_RE = /^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s?)?\s*$/i

/**
 * Parses what an operator types for a duration: `3h10m`, `1h 15m`, `90s`, `15m`, `2d`, or a bare
 * number of seconds. Returns null for anything else (including an empty string or zero units).
 */
export function parseDuration(text: string): number | null {
  const t = text.trim()
  if (t === '') return null
  const m = DURATION_RE.exec(t)
  if (!m) return null
  const [, d, h, min, s] = m
  if (d === undefined && h === undefined && min === undefined && s === undefined) return null
  return Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0)
}

/** Bytes → binary units the way Lotus prints sizes (`125.8 GiB`, `32 GiB`, `1008 GiB`). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  // Go's %.4g as Lotus's types.SizeStr uses it: four significant digits, no trailing zeros.
  const shown = String(Number(v.toPrecision(4)))
  return `${shown} ${units[i]}`
}

/** Integers with the locale's grouping (10,000 sectors); null/undefined → an em dash. */
export function formatInt(n: number | null | undefined, locale: string): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—'
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(n)
}

/** A percentage with no decimals (`37%`); guards a zero total. */
export function formatPercent(part: number, total: number): string {
  if (!total) return '—'
  return `${Math.round((part / total) * 100)}%`
}

/** attoFIL (decimal string) → FIL with up to `digits` decimals, exactly (BigInt, no float drift). */
export function formatFil(atto: string, digits = 4): string {
  if (!/^-?\d+$/.test(atto)) return atto
  const neg = atto.startsWith('-')
  const v = BigInt(neg ? atto.slice(1) : atto)
  const unit = 10n ** 18n
  const whole = v / unit
  const frac = (v % unit).toString().padStart(18, '0').slice(0, digits).replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole.toString()}${frac ? '.' + frac : ''} FIL`
}

/** First 8 hex characters of a UUID, as `lotus-miner sealing jobs` prints job and worker ids. */
export function shortUuid(id: string): string {
  return id.replace(/-/g, '').slice(0, 8)
}

/** Whole seconds between two ms timestamps, never negative (clock skew between host and page). */
export function secondsSince(ms: number, now: number): number {
  return Math.max(0, Math.floor((now - ms) / 1000))
}
