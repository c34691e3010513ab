import { open, stat } from 'node:fs/promises'
import { userInfo } from 'node:os'
import type { AuditEntry } from '../../../preload/contract'
import { auditLogFile, ensureHome, minerdeskHome } from '../settings/paths'

/**
 * The append-only audit log: one JSON object per line in MINERDESK_HOME/audit.log.
 *
 * Each entry is written with ONE write() on a file opened with O_APPEND, so lines from the app
 * and the CLI writing at the same time never interleave (the kernel appends each write whole).
 * Lines are bounded in size so that guarantee holds. Secrets (bearer tokens, JWTs, API info
 * tokens, passphrases) are redacted from `command` and `detail` before anything is written.
 */

/** Longest `command` / `detail` kept (longer ones are cut): keeps every line one modest write. */
export const MAX_FIELD_CHARS = 16 * 1024
const CHUNK = 64 * 1024
export const DEFAULT_LIST_LIMIT = 200
export const MAX_LIST_LIMIT = 5000

const REDACTIONS: Array<[RegExp, string]> = [
  // Authorization: Bearer <token>
  [/(\bBearer\s+)[^\s'",]+/gi, '$1[redacted]'],
  // JWTs (Lotus tokens): header.payload.signature, header starting with {"… = eyJ
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted-token]'],
  // *_API_INFO=TOKEN:ADDRESS with an opaque token
  [/(\b[A-Z_]*API_INFO=['"]?)(?!\/)[^\s:'"]+:(?!\/\/)/g, '$1[redacted-token]:'],
  // TOKEN:/ip4/… written bare
  [/(^|[\s'"=])(?!\/)[A-Za-z0-9._~+-]{16,}:(?=\/(?:ip4|ip6|dns|dns4|dns6)\/)/g, '$1[redacted-token]:'],
  // --token X and --token=X (also passphrase/password/secret)
  [/(--(?:token|passphrase|password|secret)(?:=|\s+))(['"]?)[^\s'"&,}]+/gi, '$1$2[redacted]'],
  // token=X, ?token=X, "token":"X"
  [/(\b(?:token|passphrase|password|secret)(?:=|"\s*:\s*"|'\s*:\s*'))(['"]?)[^\s'"&,}]+/gi, '$1$2[redacted]']
]

/** Removes token- and passphrase-looking values from free text. */
export function redactSecrets(text: string): string {
  let out = text
  for (const [re, rep] of REDACTIONS) out = out.replace(re, rep)
  return out
}

function bound(text: string): string {
  return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}…[truncated]` : text
}

/** The OS user running MinerDesk (written as `operator`). */
export function osOperator(): string {
  try {
    const name = userInfo().username
    if (name) return name
  } catch {
    /* no passwd entry (containers) */
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown'
}

export type AuditInput = Pick<AuditEntry, 'site' | 'action' | 'command' | 'result'> & Partial<Pick<AuditEntry, 'detail' | 'time' | 'via'>>

export interface AuditQuery {
  site?: string
  limit?: number
}

export interface AuditLogOptions {
  /** MINERDESK_HOME; default from the environment. */
  home?: string
  via: AuditEntry['via']
  /** The operator's name, or how to read it now (a setting the operator may change). */
  operator?: string | (() => string)
  now?: () => Date
}

function isEntry(v: unknown): v is AuditEntry {
  if (!v || typeof v !== 'object') return false
  const e = v as Record<string, unknown>
  return typeof e['time'] === 'string' && typeof e['site'] === 'string' && typeof e['action'] === 'string' && typeof e['command'] === 'string' && typeof e['result'] === 'string'
}

export class AuditLog {
  readonly file: string
  private readonly home: string
  private readonly via: AuditEntry['via']
  private readonly operator: string | (() => string)
  private readonly now: () => Date

  constructor(opts: AuditLogOptions) {
    this.home = opts.home ?? minerdeskHome()
    this.file = auditLogFile(this.home)
    this.via = opts.via
    this.operator = opts.operator ?? osOperator()
    this.now = opts.now ?? (() => new Date())
  }

  /** Appends one entry (redacted) and returns it as written. */
  async record(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditEntry = {
      time: input.time ?? this.now().toISOString(),
      site: input.site,
      operator: typeof this.operator === 'function' ? this.operator() : this.operator,
      via: input.via ?? this.via,
      action: input.action,
      command: bound(redactSecrets(input.command)),
      result: input.result
    }
    if (input.detail !== undefined) entry.detail = bound(redactSecrets(input.detail))
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8')
    ensureHome(this.home)
    const fh = await open(this.file, 'a', 0o600)
    try {
      const { bytesWritten } = await fh.write(line, 0, line.length)
      if (bytesWritten !== line.length) throw new Error(`audit log: short write (${bytesWritten}/${line.length} bytes)`)
    } finally {
      await fh.close()
    }
    return entry
  }

  /**
   * Entries newest first, optionally of one site, reading the file backwards in chunks so that
   * a large log is never loaded whole. Lines that do not parse (cut by a crash) are skipped.
   */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT)
    let size: number
    try {
      size = (await stat(this.file)).size
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw err
    }
    const out: AuditEntry[] = []
    const fh = await open(this.file, 'r')
    try {
      let pos = size
      let carry: Buffer = Buffer.alloc(0) // the start of a line whose beginning is further back
      while (pos > 0 && out.length < limit) {
        const len = Math.min(CHUNK, pos)
        pos -= len
        const buf = Buffer.alloc(len)
        await fh.read(buf, 0, len, pos)
        const data = carry.length > 0 ? Buffer.concat([buf, carry]) : buf
        let end = data.length
        for (let i = data.length - 1; i >= 0 && out.length < limit; i--) {
          if (data[i] !== 0x0a) continue
          this.take(data.subarray(i + 1, end), q.site, out)
          end = i
        }
        carry = data.subarray(0, end)
        if (pos === 0 && out.length < limit) this.take(carry, q.site, out)
      }
    } finally {
      await fh.close()
    }
    return out
  }

  private take(line: Buffer, site: string | undefined, out: AuditEntry[]): void {
    if (line.length === 0) return
    let v: unknown
    try {
      v = JSON.parse(line.toString('utf8'))
    } catch {
      return
    }
    if (isEntry(v) && (site === undefined || v.site === site)) out.push(v)
  }
}
