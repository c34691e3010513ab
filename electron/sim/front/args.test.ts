import { describe, expect, it } from 'vitest'
import { parseDirArgs, parseScenarioArgs, parseUpArgs, parseWorkers, workerNames } from './args'
import { SimUsageError } from './errors'

function fails(argv: string[], message: RegExp): void {
  let err: unknown
  try {
    parseUpArgs(argv, {})
  } catch (e) {
    err = e
  }
  expect(err).toBeInstanceOf(SimUsageError)
  expect((err as Error).message).toMatch(message)
}

describe('up arguments', () => {
  it('has defaults for everything but --dir', () => {
    expect(parseUpArgs(['--dir', '/tmp/x', '--deadlines', 'soon'], {}).deadlines).toBe('soon')
    const a = parseUpArgs(['--dir', '/tmp/x'], {})
    expect(a).toMatchObject({ sites: 1, dir: '/tmp/x', speed: 60, sectors: 1000, scenarios: [], deadlines: undefined, workers: { pc1: 1, pc2: 1, c2: 1 }, ssh: 'auto' })
  })

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const a = parseUpArgs(
      ['--sites=3', '--dir', '/tmp/x', '--speed', '120.5', '--sectors', '100000', '--scenario', 'warmup-fail,site-2:worker-dies', '--scenario=stuck-message', '--deadlines', '0,24', '--workers', 'pc1=2,c2', '--ssh', 'ssh2', '--node-env', 'ELECTRON_RUN_AS_NODE=1', '--json'],
      {}
    )
    expect(a).toMatchObject({
      sites: 3,
      speed: 120.5,
      sectors: 100000,
      scenarios: ['warmup-fail', 'stuck-message'],
      siteScenarios: { 'site-2': ['worker-dies'] },
      deadlines: [0, 24],
      workers: { pc1: 2, pc2: 0, c2: 1 },
      ssh: 'ssh2',
      nodeEnv: { ELECTRON_RUN_AS_NODE: '1' },
      json: true
    })
  })

  it('takes the SSH server kind from MDSIM_SSH when --ssh is absent', () => {
    expect(parseUpArgs(['--dir', '/x'], { MDSIM_SSH: 'ssh2' }).ssh).toBe('ssh2')
  })

  it('refuses bad input with a message naming the flag', () => {
    fails([], /^--dir DIR is required/)
    fails(['--dir', '/x', '--sites', '0'], /--sites must be from 1 to 50/)
    fails(['--dir', '/x', '--sites', '51'], /--sites must be from 1 to 50/)
    fails(['--dir', '/x', '--sites', 'three'], /--sites must be a whole number/)
    fails(['--dir', '/x', '--sites', '2.5'], /--sites must be a whole number/)
    fails(['--dir', '/x', '--speed', '0'], /--speed must be a number from 0.01 to 3000/)
    fails(['--dir', '/x', '--speed', 'fast'], /--speed/)
    fails(['--dir', '/x', '--sectors', '-1'], /--sectors/)
    fails(['--dir', '/x', '--scenario', 'meteor-strike'], /unknown scenario "meteor-strike"; known scenarios: compute-proof-failed/)
    fails(['--dir', '/x', '--scenario', 'site-3:warmup-fail'], /there is no site-3/)
    fails(['--dir', '/x', '--deadlines', '48'], /--deadlines must be from 0 to 47/)
    fails(['--dir', '/x', '--deadlines', '1,1'], /twice/)
    fails(['--dir', '/x', '--deadlines', 'later'], /--deadlines/)
    fails(['--dir', '/x', '--workers', 'gpu=1'], /--workers/)
    fails(['--dir', '/x', '--workers', 'pc1=0'], /at least one worker/)
    fails(['--dir', '/x', '--ssh', 'telnet'], /--ssh must be auto, openssh or ssh2/)
    fails(['--dir', '/x', '--verbose'], /unknown flag --verbose/)
    fails(['--dir', '/x', 'extra'], /unexpected argument "extra"/)
    fails(['--dir', '/x', '--sites'], /--sites needs a value/)
    fails(['--dir', '/x', '--sites', '2', '--sites', '3'], /given more than once/)
    fails(['--dir', '/x', '--json=yes'], /--json takes no value/)
  })

  it('names workers per site and kind', () => {
    expect(workerNames('site-2', parseWorkers('pc1=2,pc2,c2'))).toEqual([
      { name: 'site-2-pc1', kind: 'pc1' },
      { name: 'site-2-pc1-2', kind: 'pc1' },
      { name: 'site-2-pc2', kind: 'pc2' },
      { name: 'site-2-c2', kind: 'c2' }
    ])
  })
})

describe('down/status/scenario arguments', () => {
  it('needs --dir', () => {
    expect(() => parseDirArgs([], 'down')).toThrow(/--dir DIR is required \(npm run sim -- down/)
    expect(parseDirArgs(['--dir', '/x', '--json'], 'status')).toEqual({ dir: '/x', json: true })
  })

  it('scenario needs --site and --set with known names; none clears', () => {
    expect(parseScenarioArgs(['--dir', '/x', '--site', 'site-1', '--set', 'warmup-fail,slow-sync'])).toEqual({ dir: '/x', site: 'site-1', set: ['warmup-fail', 'slow-sync'] })
    expect(parseScenarioArgs(['--dir', '/x', '--site', 'site-1', '--set', 'none']).set).toEqual([])
    expect(() => parseScenarioArgs(['--dir', '/x', '--site', 'site-1'])).toThrow(/--set a,b is required/)
    expect(() => parseScenarioArgs(['--dir', '/x', '--site', 'one', '--set', 'none'])).toThrow(/--site site-N/)
    expect(() => parseScenarioArgs(['--dir', '/x', '--site', 'site-1', '--set', 'nope'])).toThrow(/unknown scenario/)
  })
})
