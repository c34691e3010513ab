/**
 * Lotus's log lines (go-log over zap) in both encodings go-log writes:
 *
 *   console (GOLOG_LOG_FMT=color|nocolor, the default): `<ISO8601 time>\t<LEVEL>\t<logger>\t<file:line>\t<msg>\t{"k": v}`
 *     with the level wrapped in ANSI colour codes on a terminal (or with GOLOG_LOG_FMT=color),
 *     and the fields as zap's spaced JSON; pasted logs often have the tabs turned into spaces;
 *   JSON (GOLOG_LOG_FMT=json): `{"level":"info","ts":"<ISO8601>","logger":"…","caller":"…","msg":"…","k":v}`.
 *
 * Durations in fields are seconds as floats (zap's production encoder config, which go-log uses).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'fatal'

export interface LogLine {
  /** ms since epoch, null when the time could not be read. */
  at: number | null
  level: LogLevel
  logger: string
  caller: string
  msg: string
  fields: Record<string, unknown>
  /** The line as read, without colour codes (evidence is shown verbatim). */
  raw: string
}

// eslint-disable-next-line no-control-regex -- ANSI colour sequences are control characters by definition
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g
const CONSOLE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\s+(\S+)\s+(\S+:\d+)\s+(.*)$/

function level(text: string): LogLevel {
  switch (text.toLowerCase()) {
    case 'debug':
      return 'debug'
    case 'info':
      return 'info'
    case 'warn':
    case 'warning':
      return 'warn'
    case 'error':
      return 'error'
    default:
      return 'fatal'
  }
}

/** zap's ISO8601 (`2024-11-29T20:51:30.196+0800`), RFC3339, or epoch seconds. */
export function logTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000)
  if (typeof v !== 'string') return null
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isFinite(t) ? t : null
}

function splitFields(rest: string): { msg: string; fields: Record<string, unknown> } {
  // The fields are the trailing JSON object; the message itself may hold braces or spaces.
  const candidates: number[] = []
  const tab = rest.lastIndexOf('\t{')
  if (tab >= 0) candidates.push(tab + 1)
  for (let i = rest.indexOf(' {"'); i >= 0; i = rest.indexOf(' {"', i + 1)) candidates.push(i + 1)
  for (const at of candidates) {
    try {
      const v = JSON.parse(rest.slice(at)) as unknown
      if (v && typeof v === 'object' && !Array.isArray(v)) return { msg: rest.slice(0, at).trimEnd(), fields: v as Record<string, unknown> }
    } catch {
      // not the fields: keep looking
    }
  }
  return { msg: rest.trimEnd(), fields: {} }
}

/** One line in either encoding; null for anything else (stack traces, `lotus sync wait` output…). */
export function parseLogLine(line: string): LogLine | null {
  const raw = line.replace(ANSI, '').replace(/\r$/, '')
  const text = raw.trim()
  if (text.startsWith('{')) {
    try {
      const v = JSON.parse(text) as Record<string, unknown>
      if (typeof v.msg !== 'string' || typeof v.level !== 'string') return null
      const fields: Record<string, unknown> = {}
      for (const [k, val] of Object.entries(v)) if (!['level', 'ts', 'logger', 'caller', 'msg'].includes(k)) fields[k] = val
      return { at: logTime(v.ts), level: level(v.level), logger: typeof v.logger === 'string' ? v.logger : '', caller: typeof v.caller === 'string' ? v.caller : '', msg: v.msg, fields, raw: text }
    } catch {
      return null
    }
  }
  const m = CONSOLE.exec(text)
  if (!m) return null
  const { msg, fields } = splitFields(m[5] as string)
  return { at: logTime(m[1]), level: level(m[2] as string), logger: m[3] as string, caller: m[4] as string, msg, fields, raw: text }
}

/** A number field (zap writes durations as float seconds; some older lines hold numeric strings). */
export function numField(f: Record<string, unknown>, key: string): number | null {
  const v = f[key]
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return null
}
