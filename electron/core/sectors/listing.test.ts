import { describe, expect, it } from 'vitest'
import { buildCommandLine } from '../../common/shellQuote'
import { cleanStoragePath, isLoopback, listCommand, parseListing, parseReadFiles, parseSectorStoreJson, parseStorageJson, readFilesCommand, urlHost, urlPort, workerListenPort, workerName } from './listing'

describe('listing commands', () => {
  it('pass the pattern and every path as arguments, never inside the script', () => {
    const cmd = listCommand(['/data/a b', "/data/it's"], 's-t0*-1', true)
    expect(cmd.argv.slice(4)).toEqual(['s-t0*-1', '1', '/data/a b', "/data/it's"])
    const line = buildCommandLine(cmd)
    expect(line).toContain("'/data/a b'")
    expect(line).toContain("'/data/it'\\''s'")
    expect(readFilesCommand(['/r'], 'storage.json').argv.slice(4)).toEqual(['storage.json', '/r'])
  })

  it('parses NUL-framed find output into entries of the right storage path (longest prefix wins)', () => {
    const out = [
      'd\t4096\t1700000000.5\t/data/cache/s-t01000-1',
      'f\t64\t1700000001.25\t/data/cache/s-t01000-1/p_aux',
      'f\t34359738368\t1700000002\t/data/sub/sealed/s-t01000-1',
      'f\t1\t1\t/elsewhere/sealed/s-t01000-1',
      'f\t1\t1\t/data/notakind/s-t01000-1',
      'f\t5\t1\t/data/sealed/name\twith\ttabs'
    ].join('\0')
    const e = parseListing(`${out}\0`, ['/data', '/data/sub'])
    expect(e).toEqual([
      { storagePath: '/data', kind: 'cache', name: 's-t01000-1', rel: '', type: 'dir', size: 4096, mtime: 1700000000500 },
      { storagePath: '/data', kind: 'cache', name: 's-t01000-1', rel: 'p_aux', type: 'file', size: 64, mtime: 1700000001250 },
      { storagePath: '/data/sub', kind: 'sealed', name: 's-t01000-1', rel: '', type: 'file', size: 34359738368, mtime: 1700000002000 },
      { storagePath: '/data', kind: 'sealed', name: 'name\twith\ttabs', rel: '', type: 'file', size: 5, mtime: 1000 }
    ])
  })

  it('reads storage.json and sectorstore.json, dropping unusable paths', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64')
    const m = parseReadFiles(`R\t${b64('/w')}\t${b64('{"StoragePaths":[{"Path":"/w"},{"Path":"../x"},{"Path":"/a/./b"},{"Path":"/ok/"}]}')}\nR\t${b64('/none')}\t-\njunk\n`)
    expect(parseStorageJson(m.get('/w') ?? null)).toEqual(['/w', '/ok'])
    expect(m.get('/none')).toBeNull()
    expect(parseStorageJson('not json')).toEqual([])
    expect(parseSectorStoreJson('{"ID":"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0","CanSeal":true,"CanStore":false}')).toEqual({ id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', canSeal: true, canStore: false })
    expect(parseSectorStoreJson('{"ID":"../../etc"}')).toBeNull()
  })

  it('cleans storage paths', () => {
    expect(cleanStoragePath('/data/x/')).toBe('/data/x')
    expect(cleanStoragePath('relative')).toBeNull()
    expect(cleanStoragePath('/data/../etc')).toBeNull()
    expect(cleanStoragePath('/data\nx')).toBeNull()
    expect(cleanStoragePath('/')).toBeNull()
  })

  it('reads worker flags and storage URLs', () => {
    expect(workerListenPort(['lotus-worker', 'run', '--listen', '0.0.0.0:3457'])).toBe(3457)
    expect(workerListenPort(['lotus-worker', 'run', '--listen=10.0.0.2:4000'])).toBe(4000)
    expect(workerListenPort(['lotus-worker', 'run'])).toBe(3456)
    expect(workerName(['lotus-worker', 'run', '--name', 'pc1-a'])).toBe('pc1-a')
    expect(urlHost('http://10.0.0.5:3456/remote')).toBe('10.0.0.5')
    expect(urlHost('http://[::1]:3456/remote')).toBe('::1')
    expect(urlPort('http://10.0.0.5:3456/remote')).toBe(3456)
    expect(isLoopback('127.0.0.1') && isLoopback('localhost') && isLoopback('::1')).toBe(true)
    expect(isLoopback('10.0.0.5')).toBe(false)
  })
})
