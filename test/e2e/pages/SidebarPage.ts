import type { Locator, Page } from '@playwright/test'

/** The site switcher and main navigation. */
export class SidebarPage {
  readonly root: Locator
  readonly overview: Locator
  readonly settings: Locator
  readonly audit: Locator
  readonly shortcutsButton: Locator
  readonly shortcutsHelp: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('sidebar')
    this.overview = page.getByTestId('nav-overview')
    this.settings = page.getByTestId('nav-settings')
    this.audit = page.getByTestId('nav-audit')
    this.shortcutsButton = page.getByTestId('shortcuts-button')
    this.shortcutsHelp = page.getByTestId('shortcuts-help')
  }

  site(id: string): Locator {
    return this.page.getByTestId(`sidebar-site-${id}`)
  }

  group(name: string): Locator {
    return this.page.getByTestId(`sidebar-group-${name || 'none'}`)
  }

  /** Site ids in the order the sidebar shows them. */
  async siteIds(): Promise<string[]> {
    const ids = await this.root.locator('[data-testid^="sidebar-site-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''))
    return ids.filter((i) => i !== 'sidebar-sites').map((i) => i.replace('sidebar-site-', ''))
  }

  async health(id: string): Promise<string | null> {
    return this.site(id).getAttribute('data-health')
  }

  async connectionState(id: string): Promise<string | null> {
    return this.page.getByTestId(`sidebar-connection-${id}`).locator('[data-connection]').getAttribute('data-connection')
  }

  async openSite(id: string): Promise<void> {
    await this.site(id).click()
  }
}
