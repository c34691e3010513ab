import { spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startSimSites, type SimSites, type StartSimSitesOptions } from '../simSites'
import { buildWebHost, startWebHostProcess, stopWebHostProcess } from '../webHost'

const ROOT = resolve(__dirname, '../../..')

/**
 * The real thing for end-to-end tests: simulated Lotus sites behind real sshd, and the browser
 * host (`out/node/web.cjs`, the same process `npm run web` runs) pointed at their ssh_config
 * with its own MINERDESK_HOME. The page under test talks to it over its WebSocket.
 */
export interface RealHost {
  url: string
  home: string
  sim: SimSites | null
  /** Everything the host printed (for failures). */
  output(): string
  /** Stops the host (SIGTERM), as an operator's Ctrl-C would. */
  stopHost(): Promise<void>
  /** Starts the host again on the same MINERDESK_HOME (new port and token). */
  restartHost(): Promise<void>
  stop(): Promise<void>
}

export interface RealHostOptions {
  /** Simulated sites to start (null: none, e.g. to test the demo offer). */
  sim?: StartSimSitesOptions | null
  /** Extra arguments for the host (e.g. ['--demo']). */
  args?: string[]
  env?: Record<string, string>
}

function startHost(home: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string; log: string[] }> {
  return startWebHostProcess(home, args, env)
}

export async function startRealHost(o: RealHostOptions = {}): Promise<RealHost> {
  await buildWebHost()
  const home = mkdtempSync(join(tmpdir(), 'md-e2e-home-'))
  const sim = o.sim === null ? null : await startSimSites({ sites: 3, sectors: 300, speed: 60, ...o.sim })
  const args = [...(sim ? ['--ssh-config', sim.sshConfigPath] : []), ...(o.args ?? [])]
  let h = await startHost(home, args, o.env ?? {})
  const host: RealHost = {
    get url() {
      return h.url
    },
    home,
    sim,
    output: () => h.log.join(''),
    stopHost: () => stopWebHostProcess(h.child),
    async restartHost() {
      await stopWebHostProcess(h.child)
      // Same home: the sites are already configured, so no --ssh-config is needed.
      h = await startHost(home, o.args ?? [], o.env ?? {})
    },
    async stop() {
      await stopWebHostProcess(h.child)
      await sim?.down()
      // A demo the test started (and did not stop, e.g. after a failure) keeps running by design.
      const demo = join(home, 'demo.json')
      if (existsSync(demo)) {
        const { dir } = JSON.parse(readFileSync(demo, 'utf8')) as { dir: string }
        spawnSync(process.execPath, [join(ROOT, 'out/node/sim.cjs'), 'down', '--dir', dir], { stdio: 'ignore' })
        rmSync(dir, { recursive: true, force: true })
      }
      rmSync(home, { recursive: true, force: true })
    }
  }
  return host
}
