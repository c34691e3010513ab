import { expect, test } from '@playwright/test'
import { SectorsPage } from './pages'
import { startRealHost, type RealHost } from '../support/e2e/realHost'

/**
 * One sector's page, in Chromium through the real browser host and a simulated site behind sshd: the
 * triage of a ComputeProofFailed sector (scenario compute-proof-failed: C1 fails with "Invalid
 * vanilla proof generated") — the sectors screen, the sector page with the diagnosis, remove
 * confirmed by typing the sector number, the sector gone from the list, a stale copy of its files
 * listed and cleared.
 */
test.describe('sector triage through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 1, sectors: 300, speed: 60, scenarios: ['compute-proof-failed'] } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })
  test('diagnosis shown, remove confirmed, the sector gone, its files cleared', async ({ page }, info) => {
    const sim = host.sim!
    const s = new SectorsPage(page)
    await s.open(host.url, 'site-1')
    await expect(s.rows().first()).toBeVisible({ timeout: 60_000 })
    await page.screenshot({ path: info.outputPath('sectors-screen.png') })

    // The sector whose C1 failed: its last error is in the list (newest error since it last made progress).
    // Lotus sends it back to PreCommit1 within seconds, so it is among the few sealing sectors.
    await s.filterGroup('sealing')
    const failedRow = s.grid.locator('[data-testid="sector-row"]').filter({ has: page.getByTestId('sector-last-error').getByText(/Invalid vanilla proof|consecutive compute fails/) })
    await expect
      .poll(
        async () => {
          if ((await failedRow.count()) > 0) return true
          await page.getByTestId('sectors-refresh').click()
          return false
        },
        { timeout: 60_000, intervals: [2000] }
      )
      .toBe(true)
    const sector = Number(await failedRow.first().getAttribute('data-sector'))
    expect(sector).toBeGreaterThan(0)

    await s.openSector(sector)
    // The health model's finding for it (its own, or the loop it is in): the line Lotus wrote, the remedy and its action.
    const vanilla = s.findings().filter({ has: page.getByTestId('finding-evidence').getByText(/Invalid vanilla proof generated/) }).first()
    await expect(vanilla).toBeVisible()
    await expect(vanilla.getByTestId('finding-evidence')).toContainText('computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated')
    await expect(vanilla.getByTestId('finding-remedies')).toContainText('删除')
    await expect(s.timeline.locator('[data-event="SectorComputeProofFailed"]').first()).toBeVisible()
    await expect(s.files.getByTestId('files-check')).toBeVisible({ timeout: 60_000 })
    await s.fullShot(info.outputPath('sector-page.png'))

    // remove.sh: the preview names the exact calls; the run waits for the typed sector number.
    await vanilla.locator('[data-testid="finding-action"][data-action="remove"]').click()
    await expect(s.dialog.getByTestId('mutation-step').last()).toContainText(`Filecoin.SectorRemove [${sector}]`)
    await expect(s.dialog.getByTestId('mutation-run')).toBeDisabled()
    await s.dialog.getByTestId('mutation-confirm-input').fill(String(sector + 1))
    await expect(s.dialog.getByTestId('mutation-run')).toBeDisabled()
    await page.screenshot({ path: info.outputPath('remove-preview.png') })
    const result = await s.confirmDialog(String(sector))
    await expect(result).toHaveAttribute('data-ok', 'true')
    await expect(result.locator(`[data-key="${sector}"]`)).toContainText('removed')
    await page.screenshot({ path: info.outputPath('remove-done.png') })
    await s.closeDialog()
    await expect(s.sectorPage).toHaveAttribute('data-state', 'Removed', { timeout: 30_000 })

    // Gone from the list (like `sectors list` without -r); shown only under Removed.
    await page.getByTestId('sector-back').click()
    await s.filterGroup('all')
    await s.searchFor(String(sector))
    await expect(s.row(sector)).toHaveCount(0, { timeout: 30_000 })
    await s.filterGroup('removed')
    await expect(s.row(sector)).toHaveAttribute('data-state', 'Removed', { timeout: 30_000 })

    // A worker that kept a copy (it was away while Lotus removed the sector): clearsector lists it, then deletes it.
    const cfg = sim.sites[0]!.config
    const pc1 = cfg.workers.find((w) => w.kind === 'pc1')!
    const name = `s-t0${cfg.minerId}-${sector}`
    await sim.sshOk('site-1', `mkdir -p ${pc1.repo}/cache/${name} ${pc1.repo}/sealed && head -c 64 /dev/zero > ${pc1.repo}/cache/${name}/p_aux && : > ${pc1.repo}/sealed/${name}`)
    await s.openSector(sector)
    await page.getByTestId('sector-files-reload').click()
    await expect(s.files.getByTestId('files-extra').first()).toBeVisible({ timeout: 30_000 })
    await page.getByTestId('sector-clear-files').click()
    await page.getByTestId('clear-list').click()
    await expect(page.getByTestId('clear-item')).toHaveCount(2, { timeout: 60_000 })
    await expect(page.locator('[data-testid="clear-item"][data-action="delete"]')).toHaveCount(2)
    await expect(s.dialog.getByTestId('mutation-step')).toContainText(`rm -rf -- ${pc1.repo}/cache/${name} ${pc1.repo}/sealed/${name}`)
    await page.screenshot({ path: info.outputPath('clear-preview.png') })
    const cleared = await s.confirmDialog(String(sector))
    await expect(cleared).toHaveAttribute('data-ok', 'true')
    await s.closeDialog()
    const left = await sim.ssh('site-1', `ls ${pc1.repo}/cache/${name} ${pc1.repo}/sealed/${name}`)
    expect(left.code).not.toBe(0)
    await page.getByTestId('sector-files-reload').click()
    await expect(s.files.getByTestId('files-check')).toHaveAttribute('data-ok', 'true', { timeout: 30_000 })
    await s.fullShot(info.outputPath('sector-cleared.png'))
  })
})
