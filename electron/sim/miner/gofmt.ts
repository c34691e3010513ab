import { readFileSync } from 'node:fs'

/**
 * Go's standard formatting, as the Lotus binaries print values: time.Duration.String(),
 * time.Time.String(), time.TimeOnly, `%.4g`, types.SizeStr / types.FIL, durafmt (cliutil.EpochTime).
 * The simulated CLI and processes must print exactly what Go would.
 */

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** time.Duration.String() for a duration in nanoseconds. */
export function goDurationNs(ns: number): string {
  if (ns === 0) return '0s'
  const neg = ns < 0
  let u = Math.abs(Math.round(ns))
  let out: string
  if (u < 1e9) {
    if (u < 1e3) out = `${u}ns`
    else if (u < 1e6) out = `${trimZeros((u / 1e3).toFixed(3))}µs`
    else out = `${trimZeros((u / 1e6).toFixed(6))}ms`
  } else {
    const h = Math.floor(u / 3.6e12)
    u -= h * 3.6e12
    const m = Math.floor(u / 6e10)
    u -= m * 6e10
    const s = trimZeros((u / 1e9).toFixed(9))
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`
  }
  return neg ? `-${out}` : out
}

/** time.Duration.String() of milliseconds. */
export function goDurationMs(ms: number): string {
  return goDurationNs(Math.round(ms * 1e6))
}

/** `time.Since(t).Truncate(step)` printed: milliseconds truncated to a multiple of `stepMs`. */
export function goDurationTruncated(ms: number, stepMs: number): string {
  return goDurationMs(Math.trunc(ms / stepMs) * stepMs)
}

/** Go's `%.<prec>g`: `prec` significant digits, trailing zeros dropped. */
export function goG(f: number, prec: number): string {
  if (f === 0) return '0'
  const rounded = Number(f.toPrecision(prec))
  const exp = Math.floor(Math.log10(Math.abs(rounded)))
  if (exp < -4 || exp >= prec) {
    const [mant, e] = f.toExponential(prec - 1).split('e') as [string, string]
    const n = Number(e)
    return `${trimZeros(mant)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`
  }
  return trimZeros(f.toPrecision(prec))
}

/** Go's `%.4g` (what types.SizeStr uses). */
export function goG4(f: number): string {
  return goG(f, 4)
}

const DECI_UNITS = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi']

/** types.DeciStr: `3.05 Pi`. */
export function deciStr(v: number | bigint): string {
  let f = Number(v)
  if (f === 0) return '0 B'
  let i = 0
  while (f >= 1024 && i + 1 < DECI_UNITS.length) {
    f /= 1024
    i++
  }
  return `${goG(f, 3)} ${DECI_UNITS[i]}`
}

const SIZE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB']

/** types.SizeStr: `125.8 GiB`, `1008 GiB`, `0 B`. */
export function sizeStr(bytes: number | bigint): string {
  let f = Number(bytes)
  if (f === 0) return '0 B'
  let i = 0
  while (f >= 1024 && i + 1 < SIZE_UNITS.length) {
    f /= 1024
    i++
  }
  return `${goG4(f)} ${SIZE_UNITS[i]}`
}

/** types.FIL(attoFIL).String(): `0 FIL`, `1.5 FIL`. */
export function filString(atto: string | bigint): string {
  const v = BigInt(atto)
  const neg = v < 0n
  const a = neg ? -v : v
  const whole = a / 10n ** 18n
  const frac = (a % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''} FIL`
}

/** types.FIL(x).Short(): `0`, `12.3 mFIL`, `1.5 FIL` (3 decimals, rounded, zeros trimmed). */
export function filShort(atto: string | bigint): string {
  const v = BigInt(atto)
  if (v === 0n) return '0'
  const neg = v < 0n
  const n = neg ? -v : v
  let dn = 1n
  let prefix = ''
  for (const p of ['a', 'f', 'p', 'n', 'μ', 'm']) {
    if (n < dn * 1000n) {
      prefix = p
      break
    }
    dn *= 1000n
  }
  // big.Rat.FloatString(3): rounded half away from zero.
  const scaled = (n * 1000n * 2n + dn) / (dn * 2n)
  const s = trimZeros(`${scaled / 1000n}.${(scaled % 1000n).toString().padStart(3, '0')}`)
  return `${neg ? '-' : ''}${s} ${prefix}FIL`
}

/* ------------------------------------------------------------------ durafmt */

const DURAFMT_UNITS: [string, number][] = [
  ['year', 365 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1]
]

/** durafmt.Parse(d).LimitFirstN(2).String() (what cliutil.EpochTime prints). */
export function durafmt2(seconds: number): string {
  let rem = Math.round(Math.abs(seconds) * 1e6)
  const parts: string[] = []
  const units: [string, number][] = [...DURAFMT_UNITS.map(([n, s]): [string, number] => [n, s * 1e6]), ['millisecond', 1e3], ['microsecond', 1]]
  for (const [name, size] of units) {
    const v = Math.floor(rem / size)
    rem -= v * size
    if (v > 1) parts.push(`${v} ${name}s`)
    else if (v === 1) parts.push(`1 ${name}`)
  }
  return parts.slice(0, 2).join(' ')
}

/** cliutil.EpochTime: `<epoch> (in 1 year 24 weeks)` / `(x ago)` / `(now)`. */
export function epochTime(curr: number, e: number, blockDelaySecs: number): string {
  if (curr > e) return `${e} (${durafmt2((curr - e) * blockDelaySecs)} ago)`
  if (curr === e) return `${e} (now)`
  return `${e} (in ${durafmt2((e - curr) * blockDelaySecs)})`
}

/* ------------------------------------------------------------ time values */

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

let zoneCache: { tz: string | undefined; abbr: (offsetMin: number) => string } | null = null

/** Abbreviations from a TZif file's POSIX footer, e.g. `CST-8` or `CET-1CEST,M3.5.0,M10.5.0/3`. */
function footerAbbrevs(file: string): { std: string; dst: string | null } | null {
  try {
    const buf = readFileSync(file)
    const text = buf.subarray(Math.max(0, buf.length - 200)).toString('latin1')
    const lines = text.split('\n').filter((l) => l.length > 0)
    const footer = lines[lines.length - 1] ?? ''
    const m = /^(<[^>]+>|[A-Za-z]+)[-+]?\d+(?::\d+)*(<[^>]+>|[A-Za-z]+)?/.exec(footer)
    if (!m || !m[1]) return null
    const unwrap = (s: string) => s.replace(/^<|>$/g, '')
    return { std: unwrap(m[1]), dst: m[2] ? unwrap(m[2]) : null }
  } catch {
    return null
  }
}

function zoneAbbrFn(): (offsetMin: number) => string {
  const tz = process.env.TZ
  if (zoneCache && zoneCache.tz === tz) return zoneCache.abbr
  let file = '/etc/localtime'
  if (tz !== undefined && tz !== '') file = tz.startsWith('/') ? tz : `/usr/share/zoneinfo/${tz.replace(/^:/, '')}`
  const ab = tz === 'UTC' || tz === '' ? { std: 'UTC', dst: null } : footerAbbrevs(file)
  const std = new Date(2024, 0, 1).getTimezoneOffset()
  const fn = (offsetMin: number): string => {
    if (ab) return -offsetMin === -std || ab.dst === null ? ab.std : ab.dst
    if (offsetMin === 0) return 'UTC'
    // Go prints a numeric abbreviation when the zone has none: +08, -0330.
    const o = -offsetMin
    const s = o >= 0 ? '+' : '-'
    const a = Math.abs(o)
    return a % 60 === 0 ? `${s}${pad(a / 60)}` : `${s}${pad(Math.floor(a / 60))}${pad(a % 60)}`
  }
  zoneCache = { tz, abbr: fn }
  return fn
}

function offsetStr(d: Date): string {
  const off = -d.getTimezoneOffset()
  const s = off >= 0 ? '+' : '-'
  const a = Math.abs(off)
  return `${s}${pad(Math.floor(a / 60))}${pad(a % 60)}`
}

/** time.Unix(sec, 0).String(): `2023-03-17 08:24:15 +0800 CST`. */
export function goTimeString(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  return `${date} ${time} ${offsetStr(d)} ${zoneAbbrFn()(d.getTimezoneOffset())}`
}

/** time.TimeOnly (`15:04:05`) in the local zone. */
export function goTimeOnly(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

/** time.Time as Go's JSON encoder writes a local time (RFC 3339 nano: `…T21:31:46.123+08:00`, `Z` in UTC). */
export function goJsonTime(ms: number): string {
  if (ms === 0) return '0001-01-01T00:00:00Z'
  const d = new Date(ms)
  const frac = ms % 1000 === 0 ? '' : `.${pad(d.getMilliseconds(), 3).replace(/0+$/, '')}`
  const off = -d.getTimezoneOffset()
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${frac}${zone}`
}

/** Go's `%x` of bytes given as base64 (nil prints nothing). */
export function hexOfBase64(b64: string | null | undefined): string {
  if (!b64) return ''
  return Buffer.from(b64, 'base64').toString('hex')
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** time.RFC822 (`02 Jan 06 15:04 MST`) in the local zone. */
export function goRFC822(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000)
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${pad(d.getFullYear() % 100)} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zoneAbbrFn()(d.getTimezoneOffset())}`
}
