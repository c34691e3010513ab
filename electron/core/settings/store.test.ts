import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import type * as NodeFs from 'node:fs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mountSmallDisk } from '../../../test/support/smallDisk'
import { secretFingerprint } from '../util/redact'
import { DEFAULT_SETTINGS, DEFAULT_START_COMMANDS, RUNBOOK_DURATIONS, type SiteConfig } from '../../../preload/contract'
import { minerdeskHome } from './paths'
import { effectiveDurations, SettingsStore, slugFromAlias } from './store'

// Where the test cannot mount a small disk (not root), a full disk is injected into writeSync.
const injected = vi.hoisted(() => ({ full: false }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>()
  const writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
    if (injected.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    return (fs.writeSync as (...a: unknown[]) => number)(...args)
  }) as typeof fs.writeSync
  return { ...fs, default: { ...fs, writeSync }, writeSync }
})

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'md-settings-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const file = () => join(home, 'settings.json')
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as { version: number; settings: unknown; sites: SiteConfig[] }

describe('MINERDESK_HOME', () => {
  it('comes from the environment, else ~/.minerdesk', () => {
    expect(minerdeskHome({ MINERDESK_HOME: '/srv/md' })).toBe('/srv/md')
    expect(minerdeskHome({})).toMatch(/\.minerdesk$/)
    expect(minerdeskHome({ MINERDESK_HOME: '  ' })).toMatch(/\.minerdesk$/)
  })
})

describe('SettingsStore', () => {
  it('starts from the defaults without writing anything', () => {
    const s = new SettingsStore({ home })
    expect(s.getSettings()).toEqual(DEFAULT_SETTINGS)
    expect(s.listSites()).toEqual([])
    expect(existsSync(file())).toBe(false)
    expect(s.loadProblem).toBeNull()
  })

  it('adds sites with defaults and unique slugs, and persists them', () => {
    const s = new SettingsStore({ home })
    s.updateSettings({ defaultPollIntervalSec: 20 })
    const a = s.addSite({ alias: 'Miner-01.Shenzhen' })
    expect(a).toEqual({
      id: 'miner-01-shenzhen',
      alias: 'Miner-01.Shenzhen',
      name: 'Miner-01.Shenzhen',
      group: '',
      order: 0,
      pollIntervalSec: 20,
      durations: {},
      workDir: '~',
      startCommands: DEFAULT_START_COMMANDS,
      expectedEnv: {},
      workerHosts: {}
    })
    const b = s.addSite({ alias: 'miner_01_shenzhen', name: 'Backup', group: 'SZ' })
    expect(b.id).toBe('miner-01-shenzhen-2')
    expect(onDisk().sites.map((x) => x.id)).toEqual(['miner-01-shenzhen', 'miner-01-shenzhen-2'])
    expect(new SettingsStore({ home }).listSites()).toEqual(s.listSites())
    expect(() => s.addSite({ alias: 'Miner-01.Shenzhen' })).toThrow(expect.objectContaining({ code: 'conflict' }))
  })

  it('validates every change and leaves the file untouched on a bad one', () => {
    const s = new SettingsStore({ home })
    const a = s.addSite({ alias: 'a' })
    const before = readFileSync(file(), 'utf8')
    expect(() => s.updateSite(a.id, { pollIntervalSec: 1 })).toThrow(expect.objectContaining({ code: 'invalid-input', message: expect.stringMatching(/pollIntervalSec/) }))
    expect(() => s.updateSite(a.id, { id: 'other' })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => s.updateSite(a.id, { expectedEnv: { 'BAD NAME': '1' } })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => s.updateSettings({ stuckMultiple: 0 })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => s.addSite({ alias: "evil'alias" })).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    expect(() => s.updateSite('nope', { name: 'x' })).toThrow(expect.objectContaining({ code: 'not-found' }))
    expect(readFileSync(file(), 'utf8')).toBe(before)
    expect(s.updateSite(a.id, { durations: { PC1: 4 * 3600 }, workDir: '/data/lotus' })).toMatchObject({ durations: { PC1: 14400 }, workDir: '/data/lotus' })
  })

  it('reorders and removes, keeping order dense', () => {
    const s = new SettingsStore({ home })
    const [a, b, c] = ['a', 'b', 'c'].map((alias) => s.addSite({ alias }))
    expect(s.reorderSites([c!.id, a!.id, b!.id]).map((x) => [x.id, x.order])).toEqual([['c', 0], ['a', 1], ['b', 2]])
    expect(() => s.reorderSites([a!.id, b!.id])).toThrow(expect.objectContaining({ code: 'invalid-input' }))
    s.removeSite(a!.id)
    expect(s.listSites().map((x) => [x.id, x.order])).toEqual([['c', 0], ['b', 1]])
    expect(onDisk().sites.map((x) => x.id)).toEqual(['c', 'b'])
  })

  it('emits change events with the new values', () => {
    const s = new SettingsStore({ home })
    const seen: string[] = []
    s.onSettingsChanged((v) => seen.push(`settings:${v.theme}`))
    const off = s.onSitesChanged((v) => seen.push(`sites:${v.length}`))
    s.updateSettings({ theme: 'dark' })
    s.addSite({ alias: 'x' })
    off()
    s.addSite({ alias: 'y' })
    s.updateSettings({ theme: 'dark' }) // no change, no event
    expect(seen).toEqual(['settings:dark', 'sites:1'])
  })

  it('moves a corrupt file aside, reports it, and starts from defaults', () => {
    writeFileSync(file(), '{"version":1,"settings":{"language":"zh-CN"')
    const s = new SettingsStore({ home, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) })
    expect(s.loadProblem).toMatchObject({ file: file(), movedTo: `${file()}.bad-2026-01-02T03-04-05-000Z`, reason: expect.stringMatching(/not JSON/) })
    expect(readFileSync(s.loadProblem!.movedTo, 'utf8')).toBe('{"version":1,"settings":{"language":"zh-CN"')
    expect(existsSync(file())).toBe(false)
    expect(s.getSettings()).toEqual(DEFAULT_SETTINGS)
  })

  it('keeps reporting a kept bad copy to every later process until the operator deals with it', () => {
    writeFileSync(file(), 'not json')
    const first = new SettingsStore({ home })
    const movedTo = first.loadProblem!.movedTo
    // The next process (the CLI a minute later) finds no settings.json, and still says why.
    const next = new SettingsStore({ home })
    expect(next.loadProblem).toMatchObject({ file: file(), movedTo })
    next.addSite({ alias: 'new-one' })
    expect(new SettingsStore({ home }).loadProblem?.movedTo).toBe(movedTo)
    rmSync(movedTo)
    expect(new SettingsStore({ home }).loadProblem).toBeNull()
  })

  it('never reads a FIFO put in place of settings.json (no hang): it is moved aside and reported', () => {
    execFileSync('mkfifo', [file()])
    const s = new SettingsStore({ home })
    expect(s.loadProblem).toMatchObject({ file: file(), reason: 'not a regular file (a FIFO)' })
    expect(s.listSites()).toEqual([])
  })

  it('stores an expected environment with fingerprints instead of tokens', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.c2lnbmF0dXJlc2lnbmF0dXJl'
    const s = new SettingsStore({ home })
    const a = s.addSite({ alias: 'a' })
    s.updateSite(a.id, { expectedEnv: { FULLNODE_API_INFO: `${jwt}:/ip4/127.0.0.1/tcp/1234/http`, FIL_PROOFS_MAXIMIZE_CACHING: '1' } })
    const text = readFileSync(file(), 'utf8')
    expect(text).not.toContain('eyJ')
    expect(onDisk().sites[0]!.expectedEnv).toEqual({ FULLNODE_API_INFO: `[token ${secretFingerprint(jwt)}]:/ip4/127.0.0.1/tcp/1234/http`, FIL_PROOFS_MAXIMIZE_CACHING: '1' })
    // Saving the fingerprinted form again (the settings form does) keeps it as it is.
    s.updateSite(a.id, { expectedEnv: s.getSite(a.id)!.expectedEnv })
    expect(onDisk().sites[0]!.expectedEnv['FULLNODE_API_INFO']).toBe(`[token ${secretFingerprint(jwt)}]:/ip4/127.0.0.1/tcp/1234/http`)
  })

  it('on a full disk keeps the previous settings.json whole and says the change was not saved', () => {
    const disk = mountSmallDisk(256)
    const dir = disk ? disk.dir : home
    try {
      const s = new SettingsStore({ home: dir })
      for (let i = 0; i < 5; i++) s.addSite({ alias: `host-${i}` })
      const before = readFileSync(join(dir, 'settings.json'), 'utf8')
      if (disk) disk.fill()
      else injected.full = true
      let err: unknown
      try {
        s.addSite({ alias: 'one-too-many' })
      } catch (e) {
        err = e
      }
      expect(err).toMatchObject({ code: 'storage/write-failed', params: { reason: 'ENOSPC' } })
      expect((err as Error).message).toMatch(/settings were not saved: .*no space left/)
      expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(before)
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
      expect(s.listSites()).toHaveLength(5)
      expect(new SettingsStore({ home: dir }).listSites()).toHaveLength(5)
    } finally {
      injected.full = false
      disk?.close()
    }
  })

  it('moves aside a file that parses but does not validate (never silently dropping sites)', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, settings: DEFAULT_SETTINGS, sites: [{ id: 'BAD ID', alias: 'a' }] }))
    const s = new SettingsStore({ home })
    expect(s.loadProblem?.reason).toMatch(/does not validate: .*sites\.0\.id/)
    expect(readdirSync(home).some((f) => f.startsWith('settings.json.bad-'))).toBe(true)
  })

  it('fills fields an older file lacks instead of calling it corrupt', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, settings: { language: 'en' }, sites: [{ id: 'old', alias: 'old-host', order: 0 }] }))
    const s = new SettingsStore({ home })
    expect(s.loadProblem).toBeNull()
    expect(s.getSettings()).toEqual({ ...DEFAULT_SETTINGS, language: 'en' })
    expect(s.getSite('old')).toMatchObject({ name: 'old-host', workDir: '~', startCommands: DEFAULT_START_COMMANDS, pollIntervalSec: 15 })
  })

  it('writes atomically: no temp files left, the file is always whole JSON', () => {
    const s = new SettingsStore({ home })
    for (let i = 0; i < 30; i++) s.addSite({ alias: `host-${i}` })
    expect(readdirSync(home).filter((f) => f.includes('.tmp'))).toEqual([])
    expect(onDisk().sites).toHaveLength(30)
  })

  it('picks up changes another process made before writing its own', () => {
    const app = new SettingsStore({ home })
    const cli = new SettingsStore({ home })
    app.addSite({ alias: 'from-app' })
    cli.addSite({ alias: 'from-cli' })
    expect(onDisk().sites.map((x) => x.alias)).toEqual(['from-app', 'from-cli'])
    expect(app.reload()).toBe(true)
    expect(app.listSites().map((x) => x.alias)).toEqual(['from-app', 'from-cli'])
  })
})

describe('durations and ids', () => {
  it('uses the site value over the global default', () => {
    const settings = { ...DEFAULT_SETTINGS, defaultDurations: { ...RUNBOOK_DURATIONS, C2: 1200 } }
    expect(effectiveDurations(settings, { durations: { PC1: 4 * 3600 } })).toEqual({ ...RUNBOOK_DURATIONS, C2: 1200, PC1: 14400 })
    expect(effectiveDurations(settings, null)).toEqual(settings.defaultDurations)
  })

  it('slugs aliases', () => {
    expect(slugFromAlias('Miner 01 (深圳)', new Set())).toBe('miner-01')
    expect(slugFromAlias('深圳', new Set())).toBe('site')
    expect(slugFromAlias('a', new Set(['a', 'a-2']))).toBe('a-3')
    expect(slugFromAlias('x'.repeat(200), new Set())).toHaveLength(56)
  })
})
