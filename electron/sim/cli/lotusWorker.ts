import type { WorkerInfo } from '../../../preload/contract/lotus/types'
import { TASK_PRIORITY, taskShort } from '../../../preload/contract/lotus/tasks'
import { formatLogLine } from '../common/golog'
import { sizeStr } from '../miner/gofmt'
import { MINER_USER_VERSION } from '../miner/version'
import { WORKER_RUN_FLAGS, taskTypesFromFlags } from '../worker/taskTypes'
import { defaultWorkerName, runWorker } from '../worker/run'
import { NodeClient, repoFor } from './lotusMiner/clients'
import { runApp, type App, type Ctx } from './lotusMiner/cmd'

/**
 * The simulated `lotus-worker` (cmd/lotus-worker, cli/worker): `run` starts a worker process;
 * `info` and `stop` talk to a running one. Like Lotus's lotus-worker main, a failing command
 * logs the error as a WARN line and exits 0.
 */

function workerApi(ctx: Ctx): NodeClient {
  return NodeClient.of('worker', 'v0', String(ctx.global['worker-repo'] ?? ''))
}

const RUN_DESCRIPTION = `Run lotus-worker.

--external-pc2 can be used to compute the PreCommit2 inputs externally.
The flag behaves similarly to the related lotus-worker flag, using it in
lotus-bench may be useful for testing if the external PreCommit2 command is
invoked correctly.

The command will be called with a number of environment variables set:
* EXTSEAL_PC2_SECTOR_NUM: the sector number
* EXTSEAL_PC2_SECTOR_MINER: the miner id
* EXTSEAL_PC2_PROOF_TYPE: the proof type
* EXTSEAL_PC2_SECTOR_SIZE: the sector size in bytes
* EXTSEAL_PC2_CACHE: the path to the cache directory
* EXTSEAL_PC2_SEALED: the path to the sealed sector file (initialized with unsealed data by the caller)
* EXTSEAL_PC2_PC1OUT: output from rust-fil-proofs precommit1 phase (base64 encoded json)

The command is expected to:
* Create cache sc-02-data-tree-r* files
* Create cache sc-02-data-tree-c* files
* Create cache p_aux / t_aux files
* Transform the sealed file in place

Example invocation of lotus-bench as external executor:
'./lotus-bench simple precommit2 --sector-size $EXTSEAL_PC2_SECTOR_SIZE $EXTSEAL_PC2_SEALED $EXTSEAL_PC2_CACHE $EXTSEAL_PC2_PC1OUT'
`

export const LOTUS_WORKER_APP: App = {
  name: 'lotus-worker',
  usage: 'Remote miner worker',
  version: MINER_USER_VERSION,
  onError: (message) => {
    process.stderr.write(`${formatLogLine('WARN', 'main', 'lotus-worker/main.go:22', message)}\n`)
    return 0
  },
  flags: [
    {
      names: ['worker-repo', 'workerrepo'],
      kind: 'string',
      usage: 'Specify worker repo path. flag workerrepo and env WORKER_PATH are DEPRECATION, will REMOVE SOON',
      env: ['LOTUS_WORKER_PATH', 'WORKER_PATH'],
      default: '~/.lotusworker'
    },
    { names: ['panic-reports'], kind: 'string', usage: '', env: ['LOTUS_PANIC_REPORT_PATH'], hidden: true, default: '~/.lotusworker' },
    {
      names: ['miner-repo', 'storagerepo'],
      kind: 'string',
      usage: 'Specify miner repo path. flag storagerepo and env LOTUS_STORAGE_PATH are DEPRECATION, will REMOVE SOON',
      env: ['LOTUS_MINER_PATH', 'LOTUS_STORAGE_PATH'],
      default: '~/.lotusminer'
    },
    { names: ['enable-gpu-proving'], kind: 'bool', usage: 'enable use of GPU for mining operations', env: ['LOTUS_WORKER_ENABLE_GPU_PROVING'], default: true }
  ],
  subcommands: [
    {
      name: 'run',
      usage: 'Start lotus worker',
      description: RUN_DESCRIPTION,
      flags: WORKER_RUN_FLAGS.filter((f) => f.names[0] !== 'help').map((f) => ({
        names: f.names,
        kind: f.kind,
        usage: f.usage,
        default: f.default,
        env: f.env ? [f.env] : undefined,
        hidden: f.hidden,
        defaultText: f.defaultText
      })),
      action: async (ctx) => {
        if (ctx.isSet('address')) {
          process.stdout.write(`${formatLogLine('WARN', 'worker', 'worker/worker.go:285', "The '--address' flag is deprecated, it has been replaced by '--listen'")}\n`)
          ctx.flags.listen = ctx.flags.address as string
        }
        const taskTypes = taskTypesFromFlags(ctx.flags, ctx.isSet)
        return runWorker({
          listen: String(ctx.flags.listen),
          name: ctx.isSet('name') ? String(ctx.flags.name) : defaultWorkerName(),
          taskTypes,
          noLocalStorage: ctx.flags['no-local-storage'] === true,
          noSwap: ctx.flags['no-swap'] === true,
          gpu: ctx.global['enable-gpu-proving'] !== false,
          workerRepo: repoFor('worker', String(ctx.global['worker-repo'] ?? '')),
          minerRepoFlag: String(ctx.global['miner-repo'] ?? ''),
          argv: process.argv.slice(process.argv.indexOf('run') + 1)
        })
      }
    },
    {
      name: 'stop',
      usage: 'Stop a running lotus worker',
      action: async (ctx) => {
        const api = workerApi(ctx)
        await api.call('StorageDetachAll')
        await api.call('Shutdown')
      }
    },
    {
      name: 'info',
      usage: 'Print worker info',
      action: async (ctx) => {
        const api = workerApi(ctx)
        let ver: number
        try {
          ver = await api.call<number>('Version')
        } catch (e) {
          throw new Error(`getting version: ${(e as Error).message}`)
        }
        let s = `Worker version:  ${(ver >> 16) & 0xff}.${(ver >> 8) & 0xff}.${ver & 0xff}\n`
        s += `CLI version: lotus-worker version ${MINER_USER_VERSION}\n\n`
        const sess = await api.call<string>('ProcessSession')
        s += `Session: ${sess}\n`
        s += `Enabled: ${await api.call<boolean>('Enabled')}\n`
        const info = await api.call<WorkerInfo>('Info')
        const tt = await api.call<Record<string, unknown>>('TaskTypes')
        const r = info.Resources
        s += `Hostname: ${info.Hostname}\n`
        s += `CPUs: ${r.CPUs}; GPUs: [${(r.GPUs ?? []).join(' ')}]\n`
        s += `RAM: ${sizeStr(r.MemUsed)}/${sizeStr(r.MemPhysical)}; Swap: ${sizeStr(r.MemSwapUsed)}/${sizeStr(r.MemSwap)}\n`
        const tasks = Object.keys(tt).sort((a, b) => (TASK_PRIORITY[taskShort(a)] ?? 0) - (TASK_PRIORITY[taskShort(b)] ?? 0))
        s += `Task types: ${tasks.map((t) => `${taskShort(t)} `).join('')}\n\n`
        const paths = (await api.call<{ ID: string; Weight: number; LocalPath: string; CanSeal: boolean; CanStore: boolean }[] | null>('Paths')) ?? []
        for (const p of paths) {
          s += `${p.ID}:\n\tWeight: ${p.Weight}; Use: `
          if (p.CanSeal || p.CanStore) s += `${p.CanSeal ? 'Seal ' : ''}${p.CanStore ? 'Store' : ''}\n`
          else s += 'Use: ReadOnly'
          s += `\tLocal: ${p.LocalPath}\n`
        }
        ctx.write(s)
      }
    }
  ]
}

export async function lotusWorkerCli(argv: string[]): Promise<number> {
  return runApp(LOTUS_WORKER_APP, argv)
}
