import { expect, test } from '@playwright/test'
import { SectorsPage, SettingsPage } from './pages'
import { startRealHost, type RealHost } from '../support/e2e/realHost'

/**
 * The sectors screen in Chromium through the real browser host and a simulated site:
 * filters, a bulk update-state with a result per sector, the stuck rule following the site's
 * expected durations, pledge, autopledge started and stopped, findsector, and the usual
 * update-state targets of a sector — in Chinese, then the sector page in English.
 */
test.describe('the sectors screen through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 1, sectors: 300, speed: 60 } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('filters, bulk update-state, stuck, pledge, autopledge, find files', async ({ page }, info) => {
    const s = new SectorsPage(page)
    await s.open(host.url, 'site-1')
    await expect(s.rows().first()).toBeVisible()

    // The stuck rule follows the site's expected durations: PC1 expected 1 s → running PC1s are stuck
    // once they are a minute past it (a sub-minute step also waits for its worker and the scheduler;
    // the site's PC1s began as it started, a PC1 lasts 3.5 min here). Set first, checked after the
    // steps below, while that minute passes.
    await page.getByTestId('sectors-durations').click()
    await page.getByTestId('duration-PC1').fill('1s')
    await page.getByTestId('durations-save').click()

    // Groups and number search.
    await s.filterGroup('sealing')
    const sealing = Number(await s.group('sealing').getAttribute('data-count'))
    expect(sealing).toBeGreaterThan(0)
    await expect(s.rows()).toHaveCount(sealing)
    await s.filterGroup('all')
    await s.searchFor('10-12')
    await expect(s.rows()).toHaveCount(3)
    await expect(s.row(11)).toHaveAttribute('data-state', 'Proving')

    // Bulk update-state of two sectors: the usual targets, the preview, one result per sector.
    await s.row(10).getByTestId('sector-select').check()
    await s.row(11).getByTestId('sector-select').check()
    await expect(s.selection).toHaveAttribute('data-count', '2')
    await page.getByTestId('bulk-update-state').click()
    await page.getByTestId('update-state-select').click()
    await page.keyboard.type('Proving')
    await page.locator('.ant-select-item-option[title="Proving"]').click()
    await page.getByTestId('update-state-preview').click()
    await expect(s.dialog.getByTestId('mutation-step')).toHaveCount(2)
    await expect(s.dialog.getByTestId('mutation-step').first()).toContainText('Filecoin.SectorsUpdate [10,"Proving"]')
    // The core's warning arrives as a key with its parameters, written in the window's language.
    const warning = s.dialog.getByTestId('mutation-warning').first()
    await expect(warning).toHaveAttribute('data-key', /^updateSameSectors?$/)
    await expect(warning).toContainText('已经处于 Proving')
    const bulk = await s.confirmDialog()
    await expect(bulk.getByTestId('mutation-result-row')).toHaveCount(2)
    await expect(bulk.locator('[data-key="10"]')).toContainText('ok')
    await expect(bulk.locator('[data-key="11"]')).toContainText('ok')
    await page.screenshot({ path: info.outputPath('bulk-update-state.png') })
    await s.closeDialog()
    await page.getByTestId('bulk-clear').click()
    await s.searchFor('')

    // Pledge.
    await page.getByTestId('sectors-pledge').click()
    await expect(s.dialog.getByTestId('mutation-step')).toContainText('Filecoin.PledgeSector []')
    const pledged = await s.confirmDialog()
    await expect(pledged.locator('[data-key="sector"]')).toContainText(/\d+/)
    await s.closeDialog()

    // Autopledge: off by default, started through its preview, its state in view, stopped.
    await expect(s.autopledge).toHaveAttribute('data-running', 'false')
    await page.getByTestId('autopledge-start').click()
    await page.getByTestId('autopledge-target').locator('xpath=descendant-or-self::input').fill('100')
    await page.getByTestId('autopledge-interval').locator('xpath=descendant-or-self::input').fill('10')
    await page.getByTestId('autopledge-preview').click()
    await expect(s.dialog.getByTestId('mutation-step')).toContainText('every 10s: Filecoin.PledgeSector [] while fewer than 100 sectors are sealing')
    await s.confirmDialog()
    await s.closeDialog()
    await expect(s.autopledge).toHaveAttribute('data-running', 'true')
    await expect(page.getByTestId('autopledge-last')).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: info.outputPath('autopledge-running.png') })
    await page.getByTestId('autopledge-stop').click()
    await expect(s.autopledge).toHaveAttribute('data-running', 'false')
    await expect(page.getByTestId('autopledge-stopped')).toBeVisible()

    // findsector.sh s-t*: every sector's files on the workers and the store.
    await page.getByTestId('sectors-find-files').click()
    await page.getByTestId('find-files-run').click()
    await expect(page.getByTestId('find-files-total')).toBeVisible({ timeout: 30_000 })
    expect(Number(await page.getByTestId('find-files-total').getAttribute('data-total'))).toBeGreaterThan(5)
    await page.screenshot({ path: info.outputPath('find-files.png') })
    await page.keyboard.press('Escape')

    // The stuck PC1s, now a minute past the 1 s expected.
    await expect.poll(async () => Number(await s.group('stuck').getAttribute('data-count')), { timeout: 120_000, intervals: [2000] }).toBeGreaterThan(0)
    await s.filterGroup('stuck')
    await expect(s.rows().first()).toHaveAttribute('data-group', 'stuck')
    await expect(s.rows().first()).toHaveAttribute('data-state', 'PreCommit1')
    await page.screenshot({ path: info.outputPath('sectors-stuck.png') })
    await page.getByTestId('sectors-durations').click()
    await page.getByTestId('duration-PC1').fill('')
    await page.getByTestId('durations-save').click()
    await expect.poll(async () => Number(await s.group('stuck').getAttribute('data-count')), { timeout: 30_000 }).toBe(0)
    await s.filterGroup('all')

    // A sealing sector's page: the targets Lotus's handlers can take come first — re-running its state.
    await s.filterGroup('sealing')
    const pc1 = s.grid.locator('[data-testid="sector-row"][data-state="PreCommit1"]').first()
    const n = Number(await pc1.getAttribute('data-sector'))
    await s.openSector(n)
    await page.getByTestId('sector-update-state').click()
    await expect(page.getByTestId('update-state-usual').first()).toHaveAttribute('data-state', 'PreCommit1')
    await page.screenshot({ path: info.outputPath('update-state-targets.png') })
    await page.keyboard.press('Escape')
    await expect(s.files.getByTestId('files-check')).toBeVisible({ timeout: 30_000 })
    await s.fullShot(info.outputPath('sector-page-zh.png'))

    // The same page in English.
    const settings = new SettingsPage(page)
    await page.goto(SectorsPage.hashUrl(host.url, '#/settings/general'))
    await settings.openGeneral()
    await settings.chooseLanguage('English')
    await settings.saveGeneral()
    await page.goto(SectorsPage.hashUrl(host.url, `#/site/site-1/sectors/${n}`))
    await expect(s.sectorPage).toHaveAttribute('data-sector', String(n))
    await expect(s.files.getByTestId('files-check')).toBeVisible({ timeout: 30_000 })
    await expect(page.getByTestId('sector-update-state')).toHaveText('Update state')
    await s.fullShot(info.outputPath('sector-page-en.png'))
    await page.goto(SectorsPage.hashUrl(host.url, '#/site/site-1/sectors'))
    await expect(s.rows().first()).toBeVisible({ timeout: 30_000 })
    await page.screenshot({ path: info.outputPath('sectors-en.png') })
  })
})
