import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../../preload/contract'
import { decodePoint, encodePoint } from './files'
import { pointFromSnapshot } from './point'
import { HistoryStore } from './store'
import { PointTable } from './table'

const T0 = Date.UTC(2026, 0, 10, 8, 0, 0)

/** A snapshot with only what the history reads. */
function snap(t: number, o: { proving?: number; removed?: number; sealing?: Record<string, number>; behind?: number; peers?: number; faults?: number; minerUp?: boolean } = {}): SiteSnapshot {
  const minerUp = o.minerUp ?? true
  const byState: Record<string, number> = { Proving: o.proving ?? 100, ...(o.removed ? { Removed: o.removed } : {}), ...(o.sealing ?? { PreCommit1: 2, WaitSeed: 1 }) }
  const sealing = Object.values(o.sealing ?? { PreCommit1: 2, WaitSeed: 1 }).reduce((a, b) => a + b, 0)
  return {
    siteId: 'site-1',
    takenAt: t,
    tookMs: 20,
    seq: 1,
    connection: { siteId: 'site-1', state: 'connected', since: 0 },
    daemon: { up: true, height: 5_000_000 + Math.floor((t - T0) / 30_000), behindEpochs: o.behind ?? 0, headAgeSec: 12, peers: o.peers ?? 40 },
    miner: { up: minerUp },
    pipeline: minerUp ? { byState, byGroup: { sealing, failed: 0, proving: o.proving ?? 100, removed: o.removed ?? 0, other: 0 }, total: 0 } : null,
    jobs: null,
    workers: null,
    proving: minerUp ? ({ faults: o.faults ?? 0, recoveries: 0 } as SiteSnapshot['proving']) : null,
    messages: null,
    sectors: null,
    findings: []
  }
}

describe('history points', () => {
  it('keep the pipeline states and count sectors that reached Proving, not removals', () => {
    const a = pointFromSnapshot(snap(T0, { proving: 100 }), null)
    expect(a.point.byState).toEqual({ PreCommit1: 2, WaitSeed: 1 })
    expect(a.point.sealed).toBe(0)
    const b = pointFromSnapshot(snap(T0 + 15_000, { proving: 103 }), a.done)
    expect(b.point.sealed).toBe(3)
    // One sector removed (Proving → Removed) and one sealed in the same interval: one sealed.
    const c = pointFromSnapshot(snap(T0 + 30_000, { proving: 103, removed: 1 }), b.done)
    expect(c.point.sealed).toBe(1)
    // The miner down: no pipeline, nothing sealed, and the count resumes from the last known.
    const d = pointFromSnapshot(snap(T0 + 45_000, { minerUp: false }), c.done)
    expect(d.point.byState).toBeNull()
    expect(d.point.sealed).toBe(0)
    expect(pointFromSnapshot(snap(T0 + 60_000, { proving: 105, removed: 1 }), d.done).point.sealed).toBe(2)
  })

  it('survive the line format, absent values included', () => {
    const p = pointFromSnapshot(snap(T0, { minerUp: false }), null).point
    expect(decodePoint(encodePoint(p))).toEqual(p)
    const q = pointFromSnapshot(snap(T0, { faults: 3 }), 90).point
    expect(decodePoint(encodePoint(q))).toEqual(q)
    expect(decodePoint('{"t":1,"s":{"Pre')).toBeNull()
    expect(decodePoint('[1,2]')).toBeNull()
  })
})

describe('PointTable', () => {
  it('keeps at most its limit, oldest dropped, across many growths and moves', () => {
    const t = new PointTable(1000, 4)
    for (let i = 0; i < 5000; i++) t.push({ ...pointFromSnapshot(snap(T0 + i * 1000, { proving: i }), null).point })
    expect(t.length).toBe(1000)
    const all = t.since(0)
    expect(all[0]?.t).toBe(T0 + 4000 * 1000)
    expect(all.at(-1)?.proving).toBe(4999)
    t.dropBefore(T0 + 4990 * 1000)
    expect(t.since(0).map((p) => p.proving)).toEqual([4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999])
  })

  it('gives back states that appear and disappear', () => {
    const t = new PointTable(100)
    t.push(pointFromSnapshot(snap(T0, { sealing: { PreCommit1: 2 } }), null).point)
    t.push(pointFromSnapshot(snap(T0 + 1, { sealing: { ComputeProofFailed: 1 } }), null).point)
    expect(t.since(0).map((p) => p.byState)).toEqual([{ PreCommit1: 2 }, { ComputeProofFailed: 1 }])
  })
})

describe('HistoryStore', () => {
  let home: string
  let now: number
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'md-history-'))
    now = T0
  })
  afterEach(() => rmSync(home, { recursive: true, force: true }))
  const open = () => new HistoryStore({ home, now: () => now, flushMs: 60_000 })

  it('survives a restart of the app: every poll of the day and the 10-minute buckets', () => {
    const a = open()
    for (let i = 0; i < 120; i++) {
      now = T0 + i * 15_000
      a.record(snap(now, { proving: 100 + Math.floor(i / 10), behind: i === 50 ? 9 : 0 }))
    }
    a.close()
    const b = open()
    const day = b.get('site-1', 86400)
    expect(day.bucketSec).toBeNull()
    expect(day.points).toHaveLength(120)
    expect(day.points[50]?.behind).toBe(9)
    const month = b.get('site-1', 30 * 86400)
    expect(month.bucketSec).toBe(600)
    // 30 minutes of polls: three buckets; the worst lag of its polls stays in the bucket.
    expect(month.points.map((p) => p.t)).toEqual([T0, T0 + 600_000, T0 + 1_200_000])
    expect(month.points[1]?.behind).toBe(9)
    expect(month.points.reduce((s, p) => s + p.sealed, 0)).toBe(11)
    // Sealing continues from the last count on disk (no jump counted as sealed).
    now += 15_000
    expect(b.record(snap(now, { proving: 112 }))?.sealed).toBe(1)
  })

  it('skips a line torn by a crash and starts the next batch on a line of its own', () => {
    const a = open()
    a.record(snap(now))
    a.close()
    const file = join(home, 'history', 'site-1.jsonl')
    appendFileSync(file, '{"t":17')
    const b = open()
    now += 15_000
    b.record(snap(now))
    b.close()
    const lines = readFileSync(file, 'utf8').split('\n')
    expect(lines.filter((l) => l !== '' && decodePoint(l) !== null)).toHaveLength(2)
    expect(open().get('site-1', 3600).points).toHaveLength(2)
  })

  it('keeps files bounded: polls older than a day and buckets older than 30 days are dropped', () => {
    const a = open()
    // Two days of polls every minute.
    for (let i = 0; i < 2 * 1440; i++) {
      now = T0 + i * 60_000
      a.record(snap(now))
      if (i % 60 === 0) a.flush()
    }
    a.close()
    const lines = readFileSync(join(home, 'history', 'site-1.jsonl'), 'utf8').trim().split('\n')
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(1440 * 1.1) + 61)
    expect(decodePoint(lines[0] as string)!.t).toBeGreaterThanOrEqual(now - 1.1 * 86400_000 - 3600_000)
    const b = open()
    // The poll exactly a day old is still in the day.
    expect(b.get('site-1', 86400).points).toHaveLength(1441)
    expect(b.get('site-1', 7 * 86400).points).toHaveLength(2 * 144)
  })

  it('keeps 30 days of buckets', () => {
    const a = open()
    for (let i = 0; i < 32 * 144; i++) {
      now = T0 + i * 600_000
      a.record(snap(now))
      if (i % 144 === 0) a.flush()
    }
    a.close()
    const lines = readFileSync(join(home, 'history', 'site-1.buckets.jsonl'), 'utf8').trim().split('\n')
    expect(lines.length).toBeLessThanOrEqual(Math.ceil(30 * 144 * 1.1) + 144)
    const month = open().get('site-1', 30 * 86400).points
    expect(month).toHaveLength(30 * 144 + 1)
    expect(month[0]!.t).toBe(now - 30 * 86400_000)
  })

  it('refuses to read anything but a regular file and forgets removed sites', () => {
    const a = open()
    a.record(snap(now))
    a.close()
    writeFileSync(join(home, 'history', 'other.jsonl'), `${encodePoint(pointFromSnapshot(snap(now), null).point)}\n`)
    mkdirSync(join(home, 'history', 'site-2.jsonl'))
    const errors: unknown[] = []
    const b = new HistoryStore({ home, now: () => now, onError: (e) => errors.push(e) })
    expect(b.get('site-2', 3600).points).toEqual([])
    expect(String(errors[0])).toMatch(/not a regular file/)
    expect(b.onDisk().sort()).toEqual(['other', 'site-1', 'site-2'])
    b.forget('other')
    expect(b.onDisk().sort()).toEqual(['site-1', 'site-2'])
  })
})
