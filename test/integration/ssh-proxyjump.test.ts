import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MinerDeskError } from '../../preload/contract'
import { createSshPool, type ManagedSshPool } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshPrompts } from '../../electron/core/ssh/types'
import { writeEd25519KeyPair } from '../../electron/sim/ssh/keys'
import { startTestSshd, type TestSshd } from '../support/sshd'

const noPrompts: SshPrompts = {
  hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
  passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
}

/** Remote ports of this process's established TCP connections (from `ss`). */
function myTcpPeers(): string[] {
  const out = execFileSync('ss', ['-tnpH', 'state', 'established'], { encoding: 'utf8' })
  return out
    .split('\n')
    .filter((l) => l.includes(`pid=${process.pid},`))
    .map((l) => l.trim().split(/\s+/)[3] as string)
}

describe('ProxyJump through two hops (three real sshds)', () => {
  let a: TestSshd
  let b: TestSshd
  let c: TestSshd
  let dir: string
  const pools: ManagedSshPool[] = []

  beforeAll(async () => {
    ;[a, b, c] = await Promise.all([
      startTestSshd({ alias: 'A', listenAddress: '127.0.0.1' }),
      startTestSshd({ alias: 'B', listenAddress: '127.0.0.2' }),
      startTestSshd({ alias: 'C', listenAddress: '127.0.0.3' })
    ])
    dir = mkdtempSync(join(tmpdir(), 'md-jump-'))
    chmodSync(dir, 0o777)
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()))
  })
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), c?.stop()])
    rmSync(dir, { recursive: true, force: true })
  })

  function entry(t: TestSshd, knownHosts = t.knownHostsPath): string[] {
    return [
      `Host ${t.alias}`,
      `  HostName ${t.host}`,
      `  Port ${t.port}`,
      `  User ${t.user.name}`,
      `  IdentityFile ${t.clientKeyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHosts}`,
      '  StrictHostKeyChecking yes'
    ]
  }

  function config(name: string, bKnownHosts?: string): string {
    const path = join(dir, name)
    writeFileSync(path, [...entry(c), '  ProxyJump A,B', ...entry(a), ...entry(b, bKnownHosts), ''].join('\n'))
    return path
  }

  function pool(path: string): ManagedSshPool {
    const p = createSshPool({ configPath: path, prompts: noPrompts, secrets: createMemoryOnlySecretStore() })
    pools.push(p)
    return p
  }

  it('reaches C via A and B, holding a TCP connection to A only', async () => {
    const host = pool(config('ok')).host('C', 'site-c')
    const before = myTcpPeers()
    const r = await host.exec({ argv: ['sh', '-c', 'echo "$SSH_CONNECTION"'] })
    expect(r.code).toBe(0)
    // sshd on C saw the connection arrive at 127.0.0.3 on its port.
    expect(r.stdout.trim().split(' ').slice(2)).toEqual([c.host, String(c.port)])
    expect(host.info.state).toBe('connected')
    expect(host.info.detail).toBe(`connected to ${c.user.name}@${c.host}:${c.port} via A, B`)
    const added = myTcpPeers().filter((p) => !before.includes(p))
    expect(added).toEqual([`${a.host}:${a.port}`])
    // Tunnels and many commands share that one chain.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => host.exec({ argv: ['echo', String(i)] })))
    expect(results.map((x) => x.stdout.trim())).toEqual(['0', '1', '2', '3', '4', '5', '6', '7'])
    expect(myTcpPeers().filter((p) => !before.includes(p))).toEqual([`${a.host}:${a.port}`])
  })

  it('checks every hop\'s host key: a changed key at B refuses C and runs nothing', async () => {
    const wrongKh = join(dir, 'b_wrong_known_hosts')
    const wrong = writeEd25519KeyPair(join(dir, 'wrong_b'), 'wrong')
    writeFileSync(wrongKh, `[${b.host}]:${b.port} ${wrong.publicLine}\n`)
    const host = pool(config('bad-b', wrongKh)).host('C', 'site-c')
    const marker = join(dir, 'ran-on-c')
    const err = (await host.exec({ argv: ['touch', marker] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('ssh/host-key-changed')
    expect(err.message).toContain('(B)')
    expect(host.info.state).toBe('host-key-changed')
    expect(host.info.hostKey?.host).toBe(b.host)
    expect(existsSync(marker)).toBe(false)
  })

  it('a hop that cannot reach the next one is unreachable, naming the hop', async () => {
    await b.kill()
    try {
      const host = pool(config('b-down')).host('C', 'site-c')
      const err = (await host.connect().catch((e: unknown) => e)) as MinerDeskError
      expect(err.code).toBe('ssh/unreachable')
      expect(err.message).toMatch(/jump host A could not reach 127\.0\.0\.2:\d+ \(B\): Connection refused/)
      expect(host.info.state).toBe('unreachable')
    } finally {
      await b.restart()
    }
  })
})
