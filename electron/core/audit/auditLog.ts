import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { MinerDeskError, type AuditEntry, type AuditVerifyResult } from '../../../preload/contract'
import { auditLogFile, ensureHome, minerdeskHome } from '../settings/paths'
import { withFileLock } from '../util/fileLock'
import { redactSecrets } from '../util/redact'

/**
 * The append-only audit log: one JSON object per line in MINERDESK_HOME/audit.log.
 *
 * - Each entry is written whole with O_APPEND while holding a lock shared with the other
 *   MinerDesk processes (app and CLI), then fsynced: once record() returns, the entry is on disk.
 * - Each entry carries `hash` = SHA-256 of the previous entry's hash and its own content, so an
 *   entry edited, removed or inserted afterwards breaks the chain at that entry (verify()).
 * - A line cut short (a crash, a full disk) never swallows the next entry: a write after a line
 *   without its newline starts on a new line, and readers skip what does not parse.
 * - Secrets are redacted from `command` and `detail` before anything is written; lines are
 *   bounded in size.
 * A failed write throws `audit/write-failed`: callers decide what that means for the action.
 */

/** Longest `command` / `detail` kept (longer ones are cut): keeps every line one modest write. */
export const MAX_FIELD_CHARS = 16 * 1024
const CHUNK = 64 * 1024
export const DEFAULT_LIST_LIMIT = 200
export const MAX_LIST_LIMIT = 5000
/** The chain's start: what the first entry's hash is computed over as "the previous hash". */
const GENESIS = ''

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
  /** Entries at or after this time (ISO 8601). */
  since?: string
  /** Entries at or before this time (ISO 8601). */
  until?: string
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

/** The hash an entry (without its own `hash`) gets after the entry whose hash is `prev`. */
export function chainHash(prev: string, entryWithoutHash: object): string {
  return createHash('sha256').update(`${prev}\n${JSON.stringify(entryWithoutHash)}`, 'utf8').digest('hex')
}

function parseLine(line: string): AuditEntry | null {
  try {
    const v: unknown = JSON.parse(line)
    return isEntry(v) ? v : null
  } catch {
    return null
  }
}

function writeFailed(file: string, err: unknown): MinerDeskError {
  const e = err as NodeJS.ErrnoException
  const full = e?.code === 'ENOSPC' || e?.code === 'EDQUOT'
  return new MinerDeskError({
    code: 'audit/write-failed',
    message: `the audit log ${file} could not be written: ${full ? 'no space left on the device' : (e?.message ?? String(err))}`,
    hint: full ? `free space on the disk holding ${file}` : `check ${file} and its directory`,
    params: { file, reason: e?.code ?? 'EIO' },
    details: e?.message ?? String(err)
  })
}

interface Tail {
  size: number
  ino: number
  hash: string
}

export class AuditLog {
  readonly file: string
  private readonly home: string
  private readonly via: AuditEntry['via']
  private readonly operator: string | (() => string)
  private readonly now: () => Date
  /** The file's size and last hash after this process's last write (skips re-reading the tail). */
  private tail: Tail | null = null

  constructor(opts: AuditLogOptions) {
    this.home = opts.home ?? minerdeskHome()
    this.file = auditLogFile(this.home)
    this.via = opts.via
    this.operator = opts.operator ?? osOperator()
    this.now = opts.now ?? (() => new Date())
  }

  /**
   * Appends one entry (redacted), on disk when this resolves, and returns it as written; throws
   * MinerDeskError `audit/write-failed` when it could not be written whole.
   */
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
    try {
      ensureHome(this.home)
      return await withFileLock(`${this.file}.lock`, () => this.append(entry))
    } catch (err) {
      if (err instanceof MinerDeskError) throw err
      throw writeFailed(this.file, err)
    }
  }

  private async append(entry: AuditEntry): Promise<AuditEntry> {
    const fh = await open(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600)
    try {
      const st = await fh.stat()
      if (!st.isFile()) throw new Error(`${this.file} is not a regular file`)
      let prev: { hash: string; newline: boolean }
      if (this.tail && this.tail.size === st.size && this.tail.ino === st.ino) prev = { hash: this.tail.hash, newline: true }
      else prev = await lastHash(this.file, st.size)
      const hash = chainHash(prev.hash, entry)
      const written: AuditEntry = { ...entry, hash }
      const line = Buffer.from(`${prev.newline ? '' : '\n'}${JSON.stringify(written)}\n`, 'utf8')
      this.tail = null
      let off = 0
      while (off < line.length) {
        const { bytesWritten } = await fh.write(line, off, line.length - off)
        if (bytesWritten <= 0) throw Object.assign(new Error(`short write (${off}/${line.length} bytes)`), { code: 'ENOSPC' })
        off += bytesWritten
      }
      await fh.sync()
      this.tail = { size: st.size + line.length, ino: st.ino, hash }
      return written
    } finally {
      await fh.close()
    }
  }

  /**
   * Entries newest first, optionally of one site, reading the file backwards in chunks so that
   * a large log is never loaded whole. Lines that do not parse (cut by a crash) are skipped.
   */
  async list(q: AuditQuery = {}): Promise<AuditEntry[]> {
    const limit = Math.min(Math.max(1, q.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT)
    const since = q.since ? Date.parse(q.since) : -Infinity
    const until = q.until ? Date.parse(q.until) : Infinity
    const out: AuditEntry[] = []
    await readBackwards(this.file, (line) => {
      const e = parseLine(line)
      if (!e) return true
      const t = Date.parse(e.time)
      // The log is written in time order: reading backwards, the first entry before `since` ends the list.
      if (t < since) return false
      if (t <= until && (q.site === undefined || e.site === q.site)) out.push(e)
      return out.length < limit
    })
    return out
  }

  /**
   * Checks the hash chain from the first entry to the last: the first entry that does not follow
   * from the one before it is named (line, time, action). Entries written before the log was
   * chained (by an older MinerDesk) are counted, not checked; lines cut short are listed.
   */
  async verify(): Promise<AuditVerifyResult> {
    const result: AuditVerifyResult = { file: this.file, ok: true, entries: 0, chained: 0, unchained: 0, tornLines: [] }
    let prev: string | null = null
    let lineNo = 0
    await readForwards(this.file, (line) => {
      lineNo++
      if (line.trim() === '') return true
      const raw = parseRaw(line)
      if (raw === null) {
        result.tornLines.push(lineNo)
        return true
      }
      result.entries++
      const { hash, ...content } = raw
      const where = { line: lineNo, time: String(raw['time'] ?? ''), site: String(raw['site'] ?? ''), action: String(raw['action'] ?? '') }
      if (!isEntry(raw)) {
        result.broken = { ...where, reason: 'not-an-entry' }
        return false
      }
      if (typeof hash !== 'string') {
        if (prev === null) {
          result.unchained++
          return true
        }
        result.broken = { ...where, reason: 'not-chained' }
        return false
      }
      if (chainHash(prev ?? GENESIS, content) !== hash) {
        result.broken = { ...where, reason: 'does-not-follow' }
        return false
      }
      result.chained++
      prev = hash
      return true
    })
    result.ok = result.broken === undefined
    return result
  }
}

function parseRaw(line: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(line)
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/** The hash of the last whole entry before `size`, and whether the file ends with a newline. */
async function lastHash(file: string, size: number): Promise<{ hash: string; newline: boolean }> {
  if (size === 0) return { hash: GENESIS, newline: true }
  let newline = true
  let hash = GENESIS
  let first = true
  await readBackwards(file, (line) => {
    if (first) {
      first = false
      // readBackwards yields the text after the last newline first (empty when the file ends with one).
      if (line !== '') {
        newline = false
        return true
      }
      return true
    }
    const raw = parseRaw(line)
    if (raw === null || !isEntry(raw)) return true
    hash = typeof raw['hash'] === 'string' ? raw['hash'] : GENESIS
    return false
  }, size, true)
  return { hash, newline }
}

async function openForRead(file: string): Promise<{ fh: FileHandle; size: number } | null> {
  let fh: FileHandle
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const st = await fh.stat()
  if (!st.isFile()) {
    await fh.close()
    throw new MinerDeskError({ code: 'internal', message: `${file} is not a regular file: MinerDesk does not read it` })
  }
  return { fh, size: st.size }
}

/**
 * Calls `take` with each line from the end of the file to its start (until it returns false).
 * With `withTail`, the text after the last newline comes first, even when empty.
 */
async function readBackwards(file: string, take: (line: string) => boolean, upTo?: number, withTail = false): Promise<void> {
  const opened = await openForRead(file)
  if (!opened) return
  const { fh } = opened
  try {
    let pos = Math.min(upTo ?? opened.size, opened.size)
    let carry: Buffer = Buffer.alloc(0) // the start of a line whose beginning is further back
    let go = true
    let tailPending = withTail
    while (pos > 0 && go) {
      const len = Math.min(CHUNK, pos)
      pos -= len
      const buf = Buffer.alloc(len)
      await fh.read(buf, 0, len, pos)
      const data = carry.length > 0 ? Buffer.concat([buf, carry]) : buf
      let end = data.length
      for (let i = data.length - 1; i >= 0 && go; i--) {
        if (data[i] !== 0x0a) continue
        const line = data.subarray(i + 1, end).toString('utf8')
        if (tailPending) {
          tailPending = false
          go = take(line)
        } else if (line.length > 0) go = take(line)
        end = i
      }
      carry = data.subarray(0, end)
      if (pos === 0 && go && (carry.length > 0 || tailPending)) take(carry.toString('utf8'))
    }
  } finally {
    await fh.close()
  }
}

/** Calls `take` with each line from the start of the file (until it returns false). */
async function readForwards(file: string, take: (line: string) => boolean): Promise<void> {
  const opened = await openForRead(file)
  if (!opened) return
  const { fh, size } = opened
  try {
    let pos = 0
    let carry = ''
    const dec = new TextDecoder('utf-8')
    while (pos < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - pos))
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos)
      if (bytesRead <= 0) break
      pos += bytesRead
      const parts = (carry + dec.decode(buf.subarray(0, bytesRead), { stream: pos < size })).split('\n')
      carry = parts.pop() ?? ''
      for (const p of parts) if (!take(p)) return
    }
    if (carry !== '') take(carry)
  } finally {
    await fh.close()
  }
}
