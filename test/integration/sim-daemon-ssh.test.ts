import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SyncState } from '../../preload/contract/lotus/types'
import { epochsMs, startSimSites, type SimSites } from '../support/simSites'

/** The simulator's speed factor: an epoch is 250 ms. */
const SPEED = 120

/**
 * The runbook's daemon commands over real SSH on a site brought up with `npm run sim -- up`:
 * `lotus sync status`, `lotus net peers`, `lotus mpool pending --local`, and the restart order's
 * daemon half — `lotus daemon stop`, `nohup lotus daemon >> daemon.log &`, `lotus sync wait`.
 */

let sim: SimSites

beforeAll(async () => {
  sim = await startSimSites({ sites: 1, speed: SPEED, sectors: 300, scenarios: ['stuck-message'] })
}, 120_000)

afterAll(async () => {
  await sim?.down()
})

describe('lotus over SSH (runbook §3, §6)', () => {
  it('answers the runbook\'s daemon commands', async () => {
    const status = await sim.sshOk('site-1', 'lotus sync status')
    expect(status).toMatch(/^sync status:\nworker \d+:\n\tBase:\t\[bafy2bzace/)
    const peers = await sim.sshOk('site-1', 'lotus net peers')
    expect(peers.trim().split('\n').length).toBeGreaterThan(10)
    const scores = await sim.sshOk('site-1', 'lotus net scores')
    expect(scores).toMatch(/^12D3KooW\w+, -?\d+\.\d{6}\n/)
    const local = await sim.sshOk('site-1', 'lotus mpool pending --local')
    expect(local).toContain('"GasPremium": "1012"')
    const v = await sim.sshOk('site-1', 'lotus version')
    expect(v).toMatch(/^Daemon: {2}v1\.36\.2-dev\+mainnet\+git\.b835fab70\+api1\.5\.0\nLocal: lotus version v1\.36\.2-dev\+mainnet\+git\.b835fab70\n$/)
  })

  it('stops the daemon, starts it again with nohup, and waits for sync', async () => {
    expect(await sim.ssh('site-1', 'lotus daemon stop')).toMatchObject({ code: 0, stdout: '' })
    const down = await sim.ssh('site-1', 'lotus net peers')
    expect(down).toMatchObject({ code: 1, stderr: 'ERROR: could not get API info for FullNode: could not get api endpoint: API not running (no endpoint)\n\n' })
    await new Promise((r) => setTimeout(r, epochsMs(8, SPEED))) // eight epochs of downtime
    await sim.sshOk('site-1', 'nohup lotus daemon >> daemon.log 2>&1 &')
    await sim.sshOk('site-1', 'lotus wait-api --timeout 20s')
    const wait = await sim.sshOk('site-1', 'lotus sync wait', { timeoutMs: 60_000 })
    expect(wait.endsWith('\nDone!\n')).toBe(true)
    const st = await sim.rpc<SyncState>('site-1', 'daemon', 'SyncState')
    expect(st.ActiveSyncs.every((s) => s.Stage === 4 || s.Stage === 1 || s.Stage === 3)).toBe(true)
    const log = await sim.sshOk('site-1', 'grep -c "selected initial sync target" daemon.log')
    expect(Number(log.trim())).toBeGreaterThanOrEqual(2)
  }, 90_000)
})
