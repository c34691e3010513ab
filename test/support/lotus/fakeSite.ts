import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalSshHost } from '../localSshHost'
import { encode } from '../../../electron/core/lotus/bitfield'
import type { Partition, SectorInfo, SectorLog, SignedMessage, TipSet, WorkerJob, WorkerStats } from '../../../preload/contract/lotus/types'
import { conformance } from './conformance'
import { FakeLotusServer, type FakeMethod, type Perm } from './fakeLotusServer'

/**
 * TEST-ONLY: a Lotus site made of two fake JSON-RPC servers (daemon: /rpc/v0 + /rpc/v1, miner:
 * /rpc/v0 only), a temporary HOME with ~/.lotus and ~/.lotusminer holding `api` and `token`
 * files, and the LocalSshHost test double whose "remote" environment is that HOME. The chain
 * state is live-ish (head timestamps follow the clock, 48 deadlines of 60 epochs) and every
 * part can be changed by the test.
 */

export const DAEMON_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiLCJzaWduIiwiYWRtaW4iXX0.daemonSig'
export const MINER_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIiwid3JpdGUiLCJzaWduIiwiYWRtaW4iXX0.minerSig'
export const READ_TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJyZWFkIl19.readSig'
const ALL: Perm[] = ['read', 'write', 'sign', 'admin']

export const WORKER_A = 'ef8d99a2-6865-4189-8ffa-9fef0f806eee'
export const WORKER_B = '2f0f1f3c-1111-4222-8333-944455556666'

export interface FakeSiteState {
  /** Current epoch (head height). */
  height: number
  /** How old the head is (s). */
  headAgeSec: number
  behind: number
  peers: number
  wallets: string[]
  pending: SignedMessage[]
  actor: string
  session: string
  summary: Record<string, number>
  workerStats: Record<string, WorkerStats>
  workerJobs: Record<string, WorkerJob[]>
  /** The sectors outside Proving/Removed that SectorsListInStates / SectorsStatus answer for (consistent with summary). */
  sectors: Record<number, { state: string; enteredMsAgo: number; trace?: string }>
  /** Deadlines (0..47) that hold sectors, and the faulty / recovering sector numbers. */
  deadlinesWithSectors: number[]
  faulty: number[]
  recovering: number[]
  /** Proving period offset (epochs). */
  periodOffset: number
}

function message(from: string, to: string, nonce: number, cid: string): SignedMessage {
  const Message = { Version: 0, To: to, From: from, Nonce: nonce, Value: '0', GasLimit: 52_000_000, GasFeeCap: '100000', GasPremium: '99000', Method: 6, Params: null, CID: { '/': cid } }
  return { Message, Signature: { Type: 1, Data: 'c2ln' }, CID: { '/': cid } }
}

function worker(hostname: string, tasks: string[], enabled = true): WorkerStats {
  const base = conformance<Record<string, WorkerStats>>('miner.WorkerStats.response')
  const w = Object.values(base)[0]!
  return { ...w, Info: { ...w.Info, Hostname: hostname }, Tasks: tasks, Enabled: enabled, TaskCounts: Object.fromEntries(tasks.map((t) => [`8:${t}`, 1])) }
}

export function defaultState(now = Date.now()): FakeSiteState {
  const iso = (msAgo: number) => new Date(now - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const job = (id: string, sector: number, task: string, runWait: number, msAgo: number, hostname?: string): WorkerJob => ({
    ID: { Sector: { Miner: 1234, Number: sector }, ID: id },
    Sector: { Miner: 1234, Number: sector },
    Task: task,
    RunWait: runWait,
    Start: iso(msAgo),
    ...(hostname ? { Hostname: hostname } : {})
  })
  return {
    height: 4_863_283,
    headAgeSec: 12,
    behind: 0,
    peers: 87,
    wallets: ['f3wallet1', 'f1wallet2'],
    pending: [message('f3wallet1', 'f01234', 17, 'bafy2bzacelocal1'), message('f1remote', 'f099', 3, 'bafy2bzaceremote1')],
    actor: 'f01234',
    session: '07070707-0707-0707-0707-070707070707',
    summary: { Proving: 120, PreCommit1: 3, PreCommit2: 1, WaitSeed: 2, CommitFailed: 1, Removed: 4 },
    sectors: {
      100: { state: 'PreCommit1', enteredMsAgo: 3600_000 },
      102: { state: 'PreCommit1', enteredMsAgo: 600_000 },
      103: { state: 'PreCommit1', enteredMsAgo: 300_000 },
      105: { state: 'PreCommit2', enteredMsAgo: 900_000 },
      106: { state: 'WaitSeed', enteredMsAgo: 1800_000 },
      107: { state: 'WaitSeed', enteredMsAgo: 120_000 },
      108: { state: 'CommitFailed', enteredMsAgo: 30_000, trace: 'commit check error: invalid proof (compute error?)' }
    },
    workerStats: {
      [WORKER_A]: worker('pc1-host', ['seal/v0/addpiece', 'seal/v0/precommit/1', 'seal/v0/fetch']),
      [WORKER_B]: worker('c2-host', ['seal/v0/commit/2', 'seal/v0/fetch'])
    },
    workerJobs: {
      [WORKER_A]: [
        job('76081ba0-61bd-45a5-bc08-af05f1c26e5d', 100, 'seal/v0/precommit/1', 0, 3600_000),
        job('00000000-0000-0000-0000-000000000000', 104, 'seal/v0/addpiece', 2, 60_000)
      ],
      // 2 h of C2 against the runbook's 15 min: overdue at stuckMultiple 2.
      [WORKER_B]: [job('a1b2c3d4-0000-4000-8000-00000000c2c2', 101, 'seal/v0/commit/2', 0, 2 * 3600_000)]
    },
    deadlinesWithSectors: [0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45],
    faulty: [],
    recovering: [],
    periodOffset: 100
  }
}

export interface ProvingGeometry {
  periodStart: number
  index: number
  open: number
}

export function provingGeometry(height: number, offset: number): ProvingGeometry {
  const periodStart = height - ((((height - offset) % 2880) + 2880) % 2880)
  const index = Math.floor((height - periodStart) / 60)
  return { periodStart, index, open: periodStart + index * 60 }
}

export interface FakeSite {
  home: string
  state: FakeSiteState
  daemon: FakeLotusServer
  miner: FakeLotusServer
  host: LocalSshHost
  /** Writes `<repo>/api` (and `token`) for a node. */
  writeRepo(node: 'daemon' | 'miner', port: number, token?: string | null): void
  removeApiFile(node: 'daemon' | 'miner'): void
  /** Stops a node's server (as `lotus daemon stop` would, but leaving the api file, as a crash does). */
  stopNode(node: 'daemon' | 'miner'): Promise<void>
  /** Starts a node's server again on a new port with a new token, rewriting the repo files. */
  restartNode(node: 'daemon' | 'miner', opts?: { samePort?: boolean; newToken?: string }): Promise<FakeLotusServer>
  stop(): Promise<void>
}

function chainHead(state: FakeSiteState): TipSet {
  const base = conformance<TipSet>('full.ChainHead.response')
  const ts = Math.floor(Date.now() / 1000) - state.headAgeSec
  return { ...base, Height: state.height, Blocks: base.Blocks.map((b) => ({ ...b, Height: state.height, Timestamp: ts })) }
}

function partitionsOf(state: FakeSiteState, dl: number): Partition[] {
  if (!state.deadlinesWithSectors.includes(dl)) return []
  const sectors = Array.from({ length: 50 }, (_, i) => dl * 100 + i)
  const inDl = (list: number[]) => list.filter((s) => s >= dl * 100 && s < dl * 100 + 50)
  const all = encode(sectors)
  return [{ AllSectors: all, FaultySectors: encode(inDl(state.faulty)), RecoveringSectors: encode(inDl(state.recovering)), LiveSectors: all, ActiveSectors: encode(sectors.filter((s) => !state.faulty.includes(s))) }]
}

export function daemonMethods(state: FakeSiteState): Record<string, FakeMethod> {
  const r = (params: number, handler: FakeMethod['handler'], perm: Perm = 'read'): FakeMethod => ({ perm, params, handler })
  return {
    Version: r(0, () => ({ Version: '1.36.2-dev+mainnet+git.b835fab7', APIVersion: 131840, BlockDelay: 30, Agent: 'lotus' })),
    ID: r(0, () => conformance('full.ID.response')),
    ChainHead: r(0, () => chainHead(state)),
    SyncState: r(0, () => {
      const head = chainHead(state)
      return { ActiveSyncs: [{ WorkerID: 31050, Base: head, Target: head, Stage: 4, Height: state.height, Start: '2026-01-01T00:00:00Z', End: '2026-01-01T00:00:01Z', Message: '' }], VMApplied: 12 }
    }),
    NodeStatus: r(1, () => ({ SyncStatus: { Epoch: state.height, Behind: state.behind }, PeerStatus: { PeersToPublishMsgs: 12, PeersToPublishBlocks: 10 }, ChainStatus: { BlocksPerTipsetLast100: 4.8, BlocksPerTipsetLastFinality: 4.9 } })),
    NetPeers: r(0, () => Array.from({ length: state.peers }, (_, i) => ({ ID: `12D3KooWPeer${i}`, Addrs: [`/ip4/10.0.0.${i % 250}/tcp/1347`] }))),
    WalletList: r(0, () => state.wallets, 'write'),
    MpoolPending: r(1, () => state.pending),
    StateMinerInfo: r(2, () => conformance('full.StateMinerInfo.response')),
    StateMinerProvingDeadline: r(2, () => {
      const g = provingGeometry(state.height, state.periodOffset)
      return { CurrentEpoch: state.height, PeriodStart: g.periodStart, Index: g.index, Open: g.open, Close: g.open + 60, Challenge: g.open - 20, FaultCutoff: g.open - 70, WPoStPeriodDeadlines: 48, WPoStProvingPeriod: 2880, WPoStChallengeWindow: 60, WPoStChallengeLookback: 20, FaultDeclarationCutoff: 70 }
    }),
    StateMinerDeadlines: r(2, () => {
      const g = provingGeometry(state.height, state.periodOffset)
      return Array.from({ length: 48 }, (_, i) => ({ PostSubmissions: i < g.index && state.deadlinesWithSectors.includes(i) ? [0, 1] : [], DisputableProofCount: 0, DailyFee: '0' }))
    }),
    StateMinerPartitions: r(3, (p) => partitionsOf(state, p[1] as number)),
    Shutdown: r(0, () => null, 'admin')
  }
}

export function minerMethods(state: FakeSiteState): Record<string, FakeMethod> {
  const r = (params: number, handler: FakeMethod['handler'], perm: Perm = 'read'): FakeMethod => ({ perm, params, handler })
  return {
    Version: r(0, () => ({ Version: '1.36.2-dev+mainnet+git.b835fab7', APIVersion: 66816, BlockDelay: 30, Agent: 'lotus' })),
    Session: r(0, () => state.session),
    ActorAddress: r(0, () => state.actor),
    SectorsSummary: r(0, () => state.summary),
    SectorsListInStates: r(1, (p) => {
      const wanted = new Set((p[0] as string[] | null) ?? [])
      const out = Object.entries(state.sectors).filter(([, s]) => wanted.has(s.state)).map(([n]) => Number(n))
      return out.length ? out : null
    }),
    SectorsStatus: r(2, (p) => {
      const n = p[0] as number
      const s = state.sectors[n]
      if (!s) throw new Error(`sector ${n} not found`)
      const doc = conformance<SectorInfo>('miner.SectorsStatus.response')
      const at = Math.floor((Date.now() - s.enteredMsAgo) / 1000)
      const log: SectorLog[] = [{ Kind: 'event;sealing.SectorStartCC', Timestamp: at - 60, Trace: '', Message: '{"User":{}}' }]
      log.push(s.trace ? { Kind: 'event;sealing.SectorCommitFailed', Timestamp: at, Trace: s.trace, Message: '{"User":{}}' } : { Kind: 'event;sealing.SectorTicket', Timestamp: at, Trace: '', Message: '{"User":{}}' })
      return { ...doc, SectorID: n, State: s.state, Log: log, LastErr: '', CommitMsg: null }
    }),
    WorkerStats: r(0, () => state.workerStats, 'admin'),
    WorkerJobs: r(0, () => state.workerJobs, 'admin'),
    Shutdown: r(0, () => null, 'admin')
  }
}

export async function startFakeSite(opts: { alias?: string; latencyMs?: number; serverLatencyMs?: number; batch?: boolean; state?: FakeSiteState } = {}): Promise<FakeSite> {
  const home = mkdtempSync(join(tmpdir(), 'md-fake-site-'))
  const state = opts.state ?? defaultState()
  const tokens: Record<string, Perm[]> = { [DAEMON_TOKEN]: ALL, [MINER_TOKEN]: ALL, [READ_TOKEN]: ['read'] }
  const startDaemon = (port?: number) =>
    FakeLotusServer.start({ paths: ['/rpc/v0', '/rpc/v1'], tokens, methods: daemonMethods(state), batch: opts.batch ?? true, latencyMs: opts.serverLatencyMs ?? 0, ...(port ? { port } : {}) })
  const startMiner = (port?: number) =>
    FakeLotusServer.start({ paths: ['/rpc/v0'], tokens, methods: minerMethods(state), latencyMs: opts.serverLatencyMs ?? 0, ...(port ? { port } : {}) })
  const repoDir = (node: 'daemon' | 'miner') => join(home, node === 'daemon' ? '.lotus' : '.lotusminer')
  const site: FakeSite = {
    home,
    state,
    daemon: await startDaemon(),
    miner: await startMiner(),
    host: new LocalSshHost({ alias: opts.alias ?? 'fake-site', env: { HOME: home }, latencyMs: opts.latencyMs ?? 0 }),
    writeRepo(node, port, token) {
      const dir = repoDir(node)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'api'), `/ip4/127.0.0.1/tcp/${port}/http`)
      if (token !== undefined) {
        if (token === null) {
          if (existsSync(join(dir, 'token'))) unlinkSync(join(dir, 'token'))
        } else writeFileSync(join(dir, 'token'), token, { mode: 0o600 })
      }
    },
    removeApiFile(node) {
      const f = join(repoDir(node), 'api')
      if (existsSync(f)) unlinkSync(f)
    },
    async stopNode(node) {
      await site[node].stop()
    },
    async restartNode(node, o = {}) {
      const old = site[node]
      await old.stop().catch(() => undefined)
      const next = node === 'daemon' ? await startDaemon(o.samePort ? old.port : undefined) : await startMiner(o.samePort ? old.port : undefined)
      if (o.newToken) next.opts.tokens = { [o.newToken]: ALL, [READ_TOKEN]: ['read'] }
      site[node] = next
      site.writeRepo(node, next.port, o.newToken)
      return next
    },
    async stop() {
      await Promise.all([site.daemon.stop().catch(() => undefined), site.miner.stop().catch(() => undefined)])
      await site.host.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
  site.writeRepo('daemon', site.daemon.port, DAEMON_TOKEN)
  site.writeRepo('miner', site.miner.port, MINER_TOKEN)
  return site
}
