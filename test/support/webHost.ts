import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')

/**
 * The browser host as an operator runs it: `out/node/web.cjs` (what `npm run web` runs) as its
 * own process on a free port with its own MINERDESK_HOME, built first when its sources changed.
 */
export interface WebHostProcess {
  child: ChildProcess
  url: string
  port: number
  token: string
  /** Everything it printed so far (stdout and stderr). */
  log: string[]
}

export async function buildWebHost(): Promise<void> {
  const appBuild = (await import(join(ROOT, 'electron/tools/app-build.mjs'))) as { ensureAppBuild(o?: { quiet?: boolean }): void }
  const bundles = (await import(join(ROOT, 'electron/tools/bundle.mjs'))) as { ensureBundle(n: string): Promise<string> }
  appBuild.ensureAppBuild({ quiet: true })
  await bundles.ensureBundle('sim')
  await bundles.ensureBundle('web')
}

export function startWebHostProcess(home: string, args: string[] = [], env: Record<string, string> = {}): Promise<WebHostProcess> {
  const log: string[] = []
  const child = spawn(process.execPath, [join(ROOT, 'out/node/web.cjs'), '--port', '0', ...args], {
    env: { ...process.env, MINERDESK_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`the browser host did not start:\n${log.join('')}`)), 60_000)
    const onData = (b: Buffer): void => {
      const text = b.toString()
      log.push(text)
      const m = /MinerDesk is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))/.exec(log.join(''))
      if (m?.[1]) {
        clearTimeout(timer)
        resolveUrl({ child, url: m[1], port: Number(m[2]), token: m[3]!, log })
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the browser host exited with ${code}:\n${log.join('')}`))
    })
  })
}

/** SIGTERM (an operator's Ctrl-C), then SIGKILL after 10 s. */
export function stopWebHostProcess(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done()
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000)
    child.once('exit', () => {
      clearTimeout(kill)
      done()
    })
    child.kill('SIGTERM')
  })
}
