import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findSiteProcs } from '../../electron/sim/front/procs'
import { readSimState } from '../../electron/sim/front/state'
import { waitFor } from '../support/siteops'
import { simBundle, startSimSites, type SimSites } from '../support/simSites'

/**
 * The SSH front over real OpenSSH: `up --sites 3`, the runbook's commands through
 * `ssh -F DIR/ssh_config`, isolation between sites, a miner stopped and restarted over SSH,
 * JSON-RPC through `ssh -L`, and `down` leaving nothing behind.
 */

const JOBS_HEADER = /^ID\s+Sector\s+Worker\s+Hostname\s+Task\s+State\s+Time\s*$/
const JOB_ROW = /^[0-9a-f]{8}\s+\d+\s+[0-9a-f]{8}\s+\S+\s+(AP|PC1|PC2|C1|C2|FIN|GET|FRU|FUS)\s+(running|prepared|assigned\(\d+\)|ret-wait|returned|ret-done)\s+\S+/

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port })
    s.once('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.once('error', () => resolve(false))
  })
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`)
    await sleep(200)
  }
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1
}

describe('sim front: three sites behind OpenSSH sshd', () => {
  let sim: SimSites

  beforeAll(async () => {
    sim = await startSimSites({ sites: 3, speed: 120, sectors: 500 })
  })
  afterAll(async () => {
    await sim?.down()
  })

  it('writes ssh_config, the client key, known_hosts and sim-state.json as documented', () => {
    expect(sim.sshMode).toBe('openssh')
    const cfg = readFileSync(sim.sshConfigPath, 'utf8')
    for (const s of sim.sites) {
      const block = cfg.slice(cfg.indexOf(`Host ${s.alias}\n`))
      expect(block).toMatch(new RegExp(`^Host ${s.alias}\\n  HostName 127\\.0\\.0\\.1\\n  Port ${s.sshPort}\\n  User \\S+\\n  IdentityFile ${sim.keyPath}\\n  IdentitiesOnly yes\\n  UserKnownHostsFile ${sim.knownHostsPath}\\n`))
    }
    const kh = readFileSync(sim.knownHostsPath, 'utf8').trim().split('\n')
    expect(kh.map((l) => l.split(' ')[0])).toEqual(sim.sites.map((s) => `[127.0.0.1]:${s.sshPort}`))
    expect(statSync(sim.keyPath).mode & 0o077).toBe(0)
    const state = readSimState(sim.dir)
    expect(state?.status).toBe('running')
    for (const s of state?.sites ?? []) {
      expect(s.pids.daemon).toBeGreaterThan(0)
      expect(s.pids.miner).toBeGreaterThan(0)
      expect(s.pids.sshd).toBeGreaterThan(0)
      expect(Object.keys(s.pids.workers).sort()).toEqual([`${s.alias}-c2`, `${s.alias}-pc1`, `${s.alias}-pc2`])
    }
  })

  it('lays each site out as the design says, with the runbook scripts in HOME', () => {
    for (const s of sim.sites) {
      for (const f of ['sim.json', 'bin/lotus', 'bin/lotus-miner', 'bin/lotus-worker', 'login.sh', 'home/runminer.sh', 'home/runworker.sh', 'home/runworkerC2.sh', 'home/.lotus/token', 'home/.lotusminer/token', 'sshd/sshd_config']) {
        expect(existsSync(join(s.siteDir, f)), `${s.alias}/${f}`).toBe(true)
      }
      const runminer = readFileSync(join(s.siteDir, 'home/runminer.sh'), 'utf8')
      expect(runminer).toMatch(/^export LOTUS_MINER_PATH=/m)
      expect(runminer).toMatch(/^export FIL_PROOFS_PARAMETER_CACHE=/m)
      expect(runminer).toMatch(/^nohup lotus-miner run >> miner\.log 2>&1 &$/m)
      const runworker = readFileSync(join(s.siteDir, 'home/runworker.sh'), 'utf8')
      expect(runworker).toContain('export $(lotus-miner auth api-info --perm admin)')
      expect(runworker).toMatch(new RegExp(`^nohup lotus-worker run --name ${s.alias}-pc1 --listen 127\\.0\\.0\\.1:\\d+ .*>> worker-${s.alias}-pc1\\.log 2>&1 &$`, 'm'))
      expect(readFileSync(join(s.siteDir, 'home/runworkerC2.sh'), 'utf8')).toMatch(new RegExp(`--name ${s.alias}-c2 .*--commit=true`))
      expect(s.config.minerId).toBeGreaterThan(1000)
      expect(s.config.peerId).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
      expect(s.config.wallets.owner).toMatch(/^f3[a-z2-7]{84}$/)
    }
    const ids = new Set(sim.sites.map((s) => s.config.minerId))
    expect(ids.size).toBe(3)
  })

  it('`ssh -F DIR/ssh_config site-2 lotus-miner sealing jobs` prints the jobs table', async () => {
    const rows = await until('a sealing job on site-2', async () => {
      const out = await sim.sshOk('site-2', 'lotus-miner sealing jobs')
      const lines = out.trimEnd().split('\n')
      expect(lines[0]).toMatch(JOBS_HEADER)
      const jobs = lines.slice(1).filter((l) => JOB_ROW.test(l))
      return jobs.length > 0 ? jobs : null
    })
    expect(rows.some((r) => r.includes('site-2-'))).toBe(true)
  })

  it('runs commands as the site account in the site HOME with the lotus shims on PATH', async () => {
    const out = await sim.sshOk('site-1', 'pwd; command -v lotus-miner; echo "$MDSIM_SITE"; id -un')
    const [pwd, shim, site, user] = out.trim().split('\n')
    expect(pwd).toBe(join(sim.site('site-1').siteDir, 'home'))
    expect(shim).toBe(join(sim.site('site-1').siteDir, 'bin/lotus-miner'))
    expect(site).toBe(sim.site('site-1').siteDir)
    expect(user).toBe(readSimState(sim.dir)?.user)
    const bad = await sim.ssh('site-1', 'exit 7')
    expect(bad.code).toBe(7)
  })

  it('reaches the daemon and the miner over JSON-RPC through `ssh -L`', async () => {
    const v1 = await sim.rpc<{ APIVersion: number; Version: string }>('site-3', 'daemon', 'Version')
    expect(v1.APIVersion).toBe(131840)
    const mv = await sim.rpc<{ APIVersion: number }>('site-3', 'miner', 'Version')
    expect(mv.APIVersion).toBe(66816)
    const addr = await sim.rpc<string>('site-3', 'miner', 'ActorAddress')
    expect(addr).toBe(`f0${sim.site('site-3').config.minerId}`)
  })

  /**
   * Waits until each worker of a site has registered with its restarted miner or is listed as
   * finishing a call from before the restart (it registers once that ends). A Lotus worker that
   * tries to register while the miner is down gives up and exits, so a test that stops the miner
   * again first lets the idle ones come back, as an operator would.
   */
  async function workersBack(alias: string): Promise<void> {
    const names = sim.site(alias).config.workers.map((w) => w.name)
    await until(`${alias}'s workers registered again or busy`, async () => {
      const stats = await sim.rpc<Record<string, { Info: { Hostname: string } }>>(alias, 'miner', 'WorkerStats')
      const jobs = await sim.rpc<Record<string, { Hostname?: string; RunWait: number }[]>>(alias, 'miner', 'WorkerJobs')
      const seen = new Set([...Object.values(stats).map((w) => w.Info.Hostname), ...Object.values(jobs).flat().filter((j) => j.RunWait < 0 && j.Hostname).map((j) => j.Hostname)])
      return names.every((n) => seen.has(n))
    })
  }

  it('sites are isolated: stopping site-1’s miner leaves site-2’s answering', async () => {
    await sim.sshOk('site-1', 'lotus-miner stop')
    await until('site-1 miner gone', async () => !findSiteProcs(sim.site('site-1').siteDir).some((p) => p.role === 'miner'))
    expect(await portOpen(sim.site('site-1').config.ports.miner)).toBe(false)
    const dead = await sim.ssh('site-1', 'lotus-miner sealing jobs')
    expect(dead.code).not.toBe(0)
    expect(dead.stderr).toMatch(/^ERROR: /m)
    const alive = await sim.sshOk('site-2', 'lotus-miner sealing jobs')
    expect(alive.split('\n')[0]).toMatch(JOBS_HEADER)
    for (const s of ['site-2', 'site-3']) {
      expect(findSiteProcs(sim.site(s).siteDir).filter((p) => p.role === 'miner')).toHaveLength(1)
    }
  })

  it('the miner restarts over SSH with ./runminer.sh and logs a new warm-up', async () => {
    const log = join(sim.site('site-1').siteDir, 'home/miner.log')
    const before = count(readFileSync(log, 'utf8'), 'starting winning PoSt warmup')
    expect(findSiteProcs(sim.site('site-1').siteDir).some((p) => p.role === 'miner')).toBe(false)
    await sim.sshOk('site-1', './runminer.sh')
    await until('site-1 miner warm-up done', async () => {
      // The warm-up of this start (the miner stopped above may have been stopped during its own).
      const starts = readFileSync(log, 'utf8').split('starting winning PoSt warmup')
      return starts.length - 1 > before && starts.slice(before + 1).some((s) => s.includes('winning PoSt warmup successful'))
    })
    const out = await until('site-1 sealing jobs answers again', async () => (await sim.ssh('site-1', 'lotus-miner sealing jobs')).code === 0)
    expect(out).toBe(true)
    await workersBack('site-1')
  })

  it('the miner also restarts with the runbook’s `nohup lotus-miner run >> miner.log 2>&1 &`', async () => {
    const site = sim.site('site-3')
    const log = join(site.siteDir, 'home/miner.log')
    await sim.sshOk('site-3', 'lotus-miner stop')
    await until('site-3 miner gone', async () => !findSiteProcs(site.siteDir).some((p) => p.role === 'miner'))
    const before = count(readFileSync(log, 'utf8'), 'starting winning PoSt warmup')
    const r = await sim.ssh('site-3', 'nohup lotus-miner run >> miner.log 2>&1 &', { timeoutMs: 10_000 })
    expect(r.code).toBe(0)
    await until('site-3 warm-up logged', async () => count(readFileSync(log, 'utf8'), 'starting winning PoSt warmup') > before)
    const miners = findSiteProcs(site.siteDir).filter((p) => p.role === 'miner')
    expect(miners).toHaveLength(1)
    expect(miners[0]?.cmdline).toMatch(/^lotus-miner run/)
    await workersBack('site-3')
  })

  it('`scenario --set` edits sim.json and applies at the next process start (warm-up failure)', async () => {
    const site = sim.site('site-3')
    const bundle = await simBundle()
    const r = spawnSync(process.execPath, [bundle, 'scenario', '--dir', sim.dir, '--site', 'site-3', '--set', 'warmup-fail'], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('site-3: scenarios (none) -> warmup-fail')
    const simJson = join(site.siteDir, 'sim.json')
    expect((JSON.parse(readFileSync(simJson, 'utf8')) as { scenarios: string[] }).scenarios).toEqual(['warmup-fail'])
    expect(statSync(simJson).uid).toBe(statSync(join(site.siteDir, 'home')).uid)
    const log = join(site.siteDir, 'home/miner.log')
    expect(count(readFileSync(log, 'utf8'), 'winning PoSt warmup failed')).toBe(0)
    await sim.sshOk('site-3', 'lotus-miner stop')
    await until('site-3 miner gone', async () => !findSiteProcs(site.siteDir).some((p) => p.role === 'miner'))
    await sim.sshOk('site-3', './runminer.sh')
    await until('warm-up failure logged', async () => count(readFileSync(log, 'utf8'), 'winning PoSt warmup failed') > 0)
  })

  it('status reports the processes of each site', async () => {
    const bundle = await simBundle()
    const r = spawnSync(process.execPath, [bundle, 'status', '--dir', sim.dir, '--json'], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    const st = JSON.parse(r.stdout) as { sites: { alias: string; daemon: number | null; miner: number | null; workers: { pid: number | null }[]; sshd: number[] }[] }
    expect(st.sites.map((s) => s.alias)).toEqual(['site-1', 'site-2', 'site-3'])
    for (const s of st.sites) {
      expect(s.daemon).toBeGreaterThan(0)
      expect(s.miner).toBeGreaterThan(0)
      expect(s.workers.every((w) => w.pid !== null)).toBe(true)
      expect(s.sshd).toHaveLength(1)
    }
  })

  it('refuses a second `up` into a DIR with running sites', async () => {
    const bundle = await simBundle()
    const r = spawnSync(process.execPath, [bundle, 'up', '--dir', sim.dir], { encoding: 'utf8' })
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('holds running sites')
  })

  it('`down` stops every process, including ones started over SSH since, and is idempotent', async () => {
    await sim.sshOk('site-2', 'nohup sleep 600 > /dev/null 2>&1 &')
    // The login shell returns before its background child has exec'd `sleep` (until then its command line is `nohup …`).
    await waitFor('sleep 600 among the site processes', 10_000, () => findSiteProcs(sim.dir).some((p) => p.cmdline === 'sleep 600'), 100)
    const sshPorts = sim.sites.map((s) => s.sshPort)
    const bundle = await simBundle()
    const t0 = Date.now()
    const r = spawnSync(process.execPath, [bundle, 'down', '--dir', sim.dir, '--json'], { encoding: 'utf8' })
    const downMs = Date.now() - t0
    expect(r.status, r.stderr).toBe(0)
    const report = JSON.parse(r.stdout) as { stopped: { what: string }[] }
    const what = report.stopped.map((p) => p.what)
    expect(what.filter((w) => w === 'lotus daemon')).toHaveLength(3)
    expect(what.filter((w) => w === 'lotus-miner run')).toHaveLength(3)
    expect(what.filter((w) => w === 'sshd')).toHaveLength(3)
    expect(what.filter((w) => w.startsWith('lotus-worker run'))).toHaveLength(9)
    expect(what).toContain('sleep 600')
    expect(findSiteProcs(sim.dir)).toEqual([])
    for (const p of sshPorts) expect(await portOpen(p)).toBe(false)
    console.log(`down of 3 sites: ${downMs} ms`)
    const again = spawnSync(process.execPath, [bundle, 'down', '--dir', sim.dir], { encoding: 'utf8' })
    expect(again.status).toBe(0)
    expect(again.stdout).toContain('Nothing was running')
  })
})
