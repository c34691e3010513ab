import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * TEST-ONLY: reads Lotus's example JSON from ../shared/lotus-conformance/ (next to the repo) at
 * test time. The data is reference material and is never copied into the project.
 */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
export const CONFORMANCE_DIR = join(REPO_ROOT, '..', 'shared', 'lotus-conformance')

/** `conformance('full.ChainHead.response')` → the parsed JSON of that file. */
export function conformance<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, `${name}.json`), 'utf8')) as T
}
