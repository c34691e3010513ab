import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { test as base, type BrowserContext, type Page } from '@playwright/test'
import { AppPage } from '../../e2e/pages/AppPage'
import { AuditPage } from '../../e2e/pages/AuditPage'
import { OverviewPage } from '../../e2e/pages/OverviewPage'
import { PromptsPage } from '../../e2e/pages/PromptsPage'
import { SettingsPage } from '../../e2e/pages/SettingsPage'
import { SidebarPage } from '../../e2e/pages/SidebarPage'
import { SitePage } from '../../e2e/pages/SitePage'
import { installFixtureHost } from './fixtureHost'
import { buildFixture, type FixtureData, type FixtureOptions } from './fixtures'
import { RENDERER_DIR, serveRenderer } from './staticServer'

const ROOT = resolve(__dirname, '../../..')

function newest(path: string): number {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((n, name) => Math.max(n, newest(join(path, name))), st.mtimeMs)
}

/** Builds out/renderer when it is missing or older than the renderer or locale sources. */
export function ensureRendererBuild(): void {
  const index = join(RENDERER_DIR, 'index.html')
  const sources = Math.max(newest(join(ROOT, 'renderer')), newest(join(ROOT, 'resources/locales')), newest(join(ROOT, 'preload/contract')))
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return
  const r = spawnSync(process.execPath, [join(__dirname, 'build-renderer.mjs')], { cwd: ROOT, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`renderer build failed:\n${r.stdout}${r.stderr}`)
}

export interface Pages {
  app: AppPage
  sidebar: SidebarPage
  overview: OverviewPage
  site: SitePage
  settings: SettingsPage
  prompts: PromptsPage
  audit: AuditPage
}

export function pagesFor(page: Page): Pages {
  return {
    app: new AppPage(page),
    sidebar: new SidebarPage(page),
    overview: new OverviewPage(page),
    site: new SitePage(page),
    settings: new SettingsPage(page),
    prompts: new PromptsPage(page),
    audit: new AuditPage(page)
  }
}

/**
 * `rendererUrl`: the built renderer served statically (one server per worker).
 * `openApp(options)`: installs the fixture host with fresh data and opens the app.
 */
export const test = base.extend<
  Pages & { openApp: (opts?: FixtureOptions & { hash?: string; tweak?: (d: FixtureData) => void }) => Promise<FixtureData> },
  { rendererUrl: string; sharedContexts: Map<string, BrowserContext> }
>({
  // One browser context per worker and language: each test still gets a page of its own (the
  // fixture host is installed per page), but the renderer's 4 MB bundle is fetched and compiled
  // once, from the HTTP and code caches, instead of once per test.
  sharedContexts: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument
    async ({}, use) => {
      const contexts = new Map<string, BrowserContext>()
      await use(contexts)
      for (const c of contexts.values()) await c.close()
    },
    { scope: 'worker' }
  ],
  page: async ({ sharedContexts, browser, locale, viewport, colorScheme }, use) => {
    const key = JSON.stringify([locale, colorScheme])
    let context = sharedContexts.get(key)
    if (!context) {
      context = await browser.newContext({ locale, colorScheme, viewport })
      sharedContexts.set(key, context)
    }
    const page = await context.newPage()
    if (viewport) await page.setViewportSize(viewport)
    await use(page)
    // Nothing a test stored may reach the next one.
    await page.evaluate('localStorage.clear(); sessionStorage.clear()').catch(() => undefined)
    await page.close()
  },
  rendererUrl: [
    // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument
    async ({}, use) => {
      ensureRendererBuild()
      const server = await serveRenderer()
      await use(server.url)
      await server.close()
    },
    { scope: 'worker' }
  ],
  openApp: async ({ page, rendererUrl }, use) => {
    await use(async (opts = {}) => {
      const data = buildFixture(opts)
      opts.tweak?.(data)
      await installFixtureHost(page, data)
      await new AppPage(page).open(rendererUrl, opts.hash)
      return data
    })
  },
  app: async ({ page }, use) => use(new AppPage(page)),
  sidebar: async ({ page }, use) => use(new SidebarPage(page)),
  overview: async ({ page }, use) => use(new OverviewPage(page)),
  site: async ({ page }, use) => use(new SitePage(page)),
  settings: async ({ page }, use) => use(new SettingsPage(page)),
  prompts: async ({ page }, use) => use(new PromptsPage(page)),
  audit: async ({ page }, use) => use(new AuditPage(page))
})

export { expect } from '@playwright/test'

/** Where screenshots go (looked at by hand; not compared). */
export function shot(name: string): string {
  return join(process.env.MINERDESK_SHOTS ?? '/tmp/minerdesk-shots', `${name}.png`)
}

/**
 * A screenshot of the whole page: the app shell scrolls inside its content pane, so the
 * viewport is stretched to the content's height first (and restored after).
 */
export async function fullShot(page: Page, name: string): Promise<string> {
  const path = shot(name)
  // Screenshots are for a person to look at: CI takes none unless MINERDESK_SHOTS asks for them.
  if (process.env.CI && !process.env.MINERDESK_SHOTS) return path
  const size = page.viewportSize() ?? { width: 1440, height: 900 }
  // A string expression: this file is type-checked without the DOM library.
  const height = await page.evaluate<number>(
    `(() => { const el = document.querySelector('.md-content'); return el ? el.scrollHeight + el.getBoundingClientRect().top + 8 : document.body.scrollHeight })()`
  )
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) })
  await page.screenshot({ path, fullPage: true })
  await page.setViewportSize(size)
  return path
}
