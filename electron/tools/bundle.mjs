// Builds the plain-Node entry points (CLI, browser host, simulator) with esbuild when their
// sources changed. Used by `npx minerdesk`, `npm run web`, `npm run sim` so that a fresh clone
// works after `npm install` without a separate build step.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

export const ENTRIES = {
  cli: 'electron/cli/main.ts',
  web: 'electron/web/main.ts',
  sim: 'electron/sim/main.ts',
  bench: 'test/bench/main.ts'
}

const WATCHED = ['electron', 'preload/contract', 'resources', 'test/bench', 'package.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue
    newest = Math.max(newest, newestMtime(join(path, name)))
  }
  return newest
}

export function bundlePath(name) {
  return join(ROOT, 'out', 'node', `${name}.cjs`)
}

/** Returns the path of an up-to-date bundle for `name`, building it first if needed. */
export async function ensureBundle(name, { force = false } = {}) {
  const entry = ENTRIES[name]
  if (!entry) throw new Error(`unknown bundle ${name}`)
  const out = bundlePath(name)
  const sources = Math.max(...WATCHED.map((p) => newestMtime(join(ROOT, p))))
  if (!force && existsSync(out) && statSync(out).mtimeMs >= sources) return out
  const { build } = await import('esbuild')
  mkdirSync(dirname(out), { recursive: true })
  // Build to a private name and rename, so concurrent callers never see half a file.
  const tmp = `${out}.${process.pid}.${Date.now()}.tmp`
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    outfile: out,
    write: false,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // A linked map (NAME.cjs.map), read only under --enable-source-maps: an inline one is 70 % of
    // the file, parsed by every short-lived process (each `npx minerdesk`, each simulated `lotus` call).
    sourcemap: 'linked',
    logLevel: 'error',
    // ssh2 carries optional native code; it is loaded from node_modules at run time.
    external: ['ssh2', 'cpu-features', 'electron', 'esbuild', 'playwright-core', '@playwright/test'],
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" }
  })
  // The map first: a bundle is never seen pointing at a map that is not there yet.
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'))
  const js = result.outputFiles.find((f) => !f.path.endsWith('.map'))
  if (map) {
    writeFileSync(`${tmp}.map`, map.contents)
    renameSync(`${tmp}.map`, `${out}.map`)
  }
  writeFileSync(tmp, js.contents)
  renameSync(tmp, out)
  return out
}

// `node electron/tools/bundle.mjs [names…]` builds the named bundles (all by default).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(ENTRIES)
  for (const n of names) console.log(await ensureBundle(n, { force: true }))
}
