import { _electron as electron, expect, test } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The real Electron window (Playwright's _electron). It runs wherever the Electron binary is
 * installed; on machines where its download is blocked (like CI here) it says so plainly and
 * does not run — the same renderer and core are covered in Chromium through the browser host.
 */
const ROOT = resolve(__dirname, '../..')

async function electronBinary(): Promise<string | null> {
  const mod = (await import(join(ROOT, 'electron/tools/electron-binary.mjs'))) as { electronBinary(): string | null }
  return mod.electronBinary()
}

test.describe('Electron window', () => {
  let bin: string | null = null
  test.beforeAll(async () => {
    bin = await electronBinary()
    if (!bin) {
      console.log(
        'electron.spec: no Electron binary on this machine (the electron package could not download it), so the ' +
          '_electron test did not run. To run it: ELECTRON_MIRROR=<mirror> npx install-electron --no, then npx playwright test test/e2e/electron.spec.ts'
      )
    }
  })

  test('opens one hardened window over the real core', async () => {
    test.skip(!bin, 'no Electron binary on this machine: the _electron test did not run (see the message above)')
    const home = mkdtempSync(join(tmpdir(), 'md-electron-'))
    const app = await electron.launch({ executablePath: bin!, args: [ROOT], env: { ...process.env, MINERDESK_HOME: home } })
    try {
      const win = await app.firstWindow()
      await expect(win.getByTestId('app-shell')).toBeVisible({ timeout: 30_000 })
      // The renderer has the contract's named functions and no Node.
      expect(await win.evaluate(() => typeof (window as unknown as { minerdesk?: { sites?: { list?: unknown } } }).minerdesk?.sites?.list)).toBe('function')
      expect(await win.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined')
      // contextIsolation + sandbox: the page's world has no `process` and no Electron objects.
      expect(await win.evaluate(() => typeof (globalThis as unknown as { process?: unknown }).process)).toBe('undefined')
      const shell = await app.evaluate(({ BrowserWindow }) => ({ count: BrowserWindow.getAllWindows().length, url: BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '' }))
      expect(shell.count).toBe(1)
      expect(shell.url).toMatch(/^app:\/\/minerdesk\//)
      // A call through the contract works end to end (IPC → validation → core).
      expect(await win.evaluate(async () => (await (window as unknown as { minerdesk: { app: { info(): Promise<{ host: string }> } } }).minerdesk.app.info()).host)).toBe('electron')
      // New windows are denied.
      await win.evaluate(() => window.open('https://example.com'))
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
    } finally {
      await app.close()
      rmSync(home, { recursive: true, force: true })
    }
  })
})
