import type { AuditEntry, SiteAuditEntry } from '../../../preload/contract'
import type { SshHost } from '../ssh/types'

/**
 * The site's own audit log: `~/.minerdesk/audit.log` of the SSH login on the site host, one JSON
 * object per line, appended by every operator's MinerDesk (one write of one line, O_APPEND), so a
 * team sees who did what on a site whatever laptop they use. Entries arrive already redacted.
 */
const APPEND_SCRIPT = `umask 077; mkdir -p "$HOME/.minerdesk" && printf '%s\\n' "$1" >> "$HOME/.minerdesk/audit.log"`
const TAIL_SCRIPT = `f="$HOME/.minerdesk/audit.log"; [ -f "$f" ] || exit 0; tail -n "$1" "$f"`

/** Longest detail kept in the site's log: the local log keeps the whole output. */
const SITE_DETAIL_CHARS = 2000

export function siteAuditLine(e: AuditEntry, machine: string): string {
  const line: Record<string, string> = { time: e.time, operator: e.operator, machine, via: e.via, site: e.site, action: e.action, command: e.command, result: e.result }
  if (e.detail) line['detail'] = e.detail.slice(0, SITE_DETAIL_CHARS)
  return JSON.stringify(line)
}

export async function appendSiteAudit(host: SshHost, e: AuditEntry, machine: string): Promise<void> {
  const r = await host.exec({ argv: ['sh', '-c', APPEND_SCRIPT, 'sh', siteAuditLine(e, machine)] }, { timeoutMs: 15_000 })
  if (r.code !== 0) throw new Error(`${host.alias}: could not append to ~/.minerdesk/audit.log: ${r.stderr.trim() || `exit ${r.code}`}`)
}

/** The last `n` entries of the site's log, newest first. */
export async function readSiteAudit(host: SshHost, n: number, isMine: (e: { operator: string; machine: string }) => boolean): Promise<SiteAuditEntry[]> {
  const lines = Math.max(1, Math.min(5000, Math.floor(n)))
  const r = await host.exec({ argv: ['sh', '-c', TAIL_SCRIPT, 'sh', String(lines)] }, { timeoutMs: 15_000, maxOutputBytes: 8 * 1024 * 1024 })
  if (r.code !== 0) throw new Error(`${host.alias}: could not read ~/.minerdesk/audit.log: ${r.stderr.trim() || `exit ${r.code}`}`)
  return parseSiteAudit(r.stdout, isMine)
}

export function parseSiteAudit(text: string, isMine: (e: { operator: string; machine: string }) => boolean): SiteAuditEntry[] {
  const out: SiteAuditEntry[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    let v: unknown
    try {
      v = JSON.parse(line)
    } catch {
      continue
    }
    if (!v || typeof v !== 'object') continue
    const o = v as Record<string, unknown>
    const s = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '')
    if (!s('time') || !s('action')) continue
    const e: SiteAuditEntry = { time: s('time'), operator: s('operator'), machine: s('machine'), via: s('via'), site: s('site'), action: s('action'), command: s('command'), result: s('result'), mine: false }
    if (s('detail')) e.detail = s('detail')
    e.mine = isMine(e)
    out.push(e)
  }
  return out.reverse()
}
