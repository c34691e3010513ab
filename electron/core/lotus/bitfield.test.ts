import { describe, expect, it } from 'vitest'
import { conformance } from '../../../test/support/lotus/conformance'
import { count, encode, has, intersectCount, iterate, ranges, toArray } from './bitfield'
import type { Partition } from '../../../preload/contract/lotus/types'

describe('Lotus JSON bitfields', () => {
  it('decodes the conformance example [5,1] as bit 5', () => {
    const [p] = conformance<Partition[]>('full.StateMinerPartitions.response')
    expect(toArray(p!.LiveSectors)).toEqual([5])
    expect(count(p!.AllSectors)).toBe(1)
  })

  it('decodes runs starting with ones (leading 0 run) and several runs', () => {
    expect(toArray([0, 3])).toEqual([0, 1, 2])
    expect(toArray([2, 2, 3, 1])).toEqual([2, 3, 7])
    expect(ranges([2, 2, 3, 1])).toEqual([[2, 4], [7, 8]])
    expect(count([])).toBe(0)
    expect(count([10])).toBe(0)
  })

  it('encodes as Lotus writes them and round-trips', () => {
    expect(encode([5])).toEqual([5, 1])
    expect(encode([0, 1, 2])).toEqual([0, 3])
    expect(encode([7, 3, 2, 2])).toEqual([2, 2, 3, 1])
    expect(encode([])).toEqual([])
    const bits = [0, 1, 5, 6, 7, 100, 1000, 1001]
    expect(toArray(encode(bits))).toEqual(bits)
  })

  it('iterates lazily and answers membership', () => {
    const big = [0, 1_000_000]
    expect(count(big)).toBe(1_000_000)
    const it = iterate(big)
    expect(it.next().value).toBe(0)
    expect(toArray(big, 3)).toEqual([0, 1, 2])
    expect(has([2, 2, 3, 1], 3)).toBe(true)
    expect(has([2, 2, 3, 1], 4)).toBe(false)
    expect(has([2, 2, 3, 1], 7)).toBe(true)
  })

  it('counts intersections', () => {
    expect(intersectCount(encode([1, 2, 3, 10]), encode([2, 3, 4, 10, 11]))).toBe(3)
    expect(intersectCount([], [0, 5])).toBe(0)
  })

  it('rejects malformed runs', () => {
    expect(() => count([1, -1])).toThrow()
    expect(() => count([1, 0, 2])).toThrow(/empty/)
    expect(() => count([1.5])).toThrow()
    expect(() => encode([-1])).toThrow()
  })
})
