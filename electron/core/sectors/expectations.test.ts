import { describe, expect, it } from 'vitest'
import type { FileEntry, PathListing, StoragePathRef } from '../../../preload/contract/sectors'
import { checkFiles, fileStage, layerCount, requirements, treeCount } from './expectations'

const GIB = 1024 ** 3
const NAME = 's-t01000-36'
const store = (path: string, alias = 'site-1'): StoragePathRef => ({ id: path, alias, path, owner: 'worker', port: 3456, canSeal: true, canStore: false, attached: true })
const f = (kind: FileEntry['kind'], rel: string, size = 100): FileEntry => ({ kind, name: NAME, rel, type: rel === '' && kind === 'cache' ? 'dir' : 'file', size, mtime: 0 })

const layers = (n = 11) => Array.from({ length: n }, (_, i) => f('cache', `sc-02-data-layer-${i + 1}.dat`))
const trees = (p: string, n = 8) => Array.from({ length: n }, (_, i) => f('cache', `sc-02-data-${p}-${i}.dat`))
const pc1Files = () => [f('unsealed', ''), f('cache', ''), ...layers(), f('cache', 'sc-02-data-tree-d.dat')]
const pc2Files = () => [...pc1Files(), ...trees('tree-c'), ...trees('tree-r-last'), f('cache', 'p_aux'), f('cache', 't_aux'), f('sealed', '')]
const finalFiles = () => [f('sealed', ''), f('cache', ''), f('cache', 'p_aux'), f('cache', 't_aux'), ...trees('tree-r-last')]

describe('file stages (runbook §1–§2)', () => {
  it('maps states to the files they need', () => {
    expect(fileStage('PreCommit1')).toBe('unsealed')
    expect(fileStage('PreCommit2')).toBe('pc1')
    expect(fileStage('WaitSeed')).toBe('pc2')
    expect(fileStage('ComputeProofFailed')).toBe('pc2')
    expect(fileStage('FinalizeSector')).toBe('finalizing')
    expect(fileStage('Proving')).toBe('finalized')
    expect(fileStage('Removed')).toBe('removed')
    expect(fileStage('Packing')).toBe('none')
    expect(fileStage('UpdateReplica')).toBe('unknown')
  })

  it('knows the layer and tree counts of the sector sizes', () => {
    expect(layerCount(32 * GIB)).toBe(11)
    expect(layerCount(512 << 20)).toBe(2)
    expect(treeCount(32 * GIB)).toBe(8)
    expect(treeCount(64 * GIB)).toBe(16)
    expect(treeCount(2048)).toBeNull()
    expect(requirements('pc1', NAME, 32 * GIB).map((r) => r.label)).toEqual([`unsealed/${NAME}`, ...Array.from({ length: 11 }, (_, i) => `cache/sc-02-data-layer-${i + 1}.dat`), 'cache/sc-02-data-tree-d.dat'])
  })
})

describe('checkFiles', () => {
  it('passes a complete sector after PC2, even split over two workers', () => {
    const all = pc2Files()
    const a = all.filter((e) => e.kind === 'unsealed')
    const b = all.filter((e) => e.kind !== 'unsealed')
    const c = checkFiles('pc2', NAME, 32 * GIB, [{ storage: store('/w1'), entries: a }, { storage: store('/w2'), entries: b }])
    expect(c).toEqual({ stage: 'pc2', missing: [], extra: [], empty: [], copies: [], ok: true })
  })

  it('names the missing layers, tree files and aux files', () => {
    const entries = pc2Files().filter((e) => e.rel !== 'sc-02-data-layer-7.dat' && e.rel !== 'p_aux' && e.rel !== 'sc-02-data-tree-c-3.dat')
    const c = checkFiles('pc2', NAME, 32 * GIB, [{ storage: store('/w'), entries }])
    expect(c.missing).toEqual(['cache/sc-02-data-layer-7.dat', 'cache/sc-02-data-tree-c-3.dat', 'cache/p_aux'])
    expect(c.ok).toBe(false)
  })

  it('after FinalizeSector, layers, tree-d and tree-c are extra; an empty p_aux is named', () => {
    const entries = [...finalFiles().map((e) => (e.rel === 'p_aux' ? { ...e, size: 0 } : e)), f('cache', 'sc-02-data-layer-1.dat'), f('cache', 'sc-02-data-tree-c-0.dat')]
    const c = checkFiles('finalized', NAME, 32 * GIB, [{ storage: store('/store') }].map((x) => ({ ...x, entries })))
    expect(c.extra).toEqual([`cache/${NAME}/sc-02-data-layer-1.dat (site-1:/store)`, `cache/${NAME}/sc-02-data-tree-c-0.dat (site-1:/store)`])
    expect(c.empty).toEqual([`cache/${NAME}/p_aux (site-1:/store)`])
    expect(c.missing).toEqual([])
  })

  it('flags names Lotus never writes, copies in two places, and anything left of a removed sector', () => {
    const weird: PathListing[] = [
      { storage: store('/w1'), entries: [...pc1Files(), f('cache', 'core.1234')] },
      { storage: store('/w2', 'worker-2'), entries: [f('unsealed', '')] }
    ]
    const c = checkFiles('pc1', NAME, 32 * GIB, weird)
    expect(c.extra).toEqual([`cache/${NAME}/core.1234 (site-1:/w1)`])
    expect(c.copies).toEqual([`unsealed/${NAME} in 2 places: site-1:/w1, worker-2:/w2`])
    const gone = checkFiles('removed', NAME, 32 * GIB, [{ storage: store('/w1'), entries: [f('cache', ''), f('cache', 'p_aux')] }])
    expect(gone.extra).toEqual([`cache/${NAME} (site-1:/w1)`])
    expect(checkFiles('removed', NAME, 32 * GIB, []).ok).toBe(true)
  })

  it('only looks at the sector it was asked about', () => {
    const other = { ...f('unsealed', ''), name: 's-t01000-37' }
    expect(checkFiles('unsealed', NAME, 32 * GIB, [{ storage: store('/w'), entries: [other] }]).missing).toEqual([`unsealed/${NAME}`])
  })
})
