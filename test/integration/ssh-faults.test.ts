import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type MinerDeskError, type ConnectionInfo } from '../../preload/contract'
import { sshFaultSuite, when } from '../support/sshFaults'

describe('faults: sshd dies and comes back', () => {
  const f = sshFaultSuite()

  it('sshd killed during a stream of execs: unreachable at once, back within seconds, nothing re-sent', async () => {
    const host = f.pool().host(f.sshd.alias, 'site-k')
    const states: ConnectionInfo[] = []
    host.onState((i) => states.push(i))
    const ledger = join(f.shared, 'ledger')
    writeFileSync(ledger, '')
    chmodSync(ledger, 0o666)
    let id = 0
    const outcomes: Array<{ id: number; ok: boolean; code?: string }> = []
    let running = true
    const pump = (async () => {
      while (running) {
        const my = ++id
        // Each command leaves its id in the ledger: a command sent twice would show up twice.
        await host.exec({ argv: ['sh', '-c', `echo ${my} >> ${ledger}`] }, { timeoutMs: 5000 }).then(
          () => outcomes.push({ id: my, ok: true }),
          (e: unknown) => outcomes.push({ id: my, ok: false, code: (e as MinerDeskError).code })
        )
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    await new Promise((r) => setTimeout(r, 800))
    expect(host.info.state).toBe('connected')

    const killedAt = Date.now()
    await f.sshd.killAll()
    const unreachableAt = await when(host, 'unreachable', 30_000)
    await new Promise((r) => setTimeout(r, 2500))
    // Commands during the outage fail fast, each one trying to reconnect.
    const during = outcomes.filter((o) => !o.ok)
    expect(during.length).toBeGreaterThan(3)
    expect(new Set(during.map((o) => o.code))).toEqual(new Set(['ssh/unreachable']))

    const restartedAt = Date.now()
    await f.sshd.restart()
    const backAt = await when(host, 'connected', 10_000)
    await new Promise((r) => setTimeout(r, 500))
    running = false
    await pump
    console.log(`killed → unreachable: ${unreachableAt - killedAt} ms; sshd back → connected: ${backAt - restartedAt} ms (commands kept coming)`)
    expect(unreachableAt - killedAt).toBeLessThan(30_000)
    expect(backAt - restartedAt).toBeLessThan(10_000)
    expect(outcomes.at(-1)?.ok).toBe(true)

    const seen = readFileSync(ledger, 'utf8').trim().split('\n').map(Number)
    expect(new Set(seen).size).toBe(seen.length)
    const okIds = outcomes.filter((o) => o.ok).map((o) => o.id)
    for (const okId of okIds) expect(seen).toContain(okId)
    const lost = states.find((i) => i.state === 'unreachable')
    expect(lost?.detail).toMatch(/connection lost/)
    expect(lost?.attempt).toBe(1)
    expect(lost?.nextRetryAt).toBeGreaterThan(lost?.since ?? 0)
  })

  it('an idle host finds sshd again by backoff alone', async () => {
    const host = f.pool().host(f.sshd.alias, 'site-i')
    await host.connect()
    await f.sshd.killAll()
    await when(host, 'unreachable', 5000)
    await new Promise((r) => setTimeout(r, 8000))
    const attempts = host.info.attempt ?? 0
    expect(attempts).toBeGreaterThanOrEqual(3)
    const restartedAt = Date.now()
    await f.sshd.restart()
    const backAt = await when(host, 'connected', 10_000)
    console.log(`idle host, 8 s outage (${attempts} attempts): sshd back → connected by backoff in ${backAt - restartedAt} ms`)
    // ≤ 5 s of backoff (plus jitter) and a login, on a machine that may be busy.
    expect(backAt - restartedAt).toBeLessThan(9000)
  })
})
