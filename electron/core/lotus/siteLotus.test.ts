import { afterEach, describe, expect, it } from 'vitest'
import { SiteLotus } from './siteLotus'
import { startFakeSite, type FakeSite } from '../../../test/support/lotus/fakeSite'

let site: FakeSite | null = null
let lotus: SiteLotus | null = null
afterEach(async () => {
  await lotus?.close()
  await site?.stop()
  site = null
  lotus = null
})

const settle = () => new Promise((r) => setTimeout(r, 100))

async function setup(o: { rediscoverIntervalMs?: number } = {}) {
  site = await startFakeSite({ alias: 'site-x' })
  lotus = new SiteLotus({ host: site.host, rediscoverIntervalMs: o.rediscoverIntervalMs ?? 0 })
  return { site, lotus }
}

describe('SiteLotus', () => {
  it('discovers once, then calls both nodes over kept-alive streams', async () => {
    const { site, lotus } = await setup()
    expect((await lotus.full.version()).APIVersion).toBe(131840)
    expect(await lotus.miner.actorAddress()).toBe('f01234')
    for (let i = 0; i < 5; i++) await Promise.all([lotus.full.chainHead(), lotus.miner.session()])
    expect(site.host.counters.execs).toBe(1)
    expect(site.daemon.connections).toBe(1)
    expect(site.miner.connections).toBe(1)
  })

  it('after a daemon restart on a new port: the failing call is not retried, the next one goes to the new port', async () => {
    const { site, lotus } = await setup()
    await lotus.full.chainHead()
    const old = site.daemon
    await site.stopNode('daemon')
    const next = await site.restartNode('daemon')
    expect(next.port).not.toBe(old.port)
    await settle() // a real restart takes seconds: the old stream's close has arrived by then
    await expect(lotus.full.chainHead()).rejects.toMatchObject({ code: 'lotus/daemon-down' })
    expect(next.calls).toEqual([])
    expect(await lotus.full.chainHead()).toMatchObject({ Height: site.state.height })
    expect(next.calls).toEqual(['ChainHead'])
    expect(site.host.counters.execs).toBe(2)
  })

  it('after a restart that wrote a new token (401): rediscovers and the next call is authorised', async () => {
    const { site, lotus } = await setup()
    await lotus.miner.session()
    await site.restartNode('miner', { samePort: true, newToken: 'eyJhbGciOiJIUzI1NiJ9.new.token' })
    await settle()
    await expect(lotus.miner.session()).rejects.toMatchObject({ code: 'lotus/unauthorized' })
    expect(await lotus.miner.session()).toBe(site.state.session)
  })

  it('keeps the daemon usable while the miner is not running, and finds the miner once it starts', async () => {
    site = await startFakeSite()
    site.removeApiFile('miner')
    lotus = new SiteLotus({ host: site.host, rediscoverIntervalMs: 50 })
    await expect(lotus.miner.session()).rejects.toMatchObject({ code: 'lotus/no-api-info', message: 'no api file in ~/.lotusminer: is lotus-miner running?' })
    expect(await lotus.full.id()).toMatch(/^12D3KooW/)
    // Within the rate limit the cached answer stands (no discovery storm)…
    await expect(lotus.miner.session()).rejects.toMatchObject({ code: 'lotus/no-api-info' })
    expect(site.host.counters.execs).toBe(1)
    site.writeRepo('miner', site.miner.port)
    await new Promise((r) => setTimeout(r, 60))
    // …and after it the miner is found.
    expect(await lotus.miner.session()).toBe(site.state.session)
    expect(site.host.counters.execs).toBe(2)
  })

  it('checks versions once per miner session and names both when one is too old', async () => {
    const { site, lotus } = await setup()
    const v1 = await lotus.versionCheck()
    expect(v1.problem).toBeNull()
    await lotus.versionCheck()
    expect(site.miner.calls.filter((c) => c === 'Version')).toHaveLength(1)

    site.miner.setMethod('Version', { perm: 'read', params: 0, handler: () => ({ Version: '1.17.0+mainnet', APIVersion: (1 << 16) | (4 << 8), BlockDelay: 30, Agent: 'lotus' }) })
    site.state.session = '11111111-2222-3333-4444-555555555555'
    const v2 = await lotus.versionCheck()
    expect(v2.problem).toMatchObject({
      code: 'lotus/version-too-old',
      params: { minerApi: '1.4.0', daemonApi: '2.3.0', minerVersion: '1.17.0+mainnet', daemonVersion: '1.36.2-dev+mainnet+git.b835fab7' }
    })
    expect(v2.problem!.message).toMatch(/miner API 1\.4\.0 < 1\.5\.0/)
    await expect(lotus.assertCompatible()).rejects.toMatchObject({ code: 'lotus/version-too-old' })
  })

  it('rediscovers when a stream dies under a call (restart racing the call)', async () => {
    const { site, lotus } = await setup()
    await lotus.full.chainHead()
    const next = await site.restartNode('daemon') // no settle: the call may race the old stream's close
    const first = await lotus.full.chainHead().then(() => 'ok', (e: { code: string }) => e.code)
    expect(['lotus/daemon-down', 'lotus/rpc']).toContain(first)
    expect(await lotus.full.chainHead()).toBeTruthy()
    expect(next.calls).toEqual(['ChainHead'])
  })

  it('reports an unreachable host as the SSH error, and looks the endpoints up again once it is back', async () => {
    const { site, lotus } = await setup()
    await lotus.full.chainHead()
    site.host.setReachable(false)
    await settle() // the dropped connection's streams have closed
    await expect(lotus.full.chainHead()).rejects.toMatchObject({ code: 'ssh/unreachable' })
    // Meanwhile the machine "rebooted": the daemon listens elsewhere now.
    await site.stopNode('daemon')
    const next = await site.restartNode('daemon')
    site.host.setReachable(true)
    expect(await lotus.full.chainHead()).toBeTruthy()
    expect(next.calls).toEqual(['ChainHead'])
    expect(site.host.counters.execs).toBe(2)
  })
})
