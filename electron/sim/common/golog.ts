/**
 * Log lines in go-log's console format, as Lotus writes them to daemon.log / miner.log
 * (docs/lotus.md "Log encodings"): `<RFC3339 ms + zone>\t<LEVEL>\t<logger>\t<file:line>\t<msg>\t{fields}`.
 * Fields are written by zap's spaced JSON encoder: `{"took": 4.69, "sector": "1"}`.
 */
export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR'

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** `2026-11-26T21:31:46.123+0800` in the process's local zone, as zap's ISO8601 encoder prints. */
export function goLogTime(d: Date): string {
  const off = -d.getTimezoneOffset()
  const sign = off >= 0 ? '+' : '-'
  const abs = Math.abs(off)
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:` +
    `${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  )
}

/** zap's spaced JSON object: `{"a": 1, "b": "x"}`. */
export function spacedJson(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v === undefined ? null : v)}`)
  return `{${parts.join(', ')}}`
}

export interface GoLogger {
  debug(caller: string, msg: string, fields?: Record<string, unknown>): void
  info(caller: string, msg: string, fields?: Record<string, unknown>): void
  warn(caller: string, msg: string, fields?: Record<string, unknown>): void
  error(caller: string, msg: string, fields?: Record<string, unknown>): void
}

export type LogSink = (line: string) => void

export function formatLogLine(level: Level, logger: string, caller: string, msg: string, fields?: Record<string, unknown>, at = new Date()): string {
  const base = `${goLogTime(at)}\t${level}\t${logger}\t${caller}\t${msg}`
  return fields && Object.keys(fields).length > 0 ? `${base}\t${spacedJson(fields)}` : base
}

/** A logger named like Lotus's subsystems (`miner`, `chain`, `main`, `sectors`, `wdpost` …). */
export function goLogger(name: string, sink: LogSink = (l) => process.stdout.write(`${l}\n`)): GoLogger {
  const at = (level: Level) => (caller: string, msg: string, fields?: Record<string, unknown>) =>
    sink(formatLogLine(level, name, caller, msg, fields))
  return { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') }
}
