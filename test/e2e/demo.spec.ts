import { expect, test } from '@playwright/test'
import { pagesFor } from '../support/e2e/test'
import { startRealHost, type RealHost } from '../support/e2e/realHost'

/**
 * The demo: with no sites configured the app offers three simulated sites, starts them
 * (real simulator processes behind sshd, through the browser host's core) and shows them live;
 * stopping the demo removes them again.
 */
test.describe('the demo through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: null })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('offers, starts, shows and stops three simulated sites', async ({ page }, info) => {
    test.setTimeout(240_000)
    const p = pagesFor(page)
    await p.app.open(host.url)
    await expect(p.overview.demoOffer).toBeVisible()
    await p.overview.demoStart.click()
    await expect(p.overview.demoBar).toBeVisible({ timeout: 120_000 })
    await expect(p.overview.cards()).toHaveCount(3, { timeout: 30_000 })
    for (const id of ['site-1', 'site-2', 'site-3']) {
      await expect.poll(() => p.overview.connectionState(id), { timeout: 60_000 }).toBe('connected')
      await expect(p.overview.metric(id, 'height')).toContainText(/\d{7}/, { timeout: 60_000 })
    }
    await page.screenshot({ path: info.outputPath('demo-running.png'), fullPage: true })
    await page.getByTestId('demo-stop').click()
    await expect(p.overview.demoOffer).toBeVisible({ timeout: 60_000 })
    await expect(p.overview.cards()).toHaveCount(0)
  })
})
