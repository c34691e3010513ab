import { expect, test, type Page } from '@playwright/test'
import { AppPage, ChainPage, JobsPage, OpDialogPage, ProvingPage, SitePage, WorkersPage } from './pages'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { fullShot } from '../support/e2e/test'

/**
 * The jobs, workers, proving and messages tabs in Chromium through the real browser host, against
 * a simulated site behind sshd with the job-hangs and stuck-message scenarios: abort the PC2 that
 * hangs, end the PC1 worker by flag and start it again, check a deadline's sectors, block a peer,
 * and replace the stuck message with a fee limit in FIL until it lands — each through the preview
 * dialog, with screenshots of every screen.
 */
test.describe.configure({ mode: 'serial' })

test.describe('jobs, workers, proving and messages through the browser host', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 1, sectors: 40, speed: 60, deadlines: [5], scenarios: ['job-hangs', 'stuck-message'] } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })
  test.afterEach(async ({ page }, info) => {
    if (info.status === info.expectedStatus) return
    console.log('on failure: dialog', await page.getByTestId('mutation-body').last().innerText({ timeout: 2000 }).catch((e: unknown) => String(e)))
    console.log('on failure: host output', host.output().slice(-3000))
    const log = await host.sim!.ssh('site-1', 'tail -60 miner.log', { timeoutMs: 10_000 }).catch((e: unknown) => ({ stdout: String(e), stderr: '' }))
    console.log('on failure: miner.log', log.stdout, log.stderr)
  })

  async function openTab(page: Page, tab: 'jobs' | 'workers' | 'proving' | 'chain'): Promise<void> {
    await new AppPage(page).open(host.url, `#/site/site-1/${tab}`)
    await expect(page.getByTestId(`${tab}-tab`)).toBeVisible({ timeout: 60_000 })
  }

  test('abort the PC2 that hangs (lotus-miner sealing abort)', async ({ page }, info) => {
    const jobs = new JobsPage(page)
    const dialog = new OpDialogPage(page)
    await openTab(page, 'jobs')
    const pc2 = jobs.job(38, 'PC2')
    await expect
      .poll(
        async () => {
          if ((await pc2.count()) > 0 && (await pc2.textContent())?.includes('running')) return true
          await new SitePage(page).refresh.click()
          return false
        },
        { timeout: 60_000, intervals: [2000] }
      )
      .toBe(true)
    const callId = await pc2.getAttribute('data-job')
    await fullShot(page, 'siteops-jobs-tab')
    await jobs.abort(38, 'PC2')
    await dialog.waitReady()
    await expect(dialog.steps).toHaveCount(1)
    await expect(dialog.steps.first()).toContainText(`Filecoin.SealingAbort`)
    await expect(dialog.steps.first()).toContainText(String(callId))
    await expect(dialog.facts).toContainText(String(callId))
    await page.screenshot({ path: info.outputPath('jobs-abort-preview.png') })
    const result = await dialog.run()
    await expect(result).toHaveAttribute('data-ok', 'true')
    await page.screenshot({ path: info.outputPath('jobs-abort-done.png') })
    await dialog.close()
    await expect(page.locator(`[data-testid="job-row"][data-job="${callId}"]`)).toHaveCount(0, { timeout: 30_000 })
  })

  test('end the PC1 worker by flag (killw.sh) and start it again (runworker.sh)', async ({ page }, info) => {
    const workers = new WorkersPage(page)
    const dialog = new OpDialogPage(page)
    await openTab(page, 'workers')
    await workers.find('pc1')
    await expect(workers.processes()).toHaveCount(1)
    await expect(workers.process('site-1-pc1')).toBeVisible()
    await fullShot(page, 'siteops-workers-wps')
    await workers.kill()
    await dialog.waitReady()
    await expect(dialog.steps.first()).toContainText(/kill -TERM \d+/)
    await page.screenshot({ path: info.outputPath('workers-killw-preview.png') })
    // The run button waits for the flag to be typed.
    await expect(dialog.root.getByTestId('mutation-run')).toBeDisabled()
    await expect(await dialog.run('pc1')).toHaveAttribute('data-ok', 'true')
    await dialog.close()
    await expect(workers.processes()).toHaveCount(0, { timeout: 20_000 })
    await workers.startWorkers('worker')
    await dialog.waitReady()
    await expect(dialog.steps.first()).toContainText('sh -c ./runworker.sh')
    await expect(await dialog.run()).toHaveAttribute('data-ok', 'true')
    await expect(dialog.root.getByTestId('mutation-step').first()).toContainText(/started site-1-pc1 \(pid \d+\)/)
    await page.screenshot({ path: info.outputPath('workers-runworker-done.png') })
    await dialog.close()
    await workers.find('pc1')
    await expect(workers.process('site-1-pc1')).toBeVisible()
  })

  test('check the sectors of a deadline (proving check --slow)', async ({ page }) => {
    const proving = new ProvingPage(page)
    await openTab(page, 'proving')
    await proving.check(5)
    await expect(proving.body).toHaveAttribute('data-status', /running|done/)
    await expect(proving.command).toContainText('lotus-miner proving check --slow 5')
    await expect(proving.body).toHaveAttribute('data-status', 'done', { timeout: 60_000 })
    await expect(proving.status).toBeVisible()
    const n = await proving.rows.count()
    expect(n).toBeGreaterThan(0)
    await expect(proving.counts).toContainText(`${n}`)
    await expect(page.getByTestId('proving-check-bad')).toBeVisible()
    await fullShot(page, 'siteops-proving-check')
  })

  test('block a peer (lotus net block add peer)', async ({ page }) => {
    const chain = new ChainPage(page)
    const dialog = new OpDialogPage(page)
    await openTab(page, 'chain')
    await chain.loadPeers()
    const first = chain.peerRows().first()
    const peer = (await first.getAttribute('data-peer')) ?? ''
    expect(peer).toMatch(/^12D3KooW/)
    await first.getByTestId('peer-block').click()
    await dialog.waitReady()
    await expect(dialog.steps.first()).toContainText(`Filecoin.NetBlockAdd [{"Peers":["${peer}"]`)
    await expect(await dialog.run()).toHaveAttribute('data-ok', 'true')
    await dialog.close()
    await expect(chain.peers.getByTestId('peers-blocked')).toContainText(peer)
    await expect(chain.peers.locator(`[data-peer="${peer}"]`)).toHaveCount(0)
    await fullShot(page, 'siteops-chain-peers')
  })

  test('replace the stuck message with a fee limit in FIL; it lands', async ({ page }, info) => {
    const chain = new ChainPage(page)
    const dialog = new OpDialogPage(page)
    await openTab(page, 'chain')
    const row = chain.messageRows().first()
    await expect(row).toBeVisible({ timeout: 60_000 })
    const from = (await row.getAttribute('data-from')) ?? ''
    const nonce = Number(await row.getAttribute('data-nonce'))
    await row.getByTestId('message-replace').click()
    await expect(chain.replaceModal).toBeVisible()
    // A fee limit that is not a FIL amount cannot be previewed.
    await chain.fee.fill('1e18')
    await expect(chain.previewReplace).toBeDisabled()
    await chain.fee.fill('0.5')
    await page.screenshot({ path: info.outputPath('chain-replace-fee.png') })
    await chain.previewReplace.click()
    await dialog.waitReady()
    await expect(dialog.root.getByTestId('replace-fee-limit')).toHaveText('0.5 FIL')
    await expect(dialog.steps.first()).toContainText(`lotus mpool replace --auto --fee-limit 0.5 ${from} ${nonce}`)
    await page.screenshot({ path: info.outputPath('chain-replace-preview.png') })
    const result = await dialog.run()
    await expect(result).toHaveAttribute('data-ok', 'true')
    await expect(result.locator('[data-key="newCid"]')).toContainText('bafy2bzace')
    await page.screenshot({ path: info.outputPath('chain-replace-done.png') })
    await dialog.close()
    // Landed: gone from the local pending messages.
    await expect
      .poll(
        async () => {
          await new SitePage(page).refresh.click()
          return chain.message(from, nonce).count()
        },
        { timeout: 60_000, intervals: [2000] }
      )
      .toBe(0)
    await fullShot(page, 'siteops-chain-after')
  })
})
