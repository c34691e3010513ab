/**
 * Reconnect delays: 1 s doubling, with ±20 % jitter so many sites do not retry in step. While an
 * outage is young (under two minutes) the delay stays at or below 5 s, so a host that comes back
 * after a restart is found within seconds; after that it grows to 30 s.
 */
export const BACKOFF_FIRST_MS = 1000
export const BACKOFF_EARLY_CAP_MS = 5000
export const BACKOFF_CAP_MS = 30_000
export const BACKOFF_EARLY_WINDOW_MS = 120_000

export type BackoffPolicy = (attempt: number, outageMs: number) => number

export function reconnectDelay(attempt: number, outageMs: number, random: () => number = Math.random): number {
  const cap = outageMs < BACKOFF_EARLY_WINDOW_MS ? BACKOFF_EARLY_CAP_MS : BACKOFF_CAP_MS
  const base = Math.min(BACKOFF_FIRST_MS * 2 ** Math.max(0, Math.min(attempt - 1, 10)), cap)
  return Math.round(Math.min(cap, base * (0.8 + 0.4 * random())))
}
