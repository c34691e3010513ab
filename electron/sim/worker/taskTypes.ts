import type { FlagSpec } from '../common/flags'

/**
 * `lotus-worker run` flags (cli/worker/worker.go) and the task types they give the worker,
 * decided exactly as Lotus does: defaults fetch, C1, PR1, FIN, FUS, FRU plus every enabled
 * compute task; `--no-default` leaves storage/fetch only; PoSt workers take only PoSt tasks.
 */
export interface RunFlag extends FlagSpec {
  usage: string
  env?: string
  defaultText?: string
  hidden?: boolean
}

export const WORKER_RUN_FLAGS: RunFlag[] = [
  { names: ['listen'], kind: 'string', default: '0.0.0.0:3456', usage: 'host address and port the worker api will listen on', env: 'LOTUS_WORKER_LISTEN' },
  { names: ['address'], kind: 'string', usage: '', hidden: true },
  { names: ['no-local-storage'], kind: 'bool', default: false, usage: "don't use storageminer repo for sector storage", env: 'LOTUS_WORKER_NO_LOCAL_STORAGE' },
  { names: ['no-swap'], kind: 'bool', default: false, usage: "don't use swap", env: 'LOTUS_WORKER_NO_SWAP' },
  { names: ['name'], kind: 'string', usage: 'custom worker name', env: 'LOTUS_WORKER_NAME', defaultText: 'hostname' },
  { names: ['addpiece'], kind: 'bool', default: true, usage: 'enable addpiece', env: 'LOTUS_WORKER_ADDPIECE' },
  { names: ['precommit1'], kind: 'bool', default: true, usage: 'enable precommit1', env: 'LOTUS_WORKER_PRECOMMIT1' },
  { names: ['unseal'], kind: 'bool', default: true, usage: 'enable unsealing', env: 'LOTUS_WORKER_UNSEAL' },
  { names: ['precommit2'], kind: 'bool', default: true, usage: 'enable precommit2', env: 'LOTUS_WORKER_PRECOMMIT2' },
  { names: ['commit'], kind: 'bool', default: true, usage: 'enable commit', env: 'LOTUS_WORKER_COMMIT' },
  { names: ['replica-update'], kind: 'bool', default: true, usage: 'enable replica update', env: 'LOTUS_WORKER_REPLICA_UPDATE' },
  { names: ['prove-replica-update2'], kind: 'bool', default: true, usage: 'enable prove replica update 2', env: 'LOTUS_WORKER_PROVE_REPLICA_UPDATE2' },
  { names: ['regen-sector-key'], kind: 'bool', default: true, usage: 'enable regen sector key', env: 'LOTUS_WORKER_REGEN_SECTOR_KEY' },
  { names: ['sector-download'], kind: 'bool', default: false, usage: 'enable external sector data download', env: 'LOTUS_WORKER_SECTOR_DOWNLOAD' },
  { names: ['windowpost'], kind: 'bool', default: false, usage: 'enable window post', env: 'LOTUS_WORKER_WINDOWPOST' },
  { names: ['winningpost'], kind: 'bool', default: false, usage: 'enable winning post', env: 'LOTUS_WORKER_WINNINGPOST' },
  {
    names: ['no-default'],
    kind: 'bool',
    default: false,
    usage: 'disable all default compute tasks, use the worker for storage/fetching only',
    env: 'LOTUS_WORKER_NO_DEFAULT'
  },
  { names: ['parallel-fetch-limit'], kind: 'string', default: '5', usage: 'maximum fetch operations to run in parallel', env: 'LOTUS_WORKER_PARALLEL_FETCH_LIMIT' },
  {
    names: ['post-parallel-reads'],
    kind: 'string',
    default: '32',
    usage: 'maximum number of parallel challenge reads (0 = no limit)',
    env: 'LOTUS_WORKER_POST_PARALLEL_READS'
  },
  { names: ['post-read-timeout'], kind: 'string', default: '0s', usage: 'time limit for reading PoSt challenges (0 = no limit)', env: 'LOTUS_WORKER_POST_READ_TIMEOUT' },
  {
    names: ['timeout'],
    kind: 'string',
    default: '30m',
    usage: "used when 'listen' is unspecified. must be a valid duration recognized by golang's time.ParseDuration function",
    env: 'LOTUS_WORKER_TIMEOUT'
  },
  { names: ['http-server-timeout'], kind: 'string', default: '30s', usage: '' },
  { names: ['data-cid'], kind: 'bool', default: true, usage: 'Run the data-cid task. true|false', defaultText: 'inherits --addpiece' },
  { names: ['external-pc2'], kind: 'string', usage: 'command for computing PC2 externally' },
  { names: ['help', 'h'], kind: 'bool', default: false, usage: 'show help' }
]

const TT = {
  fetch: 'seal/v0/fetch',
  c1: 'seal/v0/commit/1',
  pr1: 'seal/v0/provereplicaupdate/1',
  fin: 'seal/v0/finalize',
  fus: 'seal/v0/finalizeunsealed',
  fru: 'seal/v0/finalize/replicaupdate',
  ap: 'seal/v0/addpiece',
  dc: 'seal/v0/datacid',
  dl: 'seal/v0/download/sector',
  pc1: 'seal/v0/precommit/1',
  uns: 'seal/v0/unseal',
  pc2: 'seal/v0/precommit/2',
  c2: 'seal/v0/commit/2',
  ru: 'seal/v0/replicaupdate',
  pr2: 'seal/v0/provereplicaupdate/2',
  gsk: 'seal/v0/regensectorkey',
  wdp: 'post/v0/windowproof',
  wnp: 'post/v0/winningproof'
} as const

function workerTypeOf(tt: string): string {
  if (tt === TT.wnp) return 'WinPost'
  if (tt === TT.wdp) return 'WdPoSt'
  return 'Sealing'
}

/**
 * Task types from parsed flags. `isSet(name)` tells whether the flag was given explicitly
 * (Lotus distinguishes `cctx.IsSet` from the default). Throws Lotus's errors for bad mixes.
 */
export function taskTypesFromFlags(flags: Record<string, string | boolean>, isSet: (name: string) => boolean): string[] {
  const b = (n: string) => flags[n] === true
  const tts: string[] = []
  let workerType = ''
  if (b('windowpost')) {
    workerType = 'WdPoSt'
    tts.push(TT.wdp)
  }
  if (b('winningpost')) {
    workerType = 'WinPost'
    tts.push(TT.wnp)
  }
  if (workerType === '') {
    tts.push(TT.fetch, TT.c1, TT.pr1, TT.fin, TT.fus, TT.fru)
    if (!b('no-default')) workerType = 'Sealing'
  }
  const sealing = workerType === 'Sealing'
  const want = (n: string) => (sealing || isSet(n)) && b(n)
  let dcDefault = false
  if (want('addpiece')) {
    tts.push(TT.ap)
    dcDefault = true
  }
  if (sealing) {
    if (isSet('data-cid')) {
      if (b('data-cid')) tts.push(TT.dc)
    } else if (dcDefault) tts.push(TT.dc)
  }
  if (want('sector-download')) tts.push(TT.dl)
  if (want('precommit1')) tts.push(TT.pc1)
  if (want('unseal')) tts.push(TT.uns)
  if (want('precommit2')) tts.push(TT.pc2)
  if (want('commit')) tts.push(TT.c2)
  if (want('replica-update')) tts.push(TT.ru)
  if (want('prove-replica-update2')) tts.push(TT.pr2)
  if (want('regen-sector-key')) tts.push(TT.gsk)
  if (b('no-default') && workerType === '') workerType = 'Sealing'
  if (tts.length === 0) throw new Error('no task types specified')
  for (const tt of tts) {
    if (workerTypeOf(tt) !== workerType) {
      throw new Error(`expected all task types to be for ${workerType} worker, but task ${tt} is for ${workerTypeOf(tt)} worker`)
    }
  }
  return tts
}
