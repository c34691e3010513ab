import { MinerDeskError, toErrorInfo, type Result } from '../../../preload/contract'
import type { CallOptions } from '../lotus/rpc'
import type { SiteLotus, SiteLotusStats } from '../lotus/siteLotus'
import type { Partition } from '../lotus/types'
import { emptyRaw, type Got, type PollMemory, type RawChain, type RawPoll } from './raw'

/**
 * One poll's Lotus calls: bulk calls only, everything independent in flight at once. The
 * daemon part and the miner part never wait for each other's failures; the proving calls go to
 * the daemon with the actor address from the miner, or the one remembered from earlier polls,
 * so a stopped miner still shows its deadlines. StateMinerInfo runs once per miner session.
 * The 48 StateMinerPartitions calls go as one JSON-RPC batch (one SSH round trip) by default.
 */

export interface CollectOptions {
  memory: PollMemory
  signal?: AbortSignal
  /** Per-call timeout (ms). */
  timeoutMs?: number
  partitions?: 'batch' | 'concurrent'
  now?: () => number
}

function httpRequests(s: SiteLotusStats): number {
  return (s.daemon?.httpRequests ?? 0) + (s.miner?.httpRequests ?? 0)
}

export async function collectPoll(lotus: SiteLotus, o: CollectOptions): Promise<RawPoll> {
  const now = o.now ?? Date.now
  const raw = emptyRaw(lotus.host.info, now())
  const co: CallOptions = {
    ...(o.signal ? { signal: o.signal } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {})
  }
  const before = lotus.stats()

  try {
    await lotus.ensureEndpoints(co)
  } catch (err) {
    const info = toErrorInfo(err)
    if (info.code === 'cancelled') throw err
    // Discovery is the first thing that touches the host: its failure is the site's failure.
    raw.sshError = info.code.startsWith('ssh/') ? info : { ...info, code: 'ssh/command-failed' }
    raw.connection = lotus.host.info
    raw.finishedAt = now()
    return raw
  }

  const got = <T>(p: Promise<T>): Promise<Result<T>> => {
    raw.calls++
    return p.then(
      (value): Result<T> => ({ ok: true, value }),
      (err): Result<T> => ({ ok: false, error: toErrorInfo(err) })
    )
  }
  const { full, miner } = lotus

  const d = {
    version: got(full.version(co)),
    id: got(full.id(co)),
    head: got(full.chainHead(co)),
    syncState: got(full.syncState(co)),
    // Without ChainStatus: that part walks the last finality of tipsets on the node.
    nodeStatus: got(full.nodeStatus(false, co)),
    peers: got(full.netPeers(co)),
    walletList: got(full.walletList(co)),
    mpoolPending: got(full.mpoolPending([], co))
  }
  const m = {
    version: got(miner.version(co)),
    session: got(miner.session(co)),
    actor: got(miner.actorAddress(co)),
    summary: got(miner.sectorsSummary(co)),
    workerStats: got(miner.workerStats(co)),
    workerJobs: got(miner.workerJobs(co))
  }

  const chain = (async (): Promise<RawChain> => {
    const out: RawChain = { actor: null, minerInfo: null, provingDeadline: null, deadlines: null, partitions: null }
    const [actorR, headR] = await Promise.all([m.actor, d.head])
    out.actor = actorR.ok ? actorR.value : o.memory.actor
    if (!out.actor || !headR.ok) return out
    const actor = out.actor
    // One tipset for every proving call, so the 48 deadlines agree with each other.
    const tsk = headR.value.Cids
    const sessionR = await m.session
    const session = sessionR.ok ? sessionR.value : ''
    const needInfo =
      o.memory.sectorSize === null || (sessionR.ok ? o.memory.minerInfoKey !== `${actor}|${session}` : !(o.memory.minerInfoKey ?? '').startsWith(`${actor}|`))
    const [minerInfo, provingDeadline, deadlines] = await Promise.all([
      needInfo ? got(full.stateMinerInfo(actor, tsk, co)) : Promise.resolve(null),
      got(full.stateMinerProvingDeadline(actor, tsk, co)),
      got(full.stateMinerDeadlines(actor, tsk, co))
    ])
    out.minerInfo = minerInfo
    out.provingDeadline = provingDeadline
    out.deadlines = deadlines
    if (deadlines.ok) {
      const idx = deadlines.value.map((_, i) => i)
      if (o.partitions === 'concurrent') {
        out.partitions = await Promise.all(idx.map((i) => got(full.stateMinerPartitions(actor, i, tsk, co))))
      } else {
        raw.calls += idx.length
        out.partitions = await full.stateMinerPartitionsBatch(actor, idx, tsk, co).catch((err: unknown): Array<Result<Partition[]>> => {
          const error = toErrorInfo(err)
          return idx.map(() => ({ ok: false, error }))
        })
      }
    }
    return out
  })()

  const settle = async <T extends Record<string, Promise<unknown>>>(obj: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> => {
    const entries = await Promise.all(Object.entries(obj).map(async ([k, p]) => [k, await p] as const))
    return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> }
  }
  const [daemon, minerRes, chainRes] = await Promise.all([settle(d), settle(m), chain])
  if (o.signal?.aborted) throw new MinerDeskError({ code: 'cancelled', message: 'poll cancelled' })

  raw.daemon = daemon
  raw.miner = minerRes
  raw.chain = chainRes
  raw.connection = lotus.host.info
  // A failure at the SSH level on every call means the host went away during the poll.
  const all: Array<Got<unknown>> = [...Object.values(daemon), ...Object.values(minerRes)]
  if (all.every((g) => g && !g.ok && g.error.code.startsWith('ssh/'))) {
    const first = all[0]
    if (first && !first.ok) raw.sshError = first.error
  }
  const after = lotus.stats()
  raw.httpRequests = Math.max(0, httpRequests(after) - httpRequests(before))
  raw.finishedAt = now()
  return raw
}
