import { existsSync, readdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import {
  bucketStart,
  mergePoint,
  HISTORY_BUCKET_SEC,
  HISTORY_FULL_SEC,
  HISTORY_KEEP_SEC,
  type HistoryPoint,
  type HistoryRange,
  type SiteHistory
} from '../../../preload/contract/history'
import type { SiteSnapshot } from '../../../preload/contract'
import { appendLines, encodePoint, readPoints, rewriteFile } from './files'
import { doneOf, pointFromSnapshot } from './point'
import { PointTable } from './table'

/**
 * Every site's history, in memory and in `MINERDESK_HOME/history/`: `<site>.jsonl` holds every
 * poll of the last 24 hours, `<site>.buckets.jsonl` the completed 10-minute buckets of the last
 * 30 days. New lines are appended every `flushMs` and on close; a file is rewritten without its
 * aged-out lines once it holds about a quarter more than it should. A site's files are read the
 * first time the site is recorded or asked for, so an app restart continues where it left off
 * (the bucket still open at the restart is rebuilt from the polls).
 */

/** A poll every 5 s (the fastest interval the settings allow) for 24 h. */
const MAX_FULL_POINTS = HISTORY_FULL_SEC / 5
const MAX_BUCKETS = HISTORY_KEEP_SEC / HISTORY_BUCKET_SEC + 1

interface FileState {
  file: string
  pending: string[]
  /** The file ends in the middle of a line (a crash while appending). */
  torn: boolean
  /** Lines in the file (read + appended) and the time of its oldest point, to know when a rewrite is due. */
  lines: number
  oldest: number | null
  /** How long the file keeps points (ms), and the most lines it should hold. */
  keepMs: number
  maxLines: number
}

interface SiteState {
  full: PointTable
  buckets: PointTable
  /** Proving + removal states at the last poll that had a pipeline (see pointFromSnapshot). */
  lastDone: number | null
  fullFile: FileState
  bucketFile: FileState
}

export interface HistoryStoreOptions {
  home: string
  now?: () => number
  flushMs?: number
  onError?: (err: unknown) => void
}

export class HistoryStore {
  readonly dir: string
  private readonly sites = new Map<string, SiteState>()
  private readonly now: () => number
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly o: HistoryStoreOptions) {
    this.dir = join(o.home, 'history')
    this.now = o.now ?? Date.now
  }

  /** Adds the point of a poll and returns it; null when that poll is already recorded. */
  record(s: SiteSnapshot): HistoryPoint | null {
    const st = this.site(s.siteId)
    const last = st.full.last()
    if (last && last.t >= s.takenAt) return null
    const { point, done } = pointFromSnapshot(s, st.lastDone)
    st.lastDone = done
    st.full.push(point)
    st.full.dropBefore(this.now() - HISTORY_FULL_SEC * 1000)
    st.fullFile.pending.push(encodePoint(point))
    this.fold(st, point, true)
    this.scheduleFlush()
    return point
  }

  get(siteId: string, rangeSec: HistoryRange): SiteHistory {
    const st = this.site(siteId)
    const from = this.now() - rangeSec * 1000
    const full = rangeSec <= HISTORY_FULL_SEC
    const points = full ? st.full.since(from) : st.buckets.since(bucketStart(from, HISTORY_BUCKET_SEC))
    const firsts = [st.full.first(), st.buckets.first()].filter((t): t is number => t !== null)
    return { siteId, rangeSec, bucketSec: full ? null : HISTORY_BUCKET_SEC, points, since: firsts.length ? Math.min(...firsts) : null }
  }

  /** Forgets a site that was removed from the settings, files included. */
  forget(siteId: string): void {
    this.sites.delete(siteId)
    for (const f of [this.fullPath(siteId), this.bucketPath(siteId)]) {
      try {
        if (existsSync(f)) unlinkSync(f)
      } catch (err) {
        this.o.onError?.(err)
      }
    }
  }

  /** Site ids with history files (to clean up after sites removed while the app was closed). */
  onDisk(): string[] {
    if (!existsSync(this.dir)) return []
    const ids = new Set<string>()
    for (const name of readdirSync(this.dir)) {
      const m = /^([a-z0-9][a-z0-9-]{0,62})\.(?:buckets\.)?jsonl$/.exec(name)
      if (m?.[1]) ids.add(m[1])
    }
    return [...ids]
  }

  /** Writes what is pending (and rewrites files that hold too much). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const now = this.now()
    for (const st of this.sites.values()) {
      this.write(st.fullFile, now, () => st.full.since(now - HISTORY_FULL_SEC * 1000))
      // The open bucket is not final: it is left out and written once complete.
      this.write(st.bucketFile, now, () => st.buckets.since(now - HISTORY_KEEP_SEC * 1000).slice(0, -1))
    }
  }

  close(): void {
    this.flush()
  }

  private fullPath(siteId: string): string {
    return join(this.dir, `${siteId}.jsonl`)
  }

  private bucketPath(siteId: string): string {
    return join(this.dir, `${siteId}.buckets.jsonl`)
  }

  /** Adds a poll to its bucket; a bucket is complete (and goes to disk) once a poll falls in a later one. */
  private fold(st: SiteState, p: HistoryPoint, persist: boolean): void {
    const start = bucketStart(p.t, HISTORY_BUCKET_SEC)
    const open = st.buckets.last()
    if (open && open.t === start) {
      st.buckets.replaceLast(mergePoint(open, p))
      return
    }
    if (open && open.t > start) return
    if (open && persist) st.bucketFile.pending.push(encodePoint(open))
    st.buckets.push({ ...p, t: start })
    st.buckets.dropBefore(this.now() - HISTORY_KEEP_SEC * 1000)
  }

  private site(siteId: string): SiteState {
    const known = this.sites.get(siteId)
    if (known) return known
    const now = this.now()
    const fullRead = this.read(this.fullPath(siteId))
    const bucketRead = this.read(this.bucketPath(siteId))
    const st: SiteState = {
      full: new PointTable(MAX_FULL_POINTS),
      buckets: new PointTable(MAX_BUCKETS),
      lastDone: null,
      fullFile: { file: this.fullPath(siteId), pending: [], torn: fullRead.torn, lines: fullRead.lines, oldest: fullRead.points[0]?.t ?? null, keepMs: HISTORY_FULL_SEC * 1000, maxLines: MAX_FULL_POINTS },
      bucketFile: { file: this.bucketPath(siteId), pending: [], torn: bucketRead.torn, lines: bucketRead.lines, oldest: bucketRead.points[0]?.t ?? null, keepMs: HISTORY_KEEP_SEC * 1000, maxLines: MAX_BUCKETS }
    }
    // A bucket written twice (should not happen) counts once, its later line.
    const buckets = new Map<number, HistoryPoint>()
    for (const b of bucketRead.points) if (b.t >= now - HISTORY_KEEP_SEC * 1000) buckets.set(b.t, b)
    for (const t of [...buckets.keys()].sort((a, b) => a - b)) st.buckets.push(buckets.get(t) as HistoryPoint)
    const closedUpTo = (st.buckets.last()?.t ?? -Infinity) + HISTORY_BUCKET_SEC * 1000
    const fullFrom = now - HISTORY_FULL_SEC * 1000
    for (const p of fullRead.points) {
      if (p.t >= fullFrom && p.t > (st.full.last()?.t ?? -1)) st.full.push(p)
      // Polls after the last complete bucket on disk rebuild the buckets still open then.
      if (p.t >= closedUpTo) this.fold(st, p, true)
      const done = doneOf(p)
      if (done !== null) st.lastDone = done
    }
    this.sites.set(siteId, st)
    return st
  }

  private read(file: string): { points: HistoryPoint[]; torn: boolean; lines: number } {
    try {
      const r = readPoints(file)
      return { points: r.points, torn: r.torn, lines: r.points.length + r.bad }
    } catch (err) {
      this.o.onError?.(err)
      return { points: [], torn: false, lines: 0 }
    }
  }

  private write(f: FileState, now: number, current: () => HistoryPoint[]): void {
    try {
      // Rewritten once a tenth of its span has aged out, or it holds a quarter more lines than it may.
      const aged = f.oldest !== null && f.oldest < now - f.keepMs * 1.1
      if (aged || f.lines + f.pending.length > f.maxLines * 1.25) {
        const points = current()
        const lines = points.map(encodePoint)
        rewriteFile(f.file, lines.length ? `${lines.join('\n')}\n` : '')
        f.lines = lines.length
        f.oldest = points[0]?.t ?? null
        f.torn = false
        f.pending.length = 0
        return
      }
      if (f.pending.length === 0) return
      appendLines(f.file, f.pending, f.torn)
      if (f.oldest === null) f.oldest = now
      f.lines += f.pending.length
      f.pending.length = 0
      f.torn = false
    } catch (err) {
      // The points stay in memory and pending; the next flush tries again.
      this.o.onError?.(err)
    }
  }

  private scheduleFlush(): void {
    if (this.timer) return
    this.timer = setTimeout(() => this.flush(), this.o.flushMs ?? 60_000)
    this.timer.unref()
  }
}
