import { fixtureCalls } from '../support/e2e/fixtureHost'
import { expect, fullShot, test } from '../support/e2e/test'

/**
 * Several operators on one site, as the window shows it: "being restarted by X since HH:MM" on the
 * Overview and the site page, the recent actions of other operators from the site's own log, the
 * read-only switch of a site and the operator's name. Both languages, looked at as screenshots.
 */
for (const language of ['zh-CN', 'en'] as const) {
  test.describe(language, () => {
    test('overview and site page show who restarts the site and what others did', async ({ openApp, overview, site, page }) => {
      await openApp({ language })
      await overview.waitLoaded()
      const lock = page.getByTestId('site-card-sh-01').getByTestId('site-card-restart-lock')
      await expect(lock).toContainText('zhang.wei')
      await expect(lock).toContainText(language === 'en' ? 'Being restarted by zhang.wei since' : 'zhang.wei 自')
      await expect(page.getByTestId('site-card-sh-02').getByTestId('site-card-restart-lock')).toHaveCount(0)
      await fullShot(page, `team-overview-${language}`)
      await openApp({ language, hash: '#/site/sh-01/chain' })
      await site.waitFor('sh-01')
      await expect(page.getByTestId('site-restart-lock')).toContainText('zhang.wei')
      const entries = page.getByTestId('others-entry')
      // Only what others did (not this operator's own kill).
      await expect(entries).toHaveCount(2)
      await expect(entries.first()).toContainText('wizard.stop-miner')
      await expect(entries.nth(1)).toContainText('li.na')
      await fullShot(page, `team-site-${language}`)
    })

    test('a site turned read-only, and the operator name', async ({ openApp, page }) => {
      await openApp({ language, hash: '#/settings/site/sh-02' })
      await page.getByTestId('site-settings-read-only').click()
      await page.getByTestId('site-settings-save').click()
      await expect.poll(async () => (await fixtureCalls(page, 'sites:update')).map((c) => (c.args[1] as { readOnly?: boolean }).readOnly)).toEqual([true])
      await openApp({ language, hash: '#/site/sh-02/chain', tweak: (d) => d.sites.forEach((s) => (s.readOnly = s.id === 'sh-02' ? true : s.readOnly)) })
      await expect(page.getByTestId('site-read-only')).toContainText(language === 'en' ? 'Read-only' : '只读')
      await fullShot(page, `team-read-only-${language}`)
      await openApp({ language, hash: '#/settings/general' })
      await page.getByTestId('general-operator-name').fill('bad\tname')
      await page.getByTestId('general-save').click()
      await expect(page.getByTestId('general-settings')).toContainText(language === 'en' ? 'Letters, digits' : '只能包含字母')
      await page.getByTestId('general-operator-name').fill('zhang.wei')
      await page.getByTestId('general-save').click()
      await expect(page.getByTestId('general-saved')).toBeVisible()
      await fullShot(page, `team-operator-${language}`)
    })
  })
}

test('a stale lock is broken from the site header, typed and confirmed', async ({ openApp, site, page }) => {
  await openApp({ language: 'en', hash: '#/site/sh-01/chain' })
  await site.waitFor('sh-01')
  // Make the lock stale: its holder stopped 9 minutes ago.
  await page.evaluate(() => {
    const f = (window as unknown as { __fixture: { emit(n: string, p: unknown): void } }).__fixture
    const t = Date.now()
    f.emit('team:site', { siteId: 'sh-01', readAt: t, recent: [], lock: { operator: 'zhang.wei', machine: 'noc-laptop-3', pid: 48213, run: '7d3c2a10-0000-4000-8000-000000000001', site: 'sh-01', via: 'electron', since: t - 20 * 60_000, heartbeat: t - 9 * 60_000, stale: true, mine: false } })
  })
  await expect(page.getByTestId('site-restart-lock')).toContainText('no heartbeat for 9 min')
  await page.getByTestId('break-lock').click()
  await expect(page.getByTestId('mutation-step')).toContainText('sh break 7d3c2a10')
  await expect(page.getByTestId('mutation-warning')).toContainText('Break the lock only if its MinerDesk is really gone')
  await fullShot(page, 'team-break-lock-en')
  await page.getByPlaceholder('sh-01').fill('sh-01')
  await page.getByRole('button', { name: 'Run' }).click()
  await expect(page.getByTestId('site-restart-lock')).toHaveCount(0)
  expect((await fixtureCalls(page, 'ops:execute')).map((c) => c.args)).toEqual([['11111111-2222-4333-8444-555555555555', 'sh-01']])
})
