import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MinerDeskError, type ConnectionInfo, type ConnectionStateName } from '../../preload/contract'
import { createSshPool, type ManagedSshPool, type SshPoolInternals } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshHost, SshPrompts } from '../../electron/core/ssh/types'
import { startTestSshd, type TestSshd } from '../support/sshd'

const noPrompts: SshPrompts = {
  hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
  passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
}

/** Resolves with the time a host first reports `state` (checked now, then on every change). */
function when(host: SshHost, state: ConnectionStateName, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    if (host.info.state === state) return resolve(Date.now())
    const timer = setTimeout(() => {
      off()
      reject(new Error(`no ${state} within ${timeoutMs} ms (now ${host.info.state}: ${host.info.detail})`))
    }, timeoutMs)
    const off = host.onState((i) => {
      if (i.state !== state) return
      clearTimeout(timer)
      off()
      resolve(Date.now())
    })
  })
}

describe('faults: sshd freezes, or is not there', () => {
  let s: TestSshd
  let shared: string
  const pools: ManagedSshPool[] = []
  const unhandled: unknown[] = []
  const onUnhandled = (e: unknown): void => void unhandled.push(e)

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    process.on('uncaughtException', onUnhandled)
    s = await startTestSshd()
    shared = mkdtempSync(join(tmpdir(), 'md-faults-'))
    chmodSync(shared, 0o777)
  })
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.closeAll()))
    expect(unhandled).toEqual([])
  })
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled)
    process.off('uncaughtException', onUnhandled)
    s?.thaw()
    await s?.stop()
    rmSync(shared, { recursive: true, force: true })
  })

  function pool(internals: SshPoolInternals = {}, configPath = s.sshConfigPath): ManagedSshPool {
    const p = createSshPool({ configPath, prompts: noPrompts, secrets: createMemoryOnlySecretStore() }, internals)
    pools.push(p)
    return p
  }

  it('a frozen sshd: stale, then unreachable when keepalives go unanswered, then back', async () => {
    const p = pool({ hostOptions: { keepaliveIntervalMs: 500, deadAfterMs: 2500, connectTimeoutMs: 1500 } })
    const host = p.host(s.alias, 'site-f')
    await host.connect()
    const seen: ConnectionStateName[] = []
    host.onState((i) => seen.push(i.state))
    const frozenAt = Date.now()
    s.freeze()
    try {
      const pending = host.exec({ argv: ['echo', 'into the void'] }).catch((e: unknown) => e)
      const staleAt = await when(host, 'stale', 5000)
      const deadAt = await when(host, 'unreachable', 10_000)
      const err = (await pending) as MinerDeskError
      expect(err.code).toBe('ssh/unreachable')
      console.log(`frozen sshd: stale after ${staleAt - frozenAt} ms, unreachable after ${deadAt - frozenAt} ms (keepalive 0.5 s, window 2.5 s)`)
      expect(staleAt - frozenAt).toBeLessThan(2000)
      expect(deadAt - frozenAt).toBeLessThan(4500)
      expect(deadAt).toBeGreaterThan(staleAt)
    } finally {
      s.thaw()
    }
    const thawedAt = Date.now()
    await when(host, 'connected', 10_000)
    console.log(`thawed → connected: ${Date.now() - thawedAt} ms`)
    expect((await host.exec({ argv: ['echo', 'back'] })).stdout).toBe('back\n')
    expect(seen.slice(0, 2)).toEqual(['stale', 'unreachable'])
  })

  it('nothing listening: unreachable with attempt and nextRetryAt, commands fail fast, delays grow', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port
        srv.close(() => resolve(p))
      })
    })
    const cfg = join(shared, 'dead_config')
    writeFileSync(cfg, `Host dead\n  HostName 127.0.0.1\n  Port ${port}\n  StrictHostKeyChecking yes\n  UserKnownHostsFile ${s.knownHostsPath}\n`)
    const host = pool({}, cfg).host('dead', 'site-d')
    const infos: ConnectionInfo[] = []
    host.onState((i) => infos.push(i))
    const t0 = Date.now()
    const err = (await host.exec({ argv: ['true'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(err.code).toBe('ssh/unreachable')
    expect(err.message).toMatch(/connection refused by 127\.0\.0\.1:\d+ \(dead\)/)
    // Retries come after ~1 s and ~2 s more, each ±20 %: wait for the third report rather than a
    // fixed time the jitter (and a busy machine) can overrun.
    const retryReports = (): ConnectionInfo[] => infos.filter((i) => i.state === 'unreachable' && i.nextRetryAt !== undefined)
    const deadline = Date.now() + 10_000
    while (retryReports().length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    const retries = retryReports().slice(0, 3)
    expect(retries.map((i) => i.attempt)).toEqual([1, 2, 3])
    const delays = retries.map((i) => (i.nextRetryAt as number) - i.since)
    // The state keeps its `since` while retrying; the delays are measured from the first failure.
    expect(new Set(retries.map((i) => i.since)).size).toBe(1)
    expect(delays[1]).toBeGreaterThan(delays[0] as number)
    expect(retries[0]?.nextRetryAt).toBeLessThanOrEqual(t0 + 1200 + 500)
  })
})
