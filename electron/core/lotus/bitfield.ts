import type { BitField } from '../../../preload/contract/lotus/types'

/**
 * Lotus's JSON bitfields (go-bitfield MarshalJSON): alternating run lengths, the first run
 * being zeros. `[5,1]` = bit 5 set; `[0,3]` = bits 0..2; `[]` = empty. A run of 0 only ever
 * appears first (a set that starts at bit 0).
 */

export class BitFieldError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BitFieldError'
  }
}

function checkRuns(bf: BitField): void {
  if (!Array.isArray(bf)) throw new BitFieldError('bitfield is not an array')
  for (let i = 0; i < bf.length; i++) {
    const r = bf[i]!
    if (!Number.isSafeInteger(r) || r < 0) throw new BitFieldError(`run ${i} is not a non-negative integer`)
    if (r === 0 && i > 0) throw new BitFieldError(`run ${i} is empty`)
  }
}

/** The set bits as [start, endExclusive) ranges. */
export function ranges(bf: BitField): Array<[number, number]> {
  checkRuns(bf)
  const out: Array<[number, number]> = []
  let pos = 0
  for (let i = 0; i < bf.length; i++) {
    const len = bf[i]!
    if (i % 2 === 1) out.push([pos, pos + len])
    pos += len
  }
  return out
}

/** Number of set bits. */
export function count(bf: BitField): number {
  checkRuns(bf)
  let n = 0
  for (let i = 1; i < bf.length; i += 2) n += bf[i]!
  return n
}

/** Set bits in ascending order, lazily (a 10k-sector partition is not materialised). */
export function* iterate(bf: BitField): Generator<number> {
  for (const [start, end] of ranges(bf)) {
    for (let b = start; b < end; b++) yield b
  }
}

/** Set bits as an array; `limit` stops early. */
export function toArray(bf: BitField, limit = Infinity): number[] {
  const out: number[] = []
  for (const b of iterate(bf)) {
    if (out.length >= limit) break
    out.push(b)
  }
  return out
}

export function has(bf: BitField, bit: number): boolean {
  for (const [start, end] of ranges(bf)) {
    if (bit < start) return false
    if (bit < end) return true
  }
  return false
}

/** Encodes a set of bit numbers (any order, duplicates ignored) as Lotus writes it. */
export function encode(bits: Iterable<number>): BitField {
  const sorted = Array.from(new Set(bits)).sort((a, b) => a - b)
  for (const b of sorted) {
    if (!Number.isSafeInteger(b) || b < 0) throw new BitFieldError(`bit ${b} is not a non-negative integer`)
  }
  const runs: number[] = []
  let pos = 0
  let i = 0
  while (i < sorted.length) {
    const start = sorted[i]!
    let end = start + 1
    while (i + 1 < sorted.length && sorted[i + 1] === end) {
      i++
      end++
    }
    i++
    runs.push(start - pos, end - start)
    pos = end
  }
  return runs
}

/** Bits set in both. */
export function intersectCount(a: BitField, b: BitField): number {
  const rb = ranges(b)
  let n = 0
  let j = 0
  for (const [s, e] of ranges(a)) {
    while (j < rb.length && rb[j]![1] <= s) j++
    for (let k = j; k < rb.length && rb[k]![0] < e; k++) {
      n += Math.min(e, rb[k]![1]) - Math.max(s, rb[k]![0])
    }
  }
  return n
}
