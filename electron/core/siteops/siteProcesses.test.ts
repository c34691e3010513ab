import { describe, expect, it } from 'vitest'
import type { RemoteProcess } from '../remote/processes'
import { belongsToSite, pickSiteProcesses, sameProcess, workerMinerPort, workerName, type SiteIdentity } from './siteProcesses'

const HOME = '/home/op'
const proc = (pid: number, argv: string[], env: Record<string, string> | null, loginHome = HOME): RemoteProcess => ({ pid, ppid: 1, state: 'S', startedAt: 1000 + pid, argv, env, loginHome, uid: 1000 })
const site: SiteIdentity = { alias: 'miner-a', daemonRepo: '/home/op/.lotus', minerRepo: '/home/op/.lotusminer', minerPort: 2345 }
const info = (port: number) => `eyJhbGciOiJIUzI1NiJ9.e30.x:/ip4/10.0.0.2/tcp/${port}/http`

describe('which processes belong to the site (wps.sh / killw.sh scope)', () => {
  const mine = proc(10, ['lotus-worker', 'run', '--name', 'PC1:1'], { HOME, MINER_API_INFO: info(2345) })
  const otherSite = proc(11, ['lotus-worker', 'run', '--name=PC1:1'], { HOME, MINER_API_INFO: info(2346) })
  const otherUser = proc(12, ['lotus-worker', 'run', '--name', 'PC1:1'], null)
  const daemon = proc(13, ['lotus', 'daemon'], { HOME })
  const otherDaemon = proc(14, ['lotus', '--repo', '/data/b/.lotus', 'daemon'], { HOME })
  const listing = proc(15, ['sh', '-c', 'for d in /proc/[0-9]*; do …', 'sh', 'PC1:1'], { HOME })

  it('a worker is the site\'s when its MINER_API_INFO points at the site\'s miner port', () => {
    expect(workerMinerPort(mine)).toBe(2345)
    expect(belongsToSite(mine, 'worker-1', site)).toBe(true)
    expect(belongsToSite(otherSite, 'worker-1', site)).toBe(false)
    expect(belongsToSite(otherUser, 'worker-1', site)).toBe(false)
  })

  it('daemon and miner by their repo, and only on the site host', () => {
    expect(belongsToSite(daemon, 'miner-a', site)).toBe(true)
    expect(belongsToSite(daemon, 'worker-1', site)).toBe(false)
    expect(belongsToSite(otherDaemon, 'miner-a', site)).toBe(false)
  })

  it('the miner being down, workers under the login\'s HOME count', () => {
    const down = { ...site, minerPort: null }
    expect(belongsToSite(mine, 'miner-a', down)).toBe(true)
    expect(belongsToSite(proc(16, ['lotus-worker', 'run'], { HOME: '/home/other' }), 'miner-a', down)).toBe(false)
  })

  it('splits a listing into the site\'s processes and how many others were left out (never the listing itself)', () => {
    const r = pickSiteProcesses([mine, otherSite, otherUser, daemon, otherDaemon, listing], 'miner-a', site)
    expect(r.mine.map((p) => p.pid)).toEqual([10, 13])
    expect(r.others).toBe(3)
  })

  it('reads the worker name from --name, --name= or LOTUS_WORKER_NAME', () => {
    expect(workerName(mine)).toBe('PC1:1')
    expect(workerName(otherSite)).toBe('PC1:1')
    expect(workerName(proc(17, ['lotus-worker', 'run'], { LOTUS_WORKER_NAME: 'box7' }))).toBe('box7')
  })

  it('the same process means the same PID and start time', () => {
    expect(sameProcess({ pid: 10, startedAt: 1010 }, mine)).toBe(true)
    expect(sameProcess({ pid: 10, startedAt: 9999 }, mine)).toBe(false)
  })
})
