import { existsSync, writeFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { join } from 'node:path'
import { CliExit } from '../common/cliOutput'
import { goLogger, type GoLogger } from '../common/golog'
import { lockRepo, removeApiFile, repoPath, unlockRepo, writeApiFile } from '../common/repo'
import { createRpcServer } from '../common/rpcServer'
import { currentSite, SITE_ENV } from '../common/siteConfig'
import { daemonMethods } from './methods'
import { ChainNode } from './node'
import { adminToken, configuredApiPort, readJwtSecret } from './repoFiles'

/**
 * `lotus daemon`: the long-running chain node of a simulated site. Takes the repo lock, serves
 * JSON-RPC on /rpc/v0 and /rpc/v1 (plus the health endpoints) on the configured port, writes
 * the `api` file, syncs to the network and follows it, and shuts down cleanly on SIGTERM, SIGINT
 * or the Shutdown API (state saved, `api` and `repo.lock` removed, exit 0).
 */

function listen(server: ReturnType<typeof createRpcServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      const why = e.code === 'EADDRINUSE' ? 'bind: address already in use' : e.message
      reject(new CliExit(1, `failed to start json-rpc endpoint: could not listen: listen tcp4 127.0.0.1:${port}: ${why}`))
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, '127.0.0.1')
  })
}

function startupLines(main: GoLogger, repo: string): void {
  main.info('lotus/daemon.go:234', `lotus repo: ${repo}`)
  const params = goLogger('paramfetch')
  params.info('go-paramfetch@v0.0.5/paramfetch.go:233', 'parameter and key-fetching complete')
}

/**
 * Runs the daemon until it is stopped (flags as `lotus daemon` parses them).
 * Returns only by throwing when it cannot start.
 */
export async function runDaemon(flags: Record<string, string | boolean>, argv: string[], globalRepo: string | undefined): Promise<number> {
  process.title = ['lotus', 'daemon', ...argv].join(' ')
  const cfg = currentSite()
  if (!cfg) throw new CliExit(1, `not a simulated site: ${SITE_ENV} is not set`)
  const repo = globalRepo ?? repoPath('full')
  const main = goLogger('lotus')
  const builder = goLogger('builder')
  startupLines(main, repo)
  if (flags.profile && flags.profile !== 'bootstrapper') throw new CliExit(1, `unrecognized profile type: "${String(flags.profile)}"`)
  try {
    lockRepo(repo, 'process is')
  } catch (e) {
    throw new CliExit(1, `initializing node: applying node options failed: ${(e as Error).message}`)
  }
  const node = ChainNode.load(cfg, repo, { chain: goLogger('chain'), chainstore: goLogger('chainstore') })
  if (!node) {
    unlockRepo(repo)
    throw new CliExit(1, `initializing node: chain state missing in ${repo} (the site's repo was never initialized)`)
  }
  const secret = readJwtSecret(repo)
  if (!secret) {
    unlockRepo(repo)
    throw new CliExit(1, `initializing node: getting jwt secret: key info not found`)
  }
  // Lotus writes a fresh admin token at every start when the repo lacks one.
  if (!existsSync(join(repo, 'token'))) writeFileSync(join(repo, 'token'), adminToken(secret), { mode: 0o600 })

  const port = typeof flags.api === 'string' ? Number(flags.api) : configuredApiPort(repo)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    unlockRepo(repo)
    throw new CliExit(1, `initializing node: applying node options failed: failed to parse multiaddr "/ip4/127.0.0.1/tcp/${String(flags.api)}": invalid value "${String(flags.api)}" for protocol tcp`)
  }

  let stopping = false
  const shutdown = (signal: string | null): void => {
    if (stopping) return
    stopping = true
    if (signal) builder.warn('node/shutdown.go:31', 'received shutdown', { signal })
    else builder.warn('node/shutdown.go:33', 'received shutdown')
    builder.warn('node/shutdown.go:36', 'Shutting down...')
    server.close()
    server.closeAllConnections()
    builder.info('node/shutdown.go:44', 'rpc server shut down successfully ')
    node.stop()
    builder.info('node/shutdown.go:44', 'node shut down successfully ')
    removeApiFile(repo)
    unlockRepo(repo)
    builder.warn('node/shutdown.go:47', 'Graceful shutdown successful')
    process.exit(0)
  }

  const methodsV1 = daemonMethods(node, { secret: () => secret, shutdown: () => shutdown(null), peerId: cfg.peerId }, 'v1')
  const methodsV0 = daemonMethods(node, { secret: () => secret, shutdown: () => shutdown(null), peerId: cfg.peerId }, 'v0')
  const health = (ok: () => boolean) => (_req: unknown, res: ServerResponse) => {
    res.writeHead(ok() ? 200 : 503)
    res.end()
  }
  const server = createRpcServer({
    methods: methodsV1,
    methodsByPath: { '/rpc/v0': methodsV0, '/rpc/v1': methodsV1 },
    secret: () => secret,
    paths: ['/rpc/v0', '/rpc/v1'],
    routes: { '/health/livez': health(() => node.live()), '/health/readyz': health(() => node.ready()) }
  })
  try {
    await listen(server, port)
  } catch (e) {
    unlockRepo(repo)
    throw e
  }
  writeApiFile(repo, port)
  process.on('SIGTERM', () => shutdown('terminated'))
  process.on('SIGINT', () => shutdown('interrupt'))
  node.start()
  // Never resolves: the process ends through shutdown().
  return new Promise<number>(() => undefined)
}
