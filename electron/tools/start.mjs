// `npm start`: the desktop app. Builds it if needed, then launches Electron; where the Electron
// binary is missing and cannot be downloaded, says so plainly, serves the app and opens it in the
// browser (xdg-open / open / start).
import { spawn } from 'node:child_process'
import { ROOT } from './bundle.mjs'
import { ensureAppBuild } from './app-build.mjs'
import { ELECTRON_MISSING_PARAGRAPH, electronBinary, tryInstallElectron } from './electron-binary.mjs'

const args = process.argv.slice(2)

try {
  ensureAppBuild()
} catch (err) {
  console.error(`minerdesk: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}

let bin = electronBinary()
if (!bin) {
  console.log('minerdesk: the Electron binary is missing; trying to download it once…')
  bin = tryInstallElectron()
}

if (bin) {
  const child = spawn(bin, [ROOT, ...args], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log('')
  console.log(ELECTRON_MISSING_PARAGRAPH)
  console.log('')
  // The browser opens on its own, as the window would have; the address is printed as well.
  const web = spawn(process.execPath, [`${ROOT}/electron/tools/web.mjs`, '--open', ...args], { stdio: 'inherit' })
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => web.kill(sig))
  web.on('exit', (code) => process.exit(code ?? 0))
}
