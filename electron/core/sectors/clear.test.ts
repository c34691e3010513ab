import { describe, expect, it } from 'vitest'
import type { PathListing, SectorLocation, StoragePathRef } from '../../../preload/contract/sectors'
import { clearSteps, deletionTarget, planClear } from './clear'

const NAME = 's-t01000-36'
const ref = (id: string, path: string, alias: string, port: number | null): StoragePathRef => ({ id, alias, path, owner: port === null ? 'miner' : 'worker', port, canSeal: port !== null, canStore: port === null, attached: true })
const W1 = ref('id-w1', '/w1', 'site-1', 3456)
const W2 = ref('id-w2', '/w2', 'worker-2', 3457)
const STORE = ref('id-store', '/store', 'site-1', null)
const entry = (kind: 'unsealed' | 'sealed' | 'cache', name = NAME) => ({ kind, name, rel: '', type: kind === 'cache' ? ('dir' as const) : ('file' as const), size: 10, mtime: 0 })
const listings: PathListing[] = [
  { storage: W1, entries: [entry('unsealed'), entry('cache'), { ...entry('cache'), rel: 'p_aux' }] },
  { storage: W2, entries: [entry('sealed'), entry('cache'), entry('sealed', 's-t01000-37')] },
  { storage: STORE, entries: [entry('sealed'), entry('cache')] }
]
const lotusSays: SectorLocation[] = [
  { kind: 'sealed', storageId: 'id-store', urls: [], primary: true, storage: STORE },
  { kind: 'cache', storageId: 'id-store', urls: [], primary: true, storage: STORE }
]

describe('clearsector plan', () => {
  it('deletes every copy except Lotus\'s current storage and the reserved worker\'s', () => {
    const plan = planClear({ minerId: 1000, sector: 36, removed: false, locations: lotusSays, listings, reservePort: 3457 })
    expect(plan.map((p) => [p.path, p.action, p.reason])).toEqual([
      ['/store/cache/s-t01000-36', 'keep', 'current'],
      ['/store/sealed/s-t01000-36', 'keep', 'current'],
      ['/w1/cache/s-t01000-36', 'delete', 'stale'],
      ['/w1/unsealed/s-t01000-36', 'delete', 'stale'],
      ['/w2/cache/s-t01000-36', 'keep', 'reserved'],
      ['/w2/sealed/s-t01000-36', 'keep', 'reserved']
    ])
  })

  it('never deletes what Lotus reports, even without a reserved port; a removed sector has no current copy', () => {
    const kept = planClear({ minerId: 1000, sector: 36, removed: false, locations: lotusSays, listings, reservePort: null })
    expect(kept.filter((p) => p.action === 'delete').map((p) => p.path)).toEqual(['/w1/cache/s-t01000-36', '/w1/unsealed/s-t01000-36', '/w2/cache/s-t01000-36', '/w2/sealed/s-t01000-36'])
    const removed = planClear({ minerId: 1000, sector: 36, removed: true, locations: lotusSays, listings, reservePort: null })
    expect(removed.every((p) => p.action === 'delete')).toBe(true)
  })

  it('keeps both copies when one storage ID shows up on two hosts (a cloned sectorstore.json)', () => {
    const clone = ref('id-store', '/store', 'worker-2', 3457)
    const plan = planClear({ minerId: 1000, sector: 36, removed: false, locations: lotusSays, listings: [...listings, { storage: clone, entries: [entry('sealed')] }], reservePort: null })
    expect(plan.filter((p) => p.storage.id === 'id-store').every((p) => p.action === 'keep')).toBe(true)
  })

  it('builds one rm per host with exactly the planned paths', () => {
    const plan = planClear({ minerId: 1000, sector: 36, removed: true, locations: [], listings, reservePort: null })
    expect(clearSteps(plan).map((s) => s.step)).toEqual([
      { kind: 'command', host: 'site-1', text: 'rm -rf -- /store/cache/s-t01000-36 /store/sealed/s-t01000-36 /w1/cache/s-t01000-36 /w1/unsealed/s-t01000-36' },
      { kind: 'command', host: 'worker-2', text: 'rm -rf -- /w2/cache/s-t01000-36 /w2/sealed/s-t01000-36' }
    ])
  })

  it('refuses any target that is not <storage path>/<kind>/s-t0<miner>-<n>', () => {
    expect(deletionTarget('/w1', 'cache', NAME, 1000, 36)).toBe('/w1/cache/s-t01000-36')
    expect(() => deletionTarget('/', 'cache', NAME, 1000, 36)).toThrow(/storage path/)
    expect(() => deletionTarget('/w1/../etc', 'cache', NAME, 1000, 36)).toThrow(/storage path/)
    expect(() => deletionTarget('/w1', 'piece', NAME, 1000, 36)).toThrow(/kind/)
    expect(() => deletionTarget('/w1', 'cache', 's-t01000-37', 1000, 36)).toThrow(/not s-t01000-36/)
    expect(() => deletionTarget('/w1', 'cache', '../s-t01000-36', 1000, 36)).toThrow()
    expect(() => deletionTarget('/w1/', 'cache', NAME, 1000, 36)).toThrow(/storage path/)
  })
})
