import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { sealedCidFor } from '../daemon/sectorInfo'
import { seededBytes, zeroPieceCid } from '../miner/cids'
import { TASK_SECONDS } from '../miner/durations'
import {
  clearCache,
  FILE_KIND_BITS,
  layerName,
  moveSectorFile,
  pAuxValid,
  sectorKindsIn,
  sectorPath,
  SDR_LAYERS,
  TREE_D,
  TREE_FILES,
  treeRLastName,
  writeLayer,
  writePC2Final,
  makeCache,
  writePC2Step,
  writeTreeD,
  writeUnsealed,
  type FileKind
} from './files'

/**
 * What a worker does for each sealing call (shared by `lotus-worker run` and the miner's built-in
 * worker): wait the task's runbook duration (divided by the site speed) while writing the
 * sector's files stage by stage into the worker's sealing path, then produce Lotus-shaped
 * results (PieceInfo, PreCommit1Out, SectorCids, Commit1Out, Proof).
 */

export interface SectorRef {
  ID: { Miner: number; Number: number }
  ProofType: number
}

export interface TaskContext {
  sectorSize: number
  /** Real milliseconds for a runbook duration in seconds. */
  scaleMs: (seconds: number) => number
  /** This worker's sealing path (where it writes). */
  sealPath: () => string | null
  /** Local paths holding each file kind of a sector (for MoveStorage / finalize). */
  locate: (n: number) => { path: string; kinds: FileKind[] }[]
  /** Long-term store path MoveStorage puts sectors into (built-in worker only). */
  storePath: () => string | null
  /** Called after files changed (the miner's index caches scans). */
  filesChanged: () => void
}

export class TaskError extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

export interface RunningTask {
  cancel: () => void
  done: Promise<unknown>
}

function sleep(ms: number, signal: { cancelled: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => (signal.cancelled ? reject(new Error('cancelled')) : resolve()), ms)
    t.unref?.()
  })
}

/** Sleeps `totalMs` in `steps` parts, calling `each(i)` after part i. */
async function progressive(totalMs: number, steps: number, sig: { cancelled: boolean }, each: (i: number) => void): Promise<void> {
  for (let i = 0; i < steps; i++) {
    await sleep(totalMs / steps, sig)
    each(i)
  }
}

function requirePath(ctx: TaskContext): string {
  const p = ctx.sealPath()
  if (!p) throw new TaskError(0, 'acquire sector paths: no good path found for sealing')
  return p
}

export interface TaskHooks {
  /** Called when a PC1 is half done (worker-dies scenario). */
  pc1Midway?: () => void
  /** Whether this PC2 never finishes (job-hangs scenario). */
  pc2Hangs?: () => boolean
}

/** Runs one worker call; resolves with its result or rejects with a TaskError. */
export function runTask(method: string, params: unknown[], ctx: TaskContext, hooks: TaskHooks = {}): RunningTask {
  const sig = { cancelled: false }
  const done = (async (): Promise<unknown> => {
    const sref = params[0] as SectorRef
    const m = sref.ID.Miner
    const n = sref.ID.Number
    const size = ctx.sectorSize
    switch (method) {
      case 'AddPiece': {
        const path = requirePath(ctx)
        await sleep(ctx.scaleMs(TASK_SECONDS.AP), sig)
        writeUnsealed(path, m, n, size)
        ctx.filesChanged()
        return { Size: size, PieceCID: { '/': zeroPieceCid(size) } }
      }
      case 'SealPreCommit1': {
        const path = requirePath(ctx)
        // PC1 reads the unsealed data (the miner fetched it here before starting the call).
        if (!existsSync(sectorPath(path, 'unsealed', m, n))) throw new TaskError(0, `acquiring sector paths: failed to acquire sector {{${m} ${n}} unsealed} from remote: sector not found`)
        makeCache(path, m, n)
        const total = ctx.scaleMs(TASK_SECONDS.PC1)
        const steps = SDR_LAYERS + 1
        await progressive(total, steps, sig, (i) => {
          if (i < SDR_LAYERS) writeLayer(path, m, n, i + 1, size)
          else writeTreeD(path, m, n, size)
          if (i === Math.floor(SDR_LAYERS / 2)) hooks.pc1Midway?.()
          ctx.filesChanged()
        })
        const ticket = params[1] as string
        const out = JSON.stringify({ registered_proof: 'StackedDrg32GiBV1_1', ticket, comm_d: seededBytes(`commd:${m}:${n}`, 32) })
        return Buffer.from(out).toString('base64')
      }
      case 'SealPreCommit2': {
        const path = requirePath(ctx)
        // PC2 builds tree-c from every layer PC1 wrote: without them there is nothing to seal.
        const lost = missingLayers(path, m, n)
        if (lost.length > 0) throw new TaskError(0, `seal pre commit(2): opening ${join(sectorPath(path, 'cache', m, n), lost[0] as string)}: No such file or directory (os error 2)`)
        const commR = sealedCidFor(m, n)
        if (hooks.pc2Hangs?.()) {
          writePC2Step(path, m, n, 0, size)
          ctx.filesChanged()
          await new Promise<never>(() => {})
        }
        await progressive(ctx.scaleMs(TASK_SECONDS.PC2), TREE_FILES + 1, sig, (i) => {
          if (i < TREE_FILES) writePC2Step(path, m, n, i, size)
          else writePC2Final(path, m, n, commR, size)
          ctx.filesChanged()
        })
        return { Unsealed: { '/': zeroPieceCid(size) }, Sealed: { '/': commR } }
      }
      case 'SealCommit1': {
        await sleep(ctx.scaleMs(TASK_SECONDS.C1), sig)
        const holder = ctx.locate(n).find((l) => l.kinds.includes('cache'))
        const commR = (params[4] as { Sealed: { '/': string } } | undefined)?.Sealed['/'] ?? sealedCidFor(m, n)
        const check = holder ? pAuxValid(holder.path, m, n, commR) : 'missing'
        if (check === 'missing') throw new TaskError(0, `acquire sector paths: sector ${n} cache not found`)
        if (check === 'invalid') throw new TaskError(0, 'StandaloneSealCommit: Invalid vanilla proof generated')
        return seededBytes(`c1out:${m}:${n}:${JSON.stringify(params[2] ?? '')}`, 512)
      }
      case 'SealCommit2': {
        await sleep(ctx.scaleMs(TASK_SECONDS.C2), sig)
        return seededBytes(`proof:${m}:${n}:${String(params[1]).slice(0, 16)}`, 192)
      }
      case 'FinalizeSector': {
        await sleep(ctx.scaleMs(TASK_SECONDS.FIN), sig)
        for (const l of ctx.locate(n)) if (l.kinds.includes('cache')) clearCache(l.path, m, n)
        ctx.filesChanged()
        return null
      }
      case 'MoveStorage': {
        const dest = ctx.storePath()
        if (!dest) throw new TaskError(0, 'acquire sector paths: no good path found for storage')
        await sleep(ctx.scaleMs(TASK_SECONDS.GET), sig)
        const bits = params[1] as number
        const kinds = (['unsealed', 'sealed', 'cache'] as const).filter((k) => (bits & FILE_KIND_BITS[k]) !== 0)
        // One copy of each kind moves (AcquireSector takes the first it finds; a finished cache
        // before any leftover of an interrupted task): never a second one over it.
        const found = ctx.locate(n)
        // Lotus acquires every kind before it moves any: one it cannot find anywhere (a worker that
        // has not declared its paths to a restarted miner yet) fails the move, and the sector's
        // FinalizeFailed retries it; nothing is finalized without its files.
        const missing = kinds.filter((k) => k !== 'unsealed' && !found.some((l) => l.kinds.includes(k)))
        if (missing.length > 0) {
          const bits = missing.reduce((b, k) => b | FILE_KIND_BITS[k], 0)
          throw new TaskError(0, `acquire sector: failed to acquire sector {${m} ${n}} from remote(${bits}): sector not found`)
        }
        for (const k of kinds) {
          if (found.some((l) => l.path === dest && l.kinds.includes(k))) continue
          const from = found.filter((l) => l.path !== dest && l.kinds.includes(k)).sort((a, b) => Number(k === 'cache' && completeCache(b.path, m, n)) - Number(k === 'cache' && completeCache(a.path, m, n)))[0]
          if (from) moveSectorFile(sectorPath(from.path, k, m, n), sectorPath(dest, k, m, n))
        }
        ctx.filesChanged()
        return null
      }
      default:
        throw new TaskError(0, `unsupported task ${method}`)
    }
  })()
  return { cancel: () => (sig.cancelled = true), done }
}

/** Layer files PC1 should have left in a sealing path's cache, and are not there. */
function missingLayers(path: string, m: number, n: number): string[] {
  const cache = sectorPath(path, 'cache', m, n)
  const want = [...Array.from({ length: SDR_LAYERS }, (_, i) => layerName(i + 1)), TREE_D]
  return want.filter((f) => !existsSync(join(cache, f)))
}

/** A cache PC2 finished: p_aux, t_aux and tree-r-last are there. */
function completeCache(path: string, m: number, n: number): boolean {
  const cache = sectorPath(path, 'cache', m, n)
  return existsSync(join(cache, 'p_aux')) && existsSync(join(cache, 't_aux')) && existsSync(join(cache, treeRLastName(0)))
}

/** Which file kinds a local path holds for a sector (for TaskContext.locate). */
export function localKinds(path: string, minerId: number, n: number): FileKind[] {
  return sectorKindsIn(path, minerId, n)
}
