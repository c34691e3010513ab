// Builds the Electron app (main, preload, renderer) with electron-vite when its sources changed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './bundle.mjs'

const SOURCES = ['electron', 'preload', 'renderer', 'resources', 'electron.vite.config.ts', 'package.json']

function newest(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let n = st.mtimeMs
  for (const name of readdirSync(path)) if (name !== 'node_modules') n = Math.max(n, newest(join(path, name)))
  return n
}

export function appBuildIsFresh() {
  const marker = join(ROOT, 'out', 'renderer', 'index.html')
  const main = join(ROOT, 'out', 'main', 'index.js')
  if (!existsSync(marker) || !existsSync(main)) return false
  const built = Math.min(statSync(marker).mtimeMs, statSync(main).mtimeMs)
  return built >= Math.max(...SOURCES.map((s) => newest(join(ROOT, s))))
}

/** Runs `electron-vite build` unless the output is newer than every source. */
export function ensureAppBuild({ quiet = false } = {}) {
  if (appBuildIsFresh()) return
  if (!quiet) console.log('minerdesk: building the app (electron-vite build)…')
  const bin = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: ROOT, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' })
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`)
    throw new Error('electron-vite build failed (see above)')
  }
}
