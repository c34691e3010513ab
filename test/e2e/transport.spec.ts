import { buildFixture } from '../support/e2e/fixtures'
import { ensureRendererBuild, expect, fullShot, pagesFor, test } from '../support/e2e/test'
import { WsFixtureHost } from '../support/e2e/wsFixtureHost'

/**
 * The renderer's real WebSocket transport (the browser host's), against a test-only host that
 * speaks wire.ts: calls, events, the lost-connection banner, reconnect and reload.
 */
test.describe('browser-host transport', () => {
  let host: WsFixtureHost
  test.beforeAll(() => ensureRendererBuild())
  test.beforeEach(async () => {
    host = new WsFixtureHost(buildFixture({ host: 'web' }))
    await host.start()
  })
  test.afterEach(async () => host.stop())

  test('calls and events go over the WebSocket; a lost host shows the banner and the page recovers', async ({ page }) => {
    const { app, overview } = pagesFor(page)
    await app.open(host.url)
    await expect(overview.cards()).toHaveCount(3)
    await expect(app.transportBanner).toHaveCount(0)

    const snap = buildFixture().snapshots[1]!
    snap.daemon.peers = 3
    host.backend.pushSnapshot(snap)
    await expect(overview.metric('sh-02', 'peers')).toContainText('3')

    await host.stop()
    await expect(app.transportBanner).toBeVisible()
    await expect(app.transportBanner).toContainText('与 MinerDesk 主机的连接已断开')
    await fullShot(page, 'transport-lost-zh-CN-light')

    const listsBefore = host.backend.calls.filter((c) => c.channel === 'sites:list').length
    await host.start()
    await expect(app.transportBanner).toHaveCount(0, { timeout: 20_000 })
    // Events sent while the socket was down are lost: the page reloads its state.
    await expect.poll(() => host.backend.calls.filter((c) => c.channel === 'sites:list').length).toBeGreaterThan(listsBefore)
    await expect(overview.cards()).toHaveCount(3)
  })

  test('a call that fails on the host rejects with its ErrorInfo, shown translated', async ({ page }) => {
    const { app, overview } = pagesFor(page)
    host.backend.fail('overview:refresh', { code: 'ssh/timeout', message: 'timed out after 10000 ms' })
    await app.open(host.url)
    await overview.refreshAll.click()
    await expect(page.getByTestId('error-notification')).toHaveAttribute('data-error-code', 'ssh/timeout')
    await expect(page.locator('.ant-notification')).toContainText('SSH 操作超时')
  })

  test('without the token the host refuses the socket and the banner says how to open the page', async ({ page }) => {
    const { app } = pagesFor(page)
    await page.goto(`http://127.0.0.1:${host.port}/#/overview`)
    await expect(app.transportBanner).toBeVisible()
    await expect(app.transportBanner).toContainText('?token=')
  })
})
