import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, DEFAULT_START_COMMANDS, type SiteConfig } from '../../../preload/contract'
import { LocalSshHost } from '../../../test/support/localSshHost'
import { newSiteConfig } from '../settings/store'
import { simpleCommands, startCommandFacts, startConfigProblems } from './startConfig'

describe('start commands: what they need on the site', () => {
  it('splits a snippet into simple commands, without redirections and their targets', () => {
    expect(simpleCommands('nohup lotus-miner run >> miner.log 2>&1 < /dev/null &')).toEqual([['nohup', 'lotus-miner', 'run']])
    expect(simpleCommands("cd '/srv/lotus dir' && FOO=1 ./runminer.sh; echo done")).toEqual([['cd', '/srv/lotus dir'], ['FOO=1', './runminer.sh'], ['echo', 'done']])
    expect(simpleCommands('lotus daemon 2>&1 | tee -a daemon.log')).toEqual([['lotus', 'daemon'], ['tee', '-a', 'daemon.log']])
    expect(simpleCommands('$HOME/bin/run.sh "$X" x')).toEqual([[null, null, 'x']])
  })

  it("Lotus's default miner command runs lotus-miner directly and sets nothing", () => {
    const f = startCommandFacts('miner', DEFAULT_START_COMMANDS.miner)
    expect(f).toEqual({ needs: [{ role: 'miner', kind: 'program', path: 'lotus-miner', base: null }], runsMinerDirectly: true, sets: [] })
  })

  it('a script, a shell given a script, a cd, assignments and env', () => {
    expect(startCommandFacts('miner', './runminer.sh').needs).toEqual([{ role: 'miner', kind: 'script', path: './runminer.sh', base: null }])
    expect(startCommandFacts('miner', 'bash runminer.sh').needs).toEqual([{ role: 'miner', kind: 'file', path: 'runminer.sh', base: null }])
    const f = startCommandFacts('miner', 'cd /srv/miner && export RUST_LOG=info TMPDIR && env FIL_PROOFS_USE_GPU_TREE_BUILDER=1 nohup lotus-miner run &')
    expect(f.needs).toEqual([
      { role: 'miner', kind: 'dir', path: '/srv/miner', base: null },
      { role: 'miner', kind: 'program', path: 'lotus-miner', base: null }
    ])
    expect(f.sets).toEqual(['RUST_LOG', 'TMPDIR', 'FIL_PROOFS_USE_GPU_TREE_BUILDER'])
    expect(f.runsMinerDirectly).toBe(true)
    expect(startCommandFacts('miner', 'cd miner && ./run.sh').needs[1]).toEqual({ role: 'miner', kind: 'script', path: './run.sh', base: 'miner' })
  })
})

describe('start configuration problems, checked on the site', () => {
  const dir = mkdtempSync(join(tmpdir(), 'md-startcfg-'))
  const home = join(dir, 'home')
  mkdirSync(home)
  writeFileSync(join(home, 'runminer.sh'), '#!/bin/sh\nexport RUST_LOG=info\n')
  chmodSync(join(home, 'runminer.sh'), 0o755)
  writeFileSync(join(home, 'plain.sh'), '#!/bin/sh\n')
  chmodSync(join(home, 'plain.sh'), 0o644)
  mkdirSync(join(dir, 'bin'))
  writeFileSync(join(dir, 'bin', 'lotus'), '#!/bin/sh\n')
  chmodSync(join(dir, 'bin', 'lotus'), 0o755)
  const host = new LocalSshHost({ env: { HOME: home, PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, LOGIN_VAR: 'x' } })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const site = (patch: Partial<SiteConfig>): SiteConfig => ({ ...newSiteConfig({ alias: 'site-1' }, [], DEFAULT_SETTINGS), workDir: '~', ...patch })

  it('nothing to say about a start script that is there and executable', async () => {
    const s = site({ startCommands: { ...DEFAULT_START_COMMANDS, miner: './runminer.sh' }, expectedEnv: { RUST_LOG: 'info' } })
    expect(await startConfigProblems(host, s)).toEqual([])
  })

  it("Lotus's default command with an expected environment the login does not have", async () => {
    const s = site({ expectedEnv: { RUST_LOG: 'info', LOGIN_VAR: '*' } })
    const r = await startConfigProblems(host, s)
    expect(r.map((x) => x.code)).toEqual(['start-program-missing', 'start-sets-no-env'])
    expect(r[0]?.params).toEqual({ role: 'lotus-miner', program: 'lotus-miner' })
    expect(r[1]?.params).toMatchObject({ n: 1, names: 'RUST_LOG' })
    expect(r[1]?.text).toContain('./runminer.sh')
  })

  it('a missing or non-executable script, a missing working directory', async () => {
    const s = site({ startCommands: { ...DEFAULT_START_COMMANDS, daemon: './nodaemon.sh', miner: './plain.sh' } })
    const r = await startConfigProblems(host, s)
    expect(r.map((x) => [x.code, x.params.script])).toEqual([
      ['start-script-missing', './nodaemon.sh'],
      ['start-script-noexec', './plain.sh']
    ])
    const gone = await startConfigProblems(host, site({ workDir: join(dir, 'nowhere'), startCommands: { ...DEFAULT_START_COMMANDS, miner: './runminer.sh' } }))
    // The script relative to it is not reported again.
    expect(gone.map((x) => x.code)).toEqual(['workdir-missing'])
  })
})
