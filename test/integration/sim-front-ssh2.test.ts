import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findSiteProcs, pidAlive } from '../../electron/sim/front/procs'
import { readSimState } from '../../electron/sim/front/state'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * The in-process ssh2 fallback (forced with --ssh ssh2), driven by OpenSSH's client exactly like
 * the sshd path: the runbook's commands, a miner stop/restart over SSH, JSON-RPC through
 * `ssh -L`, and `down` stopping the foreground `up` process that hosts the servers.
 */
const JOBS_HEADER = /^ID\s+Sector\s+Worker\s+Hostname\s+Task\s+State\s+Time\s*$/

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function until(what: string, fn: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`)
    await sleep(200)
  }
}

describe('sim front: in-process ssh2 server', () => {
  let sim: SimSites

  beforeAll(async () => {
    sim = await startSimSites({ sites: 2, speed: 120, sectors: 200, ssh: 'ssh2' })
  })
  afterAll(async () => {
    await sim?.down()
  })

  it('serves the sites from the foreground `up` process', () => {
    expect(sim.sshMode).toBe('ssh2')
    const state = readSimState(sim.dir)
    expect(state?.ssh.hostPid).toBeGreaterThan(0)
    expect(pidAlive(state?.ssh.hostPid as number)).toBe(true)
    expect(state?.sites.every((s) => s.pids.sshd === null)).toBe(true)
  })

  it('runs `lotus-miner sealing jobs` with the same login environment', async () => {
    const out = await sim.sshOk('site-2', 'lotus-miner sealing jobs')
    expect(out.split('\n')[0]).toMatch(JOBS_HEADER)
    const env = await sim.sshOk('site-2', 'pwd; echo "$MDSIM_SITE"; command -v lotus')
    expect(env.trim().split('\n')).toEqual([join(sim.site('site-2').siteDir, 'home'), sim.site('site-2').siteDir, join(sim.site('site-2').siteDir, 'bin/lotus')])
    expect((await sim.ssh('site-2', 'exit 4')).code).toBe(4)
  })

  it('stops and restarts a miner over SSH, with a new warm-up in miner.log', async () => {
    const site = sim.site('site-1')
    const log = join(site.siteDir, 'home/miner.log')
    await sim.sshOk('site-1', 'lotus-miner stop')
    await until('miner gone', () => !findSiteProcs(site.siteDir).some((p) => p.role === 'miner'))
    expect((await sim.sshOk('site-2', 'lotus-miner sealing jobs')).split('\n')[0]).toMatch(JOBS_HEADER)
    const before = readFileSync(log, 'utf8').split('starting winning PoSt warmup').length
    await sim.sshOk('site-1', 'nohup lotus-miner run >> miner.log 2>&1 &', { timeoutMs: 10_000 })
    await until('warm-up logged', () => readFileSync(log, 'utf8').split('starting winning PoSt warmup').length > before)
    await until('miner answers', async () => (await sim.ssh('site-1', 'lotus-miner sealing jobs')).code === 0)
  })

  it('forwards JSON-RPC through `ssh -L`', async () => {
    const v = await sim.rpc<{ APIVersion: number }>('site-1', 'daemon', 'Version')
    expect(v.APIVersion).toBe(131840)
    const w = await sim.rpc<number>('site-1', { worker: 'site-1-pc1' }, 'Version')
    expect(w).toBe(67328)
  })

  it('down stops the sites and the ssh2 host process', async () => {
    const host = readSimState(sim.dir)?.ssh.hostPid as number
    await sim.down()
    expect(findSiteProcs(sim.dir)).toEqual([])
    expect(pidAlive(host)).toBe(false)
  })
})
