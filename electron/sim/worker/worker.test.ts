import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { clearCache, FILE_KIND_BITS, makeCache, pAuxValid, scanPath, sectorPath, storageMeta, writeStorageMeta, writeLayer, writePC2Final, writePC2Step, writeTreeD, writeUnsealed } from './files'
import { hardwareFor, resourceTable, taskThreads } from './resources'
import { runTask } from './tasks'
import { taskTypesFromFlags, WORKER_RUN_FLAGS } from './taskTypes'

import { CONFORMANCE_DIR as CONFORMANCE } from '../../../test/support/lotus/conformance'
const G32 = 34359738368
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mdsim-worker-'))
  dirs.push(d)
  return d
}

describe('worker resources (storiface/resources.go)', () => {
  it('reports exactly Lotus\'s default resource table (the WorkerStats doc example)', () => {
    const ex = JSON.parse(readFileSync(join(CONFORMANCE, 'miner.WorkerStats.response.json'), 'utf8')) as Record<string, { Info: { Resources: { Resources: unknown } } }>
    const table = Object.values(ex)[0]?.Info.Resources.Resources
    expect(resourceTable({})).toEqual(table)
  })

  it('honours PC1_32G_MAX_CONCURRENT style overrides and multicore SDR threads', () => {
    const t = resourceTable({ PC1_32G_MAX_CONCURRENT: '4', FIL_PROOFS_USE_MULTICORE_SDR: '1', AP_MAX_CONCURRENT: '2' })
    expect(t['seal/v0/precommit/1']?.['8']?.MaxConcurrent).toBe(4)
    expect(t['seal/v0/precommit/1']?.['9']?.MaxConcurrent).toBe(0)
    expect(t['seal/v0/precommit/1']?.['8']?.MaxParallelism).toBe(4)
    expect(t['seal/v0/addpiece']?.['9']?.MaxConcurrent).toBe(2)
  })

  it('threads: -1 means 92% of the cores; GPU tasks use MaxParallelismGPU when a GPU exists', () => {
    const pc2 = resourceTable({})['seal/v0/precommit/2']?.['8']
    if (!pc2) throw new Error('no PC2 resources')
    expect(taskThreads(pc2, 64, 0)).toBe(58)
    expect(taskThreads(pc2, 64, 1)).toBe(6)
  })

  it('GPU boxes for PC2/C2 workers, big-memory CPU boxes for PC1', () => {
    expect(hardwareFor(['seal/v0/commit/2'], { noSwap: false, gpu: true }).GPUs).toEqual(['NVIDIA GeForce RTX 3090'])
    expect(hardwareFor(['seal/v0/precommit/1'], { noSwap: true, gpu: true })).toMatchObject({ CPUs: 128, MemSwap: 0, GPUs: [] })
  })
})

describe('lotus-worker run task switches (cli/worker/worker.go)', () => {
  const parse = (argv: Record<string, boolean>) => {
    const flags: Record<string, boolean | string> = {}
    for (const f of WORKER_RUN_FLAGS) if (f.default !== undefined) flags[f.names[0] as string] = f.default
    Object.assign(flags, argv)
    return taskTypesFromFlags(flags, (n) => n in argv)
  }

  it('defaults: fetch, C1, PR1, FIN, FUS, FRU plus every compute task and DataCid', () => {
    expect(parse({})).toEqual([
      'seal/v0/fetch', 'seal/v0/commit/1', 'seal/v0/provereplicaupdate/1', 'seal/v0/finalize', 'seal/v0/finalizeunsealed',
      'seal/v0/finalize/replicaupdate', 'seal/v0/addpiece', 'seal/v0/datacid', 'seal/v0/precommit/1', 'seal/v0/unseal',
      'seal/v0/precommit/2', 'seal/v0/commit/2', 'seal/v0/replicaupdate', 'seal/v0/provereplicaupdate/2', 'seal/v0/regensectorkey'
    ])
  })

  it('a C2 box as runworkerC2.sh starts it', () => {
    const off = { addpiece: false, precommit1: false, unseal: false, precommit2: false, 'replica-update': false, 'prove-replica-update2': false, 'regen-sector-key': false }
    expect(parse({ ...off, commit: true })).toEqual([
      'seal/v0/fetch', 'seal/v0/commit/1', 'seal/v0/provereplicaupdate/1', 'seal/v0/finalize', 'seal/v0/finalizeunsealed', 'seal/v0/finalize/replicaupdate', 'seal/v0/commit/2'
    ])
  })

  it('PoSt workers take PoSt tasks only; mixing is refused with Lotus\'s message', () => {
    expect(parse({ windowpost: true, addpiece: false, precommit1: false, unseal: false, precommit2: false, commit: false, 'replica-update': false, 'prove-replica-update2': false, 'regen-sector-key': false })).toEqual(['post/v0/windowproof'])
    expect(() => parse({ windowpost: true, precommit1: true })).toThrow('expected all task types to be for WdPoSt worker, but task seal/v0/precommit/1 is for Sealing worker')
  })
})

describe('sector files', () => {
  it('PC1 layers and tree-d, PC2 trees and aux files, finalize keeps p_aux, t_aux and tree-r-last', () => {
    const p = tmp()
    writeUnsealed(p, 1000, 7, G32)
    makeCache(p, 1000, 7)
    for (let i = 1; i <= 11; i++) writeLayer(p, 1000, 7, i, G32)
    writeTreeD(p, 1000, 7, G32)
    for (let i = 0; i < 8; i++) writePC2Step(p, 1000, 7, i, G32)
    writePC2Final(p, 1000, 7, 'bagboea4b5abc-x', G32)
    const cache = sectorPath(p, 'cache', 1000, 7)
    expect(statSync(join(p, 'unsealed', 's-t01000-7')).size).toBe(G32)
    expect(statSync(join(cache, 'sc-02-data-layer-11.dat')).size).toBe(G32)
    expect(statSync(join(cache, 'sc-02-data-tree-d.dat')).size).toBe(2 * G32)
    expect(statSync(join(cache, 'p_aux')).size).toBe(64)
    expect(readdirSync(cache).sort()).toHaveLength(11 + 1 + 8 + 8 + 2)
    expect(scanPath(p, 1000).get(7)).toBe(FILE_KIND_BITS.unsealed | FILE_KIND_BITS.sealed | FILE_KIND_BITS.cache)
    expect(pAuxValid(p, 1000, 7, 'bagboea4b5abc-x')).toBe('ok')
    expect(pAuxValid(p, 1000, 7, 'other')).toBe('invalid')
    clearCache(p, 1000, 7)
    expect(readdirSync(cache).sort()).toEqual(['p_aux', ...Array.from({ length: 8 }, (_, i) => `sc-02-data-tree-r-last-${i}.dat`), 't_aux'].sort())
  })

  it('sectorstore.json as `storage attach --init` writes it (2-space indent, field order)', () => {
    const p = tmp()
    writeStorageMeta(p, storageMeta('76f1988b-ef30-4d7e-b3ec-9a627f4ba5a8', true, false))
    expect(readFileSync(join(p, 'sectorstore.json'), 'utf8')).toBe(
      '{\n  "ID": "76f1988b-ef30-4d7e-b3ec-9a627f4ba5a8",\n  "Weight": 10,\n  "CanSeal": true,\n  "CanStore": false,\n  "MaxStorage": 0,\n  "Groups": null,\n  "AllowTo": null,\n  "AllowTypes": null,\n  "DenyTypes": null,\n  "AllowMiners": null,\n  "DenyMiners": null\n}'
    )
  })

  it('tasks write their files stage by stage and return Lotus-shaped results', async () => {
    const p = tmp()
    const ctx = { sectorSize: G32, scaleMs: (s: number) => s / 100, sealPath: () => p, storePath: () => null, locate: () => [], filesChanged: () => {} }
    const sref = { ID: { Miner: 1000, Number: 3 }, ProofType: 8 }
    const ap = await runTask('AddPiece', [sref, [], G32 - G32 / 128, null], ctx).done
    expect(ap).toEqual({ Size: G32, PieceCID: { '/': 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq' } })
    const pc1 = runTask('SealPreCommit1', [sref, 'dA==', []], ctx)
    await new Promise((r) => setTimeout(r, 40))
    const partial = readdirSync(sectorPath(p, 'cache', 1000, 3)).length
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(12)
    expect(typeof (await pc1.done)).toBe('string')
    expect(existsSync(join(sectorPath(p, 'cache', 1000, 3), 'sc-02-data-tree-d.dat'))).toBe(true)
    const pc2 = (await runTask('SealPreCommit2', [sref, 'eA=='], ctx).done) as { Sealed: { '/': string }; Unsealed: { '/': string } }
    expect(pc2.Sealed['/']).toMatch(/^bagboea4b5abc/)
    expect(existsSync(sectorPath(p, 'sealed', 1000, 3))).toBe(true)
  })

  it('MoveStorage moves the sealed file and the cache into the store, and fails as Lotus does when one is nowhere to be found', async () => {
    const seal = tmp()
    const store = tmp()
    const sref = { ID: { Miner: 1000, Number: 5 }, ProofType: 8 }
    const located: { path: string; kinds: ('sealed' | 'cache')[] }[] = []
    const ctx = { sectorSize: G32, scaleMs: (s: number) => s / 100, sealPath: () => seal, storePath: () => store, locate: () => located, filesChanged: () => {} }
    await runTask('AddPiece', [sref, [], G32 - G32 / 128, null], ctx).done
    await runTask('SealPreCommit1', [sref, 'dA==', []], ctx).done
    await runTask('SealPreCommit2', [sref, 'eA=='], ctx).done
    // The worker holding them has not declared its path (yet): nothing is moved, the call fails.
    await expect(runTask('MoveStorage', [sref, FILE_KIND_BITS.sealed | FILE_KIND_BITS.cache], ctx).done).rejects.toThrow('acquire sector: failed to acquire sector {1000 5} from remote(6): sector not found')
    expect(existsSync(sectorPath(store, 'sealed', 1000, 5))).toBe(false)
    located.push({ path: seal, kinds: ['sealed', 'cache'] })
    await runTask('MoveStorage', [sref, FILE_KIND_BITS.sealed | FILE_KIND_BITS.cache], ctx).done
    expect(existsSync(sectorPath(store, 'sealed', 1000, 5))).toBe(true)
    expect(existsSync(join(sectorPath(store, 'cache', 1000, 5), 'p_aux'))).toBe(true)
    expect(existsSync(sectorPath(seal, 'sealed', 1000, 5))).toBe(false)
  })

  it('a PC1 whose cache is deleted under it (the sector removed) fails and never brings the directory back', async () => {
    const p = tmp()
    const ctx = { sectorSize: G32, scaleMs: (s: number) => s / 100, sealPath: () => p, storePath: () => null, locate: () => [], filesChanged: () => {} }
    const sref = { ID: { Miner: 1000, Number: 4 }, ProofType: 8 }
    await runTask('AddPiece', [sref, [], G32 - G32 / 128, null], ctx).done
    const pc1 = runTask('SealPreCommit1', [sref, 'dA==', []], ctx)
    const cache = sectorPath(p, 'cache', 1000, 4)
    await new Promise((r) => setTimeout(r, 40))
    expect(existsSync(cache)).toBe(true)
    rmSync(cache, { recursive: true, force: true })
    await expect(pc1.done).rejects.toThrow('No such file or directory (os error 2)')
    expect(existsSync(cache)).toBe(false)
  })
})
