import type { Locator, Page } from '@playwright/test'

/** The audit log page. */
export class AuditPage {
  readonly root: Locator
  readonly rows: Locator
  readonly reload: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('audit-page')
    this.rows = page.getByTestId('audit-table').getByTestId('audit-row')
    this.reload = page.getByTestId('audit-reload')
  }
}
