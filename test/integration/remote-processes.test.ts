import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listProcesses, lotusRole, repoOf, siteProcesses } from '../../electron/core/remote/processes'
import { discoverEndpoints } from '../../electron/core/lotus/discover'
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
})
