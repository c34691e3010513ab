import { expect, test, type Page } from '@playwright/test'
import { AppPage, OpDialogPage, RestartPage, WorkersPage } from './pages'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { fullShot } from '../support/e2e/test'

/**
 * A read-only site through the real browser host (real core, sshd, simulated site): turned
 * read-only in its settings, every change the window offers is refused by the core with the
 * reason and what to do, and nothing reaches the site; turned back, the same change previews.
 */
test.describe.configure({ mode: 'serial' })

const PEER = '12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf'
const REFUSED = /read-only|只读/

test.describe('a read-only site in the window', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 1, sectors: 30, speed: 60 } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  async function setReadOnly(page: Page, on: boolean): Promise<void> {
    await new AppPage(page).open(host.url, '#/settings/site/site-1')
    const toggle = page.getByTestId('site-settings-read-only')
    await expect(toggle).toBeVisible({ timeout: 30_000 })
    if ((await toggle.getAttribute('aria-checked')) !== String(on)) await toggle.click()
    await page.getByTestId('site-settings-save').click()
    await expect(page.getByTestId('site-settings-form')).toHaveCount(0, { timeout: 30_000 })
  }

  async function openTab(page: Page, tab: 'chain' | 'workers'): Promise<void> {
    await new AppPage(page).open(host.url, `#/site/site-1/${tab}`)
    await expect(page.getByTestId(`${tab}-tab`)).toBeVisible({ timeout: 60_000 })
  }

  /** Types a peer ID and asks to block it: the dialog's preview is the core's answer. */
  async function blockPeer(page: Page): Promise<OpDialogPage> {
    await openTab(page, 'chain')
    await page.getByTestId('peer-input').fill(PEER)
    await page.getByTestId('peer-block-typed').click()
    return new OpDialogPage(page)
  }

  test('every change is refused with the reason, and nothing reaches the site', async ({ page }) => {
    await setReadOnly(page, true)
    await openTab(page, 'chain')
    await expect(page.getByTestId('site-read-only')).toBeVisible()

    // Blocking a peer (lotus net block add peer): the preview itself is refused.
    const dialog = await blockPeer(page)
    const error = dialog.root.getByTestId('mutation-error')
    await expect(error).toHaveAttribute('data-error-code', 'site/read-only', { timeout: 30_000 })
    await expect(error).toContainText(REFUSED)
    await expect(dialog.steps).toHaveCount(0)
    await fullShot(page, 'team-read-only-refused-zh-CN')
    await dialog.close()

    // Starting the PC1 worker (runworker.sh).
    await openTab(page, 'workers')
    await new WorkersPage(page).startWorkers('worker')
    await expect(dialog.root.getByTestId('mutation-error')).toHaveAttribute('data-error-code', 'site/read-only', { timeout: 30_000 })
    await dialog.close()

    // A restart: refused before any lock is taken or any step runs.
    const restart = new RestartPage(page)
    await restart.open()
    await restart.start.click()
    const note = page.getByTestId('error-notification')
    await expect(note).toHaveAttribute('data-error-code', 'site/read-only', { timeout: 30_000 })
    await expect(note).toContainText(REFUSED)
    await expect(restart.steps).toHaveCount(0)

    // Nothing reached the site: its own audit log holds only the settings change that made it
    // read-only (a team sees who did that), and there is no restart lock.
    const log = await host.sim!.ssh('site-1', 'cat ~/.minerdesk/audit.log')
    const actions = log.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { action: string }).action)
    expect(actions.length).toBeGreaterThan(0)
    expect(actions.filter((a) => !a.startsWith('settings.'))).toEqual([])
    expect((await host.sim!.ssh('site-1', 'test -e ~/.minerdesk/restart.lock')).code).toBe(1)
  })

  test('turned back to writable, the same change previews its command', async ({ page }) => {
    await setReadOnly(page, false)
    const dialog = await blockPeer(page)
    await dialog.waitReady()
    await expect(dialog.steps.first()).toContainText('Filecoin.NetBlockAdd')
    await expect(dialog.root.getByTestId('mutation-error')).toHaveCount(0)
    await dialog.close()
  })
})
