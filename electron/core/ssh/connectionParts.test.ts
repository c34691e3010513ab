import { describe, expect, it } from 'vitest'
import { BACKOFF_CAP_MS, BACKOFF_EARLY_CAP_MS, reconnectDelay } from './backoff'
import { ChannelQueue } from './channelQueue'
import { clampKeepalive, execLine } from './connection'
import { PausableDeadline } from './timer'

describe('reconnectDelay', () => {
  const mid = () => 0.5
  it('doubles from 1 s and stays ≤ 5 s while the outage is young', () => {
    expect([1, 2, 3, 4, 5, 9].map((a) => reconnectDelay(a, 10_000, mid))).toEqual([1000, 2000, 4000, 5000, 5000, 5000])
  })
  it('grows to 30 s after two minutes', () => {
    expect([4, 5, 6, 7, 20].map((a) => reconnectDelay(a, 180_000, mid))).toEqual([8000, 16_000, 30_000, 30_000, 30_000])
  })
  it('jitters ±20 % without passing the cap', () => {
    expect(reconnectDelay(1, 0, () => 0)).toBe(800)
    expect(reconnectDelay(1, 0, () => 0.999)).toBe(1200)
    expect(reconnectDelay(9, 0, () => 0.999)).toBe(BACKOFF_EARLY_CAP_MS)
    expect(reconnectDelay(9, 1e9, () => 0.999)).toBe(BACKOFF_CAP_MS)
  })
})

describe('ChannelQueue', () => {
  it('grants at most max at once, in order, and releases idempotently', async () => {
    const q = new ChannelQueue(2)
    const r1 = await q.acquire()
    const r2 = await q.acquire()
    const order: number[] = []
    const p3 = q.acquire().then((r) => (order.push(3), r))
    const p4 = q.acquire().then((r) => (order.push(4), r))
    await Promise.resolve()
    expect(q.stats).toEqual({ active: 2, waiting: 2, peak: 2 })
    r1()
    r1()
    const r3 = await p3
    expect(q.stats.active).toBe(2)
    r2()
    await p4
    expect(order).toEqual([3, 4])
    r3()
    expect(q.stats.peak).toBe(2)
  })
  it('lets an aborted waiter go and fails everyone when the connection dies', async () => {
    const q = new ChannelQueue(1)
    await q.acquire()
    const ac = new AbortController()
    const aborted = q.acquire(ac.signal)
    const failing = q.acquire()
    ac.abort(new Error('stop'))
    await expect(aborted).rejects.toThrow('stop')
    q.failAll(new Error('gone'))
    await expect(failing).rejects.toThrow('gone')
    await expect(q.acquire()).rejects.toThrow('gone')
  })
})

describe('PausableDeadline', () => {
  it('does not count paused time', async () => {
    let fired = 0
    const d = new PausableDeadline(150, () => fired++)
    d.pause()
    await new Promise((r) => setTimeout(r, 250))
    expect(fired).toBe(0)
    d.resume()
    await new Promise((r) => setTimeout(r, 250))
    expect(fired).toBe(1)
    const e = new PausableDeadline(50, () => fired++)
    e.clear()
    await new Promise((r) => setTimeout(r, 100))
    expect(fired).toBe(1)
  })
})

describe('command lines', () => {
  it('execs structured commands so a KILL reaches the program, keeping cwd and env', () => {
    expect(execLine({ argv: ['lotus-miner', 'sectors', 'list'] })).toBe('exec lotus-miner sectors list')
    expect(execLine({ argv: ['tail', '-f', 'a b.log'], cwd: '~/logs', env: { GOLOG_LOG_LEVEL: 'info' } })).toBe(`cd "$HOME"/logs && GOLOG_LOG_LEVEL=info exec tail -f 'a b.log'`)
  })
  it('clamps keepalive to 10–15 s', () => {
    expect([1000, 12_000, 60_000].map(clampKeepalive)).toEqual([10_000, 12_000, 15_000])
  })
})
