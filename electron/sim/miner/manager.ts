import type { ChainClock } from '../common/clock'
import { sectorFileName } from '../../../preload/contract/lotus/types'
import { moveSectorFile, removeSectorFiles, sectorPath, type FileKind } from '../worker/files'
import { PREPARE_SECONDS, TASK_SECONDS } from './durations'
import type { Scheduler } from './scheduler'
import type { SectorRecord } from './sectorTypes'
import type { StorageIndex } from './storageIndex'
import type { WorkerHandle } from './workers'

/**
 * The sealing manager (storage/sealer/manager.go): turns each sealing step into scheduler
 * requests with Lotus's worker selection — tasks go to workers that have the task type;
 * PC1/PC2 prefer the worker holding the sector's files and fetch them otherwise (the prepare
 * step moves them); C1 and FIN run only where the cache is; GET (MoveStorage) runs on a worker
 * that reaches the long-term store — the miner's built-in worker.
 *
 * As Lotus's existingSelector with fetching allowed: a task whose input files the sector index
 * does not know anywhere (their worker has not declared its storage again after a miner
 * restart) is not given to any worker; it waits in the queue until they are declared.
 */

export const TT = {
  AP: 'seal/v0/addpiece',
  PC1: 'seal/v0/precommit/1',
  PC2: 'seal/v0/precommit/2',
  C1: 'seal/v0/commit/1',
  C2: 'seal/v0/commit/2',
  FIN: 'seal/v0/finalize',
  GET: 'seal/v0/fetch'
} as const

export interface ManagerDeps {
  minerId: number
  sectorSize: number
  clock: ChainClock
  sched: Scheduler
  index: StorageIndex
  /** Whether the owner of a storage path serves its files now ('miner', or a worker's base URL). */
  serving: (owner: string) => Promise<boolean>
}

export interface SectorCids {
  Unsealed: { '/': string }
  Sealed: { '/': string }
}

function sref(minerId: number, rec: SectorRecord) {
  return { ID: { Miner: minerId, Number: rec.n }, ProofType: rec.sealProof }
}

export class Manager {
  constructor(private d: ManagerDeps) {}

  /** The worker's sealing path (CanSeal), if it has one. */
  private sealPath(w: WorkerHandle): string | null {
    return w.paths.find((p) => p.CanSeal)?.LocalPath ?? null
  }

  private holds(w: WorkerHandle, n: number, kind: FileKind): boolean {
    const paths = new Set(w.paths.map((p) => p.LocalPath))
    return this.d.index.holding(n, kind).some((l) => paths.has(l.localPath))
  }

  /** Whether the index knows any of the kinds of a sector somewhere (existingSelector's StorageFindSector). */
  private found(n: number, kinds: FileKind[]): boolean {
    return kinds.some((k) => this.d.index.holding(n, k).length > 0)
  }

  /**
   * Moves the given kinds of a sector into the worker's sealing path (schedFetch, AcquireMove).
   * A kind found nowhere, or only on a worker that is down, fails the fetch as Lotus's remote
   * store does; the task then fails with it.
   */
  private fetchTo(w: WorkerHandle, n: number, kinds: FileKind[]): () => Promise<void> {
    return async () => {
      const dest = this.sealPath(w)
      const moves: [string, string][] = []
      for (const k of kinds) {
        if (!dest || this.holds(w, n, k)) continue
        const sources = this.d.index.holding(n, k).filter((l) => l.localPath !== dest)
        if (sources.length === 0) continue
        let src: (typeof sources)[number] | undefined
        for (const s of sources) {
          if (!(await this.d.serving(s.owner))) continue
          src = s
          break
        }
        if (!src) {
          const where = sources.map((s) => `${s.owner}/remote/${k}/${sectorFileName(this.d.minerId, n)}`).join(', ')
          throw new Error(`fetch: failed to acquire sector {{${this.d.minerId} ${n}} ${k}} from remote (tried [${where}]): connection refused`)
        }
        moves.push([sectorPath(src.localPath, k, this.d.minerId, n), sectorPath(dest, k, this.d.minerId, n)])
      }
      const secs = moves.length > 0 ? TASK_SECONDS.GET : PREPARE_SECONDS
      await new Promise((r) => setTimeout(r, this.d.clock.scaleMs(secs)))
      for (const [from, to] of moves) moveSectorFile(from, to)
      if (moves.length > 0) this.d.index.invalidate()
    }
  }

  private callOn(method: string, params: unknown[], req: { sector: number; task: string; workKey: string }) {
    return async (w: WorkerHandle): Promise<string> => {
      const cid = (await w.exec.call(method, params)) as { ID: string }
      this.d.sched.trackCall(cid.ID, req, w.hostname, w.url === null)
      return cid.ID
    }
  }

  /**
   * Removes every copy of the given kinds of a sector that a previous attempt left (Lotus's PC1
   * starts with storage.Remove(FTSealed) and Remove(FTCache), forced, on every path the index
   * knows; a copy on a worker that is down stays, as Lotus only warns about it).
   */
  private async removeEverywhere(n: number, kinds: FileKind[]): Promise<void> {
    let removed = false
    for (const k of kinds) {
      for (const l of this.d.index.holding(n, k)) {
        if (!(await this.d.serving(l.owner))) continue
        removeSectorFiles(l.localPath, this.d.minerId, n, [k])
        removed = true
      }
    }
    if (removed) this.d.index.invalidate()
  }

  private run(rec: SectorRecord, task: string, key: string, method: string, params: unknown[], opts: {
    select?: (w: WorkerHandle) => number | null
    fetch?: FileKind[]
    /** Kinds removed everywhere before the call starts (what a failed earlier attempt left). */
    cleanup?: FileKind[]
  } = {}): Promise<unknown> {
    const workKey = `${task}:${rec.n}:${key}`
    const base = { sector: rec.n, task, workKey }
    return this.d.sched.run({
      ...base,
      sealProof: rec.sealProof,
      select: opts.select ?? ((w) => (this.sealPath(w) ? 0 : null)),
      prepare: async (w) => {
        await this.fetchTo(w, rec.n, opts.fetch ?? [])()
        if (opts.cleanup) await this.removeEverywhere(rec.n, opts.cleanup)
      },
      call: this.callOn(method, params, base)
    })
  }

  async addPiece(rec: SectorRecord): Promise<{ Size: number; PieceCID: { '/': string } }> {
    const unpadded = this.d.sectorSize - this.d.sectorSize / 128
    return (await this.run(rec, TT.AP, String(unpadded), 'AddPiece', [sref(this.d.minerId, rec), [], unpadded, null])) as {
      Size: number
      PieceCID: { '/': string }
    }
  }

  async sealPreCommit1(rec: SectorRecord): Promise<string> {
    const pieces = rec.pieces.map((p) => ({ Size: p.Size, PieceCID: { '/': p.PieceCID } }))
    return (await this.run(rec, TT.PC1, String(rec.ticketEpoch), 'SealPreCommit1', [sref(this.d.minerId, rec), rec.ticketValue, pieces], {
      select: (w) => (this.sealPath(w) && this.found(rec.n, ['unsealed']) ? (this.holds(w, rec.n, 'unsealed') ? 10 : 0) : null),
      fetch: ['unsealed'],
      cleanup: ['sealed', 'cache']
    })) as string
  }

  async sealPreCommit2(rec: SectorRecord): Promise<SectorCids> {
    return (await this.run(rec, TT.PC2, (rec.pc1Out ?? '').slice(-16), 'SealPreCommit2', [sref(this.d.minerId, rec), rec.pc1Out], {
      select: (w) => (this.sealPath(w) && this.found(rec.n, ['cache', 'sealed']) ? (this.holds(w, rec.n, 'cache') ? 10 : 0) : null),
      fetch: ['cache', 'sealed']
    })) as SectorCids
  }

  async sealCommit1(rec: SectorRecord): Promise<string> {
    const pieces = rec.pieces.map((p) => ({ Size: p.Size, PieceCID: { '/': p.PieceCID } }))
    const cids = { Unsealed: { '/': rec.commD }, Sealed: { '/': rec.commR } }
    return (await this.run(rec, TT.C1, String(rec.seedEpoch), 'SealCommit1', [sref(this.d.minerId, rec), rec.ticketValue, rec.seedValue, pieces, cids], {
      select: (w) => (this.holds(w, rec.n, 'cache') ? 0 : null)
    })) as string
  }

  async sealCommit2(rec: SectorRecord, c1out: string): Promise<string> {
    return (await this.run(rec, TT.C2, String(rec.seedEpoch), 'SealCommit2', [sref(this.d.minerId, rec), c1out], { select: () => 0 })) as string
  }

  /** FinalizeSector: FIN where the cache is, then GET (MoveStorage) into long-term storage. */
  async finalizeSector(rec: SectorRecord): Promise<void> {
    await this.run(rec, TT.FIN, 'fin', 'FinalizeSector', [sref(this.d.minerId, rec)], {
      select: (w) => (this.holds(w, rec.n, 'cache') ? 0 : null)
    })
    const store = this.d.index.primaryStore()
    const unsealedElsewhere = this.d.index.holding(rec.n, 'unsealed').some((l) => !l.canStore)
    const bits = 2 | 4 | (unsealedElsewhere ? 1 : 0)
    await this.run(rec, TT.GET, 'move', 'MoveStorage', [sref(this.d.minerId, rec), bits], {
      select: (w) => (store && w.paths.some((p) => p.LocalPath === store.localPath) ? 10 : null)
    })
  }

  /** A task no worker can take (its selector matches none): waits in the queue until aborted. */
  async waitForever(rec: SectorRecord, task: string): Promise<void> {
    await this.run(rec, task, 'none', 'FinalizeReplicaUpdate', [sref(this.d.minerId, rec)], { select: () => null })
  }

  /** ReleaseUnsealed with nothing to keep (CC sectors): removes unsealed copies everywhere. */
  releaseUnsealed(rec: SectorRecord): void {
    for (const l of this.d.index.holding(rec.n, 'unsealed')) removeSectorFiles(l.localPath, this.d.minerId, rec.n, ['unsealed'])
    this.d.index.invalidate()
  }

  /** Remove: aborts the sector's jobs and deletes its files from every path. */
  removeSector(rec: SectorRecord): void {
    this.d.sched.abortSector(rec.n)
    for (const l of this.d.index.locate(rec.n)) removeSectorFiles(l.localPath, this.d.minerId, rec.n)
    this.d.index.invalidate()
  }
}
