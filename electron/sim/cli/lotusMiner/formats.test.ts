import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SectorInfo, StorageInfoEntry, WorkerStats } from '../../../../preload/contract/lotus/types'
import { durafmt2, epochTime, filShort, filString, goDurationMs, goDurationTruncated, goG4, goJsonTime, sizeStr } from '../../miner/gofmt'
import { formatSectorsInfo } from './info'
import { formatJobs, formatWorkers, jobStateOf } from './sealing'
import { formatEventLog, formatSectorStatus } from './sectors'
import { formatFind } from './storage'
import { TableWriter, tabwrite } from './text'

import { CONFORMANCE_DIR as CONFORMANCE } from '../../../../test/support/lotus/conformance'
const GiB = 2 ** 30

describe('Go formatting helpers', () => {
  it('time.Duration.String()', () => {
    expect(goDurationMs(0)).toBe('0s')
    expect(goDurationMs(13 * 60_000 + 52_400)).toBe('13m52.4s')
    expect(goDurationMs(6_400_500)).toBe('1h46m40.5s')
    expect(goDurationMs(999.123)).toBe('999.123ms')
    expect(goDurationMs(0.5)).toBe('500µs')
    expect(goDurationTruncated(23_349, 100)).toBe('23.3s')
    expect(goDurationTruncated(3_600_000, 100)).toBe('1h0m0s')
  })

  it('types.SizeStr (%.4g) and FIL values', () => {
    expect(goG4(125.75)).toBe('125.8')
    expect(sizeStr(1008 * GiB)).toBe('1008 GiB')
    expect(sizeStr(34359738368)).toBe('32 GiB')
    expect(sizeStr(0)).toBe('0 B')
    expect(sizeStr(1.5 * 1024 * 1024 * GiB)).toBe('1.5 PiB')
    expect(filString('182340512004117300')).toBe('0.1823405120041173 FIL')
    expect(filString('0')).toBe('0 FIL')
    expect(filShort('0')).toBe('0')
    expect(filShort('1036')).toBe('1.036 fFIL')
    expect(filShort(2505521000000000000000n)).toBe('2505.521 FIL')
  })

  it('cliutil.EpochTime with durafmt (first two units)', () => {
    expect(epochTime(100, 100, 30)).toBe('100 (now)')
    expect(epochTime(100, 1100, 30)).toBe('1100 (in 8 hours 20 minutes)')
    expect(epochTime(2_000_000, 100, 30)).toBe('100 (1 year 47 weeks ago)')
    expect(durafmt2(61)).toBe('1 minute 1 second')
    expect(durafmt2(0.2)).toBe('200 milliseconds')
  })

  it('JSON times as Go encodes a local time.Time', () => {
    expect(goJsonTime(0)).toBe('0001-01-01T00:00:00Z')
    expect(goJsonTime(Date.UTC(2020, 10, 12, 9, 22, 7))).toMatch(/^2020-11-1\dT\d\d:\d\d:07(Z|[+-]\d\d:\d\d)$/)
  })
})

describe('text/tabwriter and lib/tablewriter', () => {
  it('pads terminated cells to the column width + 2, leaves the last cell alone', () => {
    expect(tabwrite('ID\tSector\tTime\nabcdef01\t7\t1s\n')).toBe('ID        Sector  Time\nabcdef01  7       1s\n')
  })

  it('a column that only one line has is aligned on that line only (proving deadlines "(current)")', () => {
    const t = tabwrite('deadline\topen\n0\t1\n16\t2\t(current)\n17\t3\n')
    expect(t).toBe('deadline  open\n0         1\n16        2  (current)\n17        3\n')
  })

  it('drops columns without values and prints separate-line columns indented', () => {
    const tw = new TableWriter([{ name: 'ID' }, { name: 'State' }, { name: 'Expiration' }, { name: 'Deals' }, { name: 'Error', separateLine: true }])
    tw.write({ ID: 1, State: 'Proving', Deals: 'CC' })
    tw.write({ ID: 12, State: 'PreCommit1', Deals: 'CC', Error: 'boom' })
    expect(tw.flush()).toBe('ID  State       Deals  \n1   Proving     CC     \n12  PreCommit1  CC     \n  Error: boom\n')
  })
})

describe('lotus-miner sealing workers / jobs', () => {
  const exampleStats = (): Record<string, WorkerStats> => ({
    'c4d65451-07f8-4230-98ad-4f33dea2a8cc': {
      Info: {
        Hostname: 'myhostname',
        IgnoreResources: false,
        Resources: {
          MemPhysical: 1008 * GiB,
          MemUsed: Math.round(125.8 * GiB),
          MemSwap: 0,
          MemSwapUsed: 0,
          CPUs: 128,
          GPUs: ['NVIDIA GeForce RTX 3090'],
          Resources: {
            'seal/v0/precommit/1': { '8': { MinMemory: 0, MaxMemory: 0, GPUUtilization: 0, MaxParallelism: 1, MaxParallelismGPU: 0, BaseMinMemory: 0, MaxConcurrent: 4 } },
            'seal/v0/addpiece': { '8': { MinMemory: 0, MaxMemory: 0, GPUUtilization: 0, MaxParallelism: 1, MaxParallelismGPU: 0, BaseMinMemory: 0, MaxConcurrent: 15 } }
          }
        }
      },
      Tasks: ['seal/v0/precommit/1', 'seal/v0/addpiece', 'seal/v0/fetch'],
      Enabled: true,
      MemUsedMin: 0,
      MemUsedMax: 0,
      GpuUsed: 0,
      CpuUse: 16,
      TaskCounts: { '8:seal/v0/precommit/1': 1, '8:seal/v0/addpiece': 15, '8:seal/v0/fetch': 3 }
    }
  })

  it('matches the example output in cli/miner/sealing.go (TASK sorted as Lotus sorts: GET, PC1, AP)', () => {
    const example = readFileSync(join(CONFORMANCE, 'cli.lotus-miner-sealing-workers.txt'), 'utf8').trimEnd().split('\n').map((l) => l.replace(/^ {8}/, '\t'))
    const out = formatWorkers(exampleStats(), true).trimEnd().split('\n')
    expect(out[0]).toBe(example[0])
    expect(out[1]).toBe('\tTASK: GET(3) PC1(1/4) AP(15/15) ')
    expect(out.slice(2)).toEqual(example.slice(2))
  })

  it('marks disabled workers, hides PoSt workers, sorts by worker ID', () => {
    const st = exampleStats()
    const a = st['c4d65451-07f8-4230-98ad-4f33dea2a8cc'] as WorkerStats
    st['0a000000-0000-0000-0000-000000000000'] = { ...a, Enabled: false, Info: { ...a.Info, Hostname: 'box2', Resources: { ...a.Info.Resources, GPUs: [] } }, TaskCounts: {} }
    st['ff000000-0000-0000-0000-000000000000'] = { ...a, Tasks: ['post/v0/windowproof'] }
    const out = formatWorkers(st, true)
    expect(out.split('\n').filter((l) => l.startsWith('Worker'))).toEqual([
      'Worker 0a000000-0000-0000-0000-000000000000, host box2 (disabled)',
      'Worker c4d65451-07f8-4230-98ad-4f33dea2a8cc, host myhostname'
    ])
    expect(formatWorkers(st, false).split('\n')[0]).toBe('Worker ff000000-0000-0000-0000-000000000000, host myhostname')
  })

  it('RunWait → State column', () => {
    expect([3, 2, 1, 0, -1, -2, -3].map(jobStateOf)).toEqual(['assigned(2)', 'assigned(1)', 'prepared', 'running', 'ret-wait', 'returned', 'ret-done'])
  })

  it('sealing jobs: ret-wait first, zero call/worker IDs, hostnames from WorkerStats or the job, ret-done hidden', () => {
    const now = Date.parse('2026-01-01T10:00:00Z')
    const sid = (n: number) => ({ Miner: 1000, Number: n })
    const zero = '00000000-0000-0000-0000-000000000000'
    const jobs = {
      'c4d65451-07f8-4230-98ad-4f33dea2a8cc': [
        { ID: { Sector: sid(12), ID: '76081ba0-61bd-45a5-bc08-af05f1c26e5d' }, Sector: sid(12), Task: 'seal/v0/precommit/1', RunWait: 0, Start: '2026-01-01T09:46:07.6Z' },
        { ID: { Sector: { Miner: 0, Number: 0 }, ID: zero }, Sector: sid(14), Task: 'seal/v0/addpiece', RunWait: 2, Start: '2026-01-01T09:59:58Z' }
      ],
      [zero]: [
        { ID: { Sector: sid(9), ID: 'aa11bb22-0000-4000-8000-000000000000' }, Sector: sid(9), Task: 'seal/v0/commit/2', RunWait: -1, Start: '2026-01-01T08:13:20Z', Hostname: 'c2box' },
        { ID: { Sector: sid(8), ID: 'bb11bb22-0000-4000-8000-000000000000' }, Sector: sid(8), Task: 'seal/v0/commit/2', RunWait: -3, Start: '2026-01-01T08:13:20Z', Hostname: 'c2box' }
      ]
    }
    const stats = { 'c4d65451-07f8-4230-98ad-4f33dea2a8cc': { Info: { Hostname: 'myhostname' } } } as unknown as Record<string, WorkerStats>
    expect(formatJobs(jobs, stats, false, now)).toBe(
      [
        'ID        Sector  Worker    Hostname    Task  State        Time',
        'aa11bb22  9       00000000  c2box       C2    ret-wait     1h46m40s',
        '76081ba0  12      c4d65451  myhostname  PC1   running      13m52.4s',
        '00000000  14      c4d65451  myhostname  AP    assigned(1)  2s',
        ''
      ].join('\n')
    )
    expect(formatJobs(jobs, stats, true, now)).toContain('bb11bb22  8       00000000  c2box       C2    ret-done     1h46m40s')
  })
})

describe('lotus-miner sectors status / storage find / info', () => {
  const status: SectorInfo = {
    SectorID: 9,
    State: 'ComputeProofFailed',
    CommD: { '/': 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq' },
    CommR: { '/': 'bagboea4b5abc' },
    Proof: null,
    Deals: [0],
    Pieces: [],
    Ticket: { Value: 'AQI=', Epoch: 10 },
    Seed: { Value: null, Epoch: 0 },
    PreCommitMsg: { '/': 'bafy2bzacea' },
    CommitMsg: null,
    Retries: 1,
    ToUpgrade: false,
    ReplicaUpdateMessage: null,
    LastErr: '',
    Log: [
      { Kind: 'event;sealing.SectorComputeProofFailed', Timestamp: 1617196764, Trace: 'computing seal proof failed(1): x', Message: '{"User":{}}' },
      { Kind: 'event;sealing.SectorRetryComputeProof', Timestamp: 1617196764, Trace: '', Message: '{"User":{}}' }
    ],
    SealProof: 8,
    Activation: 0,
    Expiration: 0,
    DealWeight: '0',
    VerifiedDealWeight: '0',
    InitialPledge: '0',
    OnTime: 0,
    Early: 0
  }

  it('prints the fields with Go\'s formatting (<nil> CIDs, hex tickets, tab layout)', () => {
    expect(formatSectorStatus(status, { log: false, proof: false })).toBe(
      'SectorID:\t9\nStatus:\t\tComputeProofFailed\nCIDcommD:\tbaga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq\nCIDcommR:\tbagboea4b5abc\n' +
        'Ticket:\t\t0102\nTicketH:\t10\nSeed:\t\t\nSeedH:\t\t0\nPrecommit:\tbafy2bzacea\nCommit:\t\t<nil>\nDeals:\t\t[0]\nRetries:\t1\n\n' +
        'Expiration Info\nOnTime:\t\t0\nEarly:\t\t0\n'
    )
  })

  it('prints the event log with Trace lines', () => {
    const text = formatEventLog(status)
    expect(text.split('\n')[0]).toBe('--------')
    expect(text).toMatch(/^0\.\t2021-03-31 \d\d:19:24 [+-]\d{4} \S+:\t\[event;sealing\.SectorComputeProofFailed\]\t\{"User":\{\}\}\n\tcomputing seal proof failed\(1\): x$/m)
  })

  it('storage find: one block per path, types in order, URL of the first type found', () => {
    const entry = (id: string, type: string, canStore: boolean): StorageInfoEntry => ({
      ID: id,
      URLs: [`http://127.0.0.1:2345/remote/${type}/s-t01000-9`],
      BaseURLs: ['http://127.0.0.1:2345/remote'],
      Weight: 10,
      CanSeal: !canStore,
      CanStore: canStore,
      Primary: true,
      AllowTypes: null,
      DenyTypes: null,
      AllowMiners: null,
      DenyMiners: null
    })
    const out = formatFind({ 1: [], 2: [entry('b-store', 'sealed', true)], 4: [entry('b-store', 'cache', true), entry('a-worker', 'cache', false)] }, { 'b-store': '/data/store-1' })
    expect(out).toBe(
      'In a-worker (Cache)\n\tSealing: true; Storage: false\n\tRemote\n\tURL: http://127.0.0.1:2345/remote/cache/s-t01000-9\n' +
        'In b-store (Sealed, Cache)\n\tSealing: false; Storage: true\n\tLocal (/data/store-1)\n\tURL: http://127.0.0.1:2345/remote/sealed/s-t01000-9\n'
    )
  })

  it('info Sectors: Total first, then Lotus\'s state order', () => {
    expect(formatSectorsInfo({ PreCommit1: 2, Proving: 29, ComputeProofFailed: 1 })).toBe('\tTotal: 32\n\tProving: 29\n\tPreCommit1: 2\n\tComputeProofFailed: 1\n')
  })
})
