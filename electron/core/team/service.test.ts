import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LOCK_HEARTBEAT_SEC, STALE_LOCK_SEC, type AppSettings } from '../../../preload/contract'
import type { EventBus } from '../runtime/eventBus'
import type { SitesRuntime } from '../runtime/sitesRuntime'
import type { SettingsStore } from '../settings/store'
import type { ExecResult, SshCommand, SshHost } from '../ssh/types'
import { TeamService } from './service'

/**
 * The restart lock's script run for real by `sh` in a scratch HOME (what the site's login runs
 * over SSH), driven by two TeamServices as two operators: one of two gets it, the heartbeat
 * keeps it fresh, the same run takes it again on resume, and only a stale lock can be broken.
 */

let home: string
const lockDir = () => join(home, '.minerdesk', 'restart.lock')
const nowSec = () => Math.floor(Date.now() / 1000)

function localHost(): SshHost {
  return {
    alias: 'site-a',
    exec(cmd: SshCommand): Promise<ExecResult> {
      if (!('argv' in cmd)) throw new Error('the lock runs an argv')
      const [file, ...args] = cmd.argv
      return new Promise((done) => {
        execFile(file!, args, { env: { ...process.env, HOME: home } }, (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
          done({ code, signal: null, stdout, stderr, truncated: false })
        })
      })
    }
  } as unknown as SshHost
}

function operator(name: string): TeamService {
  const host = localHost()
  const sites = { ids: () => ['site-a'], get: () => ({ host, config: { id: 'site-a', readOnly: false } }) } as unknown as SitesRuntime
  const store = { getSettings: () => ({ operatorName: name }) as AppSettings } as unknown as SettingsStore
  const events = { emit: () => undefined } as unknown as EventBus
  return new TeamService(sites, store, events)
}

const RUN_A = '0b0a0000-0000-4000-8000-00000000000a'
const RUN_B = '0b0b0000-0000-4000-8000-00000000000b'

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'md-lock-'))
})
afterEach(() => {
  vi.useRealTimers()
  rmSync(home, { recursive: true, force: true })
})

describe('the restart lock on the site host', () => {
  it('of two operators taking it at once, exactly one gets it; the other is told who holds it', async () => {
    const [alice, bob] = [operator('alice'), operator('bob')]
    const got = await Promise.allSettled([alice.acquire('site-a', RUN_A, 'cli'), bob.acquire('site-a', RUN_B, 'cli')])
    expect(got.filter((g) => g.status === 'fulfilled')).toHaveLength(1)
    const refused = got.find((g) => g.status === 'rejected')!
    const winner = got[0]!.status === 'fulfilled' ? 'alice' : 'bob'
    expect(refused.reason).toMatchObject({ code: 'site/locked', message: expect.stringContaining(winner) })
    expect(JSON.parse(readFileSync(join(lockDir(), 'owner'), 'utf8'))).toMatchObject({ operator: winner, pid: process.pid, via: 'cli' })
    alice.close()
    bob.close()
  })

  it('keeps its heartbeat fresh while the run lasts, and lets go at the end', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const alice = operator('alice')
    await alice.acquire('site-a', RUN_A, 'electron')
    // As if the last beat were long ago: the next one, LOCK_HEARTBEAT_SEC later, writes now.
    writeFileSync(join(lockDir(), 'heartbeat'), `${nowSec() - 200}\n`)
    vi.advanceTimersByTime(LOCK_HEARTBEAT_SEC * 1000)
    await vi.waitFor(() => expect(Number(readFileSync(join(lockDir(), 'heartbeat'), 'utf8'))).toBeGreaterThanOrEqual(nowSec() - 5), { timeout: 5000 })
    expect((await alice.lockStatus('site-a'))?.stale).toBe(false)
    await alice.release('site-a', RUN_A)
    expect(await alice.lockStatus('site-a')).toBeNull()
    alice.close()
  })

  it('is taken again by the same run on resume (after its MinerDesk died), and by no other run', async () => {
    const before = operator('alice')
    await before.acquire('site-a', RUN_A, 'cli')
    const since = readFileSync(join(lockDir(), 'since'), 'utf8')
    before.pause(RUN_A)
    writeFileSync(join(lockDir(), 'heartbeat'), `${nowSec() - STALE_LOCK_SEC - 60}\n`)
    // Its MinerDesk started again: the run resumes and takes its lock back, fresh.
    const after = operator('alice')
    const lock = await after.acquire('site-a', RUN_A, 'cli')
    expect(lock).toMatchObject({ operator: 'alice', run: RUN_A, stale: false })
    expect(readFileSync(join(lockDir(), 'since'), 'utf8')).toBe(since)
    await expect(operator('bob').acquire('site-a', RUN_B, 'cli')).rejects.toMatchObject({ code: 'site/locked' })
    before.close()
    after.close()
  })

  it('is broken only when stale and still the one seen; a broken holder\'s heartbeat does not bring it back', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const [alice, bob] = [operator('alice'), operator('bob')]
    await alice.acquire('site-a', RUN_A, 'cli')
    await expect(bob.breakLock('site-a', RUN_A)).rejects.toMatchObject({ code: 'mutation/refused', message: expect.stringContaining('alive') })
    await expect(bob.breakLock('site-a', RUN_B)).rejects.toMatchObject({ code: 'mutation/refused', message: expect.stringContaining('another restart') })
    writeFileSync(join(lockDir(), 'heartbeat'), `${nowSec() - STALE_LOCK_SEC - 1}\n`)
    expect((await bob.lockStatus('site-a'))?.stale).toBe(true)
    expect(await bob.breakLock('site-a', RUN_A)).toBe('broken')
    await bob.acquire('site-a', RUN_B, 'cli')
    // Alice's MinerDesk wakes up: its heartbeat finds the lock lost and leaves Bob's alone.
    const warn = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    vi.advanceTimersByTime(LOCK_HEARTBEAT_SEC * 1000)
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('was broken by another operator')), { timeout: 5000 })
    expect(JSON.parse(readFileSync(join(lockDir(), 'owner'), 'utf8'))).toMatchObject({ operator: 'bob', run: RUN_B })
    await alice.release('site-a', RUN_A)
    expect((await bob.lockStatus('site-a'))?.operator).toBe('bob')
    warn.mockRestore()
    alice.close()
    bob.close()
  })
})
