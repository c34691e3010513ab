import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { MinerDeskError } from '../../preload/contract'
import { createSshPool, type ManagedSshPool } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshPrompts } from '../../electron/core/ssh/types'
import { startTestSshd, type TestSshd } from '../support/sshd'

const noPrompts: SshPrompts = {
  hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
  passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
}

describe('the pool: one connection per alias', () => {
  let s: TestSshd
  let http: Server
  let httpPort: number
  const pools: ManagedSshPool[] = []

  beforeAll(async () => {
    s = await startTestSshd({ alias: 'miner' })
    http = createServer((_req, res) => res.end('pong'))
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    httpPort = (http.address() as AddressInfo).port
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()))
  })
  afterAll(async () => {
    http?.close()
    await s?.stop()
  })

  function logins(): number {
    return (readFileSync(s.sshd.logPath, 'utf8').match(/Accepted publickey/g) ?? []).length
  }

  function pool(configPath = s.sshConfigPath): ManagedSshPool {
    const p = createSshPool({ configPath, prompts: noPrompts, secrets: createMemoryOnlySecretStore() }, { hostOptions: { connectTimeoutMs: 3000 } })
    pools.push(p)
    return p
  }

  async function get(host: ReturnType<ManagedSshPool['host']>): Promise<string> {
    const stream = await host.forwardOut('127.0.0.1', httpPort)
    stream.end('GET / HTTP/1.0\r\n\r\n')
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    return Buffer.concat(chunks).toString()
  }

  it('shares one SSH login among every command and tunnel for an alias', async () => {
    const p = pool()
    const before = logins()
    const h = p.host('miner', 'site-m')
    expect(p.host('miner', 'site-m')).toBe(h)
    await Promise.all([
      ...Array.from({ length: 10 }, () => p.host('miner', 'site-m').exec({ argv: ['true'] })),
      get(h),
      get(h),
      get(h)
    ])
    expect(logins() - before).toBe(1)
    expect(h.channelStats()?.peak).toBeLessThanOrEqual(4)
  })

  it('setConfigPath keeps connections whose route is unchanged and replaces the others', async () => {
    const p = pool()
    const h = p.host('miner', 'site-m')
    await h.connect()
    const states: string[] = []
    h.onState((i) => states.push(i.state))
    const base = logins()

    // The same settings in another file: same route, the connection stays.
    const same = join(s.dir, 'same_config')
    writeFileSync(same, readFileSync(s.sshConfigPath))
    p.setConfigPath(same)
    await h.exec({ argv: ['true'] })
    expect(logins()).toBe(base)
    expect(states).toEqual([])

    // A changed option: the old connection is closed, the next one uses the new settings.
    const changed = join(s.dir, 'changed_config')
    writeFileSync(changed, `${readFileSync(s.sshConfigPath, 'utf8')}  ConnectTimeout 9\n`)
    p.setConfigPath(changed)
    expect((await h.exec({ argv: ['echo', 'again'] })).stdout).toBe('again\n')
    expect(logins()).toBe(base + 1)
    expect(states).toContain('idle')
    expect(states.at(-1)).toBe('connected')
  })

  it('a config that goes missing is a config error (no retry loop), and fixing it recovers', async () => {
    const p = pool()
    const h = p.host('miner', 'site-m')
    await h.connect()
    const missing = join(s.dir, 'gone_config')
    p.setConfigPath(missing)
    const err = (await h.exec({ argv: ['true'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('ssh/config')
    expect(err.message).toContain(missing)
    expect(h.info.state).toBe('config-error')
    p.setConfigPath(s.sshConfigPath)
    expect((await h.exec({ argv: ['echo', 'fixed'] })).stdout).toBe('fixed\n')
  })

  it('an alias the config does not know connects to that name, like ssh does', async () => {
    const h = pool().host('no-such-alias.invalid', 'site-n')
    const err = (await h.connect().catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('ssh/unreachable')
    // (Where DNS is unreachable, the lookup can outlast the connect timeout instead.)
    expect(err.message).toMatch(/no-such-alias\.invalid.*could not be resolved|no SSH answer/)
  })

  it('closeAll ends every connection and leaves hosts idle', async () => {
    const p = pool()
    const h = p.host('miner', 'site-m')
    await h.connect()
    await p.closeAll()
    expect(h.info.state).toBe('idle')
    expect(h.channelStats()).toBeNull()
  })
})
