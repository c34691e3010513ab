import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { attachSites, downSites, siteStatus, upSites, type UpProgress } from '../../electron/sim/front'
import { findSiteProcs } from '../../electron/sim/front/procs'
import { simBundle } from '../support/simSites'

/**
 * The programmatic API the app's embedded demo uses: upSites with progress callbacks and the
 * in-process ssh2 server living in the caller, attachSites to reuse running sites, downSites
 * from the same process closing the in-process servers.
 */
/** OpenSSH's client, asynchronously: the ssh2 server it talks to runs in this very process. */
function ssh(config: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    p.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

const dir = join(mkdtempSync(join(tmpdir(), 'md-sim-api-')), 'demo')
chmodSync(join(dir, '..'), 0o755)

afterAll(async () => {
  await downSites(dir).catch(() => undefined)
  rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe('sim front API (embedded demo)', () => {
  it('starts sites in-process with progress, serves SSH from this process, and stops them again', async () => {
    const events: UpProgress[] = []
    const r = await upSites({ dir, sites: 2, sectors: 100, speed: 60, ssh: 'ssh2', bundle: await simBundle(), node: process.execPath, onProgress: (p) => events.push(p) })
    expect(r.sshMode).toBe('ssh2')
    expect(r.sites.map((s) => s.alias)).toEqual(['site-1', 'site-2'])
    expect(events.some((e) => e.site === 'site-2' && /starting lotus daemon/.test(e.message))).toBe(true)
    expect(events.at(-1)?.message).toMatch(/2 site\(s\) up in \d+ ms/)

    const jobs = await ssh(r.sshConfigPath, ['site-1', 'lotus-miner sealing jobs'])
    expect(jobs.status, jobs.stderr).toBe(0)
    expect(jobs.stdout.split('\n')[0]).toMatch(/^ID\s+Sector\s+Worker/)

    const again = attachSites(dir)
    expect(again?.sites.map((s) => [s.alias, s.pids.daemon, s.pids.miner])).toEqual(r.sites.map((s) => [s.alias, s.pids.daemon, s.pids.miner]))
    expect(siteStatus(dir).sites.every((s) => s.daemon !== null && s.miner !== null)).toBe(true)

    const d = await downSites(dir)
    expect(d.ssh2Host).toBe('in-process')
    expect(findSiteProcs(d.dir)).toEqual([])
    expect(attachSites(dir)).toBeNull()
    const refused = await ssh(r.sshConfigPath, ['-o', 'ConnectTimeout=3', 'site-1', 'true'])
    expect(refused.status).toBe(255)
  }, 120_000)
})
