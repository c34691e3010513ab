import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { procState } from '../front/procs'
import { lockRepo, unlockRepo } from './repo'

/**
 * repo.lock as Lotus's fslock behaves: a live holder refuses a second process; a holder that has
 * exited, even one its parent has not reaped yet, does not.
 */

const repos: string[] = []
const procs: ChildProcess[] = []

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-repo-'))
  repos.push(dir)
  return dir
}

afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL')
  for (const d of repos.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('repo lock', () => {
  it('takes over the lock of a process that is gone, and refuses a live holder', () => {
    const r = repo()
    writeFileSync(join(r, 'repo.lock'), '999999999')
    lockRepo(r, 'process is')
    expect(readFileSync(join(r, 'repo.lock'), 'utf8')).toBe(String(process.pid))

    const live = spawn('sleep', ['30'])
    procs.push(live)
    writeFileSync(join(r, 'repo.lock'), String(live.pid))
    expect(() => lockRepo(r, 'process is')).toThrow('repo is already locked (process is already running)')
    // Not ours: left alone.
    unlockRepo(r)
    expect(readFileSync(join(r, 'repo.lock'), 'utf8')).toBe(String(live.pid))
  })

  it.runIf(process.platform === 'linux')('takes over the lock of an exited process its parent has not reaped (a zombie)', async () => {
    // The shell starts a short sleep and becomes a long one that never waits for it.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
    procs.push(parent)
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim()))))
    for (let i = 0; i < 100 && procState(pid) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 20))
    expect(procState(pid)).toBe('Z')
    const r = repo()
    writeFileSync(join(r, 'repo.lock'), String(pid))
    lockRepo(r, 'process is')
    expect(readFileSync(join(r, 'repo.lock'), 'utf8')).toBe(String(process.pid))
  })
})
