import { expect, test, type Page } from '@playwright/test'
import { SectorsPage, SettingsPage } from './pages'
import { startRealHost, type RealHost } from '../support/e2e/realHost'
import { englishProse, overflows } from '../support/e2e/screenChecks'

/**
 * Every screen of a simulated site through the real browser host, in Chinese and in English, at
 * 1280×720 and 1440×900: no English prose in the Chinese window outside Lotus names, units, ids
 * and paths (screenChecks), and nothing wider than the window or sticking out of its panel.
 * Every problem of every screen is collected and reported at once; a screenshot of each screen
 * is kept in the test's output for a person to look at.
 */
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 }
] as const

interface Screen {
  name: string
  hash: string
  /** What the screen shows once it has read its data. */
  ready: string[]
}

function screens(sector: number): Screen[] {
  const tabs = ['chain', 'pipeline', 'jobs', 'workers', 'proving', 'restart'].map((tab) => ({ name: tab, hash: `#/site/site-1/${tab}`, ready: [`${tab}-tab`] }))
  return [
    { name: 'overview', hash: '#/', ready: ['overview-page'] },
    ...tabs,
    { name: 'sectors', hash: '#/site/site-1/sectors', ready: ['sector-row'] },
    { name: 'sector', hash: `#/site/site-1/sectors/${sector}`, ready: ['sector-state', 'sector-timeline', 'sector-files'] },
    { name: 'settings-sites', hash: '#/settings/sites', ready: ['sites-settings'] },
    { name: 'settings-general', hash: '#/settings/general', ready: ['general-settings'] },
    { name: 'audit', hash: '#/audit', ready: ['audit-table'] }
  ]
}

/** Opens a screen and waits until it has drawn what it reads (no spinner left). */
async function show(page: Page, s: Screen): Promise<void> {
  await page.evaluate((h) => (location.hash = h), s.hash)
  for (const id of s.ready) await expect(page.getByTestId(id).first()).toBeVisible({ timeout: 60_000 })
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 60_000 }).toBe(0)
}

test.describe('every screen, both languages, both window sizes', () => {
  let host: RealHost
  test.beforeAll(async () => {
    host = await startRealHost({ sim: { sites: 2, sectors: 300, speed: 60 } })
  })
  test.afterAll(async () => {
    await host?.stop()
  })

  test('no English prose in Chinese, no horizontal overflow', async ({ page }, info) => {
    test.setTimeout(600_000)
    const sectors = new SectorsPage(page)
    await sectors.open(host.url, 'site-1')
    await expect(sectors.rows().first()).toBeVisible({ timeout: 60_000 })
    const sector = Number(await sectors.rows().first().getAttribute('data-sector'))
    const problems: string[] = []
    for (const language of ['zh-CN', 'en'] as const) {
      const settings = new SettingsPage(page)
      await show(page, { name: 'settings-general', hash: '#/settings/general', ready: ['general-settings'] })
      await settings.chooseLanguage(language === 'en' ? 'English' : '简体中文')
      await settings.saveGeneral()
      await expect(page.locator('html')).toHaveAttribute('lang', language)
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport)
        for (const s of screens(sector)) {
          await show(page, s)
          const at = `${language} ${viewport.width}×${viewport.height} ${s.name}`
          await page.screenshot({ path: info.outputPath(`${s.name}-${language}-${viewport.width}.png`) })
          if (language === 'zh-CN') {
            const words = new Map<string, string>()
            for (const h of await englishProse(page)) if (!words.has(h.word)) words.set(h.word, `${h.where} :: ${h.text}`)
            for (const [w, where] of words) problems.push(`${at}: English "${w}" in ${where}`)
          }
          for (const o of await overflows(page)) problems.push(`${at}: ${o.what} overflows by ${o.by}px`)
        }
      }
    }
    expect(problems).toEqual([])
  })
})
