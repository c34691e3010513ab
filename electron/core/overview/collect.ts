import { MinerDeskError, toErrorInfo, type ErrorInfo, type Result } from '../../../preload/contract'
import { fullCalls } from '../lotus/fullApi'
import { minerCalls } from '../lotus/minerApi'
import type { CallOptions } from '../lotus/rpc'
import type { CallSpec } from '../lotus/shapes'
import type { SiteLotus, SiteLotusStats } from '../lotus/siteLotus'
import type { Deadline, DeadlineInfo, MinerInfo, Partition, TipSetKey } from '../../../preload/contract/lotus/types'
import { chainKey, emptyRaw, type Got, type PollMemory, type RawChain, type RawDaemon, type RawMiner, type RawPoll } from './raw'
import { scanSectors, type Run } from './sectorScan'

/**
 * One poll's Lotus calls — bulk calls only — with as few round trips through SSH as possible.
 *
 * mode 'batch' (default): one JSON-RPC batch to the daemon and one to the miner, at the same
 * time; then one batch to the daemon for the miner actor's proving state (StateMinerInfo once
 * per miner session, ProvingDeadline, Deadlines and, when the deadline count is known from an
 * earlier poll, all 48 StateMinerPartitions in the same request). 3–4 HTTP requests per poll.
 * mode 'concurrent': every call on its own, concurrently over the kept-alive streams.
 *
 * The daemon part and the miner part never wait on each other's failures. The proving calls use
 * the actor from the miner, or the one remembered from earlier polls, so a stopped miner still
 * shows its deadlines.
 */

export type CollectMode = 'batch' | 'concurrent'

export interface CollectOptions {
  memory: PollMemory
  signal?: AbortSignal
  /** Per-call timeout (ms). */
  timeoutMs?: number
  mode?: CollectMode
  now?: () => number
  /** A watched sector whose state has not changed is read again after this long (default 2.5 min). */
  sectorRefreshMs?: number
}

function httpRequests(s: SiteLotusStats): number {
  return (s.daemon?.httpRequests ?? 0) + (s.miner?.httpRequests ?? 0)
}

function bytesMoved(s: SiteLotusStats): number {
  return (s.daemon?.bytesSent ?? 0) + (s.daemon?.bytesReceived ?? 0) + (s.miner?.bytesSent ?? 0) + (s.miner?.bytesReceived ?? 0)
}

type Runner = <const C extends readonly CallSpec<unknown>[]>(node: 'daemon' | 'miner', calls: C) => Promise<{ -readonly [K in keyof C]: Result<C[K] extends CallSpec<infer T> ? T : never> }>

function makeRunner(lotus: SiteLotus, mode: CollectMode, co: CallOptions, count: (n: number) => void): Runner {
  return (async (node: 'daemon' | 'miner', calls: readonly CallSpec<unknown>[]) => {
    count(calls.length)
    const api = node === 'daemon' ? lotus.full : lotus.miner
    if (mode === 'batch') {
      return api.batch(calls, co).catch((err: unknown) => {
        // The whole request failed (node down, SSH gone): every call shares that answer.
        const error: ErrorInfo = toErrorInfo(err)
        return calls.map((): Result<unknown> => ({ ok: false, error }))
      })
    }
    return Promise.all(
      calls.map((c) =>
        api.batch([c], co).then(
          ([r]) => r!,
          (err: unknown): Result<unknown> => ({ ok: false, error: toErrorInfo(err) })
        )
      )
    )
  }) as Runner
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

  const run = makeRunner(lotus, o.mode ?? 'batch', co, (n) => (raw.calls += n))

  const daemonP = run('daemon', [
    fullCalls.version(),
    fullCalls.id(),
    fullCalls.chainHead(),
    fullCalls.syncState(),
    // Without ChainStatus: that part walks the last finality of tipsets on the node.
    fullCalls.nodeStatus(false),
    fullCalls.netPeers(),
    fullCalls.walletList(),
    fullCalls.mpoolPending([])
  ]).then(([version, id, head, syncState, nodeStatus, peers, walletList, mpoolPending]): RawDaemon => ({ version, id, head, syncState, nodeStatus, peers, walletList, mpoolPending }))

  const minerP = run('miner', [minerCalls.version(), minerCalls.session(), minerCalls.actorAddress(), minerCalls.sectorsSummary(), minerCalls.workerStats(), minerCalls.workerJobs()]).then(
    ([version, session, actor, summary, workerStats, workerJobs]): RawMiner => ({ version, session, actor, summary, workerStats, workerJobs })
  )

  const chainP = (async (): Promise<RawChain> => {
    const out: RawChain = { actor: null, minerInfo: null, provingDeadline: null, deadlines: null, partitions: null }
    const [d, m] = await Promise.all([daemonP, minerP])
    out.actor = m.actor?.ok ? m.actor.value : o.memory.actor
    if (!out.actor || !d.head?.ok) return out
    const actor = out.actor
    // One tipset for every proving call, so the deadlines agree with each other.
    const tsk: TipSetKey = d.head.value.Cids
    const session = m.session?.ok ? m.session.value : null
    const needInfo =
      o.memory.sectorSize === null ||
      (session !== null ? o.memory.minerInfoKey !== `${actor}|${session}` : !(o.memory.minerInfoKey ?? '').startsWith(`${actor}|`))
    // The head has not moved since the last poll: its answers at this tipset are the same.
    const same = o.memory.chainAt
    if (!needInfo && same && same.key === chainKey(actor, d.head.value)) {
      out.provingDeadline = same.provingDeadline
      out.deadlines = same.deadlines
      out.partitions = same.partitions
      return out
    }
    // Results are in the order of `calls`: ProvingDeadline, Deadlines, [MinerInfo], partitions….
    const known = o.memory.deadlineCount ?? 0
    const calls: Array<CallSpec<unknown>> = [fullCalls.stateMinerProvingDeadline(actor, tsk), fullCalls.stateMinerDeadlines(actor, tsk)]
    if (needInfo) calls.push(fullCalls.stateMinerInfo(actor, tsk))
    for (let i = 0; i < known; i++) calls.push(fullCalls.stateMinerPartitions(actor, i, tsk))
    const res = await run('daemon', calls)
    out.provingDeadline = res[0] as Result<DeadlineInfo>
    out.deadlines = res[1] as Result<Deadline[]>
    if (needInfo) out.minerInfo = res[2] as Result<MinerInfo>
    if (out.deadlines.ok) {
      const n = out.deadlines.value.length
      out.partitions =
        n === known
          ? (res.slice(needInfo ? 3 : 2) as Array<Result<Partition[]>>)
          : await run('daemon', Array.from({ length: n }, (_, i) => fullCalls.stateMinerPartitions(actor, i, tsk)))
    }
    return out
  })()

  // The sector scan (sectorScan.ts): after the miner's summary, beside the proving calls.
  const sectorsP = minerP.then(async (m) => {
    if (!m.summary?.ok) return null
    try {
      return await scanSectors(run as Run, m.summary.value, o.memory, now(), o.sectorRefreshMs ?? 150_000)
    } catch (err) {
      if (toErrorInfo(err).code === 'cancelled') throw err
      return null
    }
  })

  const [daemon, miner, chain, sectors] = await Promise.all([daemonP, minerP, chainP, sectorsP])
  if (o.signal?.aborted) throw new MinerDeskError({ code: 'cancelled', message: 'poll cancelled' })

  raw.daemon = daemon
  raw.miner = miner
  raw.chain = chain
  raw.sectors = sectors
  raw.connection = lotus.host.info
  // Every call failed and SSH says why (its errors, or a connection that is no longer up):
  // the host went away during the poll. Streams cut by the drop show as "connection lost".
  const all: Array<Got<unknown>> = [...Object.values(daemon), ...Object.values(miner)]
  const failed = all.every((g) => g && !g.ok)
  if (failed) {
    const ssh = all.find((g) => g && !g.ok && g.error.code.startsWith('ssh/'))
    const info = raw.connection
    if (ssh && !ssh.ok && all.every((g) => g && !g.ok && g.error.code.startsWith('ssh/'))) raw.sshError = ssh.error
    else if (info.state !== 'connected') {
      raw.sshError = ssh && !ssh.ok ? ssh.error : { code: 'ssh/unreachable', message: `${lotus.host.alias}: ${info.detail ?? `connection ${info.state}`}` }
    }
  }
  const after = lotus.stats()
  raw.httpRequests = Math.max(0, httpRequests(after) - httpRequests(before))
  raw.bytes = Math.max(0, bytesMoved(after) - bytesMoved(before))
  raw.finishedAt = now()
  return raw
}
