/**
 * Durations in Lotus's short notation (Go duration style without the noise): `45s`, `2m30s`,
 * `3h10m`, `49h5m`. Language-neutral, used in alert params and never translated.
 * Seconds are dropped once a duration reaches an hour.
 */
export function shortDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`
  if (m > 0) return s > 0 ? `${m}m${s}s` : `${m}m`
  return `${s}s`
}
