// `npm run web -- [--port N] [--ssh-config FILE] [--demo]`: the browser host. Builds the renderer
// and the host if needed, then serves them on 127.0.0.1.
import { spawn } from 'node:child_process'
import { ensureAppBuild } from './app-build.mjs'
import { ensureBundle } from './bundle.mjs'

let file
try {
  ensureAppBuild()
  // The browser host offers the demo, which runs the simulator bundle next to it.
  await ensureBundle('sim')
  file = await ensureBundle('web')
} catch (err) {
  console.error(`minerdesk: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
const child = spawn(process.execPath, ['--enable-source-maps', file, ...process.argv.slice(2)], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
