import type { Locator, Page } from '@playwright/test'

/** The audit log page. */
export class AuditPage {
  readonly root: Locator
  readonly rows: Locator
  readonly reload: Locator
  readonly search: Locator
  readonly count: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('audit-page')
    this.rows = page.getByTestId('audit-table').getByTestId('audit-row')
    this.reload = page.getByTestId('audit-reload')
    this.search = page.getByTestId('audit-search').locator('input')
    this.count = page.getByTestId('audit-count')
  }

  /** Types a date range (YYYY-MM-DD) into the range picker. */
  async range(from: string, to: string): Promise<void> {
    const inputs = this.page.getByTestId('audit-range').locator('input')
    await inputs.nth(0).click()
    await inputs.nth(0).fill(from)
    await inputs.nth(0).press('Enter')
    await inputs.nth(1).fill(to)
    await inputs.nth(1).press('Enter')
  }

  /** The text of an export (`csv` or `json`) as the page saves it. */
  async exported(kind: 'csv' | 'json'): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`audit-export-${kind}`).click()])
    const chunks: Buffer[] = []
    for await (const c of (await download.createReadStream()) as AsyncIterable<Buffer>) chunks.push(c)
    return { name: download.suggestedFilename(), text: Buffer.concat(chunks).toString('utf8') }
  }
}
