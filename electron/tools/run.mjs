// `node electron/tools/run.mjs NAME [args…]`: run a plain-Node entry point (building it if stale).
import { spawn } from 'node:child_process'
import { ensureBundle } from './bundle.mjs'

const [name, ...args] = process.argv.slice(2)
let file
try {
  file = await ensureBundle(name)
} catch (err) {
  console.error(`minerdesk: could not build ${name}: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(1)
}
const child = spawn(process.execPath, ['--enable-source-maps', file, ...args], { stdio: 'inherit' })
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
