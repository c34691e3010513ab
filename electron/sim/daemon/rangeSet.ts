/**
 * Sets of sector numbers kept as sorted, disjoint, non-adjacent half-open runs
 * `[s0, e0, s1, e1, …]`. 100,000 consecutive Proving sectors are one run, so the miner actor's
 * bitfields cost nothing to store, combine or print, as RLE+ bitfields do in Lotus.
 */
export type Runs = readonly number[]

export const EMPTY: Runs = []

export function range(start: number, end: number): Runs {
  return end > start ? [start, end] : EMPTY
}

/** From any list of numbers (unsorted, duplicates allowed). */
export function fromNumbers(nums: Iterable<number>): Runs {
  const sorted = Array.from(new Set(nums)).sort((a, b) => a - b)
  const out: number[] = []
  for (const n of sorted) {
    const last = out.length - 1
    if (last > 0 && out[last] === n) out[last] = n + 1
    else out.push(n, n + 1)
  }
  return out
}

/** Appends a run, merging it with the previous one when they touch (runs must come in order). */
function push(out: number[], s: number, e: number): void {
  if (e <= s) return
  const last = out.length - 1
  if (last > 0 && (out[last] as number) >= s) out[last] = Math.max(out[last] as number, e)
  else out.push(s, e)
}

export function union(a: Runs, b: Runs): Runs {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))
    if (takeA) {
      push(out, a[i] as number, a[i + 1] as number)
      i += 2
    } else {
      push(out, b[j] as number, b[j + 1] as number)
      j += 2
    }
  }
  return out
}

export function intersect(a: Runs, b: Runs): Runs {
  const out: number[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i] as number, b[j] as number)
    const e = Math.min(a[i + 1] as number, b[j + 1] as number)
    push(out, s, e)
    if ((a[i + 1] as number) < (b[j + 1] as number)) i += 2
    else j += 2
  }
  return out
}

export function subtract(a: Runs, b: Runs): Runs {
  const out: number[] = []
  let j = 0
  for (let i = 0; i < a.length; i += 2) {
    let s = a[i] as number
    const e = a[i + 1] as number
    while (j < b.length && (b[j + 1] as number) <= s) j += 2
    let k = j
    while (k < b.length && (b[k] as number) < e) {
      push(out, s, b[k] as number)
      s = Math.max(s, b[k + 1] as number)
      k += 2
    }
    push(out, s, e)
  }
  return out
}

export function count(a: Runs): number {
  let n = 0
  for (let i = 0; i < a.length; i += 2) n += (a[i + 1] as number) - (a[i] as number)
  return n
}

export function isEmpty(a: Runs): boolean {
  return a.length === 0
}

export function has(a: Runs, n: number): boolean {
  let lo = 0
  let hi = a.length / 2 - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (n < (a[2 * mid] as number)) hi = mid - 1
    else if (n >= (a[2 * mid + 1] as number)) lo = mid + 1
    else return true
  }
  return false
}

export function* numbers(a: Runs): Generator<number> {
  for (let i = 0; i < a.length; i += 2) for (let n = a[i] as number; n < (a[i + 1] as number); n++) yield n
}

export function toArray(a: Runs): number[] {
  return Array.from(numbers(a))
}

export function max(a: Runs): number | null {
  return a.length ? (a[a.length - 1] as number) - 1 : null
}

/** The first `n` members. */
export function take(a: Runs, n: number): Runs {
  const out: number[] = []
  let left = n
  for (let i = 0; i < a.length && left > 0; i += 2) {
    const s = a[i] as number
    const e = Math.min(a[i + 1] as number, s + left)
    out.push(s, e)
    left -= e - s
  }
  return out
}

/**
 * Lotus's JSON form of a bitfield (go-bitfield rle.MarshalJSON): alternating run lengths that
 * always start with a run of zeros; the empty set is `[0]`.
 */
export function toRle(a: Runs): number[] {
  if (a.length === 0) return [0]
  const out: number[] = []
  let pos = 0
  for (let i = 0; i < a.length; i += 2) {
    const s = a[i] as number
    const e = a[i + 1] as number
    out.push(s - pos, e - s)
    pos = e
  }
  return out
}

/** Parses Lotus's JSON bitfield; throws with go-bitfield's message on a malformed one. */
export function fromRle(rle: unknown): Runs {
  if (!Array.isArray(rle)) throw new Error('json: cannot unmarshal into bitfield')
  const out: number[] = []
  let pos = 0
  let ones = false
  rle.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error('json: cannot unmarshal into bitfield')
    if (v === 0 && i !== 0) throw new Error('Cannot have a zero-length run except at start')
    if (ones) push(out, pos, pos + v)
    pos += v
    ones = !ones
  })
  return out
}
