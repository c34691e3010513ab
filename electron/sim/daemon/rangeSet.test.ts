import { describe, expect, it } from 'vitest'
import * as R from './rangeSet'

describe('rangeSet', () => {
  it('encodes bitfields as go-bitfield does (runs starting with zeros, empty = [0])', () => {
    // Examples from go-bitfield rle.MarshalJSON's documentation and Lotus's API docs.
    expect(R.toRle(R.fromNumbers([0, 1, 2, 8, 9]))).toEqual([0, 3, 5, 2])
    expect(R.toRle(R.fromNumbers([5]))).toEqual([5, 1])
    expect(R.toRle(R.EMPTY)).toEqual([0])
    expect(R.toRle(R.range(0, 2349))).toEqual([0, 2349])
    expect(R.toRle(R.range(2349, 4698))).toEqual([2349, 2349])
  })

  it('parses bitfields back and rejects zero-length runs after the first', () => {
    expect(R.toArray(R.fromRle([0, 3, 5, 2]))).toEqual([0, 1, 2, 8, 9])
    expect(R.toArray(R.fromRle([0]))).toEqual([])
    expect(R.toArray(R.fromRle([]))).toEqual([])
    expect(() => R.fromRle([3, 0, 2])).toThrow('Cannot have a zero-length run except at start')
  })

  it('merges adjacent and overlapping runs', () => {
    expect(R.union(R.range(0, 5), R.range(5, 9))).toEqual([0, 9])
    expect(R.union(R.range(0, 5), R.range(3, 4))).toEqual([0, 5])
    expect(R.fromNumbers([3, 1, 2, 2, 7])).toEqual([1, 4, 7, 8])
  })

  it('subtracts, intersects and counts', () => {
    const a = R.range(0, 100)
    const b = R.fromNumbers([0, 10, 11, 99])
    expect(R.count(R.subtract(a, b))).toBe(96)
    expect(R.subtract(a, b)).toEqual([1, 10, 12, 99])
    expect(R.intersect(a, b)).toEqual([0, 1, 10, 12, 99, 100])
    expect(R.subtract(b, a)).toEqual([])
    expect(R.intersect(R.range(0, 10), R.range(20, 30))).toEqual([])
    expect(R.has(b, 11)).toBe(true)
    expect(R.has(b, 12)).toBe(false)
    expect(R.max(b)).toBe(99)
    expect(R.take(R.fromNumbers([1, 2, 3, 9, 10]), 4)).toEqual([1, 4, 9, 10])
  })

  it('keeps 100,000 consecutive sectors as one run', () => {
    const all = R.fromNumbers(Array.from({ length: 100_000 }, (_, i) => i))
    expect(all).toEqual([0, 100_000])
    expect(R.count(R.subtract(all, R.fromNumbers([5, 50_000])))).toBe(99_998)
  })
})
