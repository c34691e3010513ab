import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simBundle } from '../support/simSites'

/** `npm run sim -- …` with bad input: a clear one-line message, a non-zero exit, nothing created or started. */
let bundle: string
const scratch = mkdtempSync(join(tmpdir(), 'md-sim-args-'))
chmodSync(scratch, 0o755)

beforeAll(async () => {
  bundle = await simBundle()
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function sim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, MDSIM_SSH: '' } })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function expectUsage(r: { status: number | null; stderr: string }, message: RegExp): void {
  expect(r.status).toBe(2)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
}

describe('sim front: bad arguments', () => {
  it('refuses bad up flags before touching DIR', () => {
    const dir = join(scratch, 'never')
    expectUsage(sim('up'), /^sim up: --dir DIR is required/m)
    expectUsage(sim('up', '--dir', dir, '--sites', '51'), /--sites must be from 1 to 50, not 51/)
    expectUsage(sim('up', '--dir', dir, '--sites', '0'), /--sites must be from 1 to 50/)
    expectUsage(sim('up', '--dir', dir, '--speed', 'warp'), /--speed must be a number/)
    expectUsage(sim('up', '--dir', dir, '--frobnicate'), /unknown flag --frobnicate/)
    expectUsage(sim('up', '--dir', dir, '--scenario', 'meteor'), /unknown scenario "meteor"; known scenarios: compute-proof-failed, precommit-funds, worker-dies, job-hangs, stuck-message, warmup-fail, slow-sync/)
    expectUsage(sim('up', '--dir', dir, '--deadlines', '0,99'), /--deadlines must be from 0 to 47/)
    expectUsage(sim('up', '--dir', dir, '--workers', 'pc3'), /--workers/)
    expect(() => readdirSync(dir)).toThrow()
  })

  it('refuses a DIR that cannot be created, holds other files, or has unsafe characters', () => {
    expectUsage(sim('up', '--dir', '/proc/md-sim-cannot'), /cannot create \/proc\/md-sim-cannot/)
    const busy = join(scratch, 'busy')
    mkdirSync(busy)
    writeFileSync(join(busy, 'notes.txt'), 'mine')
    expectUsage(sim('up', '--dir', busy), /is not empty and holds no simulated sites/)
    expect(readdirSync(busy)).toEqual(['notes.txt'])
    expectUsage(sim('up', '--dir', join(scratch, 'with space')), /without spaces, quotes or shell characters/)
  })

  it.runIf(process.getuid?.() === 0)('as root, refuses a DIR the site account cannot reach', () => {
    const priv = join(scratch, 'private')
    mkdirSync(priv, { mode: 0o700 })
    chmodSync(priv, 0o700)
    const r = sim('up', '--dir', join(priv, 'sites'))
    expectUsage(r, /the site account \S+ cannot reach .*private\/sites/)
  })

  it('down, status and scenario refuse a DIR without sites', () => {
    const empty = join(scratch, 'empty')
    mkdirSync(empty)
    expectUsage(sim('down', '--dir', empty), /holds no simulated sites/)
    expectUsage(sim('status', '--dir', empty), /holds no simulated sites/)
    expectUsage(sim('down', '--dir', join(scratch, 'missing')), /does not exist/)
    expectUsage(sim('down'), /^sim down: --dir DIR is required/m)
    expectUsage(sim('scenario', '--dir', empty, '--site', 'site-1', '--set', 'nope'), /unknown scenario "nope"/)
    expectUsage(sim('scenario', '--dir', empty, '--site', 'site-1', '--set', 'none'), /holds no simulated sites/)
  })

  it('unknown commands print the help and fail; help succeeds', () => {
    const r = sim('frobnicate')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('unknown command "frobnicate"')
    expect(r.stderr).toContain('npm run sim -- up --dir DIR')
    const h = sim('help')
    expect(h.status).toBe(0)
    expect(h.stdout).toContain('npm run sim -- down --dir DIR')
  })
})
