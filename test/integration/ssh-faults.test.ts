import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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

describe('faults: sshd dies and comes back', () => {
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

  it('sshd killed during a stream of execs: unreachable at once, back within seconds, nothing re-sent', async () => {
    const host = pool().host(s.alias, 'site-k')
    const states: ConnectionInfo[] = []
    host.onState((i) => states.push(i))
    const ledger = join(shared, 'ledger')
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
    await s.killAll()
    const unreachableAt = await when(host, 'unreachable', 30_000)
    await new Promise((r) => setTimeout(r, 2500))
    // Commands during the outage fail fast, each one trying to reconnect.
    const during = outcomes.filter((o) => !o.ok)
    expect(during.length).toBeGreaterThan(3)
    expect(new Set(during.map((o) => o.code))).toEqual(new Set(['ssh/unreachable']))

    const restartedAt = Date.now()
    await s.restart()
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
    const host = pool().host(s.alias, 'site-i')
    await host.connect()
    await s.killAll()
    await when(host, 'unreachable', 5000)
    await new Promise((r) => setTimeout(r, 8000))
    const attempts = host.info.attempt ?? 0
    expect(attempts).toBeGreaterThanOrEqual(3)
    const restartedAt = Date.now()
    await s.restart()
    const backAt = await when(host, 'connected', 10_000)
    console.log(`idle host, 8 s outage (${attempts} attempts): sshd back → connected by backoff in ${backAt - restartedAt} ms`)
    // ≤ 5 s of backoff (plus jitter) and a login, on a machine that may be busy.
    expect(backAt - restartedAt).toBeLessThan(9000)
  })
})
