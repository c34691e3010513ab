import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * Key-path comparison of the simulator's answers with Lotus's API documentation examples
 * (`../shared/lotus-conformance/<api>.<Method>.response.json`): every key path of the example must
 * exist in the answer. Map keys that are IDs (UUIDs) match any key; a value the answer has as
 * `null` where the example shows an object or array is a nil pointer/slice and ends that branch.
 */

import { CONFORMANCE_DIR } from '../lotus/conformance'
export { CONFORMANCE_DIR }

export function conformanceExample(name: string): unknown {
  const f = resolve(CONFORMANCE_DIR, name)
  if (!existsSync(f)) throw new Error(`no conformance example ${name}`)
  return JSON.parse(readFileSync(f, 'utf8')) as unknown
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Key paths of the example missing from `actual` (`optional` lists omitempty fields). */
export function missingKeyPaths(example: unknown, actual: unknown, optional: string[] = [], path = ''): string[] {
  if (example === null || typeof example !== 'object') return []
  if (actual === null || actual === undefined) return path === '' ? ['(answer is null)'] : []
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) return [`${path} (not an array)`]
    if (example.length === 0 || actual.length === 0) return []
    return missingKeyPaths(example[0], actual[0], optional, `${path}[]`)
  }
  if (typeof actual !== 'object' || Array.isArray(actual)) return [`${path} (not an object)`]
  const out: string[] = []
  const act = actual as Record<string, unknown>
  for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
    if (UUID.test(k)) {
      const keys = Object.keys(act)
      if (keys.length === 0) out.push(`${path}.<id> (no entries)`)
      else if (!keys.every((x) => UUID.test(x))) out.push(`${path}.<id> (keys are not IDs: ${keys.slice(0, 3).join(', ')})`)
      else out.push(...missingKeyPaths(v, act[keys[0] as string], optional, `${path}.<id>`))
      continue
    }
    const p = `${path}.${k}`
    if (!(k in act)) {
      if (!optional.includes(k)) out.push(p)
      continue
    }
    out.push(...missingKeyPaths(v, act[k], optional, p))
  }
  return out
}

/** The JSON type of each leaf must match too (numbers stay numbers, strings strings). */
export function typeMismatches(example: unknown, actual: unknown, path = ''): string[] {
  if (actual === null || actual === undefined || example === null) return []
  if (Array.isArray(example)) {
    if (!Array.isArray(actual) || example.length === 0 || actual.length === 0) return []
    return typeMismatches(example[0], actual[0], `${path}[]`)
  }
  if (typeof example === 'object') {
    if (typeof actual !== 'object') return [`${path}: ${typeof actual} instead of object`]
    const out: string[] = []
    const act = actual as Record<string, unknown>
    for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
      const key = UUID.test(k) ? Object.keys(act)[0] : k
      if (key !== undefined && key in act) out.push(...typeMismatches(v, act[key], `${path}.${k}`))
    }
    return out
  }
  return typeof example === typeof actual ? [] : [`${path}: ${typeof actual} instead of ${typeof example}`]
}
