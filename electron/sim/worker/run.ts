import { randomUUID } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { hostname as osHostname } from 'node:os'
import { join } from 'node:path'
import { ChainClock } from '../common/clock'
import { goLogger } from '../common/golog'
import type { Permission } from '../common/jwt'
import { lockRepo, unlockRepo } from '../common/repo'
import { createRpcServer, goError, type MethodTable } from '../common/rpcServer'
import { currentSite, hasScenario } from '../common/siteConfig'
import { apiVersionString, type VersionInfo, type WorkerInfo } from '../../../preload/contract/lotus/types'
import { apiInfo, NodeClient, repoExists } from '../cli/lotusMiner/clients'
import { MINER_API_VERSION, versionLine, WORKER_API_VERSION } from '../miner/version'
import { CallStore } from './callStore'
import { readStorageMeta, storageMeta, writeStorageMeta } from './files'
import { hardwareFor, resourceTable } from './resources'
import { localKinds, runTask, TaskError } from './tasks'

/**
 * `lotus-worker run` (cli/worker/worker.go): connects to the miner (retrying while it is not up),
 * creates its repo with a sealing `sectorstore.json` on first start, serves the worker API on
 * `/rpc/v0`, registers with WorkerConnect and re-registers whenever the miner's Session changes.
 * Sealing calls run here (files written into the worker's path) and their results go back
 * through the miner's Return* methods, retried until the miner takes them.
 */

export interface WorkerRunOptions {
  listen: string
  name: string
  taskTypes: string[]
  noLocalStorage: boolean
  noSwap: boolean
  gpu: boolean
  workerRepo: string
  minerRepoFlag: string
  argv: string[]
}

const log = goLogger('worker')
const advmgr = goLogger('advmgr')
const HEARTBEAT_MS = 10_000

/** Miner Return* method for each worker call. */
const RETURN: Record<string, { name: string; withResult: boolean }> = {
  AddPiece: { name: 'ReturnAddPiece', withResult: true },
  SealPreCommit1: { name: 'ReturnSealPreCommit1', withResult: true },
  SealPreCommit2: { name: 'ReturnSealPreCommit2', withResult: true },
  SealCommit1: { name: 'ReturnSealCommit1', withResult: true },
  SealCommit2: { name: 'ReturnSealCommit2', withResult: true },
  FinalizeSector: { name: 'ReturnFinalizeSector', withResult: false },
  MoveStorage: { name: 'ReturnMoveStorage', withResult: false },
  ReleaseUnsealed: { name: 'ReturnReleaseUnsealed', withResult: false },
  FinalizeReplicaUpdate: { name: 'ReturnFinalizeReplicaUpdate', withResult: false }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** repo.Init(repo.Worker) plus the local sealing path, as a first `lotus-worker run` does. */
function initRepo(path: string, noLocalStorage: boolean): void {
  goLogger('repo').info('repo/fsrepo.go:230', `Initializing repo at '${path}'`)
  mkdirSync(join(path, 'keystore'), { recursive: true, mode: 0o700 })
  mkdirSync(join(path, 'datastore'), { recursive: true })
  writeFileSync(join(path, 'config.toml'), '')
  const paths: { Path: string }[] = []
  if (!noLocalStorage) {
    if (!readStorageMeta(path)) writeStorageMeta(path, storageMeta(randomUUID(), true, false))
    paths.push({ Path: path })
  }
  writeFileSync(join(path, 'storage.json'), JSON.stringify({ StoragePaths: paths }, null, 2))
}

export async function runWorker(o: WorkerRunOptions): Promise<number> {
  process.title = ['lotus-worker', 'run', ...o.argv].join(' ')
  log.info('worker/worker.go:294', 'Starting lotus worker')
  const cfg = currentSite()
  const clock = cfg ? ChainClock.of(cfg) : new ChainClock(0, 1)

  // Connect to the miner, retrying every second while it is not there.
  let miner: NodeClient
  let v: VersionInfo
  for (;;) {
    try {
      miner = new NodeClient(apiInfo('miner', o.minerRepoFlag), 'v0', 'http')
      v = await miner.call<VersionInfo>('Version')
      break
    } catch (e) {
      process.stdout.write(`\r\x1b[0KConnecting to miner API... (${(e as Error).message})`)
      await sleep(1000)
    }
  }
  if (v.APIVersion !== MINER_API_VERSION) throw new Error(`lotus-miner API version doesn't match: expected: ${apiVersionString(MINER_API_VERSION)}`)
  log.info('worker/worker.go:391', `Remote version ${versionLine(v.Version, v.APIVersion)}`)
  const minerId = Number(String(await miner.call<string>('ActorAddress')).replace(/^[ft]0/, ''))
  const actor = await miner.call<string>('ActorAddress')
  const sectorSize = await miner.call<number>('ActorSectorSize', [actor])

  const repo = o.workerRepo
  if (!repoExists(repo)) initRepo(repo, o.noLocalStorage)
  lockRepo(repo, 'process is')
  const sc = JSON.parse(readFileSync(join(repo, 'storage.json'), 'utf8')) as { StoragePaths: { Path: string }[] | null }
  const paths = (sc.StoragePaths ?? []).map((p) => ({ path: p.Path, meta: readStorageMeta(p.Path) })).filter((p) => p.meta !== null)

  log.info('worker/worker.go:563', 'Opening local storage; connecting to master')
  const [listenHost, port] = o.listen.split(/:(?=\d+$)/) as [string, string]
  const host = listenHost === '0.0.0.0' ? await routableIp(miner.ep.host, miner.ep.port) : listenHost
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  log.info('worker/worker.go:651', `Setting up control endpoint at ${address}`)

  const session = randomUUID()
  const calls = new CallStore(join(repo, 'datastore', 'sim-calls.json'))
  let enabled = true
  // Scenarios act on the first PC1 / PC2 this process runs.
  let pc1Seen = false
  let pc2Seen = false
  // worker-disabled: once the first PC1 runs, the miner's session checks of this worker fail (as
  // over a broken network path): the miner disables it while its jobs go on here.
  let sessionBroken = false
  const info: WorkerInfo = {
    Hostname: o.name,
    IgnoreResources: false,
    Resources: { ...hardwareFor(o.taskTypes, { noSwap: o.noSwap, gpu: o.gpu }), Resources: resourceTable() }
  }
  const scenario = (s: Parameters<typeof hasScenario>[1]) => (cfg ? hasScenario(cfg, s) : false)

  /** doReturn: hand a result to the miner, retrying every 5 s until it takes it. */
  const doReturn = async (callId: string, method: string): Promise<void> => {
    const rt = RETURN[method]
    const c = calls.all().find((x) => x.id === callId)
    if (!rt || !c) return
    const callID = { Sector: c.sector, ID: c.id }
    for (;;) {
      try {
        await miner.call(rt.name, rt.withResult ? [callID, c.error ? null : c.result, c.error ?? null] : [callID, c.error ?? null])
        calls.returned(callId)
        return
      } catch (e) {
        advmgr.error('sealer/worker_local.go:247', `return error, will retry in 5s: ${method}: ${(e as Error).message}`)
        if (scenario('ret-wait-after-restart')) {
          // The return's context ends instead of waiting for the miner: the result is gone.
          advmgr.error('sealer/worker_local.go:254', 'failed to return results: context canceled')
          calls.forget(callId)
          return
        }
        await sleep(5000)
      }
    }
  }

  const startCall = (method: string, params: unknown[]) => {
    if (!RETURN[method]) throw goError(`method ${method} not supported by this worker`)
    const sector = (params[0] as { ID: { Miner: number; Number: number } }).ID
    const id = randomUUID()
    calls.begin({ id, sector, ret: method, state: 'running' })
    const sealPath = paths.find((p) => p.meta?.CanSeal)?.path ?? null
    const firstPc1 = method === 'SealPreCommit1' && !pc1Seen
    const firstPc2 = method === 'SealPreCommit2' && !pc2Seen
    if (method === 'SealPreCommit1') pc1Seen = true
    if (firstPc1 && scenario('worker-disabled')) sessionBroken = true
    // retry-loop: the sealed file of every sector numbered …6 goes to a full disk: its PC2 fails at
    // once, every time Lotus retries it (four times, then PC1 again, then PC2 again …).
    if (method === 'SealPreCommit2' && scenario('retry-loop') && sector.Number % 10 === 6) {
      const message = `write ${sealPath ?? repo}/sealed/s-t0${sector.Miner}-${sector.Number}: no space left on device`
      setTimeout(() => {
        calls.finish(id, null, { Code: 0, Message: message })
        void doReturn(id, method)
      }, 50)
      return { Sector: sector, ID: id }
    }
    if (method === 'SealPreCommit2') pc2Seen = true
    const task = runTask(
      method,
      params,
      {
        sectorSize,
        scaleMs: (s) => clock.scaleMs(s),
        sealPath: () => sealPath,
        storePath: () => paths.find((p) => p.meta?.CanStore)?.path ?? null,
        locate: (n) => paths.map((p) => ({ path: p.path, kinds: localKinds(p.path, minerId, n) })).filter((l) => l.kinds.length > 0),
        filesChanged: () => {}
      },
      {
        pc1Midway: () => {
          // worker-dies: the first PC1 of this process dies half way, like an OOM-killed worker.
          if (firstPc1 && scenario('worker-dies')) process.kill(process.pid, 'SIGKILL')
        },
        pc2Hangs: () => firstPc2 && scenario('job-hangs')
      }
    )
    task.done.then(
      (r) => {
        calls.finish(id, r, null)
        void doReturn(id, method)
      },
      (e: unknown) => {
        calls.finish(id, null, { Code: e instanceof TaskError ? e.code : 0, Message: (e as Error).message })
        void doReturn(id, method)
      }
    )
    return { Sector: sector, ID: id }
  }

  const authCache = new Map<string, Permission[] | null>()
  const authorize = async (token: string): Promise<Permission[] | null> => {
    if (authCache.has(token)) return authCache.get(token) ?? null
    try {
      const p = await miner.call<Permission[]>('AuthVerify', [token])
      authCache.set(token, p)
      return p
    } catch (e) {
      if ((e as Error).message.includes('JWT Verification failed')) authCache.set(token, null)
      return null
    }
  }

  let shutdownRequested = false
  const methods: MethodTable = {
    Version: { perm: 'admin', params: 0, handler: () => WORKER_API_VERSION },
    Info: { perm: 'admin', params: 0, handler: () => info },
    TaskTypes: { perm: 'admin', params: 0, handler: () => Object.fromEntries(o.taskTypes.map((t) => [t, {}])) },
    Paths: {
      perm: 'admin',
      params: 0,
      handler: () => paths.map((p) => ({ ID: p.meta?.ID, Weight: p.meta?.Weight, LocalPath: p.path, CanSeal: p.meta?.CanSeal, CanStore: p.meta?.CanStore }))
    },
    Session: {
      perm: 'admin',
      params: 0,
      handler: () => {
        if (sessionBroken) throw goError(`read tcp ${address}: i/o timeout`)
        return enabled ? session : '00000000-0000-0000-0000-000000000000'
      }
    },
    ProcessSession: { perm: 'admin', params: 0, handler: () => session },
    Enabled: { perm: 'admin', params: 0, handler: () => enabled },
    SetEnabled: {
      perm: 'admin',
      params: 1,
      handler: ([e]) => {
        enabled = e === true
      }
    },
    StorageLocal: { perm: 'admin', params: 0, handler: () => Object.fromEntries(paths.map((p) => [p.meta?.ID, p.path])) },
    StorageDetachAll: {
      perm: 'admin',
      params: 0,
      handler: async () => {
        for (const p of paths) await miner.call('StorageDetach', [p.meta?.ID, `http://${address}/remote`]).catch(() => null)
      }
    },
    Shutdown: {
      perm: 'admin',
      params: 0,
      handler: () => {
        shutdownRequested = true
        // Lotus waits 20 s so the miner notices the worker is gone on its next heartbeat.
        setTimeout(() => stop(), 20_000).unref()
        return null
      }
    }
  }
  for (const m of ['AddPiece', 'SealPreCommit1', 'SealPreCommit2', 'SealCommit1', 'SealCommit2', 'FinalizeSector', 'MoveStorage', 'ReleaseUnsealed']) {
    const count = { AddPiece: 4, SealPreCommit1: 3, SealPreCommit2: 2, SealCommit1: 5, SealCommit2: 2, FinalizeSector: 1, MoveStorage: 2, ReleaseUnsealed: 2 }[m] as number
    methods[m] = { perm: 'admin', params: count, handler: (params) => startCall(m, params) }
  }
  const server = createRpcServer({ methods, secret: () => Buffer.alloc(32), paths: ['/rpc/v0'], authorize })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`listen tcp ${address}: bind: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`)))
    server.listen(Number(port), host, () => resolve())
  })
  writeFileSync(join(repo, 'api'), `/ip4/${host}/tcp/${port}/http`)
  if (miner.ep.token) writeFileSync(join(repo, 'token'), miner.ep.token)

  /** The local store's StorageAttach of every path (paths.Local.open, and Redeclare). */
  const declareStorage = async (): Promise<void> => {
    for (const p of paths) {
      const m = p.meta as NonNullable<typeof p.meta>
      let capacity = 0
      let avail = 0
      try {
        const st = statfsSync(p.path)
        capacity = Number(st.blocks) * Number(st.bsize)
        avail = Number(st.bavail) * Number(st.bsize)
      } catch {
        // reported as empty
      }
      const info = { ID: m.ID, URLs: [`http://${address}/remote`], Weight: m.Weight, MaxStorage: m.MaxStorage, CanSeal: m.CanSeal, CanStore: m.CanStore, Groups: m.Groups, AllowTo: m.AllowTo, AllowTypes: m.AllowTypes, DenyTypes: m.DenyTypes, AllowMiners: m.AllowMiners, DenyMiners: m.DenyMiners }
      await miner.call('StorageAttach', [info, { Capacity: capacity, Available: avail, FSAvailable: avail, Reserved: 0, Max: m.MaxStorage, Used: 0 }])
    }
  }
  // Declared before the worker registers: the miner finds the sector files here even while this
  // worker still finishes tasks and has not registered again.
  await declareStorage()

  const stop = () => {
    log.warn('worker/worker.go:669', 'Shutting down...')
    server.close()
    server.closeAllConnections?.()
    log.warn('worker/worker.go:673', 'Graceful shutdown successful')
    rmSync(join(repo, 'api'), { force: true })
    unlockRepo(repo)
    setTimeout(() => process.exit(0), 50)
  }
  process.on('SIGINT', stop)

  // Calls that were running when this worker last stopped never finished: tell the miner.
  for (const c of calls.all()) {
    if (c.state === 'running') calls.finish(c.id, null, { Code: 101, Message: `worker [name: ${o.name}] restarted` })
    void doReturn(c.id, c.ret)
  }

  let minerSession = await miner.call<string>('Session')
  void (async () => {
    let redeclare = false
    let ready: Promise<void> | null = null
    for (;;) {
      if (shutdownRequested) return
      if (redeclare) {
        log.info('worker/worker.go:730', 'Redeclaring local storage')
        try {
          await declareStorage()
        } catch (e) {
          log.error('worker/worker.go:733', `Redeclaring local storage failed: ${(e as Error).message}`)
          await sleep(HEARTBEAT_MS)
          continue
        }
      }
      if (!ready) {
        log.info('worker/worker.go:746', 'Making sure no local tasks are running')
        ready = (async () => {
          while (calls.running() > 0) await sleep(1000)
        })()
      }
      let registered = false
      const readyNow = { v: false }
      void ready.then(() => (readyNow.v = true))
      for (;;) {
        let changed = false
        try {
          const cur = await miner.call<string>('Session')
          if (cur !== minerSession) {
            minerSession = cur
            changed = true
          }
        } catch (e) {
          log.error('worker/worker.go:753', `heartbeat: checking remote session failed: ${(e as Error).message}`)
        }
        if (changed) break
        if (!registered && readyNow.v) {
          try {
            await miner.call('WorkerConnect', [`http://${address}/rpc/v0`])
          } catch (e) {
            log.error('worker/worker.go:764', `Registering worker failed: ${(e as Error).message}`)
            stop()
            return
          }
          log.info('worker/worker.go:769', 'Worker registered successfully, waiting for tasks')
          registered = true
          ready = null
        }
        await sleep(registered ? HEARTBEAT_MS : 500)
      }
      log.error('worker/worker.go:778', 'LOTUS-MINER CONNECTION LOST')
      redeclare = true
      ready = null
    }
  })()
  await new Promise<never>(() => {})
  return 0
}

/** The local IP of a connection to the miner (extractRoutableIP). */
function routableIp(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, host, () => {
      const ip = s.localAddress ?? '127.0.0.1'
      s.destroy()
      resolve(ip.replace(/^::ffff:/, ''))
    })
    s.on('error', reject)
  })
}

export function defaultWorkerName(): string {
  return osHostname()
}
