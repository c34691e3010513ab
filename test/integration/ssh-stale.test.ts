import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type MinerDeskError, type ConnectionInfo, type ConnectionStateName } from '../../preload/contract'
import { sshFaultSuite, when } from '../support/sshFaults'

describe('faults: sshd freezes, or is not there', () => {
  const f = sshFaultSuite()

  it('a frozen sshd: stale, then unreachable when keepalives go unanswered, then back', async () => {
    const p = f.pool({ hostOptions: { keepaliveIntervalMs: 500, deadAfterMs: 2500, connectTimeoutMs: 1500 } })
    const host = p.host(f.sshd.alias, 'site-f')
    await host.connect()
    const seen: ConnectionStateName[] = []
    host.onState((i) => seen.push(i.state))
    const frozenAt = Date.now()
    f.sshd.freeze()
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
      f.sshd.thaw()
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
    const cfg = join(f.shared, 'dead_config')
    writeFileSync(cfg, `Host dead\n  HostName 127.0.0.1\n  Port ${port}\n  StrictHostKeyChecking yes\n  UserKnownHostsFile ${f.sshd.knownHostsPath}\n`)
    const host = f.pool({}, cfg).host('dead', 'site-d')
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
