import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, type ErrorInfo, type Result, type SiteSnapshot } from '../../../preload/contract'
import { encode } from '../lotus/bitfield'
import { conformance } from '../../../test/support/lotus/conformance'
import type { Deadline, DeadlineInfo, Partition, SignedMessage, TipSet, WorkerStats } from '../../../preload/contract/lotus/types'
import { emptyMemory, emptyRaw, type PollMemory, type RawPoll } from './raw'
import { buildSnapshot } from './snapshot'

const ok = <T>(value: T): Result<T> => ({ ok: true, value })
const fail = (code: ErrorInfo['code'], message: string = code): Result<never> => ({ ok: false, error: { code, message } })

const HEAD_TS = 1744204890 // full.ChainHead.response Timestamp
const NOW = (HEAD_TS + 60) * 1000

/** A poll in which every call answered with Lotus's documentation example. */
function conformanceRaw(now = NOW): RawPoll {
  const raw = emptyRaw({ siteId: 's1', state: 'connected', since: 0 }, now - 250)
  raw.finishedAt = now
  raw.daemon = {
    version: ok(conformance('full.Version.response')),
    id: ok(conformance('full.ID.response')),
    head: ok(conformance('full.ChainHead.response')),
    syncState: ok(conformance('full.SyncState.response')),
    nodeStatus: ok(conformance('full.NodeStatus.response')),
    peers: ok(conformance('full.NetPeers.response')),
    walletList: ok(conformance('full.WalletList.response')),
    mpoolPending: ok(conformance('full.MpoolPending.response'))
  }
  raw.miner = {
    version: ok(conformance('miner.Version.response')),
    session: ok(conformance('miner.Session.response')),
    actor: ok(conformance('miner.ActorAddress.response')),
    summary: ok(conformance('miner.SectorsSummary.response')),
    workerStats: ok(conformance('miner.WorkerStats.response')),
    workerJobs: ok(conformance('miner.WorkerJobs.response'))
  }
  raw.chain = {
    actor: 'f01234',
    minerInfo: ok(conformance('full.StateMinerInfo.response')),
    provingDeadline: ok(conformance('full.StateMinerProvingDeadline.response')),
    deadlines: ok(conformance('full.StateMinerDeadlines.response')),
    partitions: [ok(conformance('full.StateMinerPartitions.response'))]
  }
  return raw
}

function build(raw: RawPoll, o: { prev?: SiteSnapshot | null; memory?: PollMemory; now?: number; seq?: number } = {}) {
  return buildSnapshot({
    siteId: 's1',
    alias: 'miner-a',
    seq: o.seq ?? 1,
    raw,
    prev: o.prev ?? null,
    memory: o.memory ?? emptyMemory(),
    settings: DEFAULT_SETTINGS,
    site: { durations: {} },
    now: o.now ?? raw.finishedAt
  })
}

describe('snapshot builder on Lotus documentation data', () => {
  const { snapshot: s, memory } = build(conformanceRaw())

  it('reads the daemon: version, head age, lag, sync workers, peers', () => {
    expect(s.daemon).toEqual({
      up: true,
      version: 'string value',
      apiVersion: 131840,
      blockDelay: 42,
      peerId: '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf',
      height: 4863283,
      headTimestamp: HEAD_TS,
      headAgeSec: 60,
      behindEpochs: 42,
      syncing: [{ workerId: 42, stage: 'header sync', baseHeight: 4863283, targetHeight: 4863283, height: 10101 }],
      peers: 1
    })
    expect(s.tookMs).toBe(250)
  })

  it('reads the miner, remembering actor and sector size', () => {
    expect(s.miner).toEqual({ up: true, version: 'string value', apiVersion: 131840, actor: 'f01234', session: '07070707-0707-0707-0707-070707070707', sectorSize: 34359738368 })
    expect(memory).toMatchObject({ actor: 'f01234', sectorSize: 34359738368, minerInfoKey: 'f01234|07070707-0707-0707-0707-070707070707' })
  })

  it('counts the pipeline by state and by operator group', () => {
    expect(s.pipeline).toEqual({ byState: { Proving: 120 }, byGroup: { sealing: 0, failed: 0, proving: 120, removed: 0, other: 0 }, total: 120 })
  })

  it('lists jobs with their stage timing (from the job start when the sector was not read) and flags the overdue ones', () => {
    const start = Date.parse('2020-11-12T09:22:07Z')
    expect(s.jobs).toEqual({
      total: 1,
      byTask: { PC2: { running: 1 } },
      list: [{
        id: '76081ba0-61bd-45a5-bc08-af05f1c26e5d',
        workerId: 'ef8d99a2-6865-4189-8ffa-9fef0f806eee',
        hostname: 'host',
        sector: 100,
        task: 'PC2',
        taskType: 'seal/v0/precommit/2',
        state: 'running',
        runWait: 0,
        start,
        elapsedSec: Math.floor((NOW - start) / 1000),
        timing: { state: 'PreCommit2', class: 'compute', since: start, elapsedSec: Math.floor((NOW - start) / 1000), expectedSec: 3600, factor: 2, level: 'overdue' },
        overdue: true
      }]
    })
  })

  it('lists workers', () => {
    expect(s.workers).toEqual({
      online: 1,
      disabled: 0,
      missing: 0,
      list: [{ id: 'ef8d99a2-6865-4189-8ffa-9fef0f806eee', hostname: 'host', enabled: true, tasks: [], cpus: 64, cpuUse: 0, memPhysical: 274877906944, memUsed: 2147483648, memSwap: 128849018880, memSwapUsed: 2147483648, gpus: ['aGPU 1337'], gpuUsed: 0, taskCounts: {}, lastSeen: NOW, missing: false }]
    })
  })

  it('computes proving rows like `proving deadlines` (live sectors, faults, proven partitions), with the faulty sector numbers', () => {
    const di = conformance<DeadlineInfo>('full.StateMinerProvingDeadline.response')
    const at = (epoch: number) => (HEAD_TS + (epoch - 4863283) * 42) * 1000
    expect(s.proving).toEqual({
      currentEpoch: 10101,
      periodStart: 10101,
      deadlineIndex: 42,
      open: 10101,
      close: 10101,
      closeAt: at(di.Close),
      nextWithSectors: { index: 0, openEpoch: 10101 + 10101, openAt: at(20202) },
      deadlines: [
        // The documented bitfield [5,1] is sector 5, faulty and recovering in partition 0.
        { index: 0, openEpoch: 10101, openAt: at(10101), partitions: 1, sectors: 1, faults: 1, recoveries: 1, proven: 1, current: false, faultsByPartition: [{ partition: 0, faulty: [5], recovering: [5] }] }
      ],
      faults: 1,
      recoveries: 1,
      sectors: 1
    })
  })

  it('keeps local messages only, as `mpool pending --local`', () => {
    expect(s.messages).toMatchObject({ count: 1, oldestAgeSec: 0, list: [{ cid: 'bafy2bzacebbpdegvr3i4cosewthysg5xkxpqfn2wfcz6mv2hmoktwbdxkax4s', from: 'f01234', nonce: 42, firstSeen: NOW, ageSec: 0 }] })
    const raw = conformanceRaw()
    raw.daemon.walletList = ok(['f3someoneelse'])
    expect(build(raw).snapshot.messages).toEqual({ count: 0, oldestAgeSec: null, list: [] })
  })

  it('judges that state with the health model', () => {
    expect(s.findings.map((f) => [f.kind, f.severity, f.subject])).toEqual([
      ['sectors-faulty', 'critical', { kind: 'deadline', id: '0' }],
      ['stage-overdue', 'warning', { kind: 'site', id: 'stage-overdue-PreCommit2-running-host' }],
      ['sync-behind', 'warning', { kind: 'daemon', id: 'sync' }]
    ])
    expect(s.findings[0]!.id).toBe('s1:sectors-faulty:deadline:0')
    expect(s.findings[0]!.title.params).toMatchObject({ deadline: 0, faults: 1, recoveries: 1, sectors: '5' })
    expect(s.findings[1]!.title.params).toMatchObject({ state: 'PreCommit2', sectors: '100', host: 'host', expected: '1h' })
    expect(s.findings[2]!.title.params).toEqual({ epochs: 42, headAge: '1m' })
    expect(s.partErrors).toBeUndefined()
  })
})

describe('snapshot builder when parts fail', () => {
  it('shows a down daemon without losing the miner part', () => {
    const raw = conformanceRaw()
    const down = fail('lotus/daemon-down', 'the daemon is not running: nothing listens on 127.0.0.1:1234 on miner-a')
    for (const k of Object.keys(raw.daemon) as Array<keyof RawPoll['daemon']>) raw.daemon[k] = down
    raw.chain = { actor: 'f01234', minerInfo: null, provingDeadline: null, deadlines: null, partitions: null }
    const { snapshot: s } = build(raw)
    expect(s.daemon).toEqual({ up: false, error: down.ok ? undefined : down.error })
    expect(s.miner.up).toBe(true)
    expect(s.pipeline?.total).toBe(120)
    expect(s.jobs?.total).toBe(1)
    expect(s.proving).toBeNull()
    expect(s.messages).toBeNull()
    expect(s.partErrors).toBeUndefined() // the daemon's error says it all
    expect(s.findings.map((a) => a.kind)).toEqual(['daemon-down', 'stage-overdue'])
  })

  it('shows a down miner with proving still computed from the remembered actor', () => {
    const raw = conformanceRaw()
    const down = fail('lotus/no-api-info', 'no api file in ~/.lotusminer: is lotus-miner running?')
    for (const k of Object.keys(raw.miner) as Array<keyof RawPoll['miner']>) raw.miner[k] = down
    raw.chain.minerInfo = null
    const memory = { ...emptyMemory(), actor: 'f01234', sectorSize: 34359738368, minerInfoKey: 'f01234|x' }
    const { snapshot: s } = build(raw, { memory })
    expect(s.miner).toEqual({ up: false, error: { code: 'lotus/no-api-info', message: 'no api file in ~/.lotusminer: is lotus-miner running?' }, actor: 'f01234', sectorSize: 34359738368 })
    expect(s.pipeline).toBeNull()
    expect(s.workers).toBeNull()
    expect(s.proving?.faults).toBe(1)
    expect(s.findings.map((a) => a.kind)).toEqual(['miner-down', 'sectors-faulty', 'sync-behind'])
  })

  it('says an unreachable site is unreachable, and only that', () => {
    const raw = emptyRaw({ siteId: 's1', state: 'unreachable', since: 5, detail: 'connect ETIMEDOUT' }, NOW - 10)
    raw.finishedAt = NOW
    raw.sshError = { code: 'ssh/unreachable', message: 'miner-a: connect ETIMEDOUT' }
    const { snapshot: s } = build(raw)
    expect(s.daemon).toEqual({ up: false, error: raw.sshError })
    expect(s.miner).toEqual({ up: false, error: raw.sshError })
    expect([s.pipeline, s.jobs, s.workers, s.proving, s.messages]).toEqual([null, null, null, null, null])
    expect(s.findings.map((a) => [a.kind, a.severity])).toEqual([['site-unreachable', 'critical']])
  })

  it('explains a part missing while its node is up (token without write for WalletList)', () => {
    const raw = conformanceRaw()
    raw.daemon.walletList = fail('lotus/permission', 'the API token of the daemon on miner-a lacks write (needed for WalletList)')
    const { snapshot: s } = build(raw)
    expect(s.messages).toBeNull()
    expect(s.partErrors).toEqual({ messages: { code: 'lotus/permission', message: 'the API token of the daemon on miner-a lacks write (needed for WalletList)' } })
  })

  it('flags a too-old miner while keeping it up', () => {
    const raw = conformanceRaw()
    raw.miner.version = ok({ Version: '1.17.0', APIVersion: (1 << 16) | (4 << 8), BlockDelay: 30, Agent: 'lotus' })
    const { snapshot: s } = build(raw)
    expect(s.miner.up).toBe(true)
    expect(s.miner.error).toMatchObject({ code: 'lotus/version-too-old', params: { minerApi: '1.4.0', daemonApi: '2.3.0', alias: 'miner-a' } })
  })

  it('counts unknown future states under other', () => {
    const raw = conformanceRaw()
    raw.miner.summary = ok({ Proving: 3, CommitFailed: 2, Removed: 1, SomeFutureState: 4, PreCommit1: 5 })
    const { snapshot: s } = build(raw)
    expect(s.pipeline?.byGroup).toEqual({ sealing: 5, failed: 2, proving: 3, removed: 1, other: 4 })
  })
})

describe('what the builder remembers across polls', () => {
  const worker = (host: string): WorkerStats => ({ ...Object.values(conformance<Record<string, WorkerStats>>('miner.WorkerStats.response'))[0]!, Info: { ...Object.values(conformance<Record<string, WorkerStats>>('miner.WorkerStats.response'))[0]!.Info, Hostname: host } })

  it('does not call a restarted worker (same host, new id) missing, but a vanished one is, with missingSince', () => {
    let raw = conformanceRaw()
    raw.miner.workerStats = ok({ w1: worker('pc1-a'), w2: worker('pc1-a'), w3: worker('c2-b') })
    let r = build(raw)
    // w2 restarts as w2b; w3 disappears.
    raw = conformanceRaw(NOW + 15_000)
    raw.miner.workerStats = ok({ w1: worker('pc1-a'), w2b: worker('pc1-a') })
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    expect(r.snapshot.workers?.list.map((w) => [w.id, w.hostname, w.missing, w.missingSince ?? null])).toEqual([
      ['w3', 'c2-b', true, NOW + 15_000],
      ['w1', 'pc1-a', false, null],
      ['w2b', 'pc1-a', false, null]
    ])
    expect(r.snapshot.workers).toMatchObject({ online: 2, missing: 1 })
    // Within the grace period: not gone yet.
    expect(r.snapshot.findings.some((a) => a.kind === 'worker-down')).toBe(false)
    // Still missing 3 minutes later (miner briefly down in between: memory kept).
    raw = conformanceRaw(NOW + 30_000)
    raw.miner.workerStats = fail('lotus/miner-down')
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    expect(r.snapshot.workers).toBeNull()
    raw = conformanceRaw(NOW + 195_000)
    raw.miner.workerStats = ok({ w1: worker('pc1-a'), w2b: worker('pc1-a') })
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    const lost = r.snapshot.findings.filter((a) => a.kind === 'worker-down')
    // Gone without jobs: capacity lost, a warning (with jobs it is critical).
    expect(lost).toEqual([expect.objectContaining({ id: 's1:worker-down:worker:w3', severity: 'warning', subject: { kind: 'worker', id: 'w3', label: 'c2-b' }, since: NOW + 195_000 })])
    expect(r.snapshot.workers?.list.find((w) => w.id === 'w3')?.missingSince).toBe(NOW + 15_000)
    // Forgotten after 24 h away.
    raw = conformanceRaw(NOW + 25 * 3600_000)
    raw.miner.workerStats = ok({ w1: worker('pc1-a'), w2b: worker('pc1-a') })
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    expect(r.snapshot.workers?.missing).toBe(0)
  })

  it('ages local messages from when they were first seen, and says when one is stuck', () => {
    const msg = (cid: string, nonce: number): SignedMessage => ({ ...conformance<SignedMessage[]>('full.MpoolPending.response')[0]!, CID: { '/': cid }, Message: { ...conformance<SignedMessage[]>('full.MpoolPending.response')[0]!.Message, Nonce: nonce } })
    let raw = conformanceRaw()
    raw.daemon.mpoolPending = ok([msg('bafyA', 1)])
    let r = build(raw)
    raw = conformanceRaw(NOW + 11 * 60_000)
    raw.daemon.mpoolPending = ok([msg('bafyA', 1), msg('bafyB', 2)])
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    expect(r.snapshot.messages).toMatchObject({ count: 2, oldestAgeSec: 660 })
    expect(r.snapshot.findings.filter((a) => a.kind === 'message-stuck').map((a) => [a.subject.id, a.title.params])).toEqual([['bafyA', { from: 'f01234', nonce: 1, age: '11m', method: 1 }]])
    expect(r.snapshot.findings.find((a) => a.kind === 'message-stuck')?.remedies[0]?.action).toEqual({ kind: 'mpool-replace', from: 'f01234', nonce: 1 })
    raw = conformanceRaw(NOW + 12 * 60_000)
    raw.daemon.mpoolPending = ok([msg('bafyB', 2)])
    r = build(raw, { prev: r.snapshot, memory: r.memory })
    expect(r.memory.messageFirstSeen).toEqual({ bafyB: NOW + 11 * 60_000 })
  })

  it('uses real 48-deadline geometry for the next deadline with sectors', () => {
    const raw = conformanceRaw()
    const di: DeadlineInfo = { CurrentEpoch: 4863283, PeriodStart: 4862400, Index: 14, Open: 4863240, Close: 4863300, Challenge: 4863220, FaultCutoff: 4863170, WPoStPeriodDeadlines: 48, WPoStProvingPeriod: 2880, WPoStChallengeWindow: 60, WPoStChallengeLookback: 20, FaultDeclarationCutoff: 70 }
    const withSectors = new Set([3, 20])
    const part = (dl: number): Partition[] => (withSectors.has(dl) ? [{ AllSectors: encode([dl * 10, dl * 10 + 1]), LiveSectors: encode([dl * 10, dl * 10 + 1]), ActiveSectors: encode([dl * 10]), FaultySectors: encode(dl === 20 ? [201] : []), RecoveringSectors: [] }] : [])
    raw.chain.provingDeadline = ok(di)
    raw.chain.deadlines = ok(Array.from({ length: 48 }, (): Deadline => ({ PostSubmissions: [], DisputableProofCount: 0, DailyFee: '0' })))
    raw.chain.partitions = Array.from({ length: 48 }, (_, i) => ok(part(i)))
    const head = conformance<TipSet>('full.ChainHead.response')
    const at = (epoch: number) => (HEAD_TS + (epoch - head.Height) * 42) * 1000
    const p = build(raw).snapshot.proving!
    expect(p.nextWithSectors).toEqual({ index: 20, openEpoch: 4862400 + 20 * 60, openAt: at(4862400 + 1200) })
    expect(p.deadlines[14]!.current).toBe(true)
    expect(p.deadlines[3]).toMatchObject({ openEpoch: 4862580, partitions: 1, sectors: 2, faults: 0 })
    expect([p.sectors, p.faults]).toEqual([4, 1])
    withSectors.delete(20)
    raw.chain.partitions = Array.from({ length: 48 }, (_, i) => ok(part(i)))
    // Deadline 3 has passed in this period: it opens next in the following one.
    expect(build(raw).snapshot.proving!.nextWithSectors).toMatchObject({ index: 3, openEpoch: 4862400 + 2880 + 180 })
  })
})
