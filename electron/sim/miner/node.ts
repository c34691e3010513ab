import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { ChainClock } from '../common/clock'
import { goLogger } from '../common/golog'
import type { ApiEndpoint } from '../common/rpcClient'
import { actorAddress, hasScenario, type SimSiteConfig } from '../common/siteConfig'
import { statBucket } from '../../../preload/contract/lotus/states'
import { readStorageMeta } from '../worker/files'
import { Batchers } from './batchers'
import { CallTracker } from './calls'
import { ChainApi } from './chain'
import { ChainWatch } from './chainWatch'
import { loadMinerConfig, type MinerConfig } from './config'
import { E } from './events'
import { createHandlers } from './handlers'
import type { HistoryContext } from './history'
import { createLocalWorker } from './localWorker'
import { Manager } from './manager'
import { minerRepoFiles, type MinerRepoFiles } from './repoFiles'
import { Scheduler } from './scheduler'
import { Sealing } from './sealing'
import { SectorStore } from './sectorStore'
import { StorageIndex } from './storageIndex'
import { WindowPoStScheduler } from './wdpost'
import { remoteServing, WorkerRegistry, type WorkerHandle } from './workers'
import { lateBlocks } from './mining'

/**
 * A running `lotus-miner`: sector state machines, the scheduler with its workers (the built-in
 * one and every `lotus-worker` that registers), the sector index, message batchers, the
 * WindowPoSt scheduler — wired together the way Lotus's node builder wires a storage miner.
 */
export class MinerNode {
  readonly session = randomUUID()
  readonly startMs = Date.now()
  readonly clock: ChainClock
  readonly files: MinerRepoFiles
  readonly config: MinerConfig
  readonly maddr: string
  readonly chain: ChainApi
  readonly watch: ChainWatch
  readonly store: SectorStore
  readonly calls: CallTracker
  readonly workers: WorkerRegistry
  readonly sched: Scheduler
  readonly index: StorageIndex
  readonly manager: Manager
  readonly batchers: Batchers
  readonly sealing: Sealing
  readonly wdpost: WindowPoStScheduler
  readonly localWorker: WorkerHandle
  readonly log = {
    sectors: goLogger('sectors'),
    sched: goLogger('advmgr'),
    node: goLogger('node'),
    wdpost: goLogger('wdpost'),
    miner: goLogger('miner')
  }

  constructor(
    readonly cfg: SimSiteConfig,
    readonly repo: string,
    readonly token: string,
    readonly secret: Buffer,
    fullNode: ApiEndpoint
  ) {
    this.clock = ChainClock.of(cfg)
    this.files = minerRepoFiles(repo)
    this.config = loadMinerConfig(this.files.config)
    this.maddr = actorAddress(cfg)
    this.chain = new ChainApi(fullNode, this.maddr, cfg.wallets.worker)
    this.store = SectorStore.load(this.files, (meta): HistoryContext => ({
      minerId: meta.minerId,
      sealProof: meta.sealProof,
      sectorSize: meta.sectorSize,
      clock: this.clock,
      initEpoch: meta.initEpoch,
      initCount: meta.initCount
    }))
    this.calls = new CallTracker(this.files.calls)
    this.index = new StorageIndex(
      cfg.minerId,
      (n) => this.store.isBulk(n),
      () => this.store.meta.bulk.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i))
    )
    this.workers = new WorkerRegistry(this.log.sched, {
      onEnabledChange: (w) => {
        if (!w.enabled) this.sched.releaseWindows(w)
        this.sched.tick()
      },
      // Its storage stays declared (Lotus's index keeps a path until it is detached): files on a
      // worker that went away are still found, and fetching them fails while it is down.
      onRemoved: (w) => this.sched.releaseWindows(w)
    })
    this.sched = new Scheduler(cfg.minerId, this.workers, this.calls, this.log.sched)
    this.manager = new Manager({
      minerId: cfg.minerId,
      sectorSize: cfg.sectorSize,
      clock: this.clock,
      sched: this.sched,
      index: this.index,
      serving: async (owner) => owner === 'miner' || remoteServing(owner, this.token)
    })
    this.batchers = new Batchers(this.chain, this.clock, this.log.sectors)
    this.watch = new ChainWatch(this.chain, this.clock, (up) => this.wdpost.connection(up))
    const handlers = createHandlers({
      minerId: cfg.minerId,
      sectorSize: cfg.sectorSize,
      clock: this.clock,
      chain: this.chain,
      manager: this.manager,
      batchers: this.batchers,
      index: this.index,
      log: this.log.sectors,
      config: this.config,
      chainAt: (epoch, cb) => this.watch.at(epoch, cb),
      commit: (rec) => this.store.commit(rec)
    })
    this.sealing = new Sealing(this.store, handlers, this.log.sectors, (n, e) => {
      if (e.type === 'SectorRemove') this.sched.abortSector(n)
    })
    // The handler may ask for its task after the SectorRemove came in (a failed state's cooldown
    // ending, an await before scheduling): that task is aborted too, so the remove goes through.
    this.sched.refuseTasksOf((n) => this.sealing.removePending(n))
    this.wdpost = new WindowPoStScheduler({
      chain: this.chain,
      watch: this.watch,
      log: this.log.wdpost,
      epochMs: () => this.clock.epochSeconds * 1000,
      checkProvable: (n) => this.checkProvable(n),
      slow: hasScenario(cfg, 'slow-windowpost')
    })
    this.attachOwnPaths()
    this.localWorker = createLocalWorker({
      minerId: cfg.minerId,
      sectorSize: cfg.sectorSize,
      clock: this.clock,
      hostname: this.config.localWorkerName || cfg.name,
      cfg: this.config,
      paths: this.index.all().map((p) => ({ ID: p.meta.ID, Weight: p.meta.Weight, LocalPath: p.localPath, CanSeal: p.meta.CanSeal, CanStore: p.meta.CanStore })),
      sched: () => this.sched,
      index: this.index
    })
    this.workers.add(this.localWorker)
    this.calls.endLocalUnfinished()
  }

  /** The miner's own storage paths (storage.json), served under its /remote URL. */
  private attachOwnPaths(): void {
    if (!existsSync(this.files.storageJson)) return
    const sc = JSON.parse(readFileSync(this.files.storageJson, 'utf8')) as { StoragePaths: { Path: string }[] | null }
    for (const { Path } of sc.StoragePaths ?? []) {
      const meta = readStorageMeta(Path)
      if (!meta) continue
      this.index.attach({ meta, localPath: Path, urls: [`http://${this.config.remoteListenAddress}/remote`], owner: 'miner' })
    }
  }

  start(): void {
    this.workers.start()
    this.watch.start()
    this.wdpost.start()
    if (hasScenario(this.cfg, 'late-block')) lateBlocks(this.watch, this.log.miner, this.maddr)
    this.sealing.restartAll()
  }

  /**
   * Graceful shutdown: a message being sent finishes and its sectors record its CID before the
   * state machines stop (so a restarted miner never sends a precommit or commit twice).
   */
  async stop(): Promise<void> {
    await this.batchers.stop()
    await new Promise((r) => setImmediate(r))
    this.sealing.stop()
    this.watch.stop()
    this.workers.stop()
    this.store.flush()
    this.calls.flush()
  }

  /** Why a sector is not provable now (CheckProvable / WindowPoSt pre-checks), null when it is. */
  checkProvable(n: number): string | null {
    // checkprovable-timeout: every 16th sector sits on storage too slow for its vanilla proof to
    // finish within the check's timeout.
    if (hasScenario(this.cfg, 'checkprovable-timeout') && n % 16 === 5) return 'generating vanilla proof: context deadline exceeded'
    if (this.store.isBulk(n)) return null
    const sealed = this.index.holding(n, 'sealed')
    const cache = this.index.holding(n, 'cache')
    if (sealed.length === 0 || cache.length === 0) return 'generating vanilla proof: sector not found'
    const p = cache[0]
    if (p && !existsSync(`${p.localPath}/cache/s-t0${this.cfg.minerId}-${n}/p_aux`)) {
      return `generating vanilla proof: failed to read p_aux of sector ${n}: open ${p.localPath}/cache/s-t0${this.cfg.minerId}-${n}/p_aux: no such file or directory`
    }
    return null
  }

  /** PledgeSector: a new CC sector, started at Packing. */
  pledge(): { Miner: number; Number: number } {
    const max = this.config.maxSealingSectors
    if (max > 0) {
      const summary = this.store.summary()
      let cur = 0
      for (const [s, c] of Object.entries(summary)) if (statBucket(s) !== 'proving') cur += c
      if (cur >= max) throw new Error(`too many sectors sealing (curSealing: ${cur}, max: ${max})`)
    }
    const n = this.store.allocateNumber()
    this.log.sectors.info('pipeline/garbage.go:38', `Creating CC sector ${n}`)
    this.sealing.send(n, E.startCC(n, this.cfg.sealProof))
    const rec = this.store.get(n)
    if (rec && hasScenario(this.cfg, 'compute-proof-failed') && n % 3 === 0) {
      rec.corrupt = true
      this.store.commit(rec)
    }
    return { Miner: this.cfg.minerId, Number: n }
  }
}
