import type { TaskResources, WorkerResources } from '../../../preload/contract/lotus/types'

/**
 * Lotus's default task resource table (storage/sealer/storiface/resources.go) and the hardware a
 * simulated worker reports. Rows per size class (2KiB, 8MiB, 512MiB, 32GiB, 64GiB) with
 * MinMemory, MaxMemory, GPUUtilization, MaxParallelism, MaxParallelismGPU, BaseMinMemory,
 * MaxConcurrent; V1_1 (5..9) and SyntheticPoRep (10..14) proofs share the V1 (0..4) values.
 */
type Row = [number, number, number, number, number, number, number]
const GiB = 1 << 30

const TABLE: Record<string, Row[]> = {
  'post/v0/windowproof': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [GiB, 1.5 * GiB, 1, 1, 0, 10 * GiB, 0],
    [30 * GiB, 96 * GiB, 1, -1, 6, 32 * GiB, 0], [60 * GiB, 120 * GiB, 1, -1, 6, 64 * GiB, 0]
  ],
  'post/v0/winningproof': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [2048, 2048, 1, 1, 0, 10 * GiB, 0],
    [GiB, GiB, 1, -1, 6, 32 * GiB, 0], [GiB, GiB, 1, -1, 6, 64 * GiB, 0]
  ],
  'seal/v0/addpiece': [
    [2048, 2048, 0, 1, 0, 2048, 0], [8388608, 8388608, 0, 1, 0, 8388608, 0], [GiB, GiB, 0, 1, 0, GiB, 0],
    [4 * GiB, 4 * GiB, 0, 1, 0, GiB, 0], [8 * GiB, 8 * GiB, 0, 1, 0, GiB, 0]
  ],
  'seal/v0/commit/1': [
    [2048, 2048, 0, 0, 0, 2048, 0], [8388608, 8388608, 0, 0, 0, 8388608, 0], [GiB, GiB, 0, 0, 0, GiB, 0],
    [GiB, GiB, 0, 0, 0, GiB, 0], [GiB, GiB, 0, 0, 0, GiB, 0]
  ],
  'seal/v0/commit/2': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [GiB, 1.5 * GiB, 1, 1, 0, 10 * GiB, 0],
    [30 * GiB, 150 * GiB, 1, -1, 6, 32 * GiB, 0], [60 * GiB, 190 * GiB, 1, -1, 6, 64 * GiB, 0]
  ],
  'seal/v0/datacid': Array.from({ length: 5 }, (): Row => [4 * GiB, 4 * GiB, 0, 1, 0, GiB, 0]),
  'seal/v0/fetch': Array.from({ length: 5 }, (): Row => [1048576, 1048576, 0, 0, 0, 0, 0]),
  'seal/v0/precommit/1': [
    [2048, 2048, 0, 1, 0, 2048, 0], [8388608, 8388608, 0, 1, 0, 8388608, 0], [768 << 20, GiB, 0, 1, 0, 1048576, 0],
    [56 * GiB, 64 * GiB, 0, 1, 0, 10485760, 0], [112 * GiB, 128 * GiB, 0, 1, 0, 10485760, 0]
  ],
  'seal/v0/precommit/2': [
    [2048, 2048, 0, -1, 0, 2048, 0], [8388608, 8388608, 0, -1, 0, 8388608, 0], [GiB, 1.5 * GiB, 0, -1, 0, GiB, 0],
    [15 * GiB, 15 * GiB, 1, -1, 6, GiB, 0], [30 * GiB, 30 * GiB, 1, -1, 6, GiB, 0]
  ],
  'seal/v0/provereplicaupdate/1': [
    [2048, 2048, 0, 0, 0, 2048, 0], [8388608, 8388608, 0, 0, 0, 8388608, 0], [GiB, GiB, 0, 0, 0, GiB, 0],
    [GiB, GiB, 0, 0, 0, GiB, 0], [GiB, GiB, 0, 0, 0, GiB, 0]
  ],
  'seal/v0/provereplicaupdate/2': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [GiB, 1.5 * GiB, 1, 1, 0, 10 * GiB, 0],
    [30 * GiB, 150 * GiB, 1, -1, 6, 32 * GiB, 0], [60 * GiB, 190 * GiB, 1, -1, 6, 64 * GiB, 0]
  ],
  'seal/v0/regensectorkey': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [GiB, GiB, 1, 1, 0, GiB, 0],
    [4 * GiB, 4 * GiB, 1, 1, 6, GiB, 0], [8 * GiB, 8 * GiB, 1, 1, 6, GiB, 0]
  ],
  'seal/v0/replicaupdate': [
    [2048, 2048, 1, 1, 0, 2048, 0], [8388608, 8388608, 1, 1, 0, 8388608, 0], [GiB, GiB, 1, 1, 0, GiB, 0],
    [4 * GiB, 4 * GiB, 1, 1, 6, GiB, 0], [8 * GiB, 8 * GiB, 1, 1, 6, GiB, 0]
  ]
}
TABLE['seal/v0/unseal'] = TABLE['seal/v0/precommit/1'] as Row[]

const FIELDS = ['MinMemory', 'MaxMemory', 'GPUUtilization', 'MaxParallelism', 'MaxParallelismGPU', 'BaseMinMemory', 'MaxConcurrent'] as const
const ENV_NAMES = ['MIN_MEMORY', 'MAX_MEMORY', 'GPU_UTILIZATION', 'MAX_PARALLELISM', 'MAX_PARALLELISM_GPU', 'BASE_MIN_MEMORY', 'MAX_CONCURRENT'] as const
const SHORT: Record<string, string> = {
  'post/v0/windowproof': 'WDP', 'post/v0/winningproof': 'WNP', 'seal/v0/addpiece': 'AP', 'seal/v0/commit/1': 'C1',
  'seal/v0/commit/2': 'C2', 'seal/v0/datacid': 'DC', 'seal/v0/fetch': 'GET', 'seal/v0/precommit/1': 'PC1',
  'seal/v0/precommit/2': 'PC2', 'seal/v0/provereplicaupdate/1': 'PR1', 'seal/v0/provereplicaupdate/2': 'PR2',
  'seal/v0/regensectorkey': 'GSK', 'seal/v0/replicaupdate': 'RU', 'seal/v0/unseal': 'UNS'
}
const SIZE_SHORT = ['2K', '8M', '512M', '32G', '64G']

function toResources(r: Row): TaskResources {
  return {
    MinMemory: r[0], MaxMemory: r[1], GPUUtilization: r[2], MaxParallelism: r[3], MaxParallelismGPU: r[4], BaseMinMemory: r[5], MaxConcurrent: r[6]
  }
}

/** The resource table a worker reports, after Lotus's env overrides (`PC1_32G_MAX_CONCURRENT=4`, multicore SDR). */
export function resourceTable(env: NodeJS.ProcessEnv = process.env): Record<string, Record<string, TaskResources>> {
  const out: Record<string, Record<string, TaskResources>> = {}
  const sdrThreads = env.FIL_PROOFS_USE_MULTICORE_SDR === '1' ? Number(env.FIL_PROOFS_MULTICORE_SDR_PRODUCERS ?? 3) + 1 : 1
  for (const [tt, rows] of Object.entries(TABLE).sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[tt] = {}
    const short = SHORT[tt] as string
    for (let spt = 0; spt < 15; spt++) {
      const size = spt % 5
      const res = toResources(rows[size] as Row)
      FIELDS.forEach((f, i) => {
        const v = env[`${short}_${SIZE_SHORT[size]}_${ENV_NAMES[i]}`] ?? env[`${short}_${ENV_NAMES[i]}`]
        if (v !== undefined && v !== '' && !Number.isNaN(Number(v))) res[f] = Number(v)
        else if ((tt === 'seal/v0/precommit/1' || tt === 'seal/v0/unseal') && f === 'MaxParallelism') res[f] = sdrThreads
      })
      ;(out[tt] as Record<string, TaskResources>)[String(spt)] = res
    }
  }
  return out
}

/** Threads a task takes on a worker (Resources.Threads). */
export function taskThreads(r: TaskResources, cpus: number, gpus: number): number {
  let mp = r.MaxParallelism
  if (r.GPUUtilization > 0 && gpus > 0 && r.MaxParallelismGPU !== 0) mp = r.MaxParallelismGPU
  if (mp === -1) {
    const n = Math.floor((cpus * 92) / 100)
    return n === 0 ? cpus : n
  }
  return mp
}

/** Hardware of a simulated box, chosen by what it runs: GPU boxes for PC2/C2, big-memory CPU boxes for PC1. */
export function hardwareFor(taskTypes: string[], opts: { noSwap: boolean; gpu: boolean }): Omit<WorkerResources, 'Resources'> {
  const gpuBox = opts.gpu && (taskTypes.includes('seal/v0/precommit/2') || taskTypes.includes('seal/v0/commit/2'))
  const pc1Box = taskTypes.includes('seal/v0/precommit/1')
  const mem = pc1Box ? 1024 * GiB : gpuBox ? 512 * GiB : 256 * GiB
  return {
    MemPhysical: mem,
    MemUsed: Math.round(mem * 0.021),
    MemSwap: opts.noSwap ? 0 : 64 * GiB,
    MemSwapUsed: 0,
    CPUs: pc1Box ? 128 : 64,
    GPUs: gpuBox ? ['NVIDIA GeForce RTX 3090'] : []
  }
}
