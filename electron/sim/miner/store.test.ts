import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ChainClock } from '../common/clock'
import { storageMeta, writePC2Final, writeUnsealed } from '../worker/files'
import { historicSector } from './history'
import { minerRepoFiles } from './repoFiles'
import { SectorStore } from './sectorStore'
import { newSectorRecord } from './sectorTypes'
import { StorageIndex } from './storageIndex'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mdsim-store-'))
  dirs.push(d)
  return d
}
const clock = new ChainClock(Date.now() / 1000 - 5_000_000 * 0.5, 60)
const history = { minerId: 1000, sealProof: 8, sectorSize: 34359738368, clock, initEpoch: 5_000_000, initCount: 100_000 }

function store(dir: string, bulk: [number, number][]) {
  return new SectorStore(minerRepoFiles(dir), { version: 1, minerId: 1000, sealProof: 8, sectorSize: 34359738368, nextSector: 100_000, initEpoch: 5_000_000, initCount: 100_000, bulk }, history)
}

describe('sector store: bulk Proving ranges plus explicit records', () => {
  it('lists, filters and summarises 100,000 sectors without records for the bulk', () => {
    const s = store(tmp(), [[0, 99_990]])
    for (let n = 99_990; n < 100_000; n++) s.put({ ...newSectorRecord(n, 8), state: n % 2 ? 'PreCommit1' : 'WaitSeed' })
    const t0 = performance.now()
    expect(s.summary()).toEqual({ Proving: 99_990, PreCommit1: 5, WaitSeed: 5 })
    expect(performance.now() - t0).toBeLessThan(5)
    const list = s.list()
    expect(list).toHaveLength(100_000)
    expect(list[99_999]).toBe(99_999)
    expect(s.listInStates(new Set(['WaitSeed']))).toEqual([99_990, 99_992, 99_994, 99_996, 99_998])
  })

  it('derives a bulk sector\'s record on demand and materializes it when touched', () => {
    const s = store(tmp(), [[0, 100]])
    const r = s.get(42)
    expect(r?.state).toBe('Proving')
    expect(r?.log.map((l) => l.Kind.replace('event;sealing.', ''))).toEqual([
      'SectorStartCC', 'SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent',
      'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorCommitAggregateSent', 'SectorProving', 'SectorFinalized'
    ])
    const ts = r?.log.map((l) => l.Timestamp) ?? []
    expect([...ts].sort((a, b) => a - b)).toEqual(ts)
    expect(r?.seedEpoch).toBe((r?.precommitEpoch ?? 0) + 150)
    expect(s.get(42)).toEqual(historicSector(history, 42))
    const m = s.materialize(42)
    m!.state = 'Removing'
    s.stateChanged('Proving', 'Removing')
    expect(s.meta.bulk).toEqual([
      [0, 42],
      [43, 100]
    ])
    expect(s.isBulk(42)).toBe(false)
    expect(s.summary()).toEqual({ Proving: 99, Removing: 1 })
    expect(s.list()).toHaveLength(100)
  })

  it('persists and reloads', () => {
    const dir = tmp()
    const s = store(dir, [[0, 10]])
    s.put({ ...newSectorRecord(10, 8), state: 'PreCommit1' })
    s.materialize(3)
    s.flush()
    const again = SectorStore.load(minerRepoFiles(dir), () => history)
    expect(again.summary()).toEqual({ Proving: 10, PreCommit1: 1 })
    expect(again.isBulk(3)).toBe(false)
  })

  it('a miner killed without a flush comes back with every committed change (the journal)', () => {
    const dir = tmp()
    const s = store(dir, [[0, 10]])
    s.flush()
    const rec = { ...newSectorRecord(s.allocateNumber(), 8), state: 'PreCommit2' }
    s.put(rec)
    s.commit(rec)
    s.materialize(4)
    rec.state = 'SubmitPreCommitBatch'
    s.commit(rec)
    // No flush: as after kill -9.
    const again = SectorStore.load(minerRepoFiles(dir), () => history)
    expect(again.get(100_000)?.state).toBe('SubmitPreCommitBatch')
    expect(again.summary()).toEqual({ Proving: 10, SubmitPreCommitBatch: 1 })
    expect(again.isBulk(4)).toBe(false)
    expect(again.meta.nextSector).toBe(100_001)
    // After a flush, the journal's old lines are not applied again over newer records.
    rec.state = 'WaitSeed'
    s.commit(rec)
    s.flush()
    rec.state = 'Committing'
    s.put(rec)
    s.flush()
    expect(SectorStore.load(minerRepoFiles(dir), () => history).get(100_000)?.state).toBe('Committing')
  })
})

describe('storage index (paths.MemIndex)', () => {
  it('finds files on disk and bulk sectors in the long-term store, with Lotus\'s URLs', () => {
    const store = tmp()
    const worker = tmp()
    const idx = new StorageIndex(1000, (n) => n < 5, () => [0, 1, 2, 3, 4])
    idx.attach({ meta: storageMeta('store-id', false, true), localPath: store, urls: ['http://127.0.0.1:2345/remote'], owner: 'miner' })
    idx.attach({ meta: storageMeta('worker-id', true, false), localPath: worker, urls: ['http://127.0.0.1:3456/remote'], owner: 'w1' })
    writeUnsealed(worker, 1000, 7, 2048)
    writePC2Final(worker, 1000, 7, 'x', 2048)
    writePC2Final(store, 1000, 6, 'y', 2048)
    const found = idx.findSector(7, 2, false)
    expect(found).toEqual([
      {
        ID: 'worker-id',
        URLs: ['http://127.0.0.1:3456/remote/sealed/s-t01000-7'],
        BaseURLs: ['http://127.0.0.1:3456/remote'],
        Weight: 10,
        CanSeal: true,
        CanStore: false,
        Primary: true,
        AllowTypes: null,
        DenyTypes: null,
        AllowMiners: null,
        DenyMiners: null
      }
    ])
    expect(idx.findSector(3, 4, false).map((f) => [f.ID, f.URLs[0]])).toEqual([['store-id', 'http://127.0.0.1:2345/remote/cache/s-t01000-3']])
    expect(idx.findSector(9, 1, false)).toEqual([])
    expect(idx.findSector(9, 1, true).map((f) => [f.ID, f.Primary])).toEqual([['worker-id', false]])
    const list = idx.list()
    expect(list['worker-id']).toEqual([{ Miner: 1000, Number: 7, SectorFileType: 7 }])
    expect(list['store-id']?.find((d) => d.Number === 6)?.SectorFileType).toBe(6)
    expect(list['store-id']).toHaveLength(6)
    expect(idx.local()).toEqual({ 'store-id': store })
    expect(() => idx.info('nope')).toThrow('sector store not found')
    expect(idx.stat('store-id').Capacity).toBeGreaterThan(0)
  })
})
