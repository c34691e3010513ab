import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../preload/contract'
import { startSimSites, type SimSites } from '../support/simSites'

/** `npx minerdesk …` read commands against three simulated sites, as a script would run them. */
const BIN = resolve(__dirname, '../../electron/cli/bin.mjs')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

describe('minerdesk CLI (read commands)', () => {
  let sim: SimSites
  let home: string
  const cli = (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      const child = spawn(process.execPath, [BIN, '--ssh-config', sim.sshConfigPath, ...args], {
        env: { ...process.env, MINERDESK_HOME: home },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('exit', (code) => done({ code, stdout, stderr }))
    })

  beforeAll(async () => {
    sim = await startSimSites({ sites: 3, sectors: 200, speed: 60 })
    home = mkdtempSync(join(tmpdir(), 'md-cli-'))
  })
  afterAll(async () => {
    await sim?.down()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('overview --json reports all three sites, exit 0', async () => {
    const r = await cli('overview', '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as { sites: Record<string, SiteSnapshot> }
    expect(Object.keys(out.sites).sort()).toEqual(['site-1', 'site-2', 'site-3'])
    for (const s of Object.values(out.sites)) {
      expect(s.connection.state).toBe('connected')
      expect(s.daemon.up && s.miner.up).toBe(true)
      expect(s.pipeline?.total).toBe(200)
      expect(s.proving?.deadlines).toHaveLength(48)
    }
  })

  it('prints readable tables', async () => {
    const r = await cli('overview', 'site-2')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^SITE\s+HEALTH\s+SSH\s+DAEMON\s+HEIGHT/m)
    expect(r.stdout).toMatch(/^site-2\s+\S+\s+connected\s+up\s+\d{7}/m)
    const d = await cli('deadlines', 'site-1')
    expect(d.code).toBe(0)
    expect(d.stdout).toMatch(/^DEADLINE\s+OPEN\s+PARTITIONS\s+SECTORS/m)
    expect(d.stdout).toContain('(current)')
    for (const cmd of ['jobs', 'workers', 'messages', 'sites']) {
      const x = await cli(cmd, ...(cmd === 'sites' ? [] : ['site-3']))
      expect(x.code, `${cmd}: ${x.stderr}`).toBe(0)
    }
  })

  it('lists sectors by state and shows one sector with its log', async () => {
    const all = await cli('sectors', 'site-1', '--json')
    expect(all.code).toBe(0)
    const parsed = JSON.parse(all.stdout) as { sectors: { sector: number; state: string }[] }
    expect(parsed.sectors).toHaveLength(200)
    const proving = await cli('sectors', 'site-1', '--state', 'proving', '--json')
    const p = JSON.parse(proving.stdout) as { sectors: { state: string }[] }
    expect(p.sectors.length).toBeGreaterThan(100)
    expect(new Set(p.sectors.map((s) => s.state))).toEqual(new Set(['Proving']))
    const one = await cli('status', 'site-1', '5', '--log')
    expect(one.code).toBe(0)
    expect(one.stdout).toMatch(/^Status:\s+Proving/m)
    expect(one.stdout).toContain('[event;sealing.SectorStartCC]')
  })

  it('exit codes scripts can trust: 2 for bad input, 4 for an unknown site, 1 when a site is down', async () => {
    expect((await cli('status', 'site-1', '12;id')).code).toBe(2)
    expect((await cli('sectors', 'site-1', '--state', 'Provign')).code).toBe(2)
    const unknown = await cli('jobs', 'site-9')
    expect(unknown.code).toBe(4)
    expect(unknown.stderr).toContain('no site "site-9"')
    expect((await cli('frobnicate')).code).toBe(2)
    await sim.sshOk('site-3', 'lotus-miner stop')
    const down = await cli('overview', '--json')
    expect(down.code).toBe(1)
    expect((JSON.parse(down.stdout) as { sites: Record<string, SiteSnapshot> }).sites['site-3']?.miner.up).toBe(false)
  })
})
