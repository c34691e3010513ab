import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { goLogger } from '../common/golog'
import { lockRepo, unlockRepo } from '../common/repo'
import { createRpcServer } from '../common/rpcServer'
import { currentSite, hasScenario } from '../common/siteConfig'
import { apiVersionString, type VersionInfo } from '../../../preload/contract/lotus/types'
import { NodeClient, repoExists } from '../cli/lotusMiner/clients'
import { minerMethods } from './api'
import { loadMinerConfig } from './config'
import { readJwtSecret } from './keystore'
import { MinerNode } from './node'
import { minerRepoFiles } from './repoFiles'
import { syncWait } from './syncWait'
import { FULL_V1_API_VERSION, versionLine } from './version'
import { winPoStWarmup } from './warmup'

/**
 * `lotus-miner run` (cli/miner/run.go): checks the full node (v0 then v1 API version), waits
 * for sync, locks the repo, starts the miner and serves `/rpc/v0` (only v0: the miner has no v1),
 * writes the repo's `api` file; on SIGTERM/SIGINT or `Shutdown` it stops cleanly (api file and
 * lock removed). A kill -9 leaves both behind; the next start takes over a dead process's lock.
 */

export interface RunOptions {
  minerApi?: string
  nosync: boolean
  minerRepo: string
  fullRepoFlag?: string
  argv: string[]
}

const log = goLogger('lotus-miner')
const builder = goLogger('builder')

export async function runMiner(o: RunOptions): Promise<number> {
  process.title = ['lotus-miner', 'run', ...o.argv].join(' ')
  const cfg = currentSite()
  if (!cfg) throw new Error('MDSIM_SITE is not set: the simulated lotus-miner runs inside a simulated site')

  // checkV1ApiSupport: the v0 API must be 1.5.x.
  const v0 = NodeClient.of('full', 'v0', o.fullRepoFlag)
  const v0ver = await v0.call<VersionInfo>('Version')
  if (apiVersionString(v0ver.APIVersion).split('.').slice(0, 2).join('.') !== '1.5') {
    throw new Error(`Remote API version didn't match (expected 1.5.0, remote ${apiVersionString(v0ver.APIVersion)})`)
  }
  const v1 = NodeClient.of('full', 'v1', o.fullRepoFlag)
  const v = await v1.call<VersionInfo>('Version')
  if (v.APIVersion !== FULL_V1_API_VERSION) {
    throw new Error(`lotus-daemon API version doesn't match: expected: ${apiVersionString(FULL_V1_API_VERSION)}`)
  }

  log.info('miner/run.go:98', 'Checking full node sync status')
  if (!o.nosync) {
    try {
      await syncWait(v0, (s) => process.stdout.write(s), v.BlockDelay)
    } catch (e) {
      throw new Error(`sync wait: ${(e as Error).message}`)
    }
  }

  const repo = o.minerRepo
  if (!repoExists(repo)) throw new Error(`repo at '${repo}' is not initialized, run 'lotus-miner init' to set it up`)
  lockRepo(repo, 'process is')
  const files = minerRepoFiles(repo)
  const secret = readJwtSecret(repo)
  const token = readFileSync(join(repo, 'token'), 'utf8').trim()
  const config = loadMinerConfig(files.config)
  const port = o.minerApi !== undefined ? Number(o.minerApi) : Number(/\/tcp\/(\d+)/.exec(config.listenAddress)?.[1] ?? 2345)

  const node = new MinerNode(cfg, repo, token, secret, v1.ep)
  let stopping = false
  const shutdown = (signal?: string) => {
    if (stopping) return
    stopping = true
    if (signal) builder.warn('node/shutdown.go:31', 'received shutdown', { signal })
    else builder.warn('node/shutdown.go:33', 'received shutdown')
    builder.warn('node/shutdown.go:36', 'Shutting down...')
    server.close()
    server.closeAllConnections?.()
    rmSync(join(repo, 'api'), { force: true })
    builder.info('node/shutdown.go:44', 'rpc server shut down successfully ')
    void node.stop().finally(() => {
      builder.info('node/shutdown.go:44', 'miner shut down successfully ')
      unlockRepo(repo)
      builder.warn('node/shutdown.go:47', 'Graceful shutdown successful')
      setTimeout(() => process.exit(0), 50)
    })
  }
  const server = createRpcServer({ methods: minerMethods(node, () => shutdown()), secret: () => secret, paths: ['/rpc/v0'] })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      unlockRepo(repo)
      reject(new Error(`failed to start json-rpc endpoint: could not listen: listen tcp4 127.0.0.1:${port}: bind: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`))
    })
    server.listen(port, '127.0.0.1', () => resolve())
  })

  node.start()
  void winPoStWarmup(node.chain, node.log.miner, hasScenario(cfg, 'warmup-fail'))
  writeFileSync(join(repo, 'api'), `/ip4/127.0.0.1/tcp/${port}/http`)
  log.info('miner/run.go:158', `Remote version ${versionLine(v.Version, v.APIVersion)}`)
  process.on('SIGTERM', () => shutdown('terminated'))
  process.on('SIGINT', () => shutdown('interrupt'))
  await new Promise<never>(() => {})
  return 0
}
