import { expect, test } from '@playwright/test'
import { pagesFor } from '../support/e2e/test'
import { startRealHost, type RealHost } from '../support/e2e/realHost'

/**
 * The Overview of three simulated sites in Chromium through the real browser host —
 * real sshd, real JSON-RPC over SSH, the real core and renderer.
 */
test.describe('Overview through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 3, sectors: 300, speed: 60 } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('shows all three sites live, in Chinese by default', async ({ page }, info) => {
    const p = pagesFor(page)
    await p.app.open(host.url)
    await p.overview.waitLoaded()
    await expect(p.overview.cards()).toHaveCount(3)
    for (const id of ['site-1', 'site-2', 'site-3']) {
      await expect.poll(() => p.overview.connectionState(id), { timeout: 60_000 }).toBe('connected')
      await expect(p.overview.metric(id, 'height')).toContainText(/\d{7}/, { timeout: 60_000 })
    }
    expect(await p.app.language()).toBe('zh-CN')
    // Live: a second poll moves the chain height on (speed 60 → an epoch every 0.5 s).
    const before = await p.overview.metric('site-1', 'height').innerText()
    await expect.poll(async () => p.overview.metric('site-1', 'height').innerText(), { timeout: 30_000 }).not.toBe(before)
    await page.screenshot({ path: info.outputPath('overview-real.png'), fullPage: true })
  })

  test('draws the site history from its polls and the 48 deadlines of the period', async ({ page }) => {
    const p = pagesFor(page)
    await p.app.open(host.url)
    await page.evaluate(() => (location.hash = '#/site/site-1/pipeline'))
    const pipeline = page.getByTestId('pipeline-history-chart')
    await expect(pipeline).toHaveAttribute('data-ready', 'true', { timeout: 60_000 })
    // One filled area per sealing state the polls saw, named in the legend by its Lotus name.
    await expect.poll(() => pipeline.locator('svg path[fill]:not([fill="none"])').count()).toBeGreaterThan(0)
    await expect(pipeline.locator('svg text', { hasText: /^(PreCommit1|WaitSeed|Committing|PreCommit2|GetTicket|Packing|FinalizeSector)$/ }).first()).toBeVisible()
    await expect(page.getByTestId('sealed-per-day-chart')).toHaveAttribute('data-ready', 'true')
    await page.evaluate(() => (location.hash = '#/site/site-1/chain'))
    await expect(page.getByTestId('sync-history-chart')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
    await page.evaluate(() => (location.hash = '#/site/site-1/proving'))
    const strip = page.getByTestId('deadline-strip-chart')
    await expect(strip).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })
    // A bar per deadline, and the countdown to the next one due in words.
    await expect.poll(() => strip.locator('svg path').count()).toBeGreaterThanOrEqual(48)
    await expect(page.getByTestId('deadline-strip-next')).toContainText(/下一个到期：\s*#\d+/)
  })

  test('the host refuses requests without its token', async ({ request }) => {
    const u = new URL(host.url)
    const bare = await request.get(`${u.origin}/`)
    expect(bare.status()).toBe(403)
    const wrong = await request.get(`${u.origin}/?token=${'0'.repeat(64)}`)
    expect(wrong.status()).toBe(403)
    const ok = await request.get(host.url)
    expect(ok.status()).toBe(200)
  })
})
