import type { WorkerJob, WorkerStats } from '../../../../preload/contract/lotus/types'
import { TASK_PRIORITY, taskShort } from '../../../../preload/contract/lotus/tasks'
import { goDurationTruncated, sizeStr } from '../../miner/gofmt'
import { incorrectNumArgs, type Command } from './cmd'
import { minerApi } from './common'
import { tabwrite } from './text'

/** `lotus-miner sealing …` (cli/miner/sealing.go). */

const BAR_COLS = 64

/** lcli.BarString: yellow part `y`, green part `g` of `total`, padded to 64 columns (no colour off a TTY). */
export function barString(total: number, y: number, g: number): string {
  const yb = Math.max(0, Math.round((y / total) * BAR_COLS))
  const gb = Math.max(0, Math.round((g / total) * BAR_COLS))
  const eb = BAR_COLS - yb - gb
  return '|'.repeat(yb) + '|'.repeat(gb) + (eb >= 0 ? ' '.repeat(eb) : '')
}

function isPostTask(tt: string): boolean {
  return tt === 'post/v0/windowproof' || tt === 'post/v0/winningproof'
}

/** `sealing workers` (sealing=true) / `proving workers` (sealing=false) output. */
export function formatWorkers(stats: Record<string, WorkerStats>, sealing: boolean): string {
  const list = Object.entries(stats)
    .filter(([, st]) => !(st.Tasks && st.Tasks.length > 0 && isPostTask(st.Tasks[0] as string) === sealing))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  let s = ''
  for (const [id, st] of list) {
    s += `Worker ${id}, host ${st.Info.Hostname}${st.Enabled ? '' : ' (disabled)'}\n`
    const tc: [string, string][] = []
    for (const [key, c] of Object.entries(st.TaskCounts ?? {})) {
      if (c === 0) continue
      const i = key.indexOf(':')
      if (i < 0) throw new Error('seal task type string invalid')
      const spt = key.slice(0, i)
      const tt = key.slice(i + 1)
      const max = st.Info.Resources.Resources[tt]?.[spt]?.MaxConcurrent ?? 0
      const str = max > 0 ? `${c}/${max}` : `${c}`
      tc.push([tt, `${taskShort(tt)}(${str})`])
    }
    tc.sort((a, b) => (TASK_PRIORITY[taskShort(a[0])] ?? 0) - (TASK_PRIORITY[taskShort(b[0])] ?? 0))
    const taskStr = tc.map((t) => `${t[1]} `).join('')
    if (taskStr !== '') s += `\tTASK: ${taskStr}\n`
    const r = st.Info.Resources
    s += `\tCPU:  [${barString(r.CPUs, 0, st.CpuUse)}] ${st.CpuUse}/${r.CPUs} core(s) in use\n`
    const ramTasks = st.MemUsedMin
    const ramUsed = r.MemUsed
    const ramReserved = ramUsed > ramTasks ? ramUsed - ramTasks : 0
    s += `\tRAM:  [${barString(r.MemPhysical, ramReserved, ramTasks)}] ${Math.floor(((ramTasks + ramReserved) * 100) / r.MemPhysical)}% ${sizeStr(ramTasks + ramUsed)}/${sizeStr(r.MemPhysical)}\n`
    const vmemTotal = r.MemPhysical + r.MemSwap
    const vmemTasks = st.MemUsedMax
    const vmemUsed = r.MemUsed + r.MemSwapUsed
    const vmemReserved = vmemUsed > vmemTasks ? vmemUsed - vmemTasks : 0
    s += `\tVMEM: [${barString(vmemTotal, vmemReserved, vmemTasks)}] ${Math.floor(((vmemTasks + vmemReserved) * 100) / vmemTotal)}% ${sizeStr(vmemTasks + vmemReserved)}/${sizeStr(vmemTotal)}\n`
    const gpus = r.GPUs ?? []
    if (gpus.length > 0) {
      s += `\tGPU:  [${barString(gpus.length, 0, st.GpuUsed)}] ${Math.round((st.GpuUsed * 100) / gpus.length)}% ${st.GpuUsed.toFixed(2)}/${gpus.length} gpu(s) in use\n`
    }
    for (const g of gpus) s += `\tGPU: ${g}, ${st.GpuUsed > 0 ? '' : 'not '}used\n`
  }
  return s
}

export function jobStateOf(runWait: number): string {
  if (runWait > 1) return `assigned(${runWait - 1})`
  switch (runWait) {
    case 1:
      return 'prepared'
    case -3:
      return 'ret-done'
    case -2:
      return 'returned'
    case -1:
      return 'ret-wait'
    default:
      return 'running'
  }
}

/** `sealing jobs` output for WorkerJobs + WorkerStats at time `nowMs`. */
export function formatJobs(jobs: Record<string, WorkerJob[]>, stats: Record<string, WorkerStats>, showRetDone: boolean, nowMs = Date.now()): string {
  const lines: (WorkerJob & { wid: string; startMs: number })[] = []
  for (const [wid, list] of Object.entries(jobs)) for (const j of list ?? []) lines.push({ ...j, wid, startMs: Date.parse(j.Start) })
  lines.sort((a, b) => {
    if (a.RunWait !== b.RunWait) return a.RunWait - b.RunWait
    if (a.startMs === b.startMs) return a.ID.ID < b.ID.ID ? -1 : a.ID.ID > b.ID.ID ? 1 : 0
    return a.startMs - b.startMs
  })
  const hostnames = new Map(Object.entries(stats).map(([id, st]) => [id, st.Info.Hostname]))
  let s = 'ID\tSector\tWorker\tHostname\tTask\tState\tTime\n'
  for (const l of lines) {
    if (l.RunWait === -3 && !showRetDone) continue
    const zeroStart = l.Start.startsWith('0001-01-01')
    const dur = zeroStart ? 'n/a' : goDurationTruncated(nowMs - l.startMs, 100)
    const hostname = hostnames.get(l.wid) ?? l.Hostname ?? ''
    s += `${l.ID.ID.replace(/-/g, '').slice(0, 8)}\t${l.Sector.Number}\t${l.wid.replace(/-/g, '').slice(0, 8)}\t${hostname}\t${taskShort(l.Task)}\t${jobStateOf(l.RunWait)}\t${dur}\n`
  }
  return tabwrite(s)
}

export const sealingCmd: Command = {
  name: 'sealing',
  usage: 'interact with sealing pipeline',
  category: 'STORAGE',
  subcommands: [
    {
      name: 'jobs',
      usage: 'list running jobs',
      flags: [{ names: ['show-ret-done'], kind: 'bool', usage: 'show returned but not consumed calls', default: false }],
      action: async (ctx) => {
        const api = minerApi(ctx)
        let jobs: Record<string, WorkerJob[]>
        try {
          jobs = await api.call('WorkerJobs')
        } catch (e) {
          if ((e as Error).message.startsWith('cannot dial') || (e as Error).message.startsWith('could not get')) throw e
          throw new Error(`getting worker jobs: ${(e as Error).message}`)
        }
        let stats: Record<string, WorkerStats>
        try {
          stats = await api.call('WorkerStats')
        } catch (e) {
          throw new Error(`getting worker stats: ${(e as Error).message}`)
        }
        ctx.write(formatJobs(jobs, stats, ctx.flags['show-ret-done'] === true))
      }
    },
    {
      name: 'workers',
      usage: 'list workers',
      action: async (ctx) => {
        const stats = await minerApi(ctx).call<Record<string, WorkerStats>>('WorkerStats')
        ctx.write(formatWorkers(stats, true))
      }
    },
    {
      name: 'sched-diag',
      usage: 'Dump internal scheduler state',
      flags: [{ names: ['force-sched'], kind: 'bool', usage: '', default: false }],
      action: async (ctx) => {
        const st = await minerApi(ctx).call<unknown>('SealingSchedDiag', [ctx.flags['force-sched'] === true])
        ctx.out(JSON.stringify(st, null, 2))
      }
    },
    {
      name: 'abort',
      usage: 'Abort a running job',
      argsUsage: '[callid]',
      flags: [{ names: ['sched'], kind: 'bool', usage: 'Specifies that the argument is UUID of the request to be removed from scheduler', default: false }],
      action: async (ctx) => {
        if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
        const api = minerApi(ctx)
        const arg = ctx.args[0] as string
        if (ctx.flags.sched === true) {
          if (!/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(arg)) {
            throw new Error(`uuid: Parse(${arg}): invalid UUID length: ${arg.length}`)
          }
          try {
            await api.call('SealingRemoveRequest', [arg])
          } catch (e) {
            throw new Error(`Failed to removed the request with UUID ${arg}: ${(e as Error).message}`)
          }
          return
        }
        let jobs: Record<string, WorkerJob[]>
        try {
          jobs = await api.call('WorkerJobs')
        } catch (e) {
          throw new Error(`getting worker jobs: ${(e as Error).message}`)
        }
        let job: WorkerJob | undefined
        for (const list of Object.values(jobs)) {
          job = (list ?? []).find((j) => j.ID.ID.startsWith(arg))
          if (job) break
        }
        if (!job) throw new Error('job with specified id prefix not found')
        ctx.out(
          `aborting job ${job.ID.Sector.Miner}-${job.ID.Sector.Number}-${job.ID.ID}, task ${taskShort(job.Task)}, sector ${job.Sector.Number}, running on host ${job.Hostname ?? ''}`
        )
        await api.call('SealingAbort', [job.ID])
      }
    }
  ]
}
