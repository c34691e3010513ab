import { fixtureCalls } from '../support/e2e/fixtureHost'
import { expect, fullShot, test } from '../support/e2e/test'

/**
 * The health model's findings in the window, against the fixture host (whose snapshots the health
 * model itself judged): one finding per root cause with its cause, consequence, remedies and the
 * action each applies, the same on the Overview and on the site's tabs.
 */

test.describe('findings', () => {
  test('a disabled worker holding jobs is ONE critical finding with its jobs and sectors, and its remedy runs the action', async ({ openApp, overview, page }) => {
    await openApp({ language: 'zh-CN' })
    const card = await overview.openFinding('worker-down', 'sh-01')
    await expect(card).toHaveAttribute('data-severity', 'critical')
    await expect(card.getByTestId('finding-title')).toHaveText('worker sh01-w04 被禁用，仍持有 2 个任务')
    await expect(card.getByTestId('finding-cause')).toContainText('miner 连接不上 sh01-w04')
    await expect(card.getByTestId('finding-consequence')).toContainText('ticket 过期')
    await expect(card.getByTestId('finding-sector')).toHaveText(['10250', '10251'])
    await expect(card.getByTestId('finding-related')).toContainText('PC1 10250')
    // Not one "overdue" per job: the worker's sectors are nowhere else among the findings.
    await expect(overview.findingsOfKind('stage-overdue', 'sh-01')).toHaveCount(1)
    await expect(overview.findingsOfKind('stage-overdue', 'sh-01')).not.toContainText('10250')
    await fullShot(page, 'finding-worker-down-zh-CN')
    // The remedy "restart it" is the killw preview of that worker.
    await card.locator('[data-testid="finding-action"][data-action="killw"]').click()
    await expect.poll(async () => (await fixtureCalls(page, 'siteops:previewKillWorkers')).map((c) => c.args)).toEqual([['sh-01', 'sh01-w04']])
  })

  test('faulty sectors by number, with their deadline, when it is next due and a proving check of it (English)', async ({ openApp, overview, page }) => {
    await openApp({ language: 'en' })
    const card = await overview.openFinding('sectors-faulty', 'sh-01')
    await expect(card.getByTestId('finding-title')).toHaveText('Deadline 20: 2 faulty sector(s) (7742, 7743)')
    await expect(card.getByTestId('finding-consequence')).toContainText('deadline 20 is next due')
    await expect(card.getByTestId('finding-consequence')).toContainText('(due in ')
    await expect(card.getByTestId('finding-evidence')).toContainText('deadline 20 partition 0: faulty [7742, 7743]')
    await expect(card.getByTestId('finding-remedies')).toContainText('minerdesk proving-check sh-01 20')
    await fullShot(page, 'finding-faulty-en')
    await card.locator('[data-testid="finding-action"][data-action="proving-check"]').click()
    await expect.poll(async () => (await fixtureCalls(page, 'siteops:provingCheckStart')).map((c) => c.args)).toEqual([['sh-01', 20]])
  })

  test('the jobs and workers tabs show the same finding as the Overview', async ({ openApp, page }) => {
    await openApp({ language: 'zh-CN', hash: '#/site/sh-01/jobs' })
    const jobs = page.getByTestId('jobs-findings')
    await expect(jobs.locator('[data-testid="finding-row"][data-kind="worker-down"][data-severity="critical"]')).toContainText('worker sh01-w04 被禁用，仍持有 2 个任务')
    await page.goto(page.url().replace('/jobs', '/workers'))
    await expect(page.getByTestId('workers-findings').locator('[data-testid="finding-row"][data-kind="worker-down"]')).toHaveCount(2)
    await fullShot(page, 'workers-findings-zh-CN')
  })
})
