import { overflows } from '../support/e2e/screenChecks'
import { expect, fullShot, shot, test } from '../support/e2e/test'
import { fleetOf } from '../support/e2e/fleetFixture'

/**
 * The Overview of a fleet: fifty sites as one row each, the worst first; at 1440×900 the first
 * twenty rows are in view without scrolling; columns sort; the keyboard moves between rows and
 * opens a site; the layout chosen is remembered (it is a setting); a few sites stay cards.
 */
test('fifty sites in one table, worst first, readable at 1440×900', async ({ openApp, page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await openApp({ tweak: fleetOf(50) })
  const rows = page.getByTestId('fleet-row')
  await expect(rows).toHaveCount(50)
  // Critical sites first.
  const healths = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-health')))
  const rank = { critical: 0, warning: 1, unknown: 2, ok: 3 } as Record<string, number>
  expect(healths.map((h) => rank[h ?? 'ok'])).toEqual([...healths.map((h) => rank[h ?? 'ok'])].sort((a, b) => a! - b!))
  // Twenty rows in view without scrolling, each 32 px tall.
  const twentieth = await rows.nth(19).boundingBox()
  expect(twentieth!.y + twentieth!.height).toBeLessThanOrEqual(900)
  expect(Math.round(twentieth!.height)).toBe(32)
  await expect(rows.first().getByTestId('fleet-next-deadline')).toHaveText(/#\d+ \d/)
  await fullShot(page, 'fleet-zh-CN-1440')
  await page.setViewportSize({ width: 1280, height: 720 })
  expect(await overflows(page)).toEqual([])
  await page.screenshot({ path: shot('fleet-zh-CN-1280') })
  await page.setViewportSize({ width: 1440, height: 900 })

  // Sorting: the site far behind first by sync; the soonest deadline first.
  await page.getByTestId('fleet-sort-behind').click()
  await expect(rows.first()).toHaveAttribute('data-site', 'fleet-13')
  await page.getByTestId('fleet-sort-processes').click()
  await expect(rows.first()).toHaveAttribute('data-site', 'fleet-07')
  await page.getByTestId('fleet-sort-nextDeadline').click()
  // The fixture opens site i's next deadline (i × 97 mod 1800) s from now: site 19 is first.
  await expect(rows.first()).toHaveAttribute('data-site', 'fleet-19')

  // Keyboard: down twice from the first row, then Enter opens that site.
  await rows.first().focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  const third = await rows.nth(2).getAttribute('data-site')
  await expect(rows.nth(2)).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page).toHaveURL(new RegExp(`#/site/${third}/chain$`))
})

test('the layout chosen is remembered; a few sites are cards by default', async ({ openApp, page }) => {
  const data = await openApp({})
  expect(data.sites).toHaveLength(3)
  await expect(page.getByTestId('fleet-table')).toHaveCount(0)
  await expect(page.locator('[data-testid^="site-card-"][data-health]')).toHaveCount(3)
  await page.getByTestId('overview-layout').getByText('列表').click()
  await expect(page.getByTestId('fleet-row')).toHaveCount(3)
  const calls = await page.evaluate(() => (window as unknown as { __fixture: { calls: { channel: string; args: unknown[] }[] } }).__fixture.calls)
  expect(calls.filter((c) => c.channel === 'settings:update').map((c) => c.args[0])).toContainEqual({ overviewLayout: 'table' })
})

for (const language of ['zh-CN', 'en'] as const) {
  test(`another operator's restart shows in its row, whose and since when (${language})`, async ({ openApp, page }) => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await openApp({ language, tweak: fleetOf(50) })
    await expect(page.getByTestId('fleet-row')).toHaveCount(50)
    await page.evaluate(() => {
      const f = (window as unknown as { __fixture: { emit(n: string, p: unknown): void } }).__fixture
      const t = Date.now()
      const lock = { operator: 'zhang.wei', machine: 'noc-laptop-3', pid: 48213, run: '7d3c2a10-0000-4000-8000-000000000001', site: 'fleet-07', via: 'electron', since: t - 20 * 60_000, heartbeat: t - 10_000, stale: false, mine: false }
      f.emit('team:site', { siteId: 'fleet-07', readAt: t, recent: [], lock })
    })
    const mark = page.locator('[data-testid="fleet-row"][data-site="fleet-07"]').getByTestId('fleet-restart-lock')
    // What and since when first (the cell may cut the name); the whole sentence in the tooltip.
    await expect(mark).toHaveText(new RegExp(language === 'en' ? '^restart \\d\\d:\\d\\d · zhang\\.wei$' : '^重启中 \\d\\d:\\d\\d · zhang\\.wei$'))
    await expect(mark).toHaveAttribute('title', new RegExp(language === 'en' ? '^Being restarted by zhang.wei since \\d\\d:\\d\\d' : '^zhang.wei 自 \\d\\d:\\d\\d 起正在重启'))
    await fullShot(page, `fleet-restart-lock-${language}`)
  })
}
