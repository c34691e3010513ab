import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppCore, type AppCore } from '../app/appCore'
import { createMemoryOnlySecretStore } from '../ssh/secrets'
import { freePort } from '../../common/ports'

/** The exporter setting: the app serves the metrics while it is on, on the address it names. */
describe('exporter setting in the app', () => {
  let core: AppCore | null = null
  let home = ''
  afterEach(async () => {
    await core?.close()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('starts, moves and stops the server as the setting changes, and reports a taken port', async () => {
    home = mkdtempSync(join(tmpdir(), 'md-exporter-setting-'))
    core = createAppCore({ host: 'web', version: 'test', home, secrets: createMemoryOnlySecretStore(), poll: false })
    const [a, b] = [await freePort(), await freePort()]
    core.store.updateSettings({ exporter: { enabled: true, listen: `127.0.0.1:${a}` } })
    await core.start()
    expect(core.exporter.status()).toMatchObject({ enabled: true, url: `http://127.0.0.1:${a}/metrics`, error: null })
    expect((await fetch(`http://127.0.0.1:${a}/metrics`)).status).toBe(200)

    core.store.updateSettings({ exporter: { enabled: true, listen: `127.0.0.1:${b}` } })
    await expect.poll(() => core!.exporter.status().url).toBe(`http://127.0.0.1:${b}/metrics`)
    await expect(fetch(`http://127.0.0.1:${a}/metrics`)).rejects.toThrow()

    // Another process holds the port: the status says so, the app goes on.
    const other = createAppCore({ host: 'web', version: 'test', home: mkdtempSync(join(tmpdir(), 'md-exporter-other-')), secrets: createMemoryOnlySecretStore(), poll: false })
    await expect(other.exporter.serve(`127.0.0.1:${b}`)).rejects.toMatchObject({ code: 'exporter/listen-failed', params: { reason: 'EADDRINUSE' } })
    expect(other.exporter.status().error?.code).toBe('exporter/listen-failed')
    await other.close()
    rmSync(other.home, { recursive: true, force: true })

    core.store.updateSettings({ exporter: { enabled: false, listen: `127.0.0.1:${b}` } })
    await expect.poll(() => core!.exporter.status().url).toBe(null)
    await expect(fetch(`http://127.0.0.1:${b}/metrics`)).rejects.toThrow()
  })
})
