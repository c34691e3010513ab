import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { downSites } from './down'
import { findSiteProcs, pidAlive } from './procs'

/** `down` by PID: SIGTERM, a grace period, SIGKILL for processes that ignore SIGTERM; nothing outside DIR. */
const dir = mkdtempSync(join(tmpdir(), 'md-down-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function startIn(site: string, script: string) {
  const child = spawn('/bin/sh', ['-c', script], { env: { PATH: '/usr/bin:/bin', MDSIM_SITE: site }, stdio: 'ignore', detached: true })
  child.unref()
  return child.pid as number
}

describe('downSites', () => {
  it('stops polite and stubborn processes of the sites under DIR and leaves others alone', async () => {
    mkdirSync(join(dir, 'site-1'))
    writeFileSync(join(dir, 'site-1', 'sim.json'), '{}')
    const polite = startIn(join(dir, 'site-1'), 'exec sleep 60')
    const stubborn = startIn(join(dir, 'site-1'), 'trap "" TERM; while :; do sleep 0.1; done')
    const outsider = startIn(`${dir}-other/site-1`, 'exec sleep 60')
    await new Promise((r) => setTimeout(r, 150))
    expect(findSiteProcs(dir).map((p) => p.pid)).toEqual(expect.arrayContaining([polite, stubborn]))
    const t0 = Date.now()
    const r = await downSites(dir, { graceMs: 500 })
    expect(Date.now() - t0).toBeLessThan(5000)
    const byPid = new Map(r.stopped.map((p) => [p.pid, p]))
    expect(byPid.get(polite)?.killed).toBe(false)
    expect(byPid.get(stubborn)?.killed).toBe(true)
    expect(pidAlive(polite)).toBe(false)
    expect(pidAlive(stubborn)).toBe(false)
    expect(pidAlive(outsider)).toBe(true)
    process.kill(outsider, 'SIGKILL')
    const again = await downSites(dir)
    expect(again.stopped).toEqual([])
  })

  it('refuses a directory without sites', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'md-down-empty-'))
    await expect(downSites(empty)).rejects.toThrow(/holds no simulated sites/)
    rmSync(empty, { recursive: true })
  })
})
