import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { AuditLog } from '../../electron/core/audit/auditLog'
import { pagesFor } from '../support/e2e/test'
import { lotusProcs, startedCount } from '../support/e2e/restartChecks'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { RestartPage } from './pages'
import { cliBundle, reportOf, runCli } from '../support/restartHarness'

/**
 * The restart wizard in Chromium through the real browser host: simulated sites behind sshd,
 * the real core; step by step and "run the rest", live sync progress and log tails, the report
 * exported; a rolling restart from the Overview.
 */

/** Gets the pre-check to "ready": re-checks while a proof is due (the verdict has its own tests). */
async function pastPrecheck(w: RestartPage): Promise<void> {
  await expect(w.toolbar).toHaveAttribute('data-phase', /ready|waiting/, { timeout: 30_000 })
  for (let i = 0; i < 40 && (await w.runPhase()) === 'waiting'; i++) {
    await w.page.getByTestId('wizard-recheck').click()
    await w.page.waitForTimeout(2000)
  }
  await expect(w.toolbar).toHaveAttribute('data-phase', 'ready')
}

test.describe('restart wizard in the window', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 2, sectors: 40, speed: 60, workers: { pc1: 1, pc2: 0, c2: 1 } } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('restarts a site step by step and then in one go, with live progress, logs and a report', async ({ page }, info) => {
    const p = pagesFor(page)
    const w = new RestartPage(page)
    await p.app.open(host.url, '#/site/site-1/chain')
    await p.site.waitFor('site-1')
    await expect(page.getByTestId('site-connection').locator('[data-connection]')).toHaveAttribute('data-connection', 'connected', { timeout: 60_000 })
    await w.open()
    await expect(w.start).toBeVisible()
    await expect(w.daemonLog).not.toHaveAttribute('data-lines', '0', { timeout: 20_000 })
    await page.screenshot({ path: info.outputPath('wizard-1-start.png'), fullPage: true })

    const since = new Date().toISOString()
    const before = lotusProcs(host, 'site-1')
    await w.start.click()
    await expect(w.precheck).toBeVisible({ timeout: 30_000 })
    await expect(w.precheck.getByTestId('wizard-commands')).toContainText('lotus-miner stop')
    await page.screenshot({ path: info.outputPath('wizard-2-precheck.png'), fullPage: true })
    await pastPrecheck(w)

    // Step by step: the first command is shown, then confirmed.
    await w.next.click()
    await expect(w.decision).toHaveAttribute('data-kind', 'confirm')
    await expect(w.decision.getByTestId('preview-step')).toHaveText(['site-1$ lotus-miner stop'])
    await page.screenshot({ path: info.outputPath('wizard-3-confirm.png'), fullPage: true })
    await w.confirmDecision()
    await expect(w.step('stopMiner')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 })
    await expect(w.toolbar).toHaveAttribute('data-phase', 'ready')

    // The rest in one go.
    await w.runAll.click()
    const modal = page.getByTestId('wizard-run-all-preview')
    await expect(modal.getByTestId('preview-step')).toHaveCount(3)
    await page.screenshot({ path: info.outputPath('wizard-4-run-all.png'), fullPage: true })
    await modal.getByTestId('preview-confirm').click()
    await expect(w.step('startDaemon')).toHaveAttribute('data-status', /running|ok/, { timeout: 30_000 })
    await expect(page.getByTestId('wizard-sync')).toBeVisible({ timeout: 30_000 })
    await expect(w.step('startMiner')).toHaveAttribute('data-status', 'running', { timeout: 30_000 })
    await page.screenshot({ path: info.outputPath('wizard-5-running.png'), fullPage: true })
    await expect(w.toolbar).toHaveAttribute('data-phase', 'done', { timeout: 90_000 })
    await expect(w.outcome).toHaveAttribute('data-ok', 'true')
    for (const s of ['precheck', 'stopMiner', 'stopDaemon', 'startDaemon', 'startMiner', 'postcheck'] as const) await expect(w.step(s)).toHaveAttribute('data-status', 'ok')
    await expect(w.stepBody('startMiner').getByTestId('wizard-observations')).toContainText('WinningPoSt 预热成功')
    await expect(w.stepBody('startMiner').getByTestId('wizard-excerpt')).toContainText('winning PoSt warmup successful')
    await expect(w.minerLog).toContainText('winning PoSt warmup successful', { timeout: 20_000 })
    await expect(w.daemonLog).toContainText('Graceful shutdown successful')
    await page.screenshot({ path: info.outputPath('wizard-6-done.png'), fullPage: true })

    const after = lotusProcs(host, 'site-1')
    expect(after.daemon).toHaveLength(1)
    expect(after.miner).toHaveLength(1)
    expect(after.miner[0]!.pid).not.toBe(before.miner[0]!.pid)
    expect(await startedCount(host, 'site-1', since)).toEqual({ 'wizard.stop-miner': 1, 'wizard.stop-daemon': 1, 'wizard.start-daemon': 1, 'wizard.start-miner': 1 })

    const md = await w.exportReport('md')
    expect(md.suggestedFilename()).toMatch(/^minerdesk-restart-site-1-.*\.md$/)
    const text = readFileSync((await md.path())!, 'utf8')
    expect(text).toContain('- Result: **done: daemon and miner restarted**')
    expect(text).toContain('## 4. Start the miner and confirm the warm-up — ok')
    const json = await w.exportReport('json')
    expect(JSON.parse(readFileSync((await json.path())!, 'utf8'))).toMatchObject({ siteId: 'site-1', phase: 'done', via: 'web' })
    await expect(w.history.locator('tr')).toHaveCount(1)
  })

  test('an unsafe verdict overridden with an acknowledgement, a miner that will not stop ended after confirmation, an abort', async ({ page }, info) => {
    const p = pagesFor(page)
    const w = new RestartPage(page)
    await p.app.open(host.url, '#/site/site-2/chain')
    await p.site.waitFor('site-2')
    await expect(page.getByTestId('site-connection').locator('[data-connection]')).toHaveAttribute('data-connection', 'connected', { timeout: 60_000 })
    await w.open()
    // A restart expected to take a whole day never fits between deadlines: "unsafe".
    await w.setSettings({ expected: '24h', stopTimeoutSec: '3s', termWaitSec: '2s' })
    await expect(page.getByText('已保存')).toBeVisible()
    const since = new Date().toISOString()
    await w.start.click()
    await expect(w.decision).toHaveAttribute('data-kind', 'verdict', { timeout: 30_000 })
    await expect(w.decision.getByTestId('wizard-verdict')).toHaveAttribute('data-kind', 'unsafe')
    await expect(w.decision).toContainText('不安全')
    await expect(page.getByTestId('wizard-override')).toBeDisabled()
    await page.screenshot({ path: info.outputPath('wizard-10-unsafe.png'), fullPage: true })
    await w.override('the miner leaks memory; the operator accepts the risk')
    await expect(w.toolbar).toHaveAttribute('data-phase', 'ready')
    const audit = new AuditLog({ home: host.home, via: 'web' })
    const override = (await audit.list({ site: 'site-2' })).find((e) => e.action === 'wizard.override' && e.time >= since)
    expect(override).toMatchObject({ result: 'ok', via: 'web', detail: "operator's acknowledgement: the miner leaks memory; the operator accepts the risk" })
    expect(override!.command).toMatch(/^site-2: restart despite the pre-check verdict: unsafe, because /)

    // The miner hangs: Shutdown never completes.
    const pid = lotusProcs(host, 'site-2').miner[0]!.pid
    await host.sim!.sshOk('site-2', `kill -STOP ${pid}`)
    await w.next.click()
    await w.confirmDecision()
    await expect(w.decision).toHaveAttribute('data-kind', 'stop-timeout', { timeout: 60_000 })
    await expect(w.decision).toContainText(`lotus-miner（PID ${pid}）`)
    await page.screenshot({ path: info.outputPath('wizard-11-stop-timeout.png'), fullPage: true })
    await page.getByTestId('wizard-kill').click()
    await expect(w.decision).toHaveAttribute('data-kind', 'kill')
    await expect(w.decision.getByTestId('preview-step')).toHaveText([`site-2$ kill -TERM ${pid}`, `site-2$ kill -KILL ${pid}`])
    await expect(w.decision.getByTestId('preview-confirm')).toBeDisabled()
    await page.screenshot({ path: info.outputPath('wizard-12-kill.png'), fullPage: true })
    await w.confirmDecision(String(pid))
    await expect(w.step('stopMiner')).toHaveAttribute('data-status', 'ok', { timeout: 60_000 })
    expect(lotusProcs(host, 'site-2').miner).toHaveLength(0)

    // Abort before the daemon stops: the site is left in a known state, and the report says so.
    await w.abort.click()
    await page.getByTestId('wizard-abort-ok').click()
    await expect(w.toolbar).toHaveAttribute('data-phase', 'aborted', { timeout: 30_000 })
    await expect(page.getByTestId('wizard-site-state')).toHaveAttribute('data-miner', 'false')
    await expect(page.getByTestId('wizard-site-state')).toHaveAttribute('data-daemon', 'true')
    await page.screenshot({ path: info.outputPath('wizard-13-aborted.png'), fullPage: true })

    // Back to normal settings; the next restart finds the miner stopped and starts it.
    await w.setSettings({ expected: '', stopTimeoutSec: '', termWaitSec: '' })
    await w.start.click()
    await pastPrecheck(w)
    await w.confirmRunAll()
    await expect(w.toolbar).toHaveAttribute('data-phase', 'done', { timeout: 120_000 })
    await expect(w.step('stopMiner')).toHaveAttribute('data-status', 'skipped')
    await expect(w.history.locator('tr')).toHaveCount(2)
  })

  test('a restart run from the command line on the same home is followed live in the window', async ({ page }, info) => {
    const p = pagesFor(page)
    const w = new RestartPage(page)
    await p.app.open(host.url, '#/site/site-1/restart')
    await p.site.waitFor('site-1')
    await expect(w.tab).toBeVisible()
    const cli = runCli(await cliBundle(), host.home, ['restart', 'site-1', '--yes', '--json', '--wait-window', '--override-unsafe', 'e2e: simulated site'])
    await expect(w.toolbar).toHaveAttribute('data-phase', /running|waiting/, { timeout: 60_000 })
    await expect(w.toolbar).toContainText('另一个 MinerDesk（cli）')
    // Driven elsewhere: nothing to press here but watch.
    await expect(w.runAll).toHaveCount(0)
    await expect(w.abort).toHaveCount(0)
    await expect(w.step('startDaemon')).toHaveAttribute('data-status', /running|ok/, { timeout: 60_000 })
    await page.screenshot({ path: info.outputPath('wizard-14-cli-elsewhere.png'), fullPage: true })
    expect(await cli.done).toBe(0)
    await expect(w.toolbar).toHaveAttribute('data-phase', 'done', { timeout: 30_000 })
    expect(await w.runId()).toBe((reportOf(cli).sites[0]!.run as { id: string }).id)
  })
})
