import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { ConnectionStateName } from '../../preload/contract'
import { createSshPool, type ManagedSshPool, type SshPoolInternals } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshHost, SshPrompts } from '../../electron/core/ssh/types'
import { startTestSshd, type TestSshd } from './sshd'

/**
 * TEST-ONLY: what the SSH fault tests share: a real sshd that the test kills, freezes or
 * restarts, a world-writable scratch directory, pools closed after every test, and no error
 * escaping as an unhandled rejection or exception.
 */

export const noPrompts: SshPrompts = {
  hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
  passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
}

/** Resolves with the time a host first reports `state` (checked now, then on every change). */
export function when(host: SshHost, state: ConnectionStateName, timeoutMs: number): Promise<number> {
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

export interface SshFaultSuite {
  readonly sshd: TestSshd
  /** A scratch directory every user can write (the remote side writes there too). */
  readonly shared: string
  /** A pool over the sshd's config (or `configPath`), closed after the test. */
  pool(internals?: SshPoolInternals, configPath?: string): ManagedSshPool
}

/** Registers the suite's hooks in the calling `describe`. */
export function sshFaultSuite(): SshFaultSuite {
  let sshd: TestSshd | undefined
  let shared = ''
  const pools: ManagedSshPool[] = []
  const unhandled: unknown[] = []
  const onUnhandled = (e: unknown): void => void unhandled.push(e)

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled)
    process.on('uncaughtException', onUnhandled)
    sshd = await startTestSshd()
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
    sshd?.thaw()
    await sshd?.stop()
    if (shared) rmSync(shared, { recursive: true, force: true })
  })

  return {
    get sshd() {
      if (!sshd) throw new Error('sshd not started yet')
      return sshd
    },
    get shared() {
      return shared
    },
    pool(internals: SshPoolInternals = {}, configPath?: string): ManagedSshPool {
      const p = createSshPool({ configPath: configPath ?? this.sshd.sshConfigPath, prompts: noPrompts, secrets: createMemoryOnlySecretStore() }, internals)
      pools.push(p)
      return p
    }
  }
}
