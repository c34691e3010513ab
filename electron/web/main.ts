/**
 * `npm run web -- [--port N] [--ssh-config FILE] [--demo] [--demo-speed N]`: the browser host. The same core and
 * the same renderer as the desktop app, served on 127.0.0.1 behind a per-run token.
 */
import { Command, InvalidArgumentError } from 'commander'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { createAppCore } from '../core/app/appCore'
import { DEMO_SHAPE, simDemo } from '../demo/demo'
import { createMemoryOnlySecretStore } from '../core/ssh/secrets'
import { openBrowser } from './openBrowser'
import { startWebHost } from './server'
import { APP_VERSION } from '../core/version'
import { keepRunningOnUnexpectedErrors } from '../core/util/lastResort'

// An error nothing else caught is logged and the host keeps serving (restarts may be in flight).
keepRunningOnUnexpectedErrors('the host')

function portArg(v: string): number {
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a number from 0 to 65535')
  return n
}

function speedArg(v: string): number {
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 1 || n > 1000) throw new InvalidArgumentError('a speed is a whole number from 1 to 1000')
  return n
}

async function main(): Promise<void> {
  const program = new Command('npm run web --')
    .description('Serve MinerDesk in your browser (127.0.0.1 only, with a per-run token).')
    .option('--port <n>', 'port to listen on (0 = any free port)', portArg, 4780)
    .option('--ssh-config <file>', 'OpenSSH config with your sites (default: the one in Settings, else ~/.ssh/config)')
    .option('--demo', 'start the demo: three simulated Lotus sites (when no sites are configured)')
    .option('--demo-speed <n>', `how many times faster than real time the demo's sites run (default ${DEMO_SHAPE.speed}; PC1 takes 3 h 10 min / n)`, speedArg)
    .option('--open', 'open the address in your default browser')
    .showHelpAfterError()
  program.parse(process.argv)
  const o = program.opts<{ port: number; sshConfig?: string; demo?: boolean; demoSpeed?: number; open?: boolean }>()
  if (o.sshConfig && !existsSync(o.sshConfig)) {
    console.error(`minerdesk: no such SSH config file: ${o.sshConfig}`)
    process.exit(2)
  }
  // The bundles sit side by side in out/node/; the renderer is in out/renderer/.
  const here = dirname(__filename)
  const simBundle = join(here, 'sim.cjs')
  const rendererDir = resolve(here, '..', 'renderer')
  const core = createAppCore({
    host: 'web',
    version: APP_VERSION,
    secrets: createMemoryOnlySecretStore(),
    poll: true,
    ...(existsSync(simBundle) ? { demo: simDemo({ node: process.execPath, nodeEnv: {}, bundle: simBundle }, { ...DEMO_SHAPE, ...(o.demoSpeed ? { speed: o.demoSpeed } : {}) }) } : {}),
    ...(o.sshConfig ? { sshConfig: { path: o.sshConfig, mode: 'persist' as const } } : {})
  })
  let host
  try {
    host = await startWebHost({ handlers: core.handlers, events: core.events, rendererDir, port: o.port, version: APP_VERSION })
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    console.error(
      e.code === 'EADDRINUSE'
        ? `minerdesk: port ${o.port} is in use; choose another with --port N (or --port 0 for any free port)`
        : `minerdesk: ${e.message}`
    )
    await core.close()
    process.exit(1)
  }
  console.log(`MinerDesk is running at ${host.url}`)
  console.log(`Settings, audit log and wizard state: ${core.home}   (Ctrl-C to stop)`)
  await core.start()
  if (o.demo && !core.demo.runsHere()) {
    const status = await core.demo.start().catch((err: unknown) => ({ phase: 'failed', error: String(err) }))
    if (status.phase === 'failed') console.error(`minerdesk: the demo did not start: ${'error' in status ? status.error : ''}`)
  }
  if (core.demo.runsHere()) console.log('Demo: three simulated Lotus sites are running; they stop when MinerDesk stops (Ctrl-C).')
  if (o.open) {
    const opened = await openBrowser(host.url)
    if (!opened.ok) console.log(`minerdesk: could not open a browser (${opened.error}); open the address above yourself.`)
  }
  let closing = false
  const shutdown = async (): Promise<void> => {
    // Ctrl-C reaches this process twice under `npm start` (from the terminal and from its parent).
    if (closing) return
    closing = true
    const demo = core.demo.runsHere()
    if (demo) console.log("Stopping the demo's simulated sites…")
    await host.close().catch(() => undefined)
    await core.close().catch(() => undefined)
    if (demo) console.log('Demo sites stopped. They start again the next time MinerDesk starts; "Stop demo" in the app removes them for good.')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown())
  process.on('SIGTERM', () => void shutdown())
}

void main()
