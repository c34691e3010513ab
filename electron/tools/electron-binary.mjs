// Finds the Electron binary that the `electron` npm package would run, without triggering the
// package's implicit download (which throws a stack trace where GitHub is unreachable).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './bundle.mjs'

const PKG = join(ROOT, 'node_modules', 'electron')

export function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, process.platform === 'win32' ? 'electron.exe' : 'electron')
    return existsSync(p) ? p : null
  }
  const pathFile = join(PKG, 'path.txt')
  if (!existsSync(pathFile)) return null
  const p = join(PKG, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(p) ? p : null
}

/** Tries the electron package's own installer once (honours ELECTRON_MIRROR); returns the binary or null. */
export function tryInstallElectron() {
  if (!existsSync(join(PKG, 'install.js'))) return null
  const r = spawnSync(process.execPath, [join(PKG, 'install.js')], { cwd: PKG, encoding: 'utf8', timeout: 300_000 })
  if (r.status !== 0) return null
  return electronBinary()
}

export const ELECTRON_MISSING_PARAGRAPH =
  'The Electron binary is not installed, and downloading it failed (the electron package fetches ' +
  'it from GitHub on first run, which this network does not allow). MinerDesk will serve the same ' +
  'app in your browser instead. To get the desktop window, point the download at a mirror you can ' +
  'reach and install it once, for example: ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ ' +
  'npx install-electron --no (or delete node_modules/electron and run npm install with ' +
  'ELECTRON_MIRROR set), then run npm start again.'
