import { describe, expect, it } from 'vitest'
import { compareFiles, shortPath } from './fileText'

describe('sector file paths', () => {
  it('shorten in the middle, keeping the start and the file', () => {
    expect(shortPath('/mnt/a/cache/s-t01000-36/p_aux')).toBe('/mnt/a/cache/s-t01000-36/p_aux')
    const long = '/mnt/storage-pool-07/lotus-worker-data/long-term-store/cache/s-t0123456-1048576/sc-02-data-tree-r-last-7.dat'
    const s = shortPath(long)
    expect(s.length).toBeLessThanOrEqual(56 + 2)
    expect(s.endsWith('sc-02-data-tree-r-last-7.dat')).toBe(true)
    expect(s.startsWith('/mnt/')).toBe(true)
    expect(s).toContain('…')
  })
  it('sort by host, then sealed, cache, unsealed, then name, the entry before its files', () => {
    const f = (alias: string, kind: string, name: string, rel = '') => ({ alias, kind, name, rel, path: '/p' })
    const rows = [f('w2', 'sealed', 's-1'), f('w1', 'unsealed', 's-1'), f('w1', 'cache', 's-1', 't_aux'), f('w1', 'cache', 's-1'), f('w1', 'sealed', 's-1')]
    expect(rows.sort(compareFiles).map((r) => `${r.alias}/${r.kind}/${r.rel}`)).toEqual(['w1/sealed/', 'w1/cache/', 'w1/cache/t_aux', 'w1/unsealed/', 'w2/sealed/'])
  })
})
