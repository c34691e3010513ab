import { expect, fullShot, test } from '../support/e2e/test'

/**
 * Every screen in both languages and both themes, against the fixture host; the screenshots are
 * for a person to look at (they are not compared), the assertions check what each screen says.
 */
const VARIANTS = [
  { language: 'zh-CN', theme: 'light' },
  { language: 'zh-CN', theme: 'dark' },
  { language: 'en', theme: 'light' },
  { language: 'en', theme: 'dark' }
] as const
// Without screenshots (CI takes none unless MINERDESK_SHOTS asks) a theme changes nothing the
// assertions read: each language once, in a different theme.
const RUN = process.env.CI && !process.env.MINERDESK_SHOTS ? VARIANTS.filter((v) => (v.language === 'zh-CN') === (v.theme === 'light')) : VARIANTS

for (const v of RUN) {
  test.describe(`${v.language} ${v.theme}`, () => {
    test('overview', async ({ openApp, overview, page, app }) => {
      await openApp({ language: v.language, theme: v.theme })
      await overview.waitLoaded()
      await expect(overview.cards()).toHaveCount(3)
      expect(await app.language()).toBe(v.language)
      await expect(overview.findingRows).toHaveCount(7)
      await expect(overview.adviceCommand('bj-01')).toContainText('ssh bj-01')
      await fullShot(page, `overview-${v.language}-${v.theme}`)
    })

    for (const tab of ['chain', 'pipeline', 'jobs', 'workers', 'proving'] as const) {
      test(`site ${tab}`, async ({ openApp, site, page }) => {
        await openApp({ language: v.language, theme: v.theme, hash: `#/site/sh-01/${tab}` })
        await site.waitFor('sh-01')
        await expect(page.getByTestId(`${tab}-tab`)).toBeVisible()
        await fullShot(page, `site-${tab}-${v.language}-${v.theme}`)
      })
    }
  })
}
