import { describe, expect, it } from 'vitest'
import { lotusRole, parseProcessList, parseRepoOwner, repoOf, siteProcesses, splitCmdline, type RemoteProcess } from './processes'

const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64')
const stat = (pid: number, comm: string, state: string, ppid: number, start: number) =>
  `${pid} (${comm}) ${state} ${ppid} ${Array.from({ length: 17 }, () => '0').join(' ')} ${start} 0 0`

function proc(argv: string[], env: Record<string, string> | null, home = '/home/op'): RemoteProcess {
  return { pid: 10, ppid: 1, state: 'S', startedAt: 0, argv, env, loginHome: home, uid: 1000 }
}

describe('process list parsing', () => {
  it('parses the framed /proc output, including odd command names and unreadable env', () => {
    const out = [
      `B\t1700000000\t100\t${enc('/home/op')}`,
      `P\t42\t${enc(stat(42, 'lotus miner) x', 'S', 7, 250))}\t${enc('lotus-miner\x01run\x01')}\t${enc('HOME=/home/op\x01LOTUS_MINER_PATH=/data/m\x01A=b=c')}`,
      `P\t43\t${enc(stat(43, 'node', 'T', 1, 100))}\t${enc('lotus-miner run')}\t-\t0`,
      `O\t1000`
    ].join('\n')
    const list = parseProcessList(out)
    expect(list).toHaveLength(2)
    expect(list[0]).toMatchObject({ pid: 42, ppid: 7, state: 'S', argv: ['lotus-miner', 'run'], env: { HOME: '/home/op', LOTUS_MINER_PATH: '/data/m', A: 'b=c' } })
    expect(list[0]!.startedAt).toBe(1700000002500)
    expect(list[1]).toMatchObject({ pid: 43, state: 'T', argv: ['lotus-miner', 'run'], env: null, loginHome: '/home/op', uid: 0 })
    // An older listing without the uid field says nothing about it.
    expect(list[0]!.uid).toBeNull()
    expect(parseRepoOwner(out)).toBe(1000)
    expect(parseRepoOwner(out.replace('O\t1000', ''))).toBeNull()
  })

  it('splits retitled command lines', () => {
    expect(splitCmdline('lotus daemon')).toEqual(['lotus', 'daemon'])
    expect(splitCmdline('a b\x01c\x01')).toEqual(['a b', 'c'])
    expect(splitCmdline('lotus-miner run\x01\x01\x01')).toEqual(['lotus-miner', 'run'])
  })
})

describe('Lotus roles and repos', () => {
  it('recognises the three programs wherever they live, and not their stop commands', () => {
    expect(lotusRole(proc(['/usr/local/bin/lotus', 'daemon'], {}))).toBe('daemon')
    expect(lotusRole(proc(['lotus', 'daemon', 'stop'], {}))).toBeNull()
    expect(lotusRole(proc(['node', '/x/sim.cjs', 'lotus-miner', 'run'], {}))).toBe('miner')
    expect(lotusRole(proc(['lotus-worker', '--worker-repo', '/w', 'run'], {}))).toBe('worker')
    expect(lotusRole(proc(['lotus-miner', 'sealing', 'jobs'], {}))).toBeNull()
    expect(lotusRole(proc(['grep', 'lotus-miner run'], {}))).toBeNull()
  })

  it('resolves repos as Lotus does: flag, env, default under HOME', () => {
    expect(repoOf(proc(['lotus-miner', 'run'], { HOME: '/s1' }), 'miner')).toBe('/s1/.lotusminer')
    expect(repoOf(proc(['lotus-miner', 'run'], { HOME: '/s1', LOTUS_MINER_PATH: '/data/m/' }), 'miner')).toBe('/data/m')
    expect(repoOf(proc(['lotus-miner', '--miner-repo=/r', 'run'], { HOME: '/s1' }), 'miner')).toBe('/r')
    expect(repoOf(proc(['lotus', 'daemon'], { LOTUS_PATH: '~/chain' }, '/home/op'), 'daemon')).toBe('/home/op/chain')
    expect(repoOf(proc(['lotus', 'daemon'], null), 'daemon')).toBeNull()
  })

  it("keeps only the site's own processes when several sites share a host", () => {
    const a = { ...proc(['lotus-miner', 'run'], { HOME: '/s1' }), pid: 1 }
    const b = { ...proc(['lotus-miner', 'run'], { HOME: '/s2' }), pid: 2 }
    expect(siteProcesses([a, b], 'miner', '/s2/.lotusminer').map((p) => p.pid)).toEqual([2])
    expect(siteProcesses([a, b], 'miner', '/s3/.lotusminer')).toEqual([])
    const hidden = { ...proc(['lotus-miner', 'run'], null), pid: 3 }
    expect(siteProcesses([hidden], 'miner', '/s1/.lotusminer').map((p) => p.pid)).toEqual([3])
    // Unreadable (another user's) and the one such process: the site's when it runs as the repo's owner…
    expect(siteProcesses([hidden], 'miner', '/s1/.lotusminer', 1000).map((p) => p.pid)).toEqual([3])
    // …not when another user runs it (root's test node while the site's own miner is stopped).
    expect(siteProcesses([{ ...hidden, uid: 0 }], 'miner', '/s1/.lotusminer', 1000)).toEqual([])
    expect(siteProcesses([{ ...hidden, uid: null }], 'miner', '/s1/.lotusminer', 1000).map((p) => p.pid)).toEqual([3])
  })
})
