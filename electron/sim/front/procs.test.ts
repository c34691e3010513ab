import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { classify, findSiteProcs, pidAlive, sshdSite, siteUnder } from './procs'

describe('site processes', () => {
  it('classifies Lotus process titles and argv', () => {
    expect(classify('lotus daemon')).toEqual({ role: 'daemon' })
    expect(classify('/usr/bin/node /d/.sim/sim.cjs lotus daemon')).toEqual({ role: 'daemon' })
    expect(classify('lotus daemon stop')).toEqual({ role: 'other' })
    expect(classify('lotus-miner run')).toEqual({ role: 'miner' })
    expect(classify('lotus-miner sealing jobs')).toEqual({ role: 'other' })
    expect(classify('lotus-worker run --name site-1-pc1 --listen 127.0.0.1:3456')).toEqual({ role: 'worker', worker: 'site-1-pc1' })
    expect(classify('lotus-worker run --listen 127.0.0.1:3456 --name=w2')).toEqual({ role: 'worker', worker: 'w2' })
    expect(classify('sshd: /usr/sbin/sshd -D -e -f /d/site-1/sshd/sshd_config [listener] 0 of 64-128 startups')).toEqual({ role: 'sshd' })
    expect(classify('sleep 600')).toEqual({ role: 'other' })
  })

  it('knows a site sshd by its config path (setproctitle wipes its environment)', () => {
    expect(sshdSite('sshd: /usr/sbin/sshd -D -e -f /tmp/s/site-12/sshd/sshd_config [listener] 0 of 64-128 startups')).toBe('/tmp/s/site-12')
    expect(sshdSite('/usr/sbin/sshd -D -e -f /etc/ssh/sshd_config')).toBeNull()
  })

  it('matches sites under a directory, not under a sibling with the same prefix', () => {
    expect(siteUnder('/tmp/s/site-1', '/tmp/s')).toBe(true)
    expect(siteUnder('/tmp/s/site-1', '/tmp/s/')).toBe(true)
    expect(siteUnder('/tmp/s2/site-1', '/tmp/s')).toBe(false)
  })

  it('finds a process by MDSIM_SITE in its environment, and sees it gone after it is killed', async () => {
    const dir = `/tmp/md-procs-test-${process.pid}`
    const child = spawn('sleep', ['30'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', MDSIM_SITE: `${dir}/site-3` }, stdio: 'ignore' })
    await new Promise((r) => setTimeout(r, 100))
    const found = findSiteProcs(dir)
    expect(found.map((p) => [p.pid, p.site, p.cmdline, p.role])).toEqual([[child.pid, `${dir}/site-3`, 'sleep 30', 'other']])
    expect(findSiteProcs(`${dir}x`)).toEqual([])
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    // Reaped by us, so gone; an unreaped zombie would count as dead too.
    expect(pidAlive(child.pid as number)).toBe(false)
    expect(findSiteProcs(dir)).toEqual([])
  })
})
