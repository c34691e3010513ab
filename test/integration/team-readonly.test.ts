import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SettingsStore } from '../../electron/core/settings/store'
import { cleanupHome, cliBundle, homeWithSites, runCli, testCore } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * A read-only site (a monitoring-only seat): every command that would change it is refused by the
 * core with exit 3, before anything reaches the site; reading it still works. The exporter's
 * process refuses every change to every site.
 */
let sim: SimSites
let cli: string
let home: string

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 1, sectors: 30, speed: 60 }), cliBundle()])
  home = homeWithSites(sim)
  new SettingsStore({ home }).updateSite('site-1', { readOnly: true })
}, 120_000)

afterAll(async () => {
  await sim?.down()
  if (home) cleanupHome(home)
})

const PEER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'
const MUTATIONS: string[][] = [
  ['remove', 'site-1', '3', '--yes'],
  ['update-state', 'site-1', '3', 'Proving', '--yes'],
  ['commitwait', 'site-1', '3', '--yes'],
  ['precommitwait', 'site-1', '3', '--yes'],
  ['pledge', 'site-1', '--yes'],
  ['autopledge', 'site-1', '--target', '5', '--yes'],
  ['clearsector', 'site-1', '3', '2345', '--yes'],
  ['abort', 'site-1', 'aaaaaaaa', '--yes'],
  ['killw', 'site-1', 'PC1', '--yes'],
  ['runworker', 'site-1', '--yes'],
  ['runworker-c2', 'site-1', '--yes'],
  ['block-peer', 'site-1', PEER, '--yes'],
  ['mpool-replace', 'site-1', 'f01234', '1', '--fee-limit', '0.1', '--yes'],
  ['restart', 'site-1', '--yes'],
  ['site-lock', 'site-1', '--break', '--yes']
]

describe('read-only sites', () => {
  it('refuse every change through the CLI, exit 3, and nothing reaches the site', async () => {
    for (const args of MUTATIONS) {
      const r = runCli(cli, home, args)
      const code = await r.done
      expect(code, `${args.join(' ')}: ${r.stderr()}`).toBe(3)
      expect(r.stderr(), args.join(' ')).toContain('the site is read-only in MinerDesk')
    }
    // Nothing ran: no audit entry on the site, no lock.
    expect((await sim.ssh('site-1', 'test -e ~/.minerdesk/audit.log')).code).toBe(1)
    expect((await sim.ssh('site-1', 'test -e ~/.minerdesk/restart.lock')).code).toBe(1)
    // Reading still works.
    const jobs = runCli(cli, home, ['jobs', 'site-1'])
    expect(await jobs.done).toBe(0)
  }, 240_000)

  it('refuse a preview already made once the site turns read-only, and the exporter process refuses everything', async () => {
    new SettingsStore({ home }).updateSite('site-1', { readOnly: false })
    const t = testCore(home)
    try {
      const preview = await t.call('sectors:previewPledge', 'site-1')
      t.core.store.updateSite('site-1', { readOnly: true })
      await expect(t.call('ops:execute', preview.id, null)).rejects.toMatchObject({ code: 'site/read-only' })
    } finally {
      await t.close()
    }
    const { createAppCore } = await import('../../electron/core/app/appCore')
    const { createMemoryOnlySecretStore } = await import('../../electron/core/ssh/secrets')
    new SettingsStore({ home }).updateSite('site-1', { readOnly: false })
    const watcher = createAppCore({ host: 'cli', version: 'test', home, secrets: createMemoryOnlySecretStore(), poll: false, readOnly: true })
    try {
      const { callDirect } = await import('../../electron/core/runtime/dispatch')
      await expect(callDirect(watcher.handlers, 'sectors:previewPledge', ['site-1'], { via: 'cli' })).rejects.toMatchObject({ code: 'site/read-only', message: expect.stringContaining('only watches sites') })
      await expect(callDirect(watcher.handlers, 'restart:start', ['site-1', {}], { via: 'cli' })).rejects.toMatchObject({ code: 'site/read-only' })
    } finally {
      await watcher.close()
    }
    new SettingsStore({ home }).updateSite('site-1', { readOnly: true })
  }, 120_000)
})
