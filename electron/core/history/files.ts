import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import type { HistoryPoint } from '../../../preload/contract/history'

/**
 * History on disk: one JSON object per line (short keys, absent values left out), appended in
 * batches and rewritten now and then to drop what has aged out. A line cut short by a crash is
 * skipped when read, and the next batch starts on a line of its own.
 */

interface Line {
  t: number
  d?: 1
  m?: 1
  h?: number
  b?: number
  a?: number
  p?: number
  s?: Record<string, number>
  pv?: number
  rm?: number
  f?: number
  fa?: number
  rc?: number
  n?: number
}

export function encodePoint(p: HistoryPoint): string {
  const l: Line = { t: p.t }
  if (p.daemonUp) l.d = 1
  if (p.minerUp) l.m = 1
  if (p.height !== null) l.h = p.height
  if (p.behind !== null) l.b = p.behind
  if (p.headAgeSec !== null) l.a = Math.round(p.headAgeSec)
  if (p.peers !== null) l.p = p.peers
  if (p.byState) l.s = p.byState
  if (p.proving !== null) l.pv = p.proving
  if (p.removed !== null) l.rm = p.removed
  if (p.failed !== null) l.f = p.failed
  if (p.faults !== null) l.fa = p.faults
  if (p.recoveries !== null) l.rc = p.recoveries
  if (p.sealed) l.n = p.sealed
  return JSON.stringify(l)
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null)

/** A line back to a point; null for anything that is not one (a torn or foreign line). */
export function decodePoint(text: string): HistoryPoint | null {
  let l: unknown
  try {
    l = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return null
  const o = l as Record<string, unknown>
  const t = num(o.t)
  if (t === null) return null
  let byState: Record<string, number> | null = null
  if (typeof o.s === 'object' && o.s !== null && !Array.isArray(o.s)) {
    byState = {}
    for (const [k, v] of Object.entries(o.s as Record<string, unknown>)) {
      const n = num(v)
      if (n !== null && /^[A-Za-z0-9]{1,64}$/.test(k)) byState[k] = n
    }
  }
  return {
    t,
    daemonUp: o.d === 1,
    minerUp: o.m === 1,
    height: num(o.h),
    behind: num(o.b),
    headAgeSec: num(o.a),
    peers: num(o.p),
    byState,
    proving: num(o.pv),
    removed: num(o.rm),
    failed: num(o.f),
    faults: num(o.fa),
    recoveries: num(o.rc),
    sealed: num(o.n) ?? 0
  }
}

/** At most this much of a history file is read (a day of 5-second polls is about 4 MB). */
const MAX_READ = 32 * 1024 * 1024

export interface ReadResult {
  points: HistoryPoint[]
  /** Lines that were not points (torn by a crash, or edited by hand). */
  bad: number
  /** Whether the file ends in the middle of a line. */
  torn: boolean
}

/** Reads a history file (a regular file only); a missing file is empty. Points come sorted by time. */
export function readPoints(file: string): ReadResult {
  if (!existsSync(file)) return { points: [], bad: 0, torn: false }
  const st = statSync(file)
  if (!st.isFile()) throw new Error(`${file} is not a regular file`)
  const size = Math.min(st.size, MAX_READ)
  const buf = Buffer.alloc(size)
  const fd = openSync(file, 'r')
  try {
    let off = 0
    // The newest part matters most: a file over the limit is read from its tail.
    const from = st.size - size
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, from + off)
      if (n === 0) break
      off += n
    }
  } finally {
    closeSync(fd)
  }
  const text = buf.toString('utf8')
  const points: HistoryPoint[] = []
  let bad = 0
  for (const line of text.split('\n')) {
    if (line === '') continue
    const p = decodePoint(line)
    if (p) points.push(p)
    else bad++
  }
  points.sort((a, b) => a.t - b.t)
  return { points, bad, torn: text.length > 0 && !text.endsWith('\n') }
}

/** Appends lines and flushes them to the disk. */
export function appendLines(file: string, lines: readonly string[], startOnNewLine: boolean): void {
  if (lines.length === 0) return
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const buf = Buffer.from(`${startOnNewLine ? '\n' : ''}${lines.join('\n')}\n`)
  const fd = openSync(file, 'a', 0o600)
  try {
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/**
 * Replaces a file's content completely or not at all: written in full to a temporary file
 * (every byte, then fsync), renamed over the old one, and the directory synced. On a full disk
 * the old file stays as it was.
 */
export function rewriteFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    const buf = Buffer.from(text)
    let off = 0
    while (off < buf.length) off += writeSync(fd, buf, off)
    fsyncSync(fd)
  } catch (err) {
    closeSync(fd)
    unlinkSync(tmp)
    throw err
  }
  closeSync(fd)
  renameSync(tmp, file)
  try {
    const dfd = openSync(dirname(file), 'r')
    fsyncSync(dfd)
    closeSync(dfd)
  } catch {
    /* not every platform can fsync a directory */
  }
}
