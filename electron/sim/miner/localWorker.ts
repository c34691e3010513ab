import { randomUUID } from 'node:crypto'
import type { ChainClock } from '../common/clock'
import type { WorkerInfo } from '../../../preload/contract/lotus/types'
import { hardwareFor, resourceTable } from '../worker/resources'
import { localKinds, runTask, TaskError } from '../worker/tasks'
import type { MinerConfig } from './config'
import type { Scheduler } from './scheduler'
import type { StorageIndex } from './storageIndex'
import { WorkerHandle, type WorkerPathInfo } from './workers'

/**
 * The miner's built-in worker (Manager's LocalWorker): always C1, PR1, FIN, GET, FUS, FRU (+DL
 * with AllowSectorDownload), plus whatever `[Storage] Allow*` enables; it works on the miner's
 * own storage paths, which is why GET (moving finished sectors to long-term storage) runs here.
 */
export function localWorkerTasks(cfg: MinerConfig): string[] {
  const t = [
    'seal/v0/commit/1',
    'seal/v0/provereplicaupdate/1',
    'seal/v0/finalize',
    'seal/v0/fetch',
    'seal/v0/finalizeunsealed',
    'seal/v0/finalize/replicaupdate'
  ]
  if (cfg.allow.sectorDownload) t.push('seal/v0/download/sector')
  if (cfg.allow.addPiece) t.push('seal/v0/addpiece', 'seal/v0/datacid')
  if (cfg.allow.preCommit1) t.push('seal/v0/precommit/1')
  if (cfg.allow.preCommit2) t.push('seal/v0/precommit/2')
  if (cfg.allow.commit) t.push('seal/v0/commit/2')
  if (cfg.allow.unseal) t.push('seal/v0/unseal')
  return t
}

export function createLocalWorker(opts: {
  minerId: number
  sectorSize: number
  clock: ChainClock
  hostname: string
  cfg: MinerConfig
  paths: WorkerPathInfo[]
  sched: () => Scheduler
  index: StorageIndex
}): WorkerHandle {
  const tasks = localWorkerTasks(opts.cfg)
  const info: WorkerInfo = {
    Hostname: opts.hostname,
    IgnoreResources: false,
    Resources: { ...hardwareFor(tasks, { noSwap: false, gpu: false }), Resources: resourceTable() }
  }
  const exec = {
    call: async (method: string, params: unknown[]): Promise<unknown> => {
      const sector = params[0] as { ID: { Miner: number; Number: number } }
      const id = randomUUID()
      const task = runTask(method, params, {
        sectorSize: opts.sectorSize,
        scaleMs: (s) => opts.clock.scaleMs(s),
        sealPath: () => opts.paths.find((p) => p.CanSeal)?.LocalPath ?? null,
        storePath: () => opts.index.primaryStore()?.localPath ?? null,
        locate: (n) => opts.index.locate(n).map((l) => ({ path: l.localPath, kinds: localKinds(l.localPath, opts.minerId, n) })),
        filesChanged: () => opts.index.invalidate()
      })
      task.done.then(
        (r) => opts.sched().returnResult(id, r, null),
        (e: unknown) => opts.sched().returnResult(id, null, { Code: e instanceof TaskError ? e.code : 0, Message: (e as Error).message })
      )
      return { Sector: sector.ID, ID: id }
    }
  }
  return new WorkerHandle(randomUUID(), info, new Set(tasks), opts.paths, exec, null)
}
