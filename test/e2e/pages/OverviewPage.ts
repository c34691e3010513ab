import { expect, type Locator, type Page } from '@playwright/test'

/** The Overview: toolbar, findings, one card per site, the demo offer when there are no sites. */
export class OverviewPage {
  readonly root: Locator
  readonly refreshAll: Locator
  readonly findings: Locator
  readonly findingRows: Locator
  readonly demoOffer: Locator
  readonly demoStart: Locator
  readonly demoProgress: Locator
  readonly demoBar: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('overview-page')
    this.refreshAll = page.getByTestId('refresh-all')
    this.findings = page.getByTestId('overview-findings')
    this.findingRows = this.findings.getByTestId('finding-row')
    this.demoOffer = page.getByTestId('demo-offer')
    this.demoStart = page.getByTestId('demo-start')
    this.demoProgress = page.getByTestId('demo-progress')
    this.demoBar = page.getByTestId('demo-bar')
  }

  async waitLoaded(): Promise<void> {
    await expect(this.root).toBeVisible()
  }

  card(siteId: string): Locator {
    return this.page.getByTestId(`site-card-${siteId}`)
  }

  cards(): Locator {
    return this.root.locator('[data-testid^="site-card-"][data-health]')
  }

  async health(siteId: string): Promise<string | null> {
    return this.card(siteId).getAttribute('data-health')
  }

  async connectionState(siteId: string): Promise<string | null> {
    return this.card(siteId).getByTestId('site-card-connection').locator('[data-connection]').getAttribute('data-connection')
  }

  /** The "what to do" block of a site that is not connected. */
  advice(siteId: string): Locator {
    return this.card(siteId).getByTestId('connection-advice')
  }

  adviceCommand(siteId: string): Locator {
    return this.advice(siteId).getByTestId('advice-command')
  }

  metric(siteId: string, name: string): Locator {
    return this.card(siteId).getByTestId(`metric-${name}`)
  }

  async openSite(siteId: string): Promise<void> {
    await this.card(siteId).getByTestId('site-card-open').click()
  }

  async refreshSite(siteId: string): Promise<void> {
    await this.card(siteId).getByTestId('site-card-refresh').click()
  }

  findingsOfKind(kind: string, siteId?: string): Locator {
    return this.findings.locator(`[data-testid="finding-row"][data-kind="${kind}"]${siteId ? `[data-site="${siteId}"]` : ''}`)
  }

  /** Opens a finding row to its whole finding (cause, consequence, remedies, evidence). */
  async openFinding(kind: string, siteId?: string): Promise<Locator> {
    const row = this.findingsOfKind(kind, siteId).first()
    await row.locator('.ant-table-row-expand-icon').click()
    return this.findings.locator(`[data-testid="finding"][data-kind="${kind}"]`).first()
  }
}
