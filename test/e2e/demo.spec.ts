import { expect, test } from '@playwright/test'
import { pagesFor } from '../support/e2e/test'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { RestartPage } from './pages'

/**
 * The demo: with no sites configured the app offers three simulated sites, starts them
 * (real simulator processes behind sshd, through the browser host's core) and shows them live;
 * with nothing changed in the settings the demo wrote, a rolling restart of all three from the
 * Overview succeeds; stopping the demo removes them again. Both screens say how long the demo lives.
 */
test.describe('the demo through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    // Ten times the demo's pace: a restart of each site takes seconds.
    host = await startRealHost({ sim: null, args: ['--demo-speed', '600'] })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('offers, starts, shows, restarts and stops three simulated sites', async ({ page }, info) => {
    test.setTimeout(300_000)
    const p = pagesFor(page)
    await p.app.open(host.url)
    await expect(p.overview.demoOffer).toBeVisible()
    await expect(p.overview.demoOffer.getByTestId('demo-lifecycle')).not.toBeEmpty()
    await p.overview.demoStart.click()
    await expect(p.overview.demoBar).toBeVisible({ timeout: 120_000 })
    await expect(p.overview.cards()).toHaveCount(3, { timeout: 30_000 })
    for (const id of ['site-1', 'site-2', 'site-3']) {
      await expect.poll(() => p.overview.connectionState(id), { timeout: 60_000 }).toBe('connected')
      await expect(p.overview.metric(id, 'height')).toContainText(/\d{7}/, { timeout: 60_000 })
    }
    await expect(p.overview.demoBar.getByTestId('demo-lifecycle')).not.toBeEmpty()
    await page.screenshot({ path: info.outputPath('demo-running.png'), fullPage: true })

    // The demo's settings say how its processes really start: the wizard brings every site back.
    const w = new RestartPage(page)
    await w.rollingButton.click()
    await expect(w.rollingModal).toBeVisible()
    for (const id of ['site-1', 'site-2', 'site-3']) await page.getByTestId(`rolling-choose-${id}`).click()
    await page.getByTestId('rolling-preview').click()
    // Every site's four commands (stop miner, stop daemon, start daemon, start miner), in order.
    await expect(page.getByTestId('rolling-preview-box').getByTestId('preview-step')).toHaveCount(12)
    const began = Date.now()
    await page.getByTestId('rolling-preview-box').getByTestId('preview-confirm').click()
    await expect(page.getByTestId('rolling-progress')).toBeVisible()
    await expect(page.getByTestId('rolling-progress')).toHaveAttribute('data-phase', /done|failed|aborted/, { timeout: 150_000 })
    await page.screenshot({ path: info.outputPath('demo-rolling-restart.png'), fullPage: true })
    for (const id of ['site-1', 'site-2', 'site-3']) await expect(w.rollingSite(id)).toHaveAttribute('data-state', 'done')
    await expect(page.getByTestId('rolling-progress')).toHaveAttribute('data-phase', 'done')
    console.log(`[measure] demo rolling restart of three sites from the Overview at 600×: ${Math.round((Date.now() - began) / 1000)} s`)
    await page.keyboard.press('Escape')
    await page.getByTestId('demo-stop').click()
    await expect(p.overview.demoOffer).toBeVisible({ timeout: 60_000 })
    await expect(p.overview.cards()).toHaveCount(0)
  })
})
