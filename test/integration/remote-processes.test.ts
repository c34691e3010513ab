import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listProcesses, lotusRole, repoOf, siteProcesses } from '../../electron/core/remote/processes'
import { discoverEndpoints } from '../../electron/core/lotus/discover'
import { lotusListing, roleProcesses } from '../../electron/core/restart/remote'
import { createSshPool, type ManagedSshPool } from '../../electron/core/ssh/pool'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { startSimSites, type SimSites } from '../support/simSites'

const prompts = { hostKeyUnknown: async () => 'reject' as const, passphrase: async () => null }

describe('remote processes over real SSH (two simulated sites on one host and one login)', () => {
  let sim: SimSites
  let pool: ManagedSshPool
  beforeAll(async () => {
    sim = await startSimSites({ sites: 2, sectors: 50, speed: 60 })
    pool = createSshPool({ configPath: sim.sshConfigPath, prompts, secrets: createMemoryOnlySecretStore() })
  })
  afterAll(async () => {
    await pool?.closeAll()
    await sim?.down()
  })

  it("finds each site's own daemon, miner and workers by their repos", async () => {
    const host = pool.host('site-2', 'site-2')
    const all = await listProcesses(host, { match: 'lotus' })
    const miners = all.filter((p) => lotusRole(p) === 'miner')
    // Both sites' miners run under the same login (other simulated sites on this machine may too).
    expect(miners.filter((p) => sim.sites.some((s) => p.env?.HOME === s.config.home))).toHaveLength(2)
    const d = await discoverEndpoints(host)
    if (!d.miner.ok || !d.daemon.ok) throw new Error('discovery failed')
    const mine = siteProcesses(all, 'miner', d.miner.endpoint.repoPath)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.env?.HOME).toBe(sim.sites[1]!.config.home)
    expect(repoOf(mine[0]!, 'miner')).toBe(d.miner.endpoint.repoPath)
    expect(siteProcesses(all, 'daemon', d.daemon.endpoint.repoPath)).toHaveLength(1)
    expect(all.filter((p) => lotusRole(p) === 'worker' && p.env?.HOME === sim.sites[1]!.config.home).length).toBeGreaterThan(0)
  })

  it("does not take another user's node for the site's stopped miner", async () => {
    const host = pool.host('site-2', 'site-2')
    const d = await discoverEndpoints(host)
    if (!d.miner.ok) throw new Error('discovery failed')
    const repo = d.miner.endpoint.repoPath
    const own = await roleProcesses(host, 'miner', repo)
    expect(own).toHaveLength(1)
    const login = Number((await host.exec({ argv: ['id', '-u'] })).stdout.trim())
    expect(own[0]!.uid).toBe(login)
    expect((await lotusListing(host, [repo])).repoOwner).toBe(login)
    // A `lotus-miner run` of root's (a test's node, another site's user): its environment is unreadable to the login.
    const other = spawn('/bin/sh', ['-c', 'sleep 600; :', 'lotus-miner', 'run'], { stdio: 'ignore' })
    try {
      await host.exec({ argv: ['lotus-miner', 'stop'] })
      let left = own
      for (let i = 0; i < 100 && left.some((p) => p.pid === own[0]!.pid); i++) {
        await new Promise((r) => setTimeout(r, 100))
        left = await roleProcesses(host, 'miner', repo)
      }
      const { processes, repoOwner } = await lotusListing(host, [repo])
      expect(processes.filter((p) => p.pid === other.pid)).toMatchObject([{ env: null, uid: 0 }])
      // The rule on its own, whatever else runs on this machine: root's process is the only unreadable miner here.
      expect(siteProcesses(processes.filter((p) => p.env !== null || p.pid === other.pid), 'miner', repo, repoOwner)).toEqual([])
      expect(siteProcesses(processes.filter((p) => p.env !== null || p.pid === other.pid), 'miner', repo, null).map((p) => p.pid)).toEqual([other.pid])
      // Before: the one unreadable miner process was taken for the site's, and the restart did not start its own.
      expect(left).toEqual([])
    } finally {
      other.kill()
    }
  })
})
