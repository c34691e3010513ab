import type { AuditEntry } from '@contract'

/**
 * The audit log as an operator reads it: one row per action, its start and how it ended
 * together. The log writes a step's `started` before it runs and `ok` / `error` after, with the
 * same site, action, command, operator and seat; an entry with no `started` before it (a refusal,
 * a decision) is a row of its own, and a start with no end yet is shown as still started.
 */
export interface AuditRow {
  key: string
  /** When it started (or happened). */
  time: string
  /** When it ended, for a start followed by its end. */
  ended?: string
  site: string
  operator: string
  via: AuditEntry['via']
  action: string
  command: string
  result: AuditEntry['result']
  detail?: string
  /** The log's own lines, oldest first (what the JSON export carries). */
  entries: AuditEntry[]
}

const same = (e: AuditEntry) => JSON.stringify([e.site, e.action, e.command, e.operator, e.via])

/** Rows newest first from entries in any order. */
export function auditRows(entries: readonly AuditEntry[]): AuditRow[] {
  const oldestFirst = [...entries].sort((a, b) => a.time.localeCompare(b.time))
  const rows: AuditRow[] = []
  const open = new Map<string, AuditRow[]>()
  for (const e of oldestFirst) {
    const k = same(e)
    if (e.result !== 'started') {
      const start = open.get(k)?.shift()
      if (start) {
        start.ended = e.time
        start.result = e.result
        if (e.detail !== undefined) start.detail = e.detail
        start.entries.push(e)
        continue
      }
    }
    const row: AuditRow = { key: String(rows.length), time: e.time, site: e.site, operator: e.operator, via: e.via, action: e.action, command: e.command, result: e.result, ...(e.detail !== undefined ? { detail: e.detail } : {}), entries: [e] }
    rows.push(row)
    if (e.result === 'started') open.set(k, [...(open.get(k) ?? []), row])
  }
  return rows.reverse()
}

/**
 * The i18n key of an action id (`sector.update-state` → `audit.actionName.sector/update-state`):
 * ids hold dots, which i18next reads as nesting. The restart's older `wizard.*` ids are the
 * same actions as `restart.*`.
 */
export function actionKey(action: string): string {
  return `audit.actionName.${action.replace(/^wizard\./, 'restart.').replace(/\./g, '/')}`
}

/** Every word typed must appear somewhere in the row (its translated action name included). */
export function matchesSearch(row: AuditRow, query: string, actionName: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length === 0) return true
  const hay = [row.site, row.operator, row.via, row.action, actionName, row.command, row.result, row.detail ?? ''].join('\n').toLowerCase()
  return words.every((w) => hay.includes(w))
}

const CSV_COLUMNS = ['time', 'ended', 'site', 'operator', 'via', 'action', 'command', 'result', 'detail'] as const

/** RFC 4180: every field quoted, quotes doubled; CRLF between records. */
export function auditCsv(rows: readonly AuditRow[]): string {
  const quote = (v: string | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`
  return [CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => quote(r[c])).join(','))].join('\r\n') + '\r\n'
}

/** The rows with the log's own entries (hashes included), for a tool or a ticket. */
export function auditJson(rows: readonly AuditRow[]): string {
  return `${JSON.stringify(rows.map(({ key: _k, ...r }) => r), null, 2)}\n`
}
