import { expect, type Locator, type Page } from '@playwright/test'

/** The sectors tab of a site: the sectors screen, a sector's page, and the action dialogs. */
export class SectorsPage {
  readonly tab: Locator
  readonly grid: Locator
  readonly gridBody: Locator
  readonly search: Locator
  readonly footer: Locator
  readonly selection: Locator
  readonly sectorPage: Locator
  readonly diagnosis: Locator
  readonly files: Locator
  readonly timeline: Locator
  readonly dialog: Locator
  readonly autopledge: Locator

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('sectors-tab')
    this.grid = page.getByTestId('sectors-grid')
    this.gridBody = page.getByTestId('sectors-grid-body')
    this.search = page.getByTestId('sectors-search').locator('input')
    this.footer = page.getByTestId('sectors-footer')
    this.selection = page.getByTestId('sectors-selection')
    this.sectorPage = page.getByTestId('sector-page')
    this.diagnosis = page.getByTestId('sector-diagnosis')
    this.files = page.getByTestId('sector-files')
    this.timeline = page.getByTestId('sector-timeline')
    this.dialog = page.getByTestId('mutation-dialog')
    this.autopledge = page.getByTestId('autopledge')
  }

  static hashUrl(baseUrl: string, hash: string): string {
    const u = new URL(baseUrl)
    u.hash = hash
    return u.toString()
  }

  /** A screenshot of the whole content pane (it scrolls inside the shell), restoring the viewport after. */
  async fullShot(path: string): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1440, height: 900 }
    const height = await this.page.evaluate<number>(`(() => { const el = document.querySelector('.md-content'); return el ? el.scrollHeight + el.getBoundingClientRect().top + 8 : 900 })()`)
    await this.page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) })
    await this.page.screenshot({ path, fullPage: true })
    await this.page.setViewportSize(size)
  }

  /** Opens the sectors tab of a site (by URL) and waits for its rows. */
  async open(baseUrl: string, siteId: string): Promise<void> {
    const u = new URL(baseUrl)
    u.hash = `#/site/${siteId}/sectors`
    await this.page.goto(u.toString())
    await expect(this.grid).toBeVisible({ timeout: 60_000 })
  }

  rows(): Locator {
    return this.grid.getByTestId('sector-row')
  }

  row(sector: number): Locator {
    return this.grid.locator(`[data-testid="sector-row"][data-sector="${sector}"]`)
  }

  group(name: 'all' | 'failed' | 'stuck' | 'sealing' | 'proving' | 'removed'): Locator {
    return this.page.getByTestId(`sectors-group-${name}`)
  }

  async filterGroup(name: 'all' | 'failed' | 'stuck' | 'sealing' | 'proving' | 'removed'): Promise<void> {
    await this.group(name).click()
    await expect(this.group(name)).toHaveAttribute('aria-pressed', 'true')
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text)
  }

  async openSector(sector: number): Promise<void> {
    await this.row(sector).click()
    await expect(this.sectorPage).toHaveAttribute('data-sector', String(sector))
  }

  findings(): Locator {
    return this.diagnosis.getByTestId('finding')
  }

  /** Runs the open mutation dialog: waits for its preview, types the confirmation if asked, runs it, waits for the result. */
  async confirmDialog(typed?: string): Promise<Locator> {
    await expect(this.dialog.getByTestId('mutation-body')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 })
    if (typed !== undefined) await this.dialog.getByTestId('mutation-confirm-input').fill(typed)
    await this.dialog.getByTestId('mutation-run').click()
    const result = this.dialog.getByTestId('mutation-result')
    await expect(result).toBeVisible({ timeout: 60_000 })
    return result
  }

  async closeDialog(): Promise<void> {
    await this.dialog.getByTestId('mutation-close').click()
    await expect(this.dialog).toHaveCount(0)
  }
}
