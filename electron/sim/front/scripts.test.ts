import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { simSiteConfigSchema } from '../common/siteConfig'
import { writeEd25519KeyPair } from '../ssh/keys'
import { planSite, writeSiteFiles, mainnetHeight } from './createSite'
import { ChainClock } from '../common/clock'

/**
 * The shell side of a site: shims, login.sh and the runbook scripts are run for real with
 * /bin/sh. A tiny recorder stands in for the simulator bundle so the test sees exactly what the
 * scripts hand to `lotus-worker run` (argv and environment).
 */
const dir = mkdtempSync(join(tmpdir(), 'md-front-scripts-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const recorder = join(dir, 'recorder.cjs')
writeFileSync(
  recorder,
  `const fs = require('fs'); const [prog, ...args] = process.argv.slice(2);
if (prog === 'lotus-miner' && args[0] === 'auth') { console.log('MINER_API_INFO=tok:/ip4/127.0.0.1/tcp/2345/http'); process.exit(0) }
const i = args.indexOf('--name'); const name = i >= 0 ? args[i + 1] : prog;
fs.writeFileSync(process.env.RECORD_DIR + '/' + name + '.json', JSON.stringify({ prog, args, env: process.env }));`
)

const client = writeEd25519KeyPair(join(dir, 'client_key'), 'test')
const plan = planSite({
  dir,
  index: 2,
  minerId: 1234567,
  speed: 60,
  sectors: 10,
  scenarios: ['warmup-fail'],
  deadlines: [0, 24],
  workers: { pc1: 2, pc2: 1, c2: 1 },
  ports: [40001, 40002, 40003, 40004, 40005, 40006],
  node: process.execPath,
  nodeEnv: { EXTRA_NODE_ENV: 'yes it is' },
  bundle: recorder,
  nowMs: Date.now()
})
const hostKeyLine = writeSiteFiles(plan, client.publicLine)
const site = plan.layout

function login(command: string, env: Record<string, string> = {}) {
  return spawnSync('/bin/sh', [site.loginSh], {
    env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', SSH_ORIGINAL_COMMAND: command, RECORD_DIR: dir, ...env },
    encoding: 'utf8'
  })
}

describe('site files', () => {
  it('writes a sim.json that the shared schema accepts, at a mainnet-like height', () => {
    const cfg = simSiteConfigSchema.parse(JSON.parse(readFileSync(site.simJson, 'utf8')))
    expect(cfg.name).toBe('site-2')
    expect(cfg.sectorDeadlines).toEqual([0, 24])
    expect(cfg.workers.map((w) => [w.name, w.kind, w.port])).toEqual([
      ['site-2-pc1', 'pc1', 40003],
      ['site-2-pc1-2', 'pc1', 40004],
      ['site-2-pc2', 'pc2', 40005],
      ['site-2-c2', 'c2', 40006]
    ])
    expect(Math.abs(ChainClock.of(cfg).epochAt() - mainnetHeight())).toBeLessThanOrEqual(2)
    expect(hostKeyLine).toMatch(/^ssh-ed25519 AAAA/)
    expect(readFileSync(site.authorizedKeys, 'utf8').trim()).toBe(client.publicLine)
  })

  it('all scripts are executable and valid sh', () => {
    for (const f of ['bin/lotus', 'bin/lotus-miner', 'bin/lotus-worker', 'login.sh', 'home/runminer.sh', 'home/runworker.sh', 'home/runworkerC2.sh']) {
      const p = join(site.root, f)
      expect(statSync(p).mode & 0o111, f).toBe(0o111)
      expect(spawnSync('/bin/sh', ['-n', p]).status, f).toBe(0)
    }
  })

  it('login.sh gives the site HOME, PATH and MDSIM_SITE and runs the client command through sh -c', () => {
    const r = login('pwd; echo "$HOME"; echo "$MDSIM_SITE"; command -v lotus-miner; exit 3')
    expect(r.status).toBe(3)
    expect(r.stdout.trim().split('\n')).toEqual([site.home, site.home, site.root, join(site.bin, 'lotus-miner')])
  })

  it('the shims pass arguments through unchanged with the site and node environment set', () => {
    const r = login(`lotus-miner sectors status --log 'a b' "c'd"`)
    expect(r.status).toBe(0)
    const rec = JSON.parse(readFileSync(join(dir, 'lotus-miner.json'), 'utf8')) as { prog: string; args: string[]; env: Record<string, string> }
    expect(rec.prog).toBe('lotus-miner')
    expect(rec.args).toEqual(['sectors', 'status', '--log', 'a b', "c'd"])
    expect(rec.env.MDSIM_SITE).toBe(site.root)
    expect(rec.env.EXTRA_NODE_ENV).toBe('yes it is')
  })

  it('runworker.sh starts the sealing workers with MINER_API_INFO, their repo and task flags, in the background', () => {
    const r = login('./runworker.sh')
    expect(r.status).toBe(0)
    const deadline = Date.now() + 5000
    const names = ['site-2-pc1', 'site-2-pc1-2', 'site-2-pc2']
    while (Date.now() < deadline && !names.every((n) => existsSync(join(dir, `${n}.json`)))) spawnSync('sleep', ['0.05'])
    const pc1 = JSON.parse(readFileSync(join(dir, 'site-2-pc1.json'), 'utf8')) as { args: string[]; env: Record<string, string> }
    expect(pc1.args.slice(0, 5)).toEqual(['run', '--name', 'site-2-pc1', '--listen', '127.0.0.1:40003'])
    expect(pc1.args).toContain('--precommit1=true')
    expect(pc1.args).toContain('--precommit2=false')
    expect(pc1.args).toContain('--commit=false')
    expect(pc1.env.MINER_API_INFO).toBe('tok:/ip4/127.0.0.1/tcp/2345/http')
    expect(pc1.env.LOTUS_WORKER_PATH).toBe(join(site.home, '.lotusworker-site-2-pc1'))
    expect(pc1.env.FIL_PROOFS_USE_MULTICORE_SDR).toBe('1')
    expect(pc1.env.TMPDIR).toBe(join(site.home, 'tmp'))
    const pc2 = JSON.parse(readFileSync(join(dir, 'site-2-pc2.json'), 'utf8')) as { args: string[] }
    expect(pc2.args).toContain('--precommit2=true')
    expect(pc2.args).toContain('--addpiece=false')
    expect(existsSync(join(dir, 'site-2-c2.json'))).toBe(false)
  })

  it('runworkerC2.sh starts only the C2 worker', () => {
    expect(login('./runworkerC2.sh').status).toBe(0)
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && !existsSync(join(dir, 'site-2-c2.json'))) spawnSync('sleep', ['0.05'])
    const c2 = JSON.parse(readFileSync(join(dir, 'site-2-c2.json'), 'utf8')) as { args: string[] }
    expect(c2.args).toContain('--commit=true')
    expect(c2.args).toContain('--precommit1=false')
  })

  it('runminer.sh exports the miner environment and starts `lotus-miner run` in the background', () => {
    expect(login('./runminer.sh').status).toBe(0)
    const deadline = Date.now() + 5000
    while (Date.now() < deadline && !existsSync(join(dir, 'lotus-miner.json'))) spawnSync('sleep', ['0.05'])
    let rec = JSON.parse(readFileSync(join(dir, 'lotus-miner.json'), 'utf8')) as { args: string[]; env: Record<string, string> }
    while (Date.now() < deadline && rec.args[0] !== 'run') {
      spawnSync('sleep', ['0.05'])
      rec = JSON.parse(readFileSync(join(dir, 'lotus-miner.json'), 'utf8')) as typeof rec
    }
    expect(rec.args).toEqual(['run'])
    expect(rec.env.LOTUS_MINER_PATH).toBe(join(site.home, '.lotusminer'))
    expect(rec.env.LOTUS_PATH).toBe(join(site.home, '.lotus'))
    expect(rec.env.RUST_LOG).toBe('info')
  })
})
