/**
 * Shape limits for values that arrive from outside (a WebSocket frame, an IPC message): checked
 * without recursion, so a value nested a million levels deep is refused instead of overflowing
 * the stack of whatever walks it next (validation, cloning, logging).
 */

/** Deepest nesting any contract call needs, with room to spare (a site patch is 4 levels). */
export const MAX_INPUT_DEPTH = 32
/** Most arrays, objects and values in one input (a call is at most a few thousand values). */
export const MAX_INPUT_NODES = 1_000_000

/** Why `value` is not acceptable as input, or null when its shape is fine. */
export function shapeProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH, maxNodes = MAX_INPUT_NODES): string | null {
  const stack: Array<[unknown, number]> = [[value, 0]]
  let nodes = 0
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!
    if (++nodes > maxNodes) return `more than ${maxNodes} values`
    if (v === null || typeof v !== 'object') continue
    if (depth >= maxDepth) return `nested deeper than ${maxDepth} levels`
    if (Array.isArray(v)) {
      for (const x of v) stack.push([x, depth + 1])
    } else {
      for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) stack.push([(v as Record<string, unknown>)[k], depth + 1])
    }
  }
  return null
}

/** A short description of an unexpected value for an error message (never its whole text). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)
  if (v === null) return 'null'
  if (Array.isArray(v)) return `a list of ${v.length}`
  if (typeof v === 'object') return 'an object'
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : typeof v
}
