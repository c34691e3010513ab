// Path aliases of the renderer (one list for tsc, Vite, Vitest and ESLint): `@renderer/…` is
// renderer/src, `@contract` the shared contract. tsconfig.base.json repeats them for tsc.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = dirname(fileURLToPath(import.meta.url))

export const ALIASES = { '@renderer': 'renderer/src', '@contract': 'preload/contract' }

/** Vite's `resolve.alias` entries (absolute paths). */
export const viteAliases = Object.entries(ALIASES).map(([find, path]) => ({ find, replacement: resolve(ROOT, path) }))
