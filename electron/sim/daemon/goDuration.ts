/**
 * Go's `time.Duration.String()` (`23.482134ms`, `4.5s`, `1h2m3.25s`), which Lotus prints in
 * log lines (`worker 3 done; took 23.48ms`) and in `lotus sync status` (Elapsed).
 */
export function formatGoDuration(nanoseconds: number): string {
  let ns = Math.round(nanoseconds)
  if (ns === 0) return '0s'
  const sign = ns < 0 ? '-' : ''
  ns = Math.abs(ns)
  const frac = (value: number, unit: number, digits: number): string => {
    const whole = Math.floor(value / unit)
    const rest = String(value % unit).padStart(digits, '0').replace(/0+$/, '')
    return rest ? `${whole}.${rest}` : String(whole)
  }
  if (ns < 1_000) return `${sign}${ns}ns`
  if (ns < 1_000_000) return `${sign}${frac(ns, 1_000, 3)}µs`
  if (ns < 1_000_000_000) return `${sign}${frac(ns, 1_000_000, 6)}ms`
  const totalSeconds = Math.floor(ns / 1e9)
  const h = Math.floor(totalSeconds / 3600)
  const m = Math.floor((totalSeconds % 3600) / 60)
  const s = frac((totalSeconds % 60) * 1e9 + (ns % 1e9), 1e9, 9)
  if (h > 0) return `${sign}${h}h${m}m${s}s`
  if (m > 0) return `${sign}${m}m${s}s`
  return `${sign}${s}s`
}

export function formatGoDurationMs(ms: number): string {
  return formatGoDuration(ms * 1e6)
}
