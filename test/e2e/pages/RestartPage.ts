import { expect, type Download, type Locator, type Page } from '@playwright/test'

export type RestartStep = 'precheck' | 'stopMiner' | 'stopDaemon' | 'startDaemon' | 'startMiner' | 'postcheck'

/** The site's Restart tab (restart wizard) and the Overview's rolling restart. */
export class RestartPage {
  readonly tab: Locator
  readonly toolbar: Locator
  readonly phase: Locator
  readonly start: Locator
  readonly next: Locator
  readonly runAll: Locator
  readonly resume: Locator
  readonly abort: Locator
  readonly decision: Locator
  readonly verdict: Locator
  readonly steps: Locator
  readonly precheck: Locator
  readonly outcome: Locator
  readonly interrupted: Locator
  readonly history: Locator
  readonly daemonLog: Locator
  readonly minerLog: Locator

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('restart-tab')
    this.toolbar = page.getByTestId('wizard-toolbar')
    this.phase = page.getByTestId('wizard-phase')
    this.start = page.getByTestId('wizard-start')
    this.next = page.getByTestId('wizard-next')
    this.runAll = page.getByTestId('wizard-run-all')
    this.resume = page.getByTestId('wizard-resume')
    this.abort = page.getByTestId('wizard-abort')
    this.decision = page.getByTestId('wizard-decision')
    this.verdict = page.getByTestId('wizard-verdict')
    this.steps = page.getByTestId('wizard-steps')
    this.precheck = page.getByTestId('wizard-precheck')
    this.outcome = page.getByTestId('wizard-outcome')
    this.interrupted = page.getByTestId('wizard-interrupted')
    this.history = page.getByTestId('wizard-history')
    this.daemonLog = page.getByTestId('wizard-log-daemon')
    this.minerLog = page.getByTestId('wizard-log-miner')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('site-tab-restart').click()
    await expect(this.tab).toBeVisible()
  }

  step(id: RestartStep): Locator {
    return this.page.getByTestId(`wizard-step-${id}`)
  }

  stepBody(id: RestartStep): Locator {
    return this.page.getByTestId(`wizard-step-body-${id}`)
  }

  async stepStatus(id: RestartStep): Promise<string | null> {
    return this.step(id).getAttribute('data-status')
  }

  async runPhase(): Promise<string | null> {
    return this.toolbar.getAttribute('data-phase')
  }

  async runId(): Promise<string | null> {
    return this.toolbar.getAttribute('data-run')
  }

  /** "Run the rest": the preview of every remaining command, confirmed once. */
  async confirmRunAll(): Promise<void> {
    await this.runAll.click()
    const modal = this.page.getByTestId('wizard-run-all-preview')
    await expect(modal).toBeVisible()
    await modal.getByTestId('preview-confirm').click()
  }

  /** Confirms the command (or kill) shown in the decision panel, typing what it asks for. */
  async confirmDecision(typed?: string): Promise<void> {
    if (typed !== undefined) await this.decision.getByTestId('preview-typed').fill(typed)
    await this.decision.getByTestId('preview-confirm').click()
  }

  async override(note: string): Promise<void> {
    await this.page.getByTestId('wizard-override-ack').click()
    await this.page.getByTestId('wizard-override-note').fill(note)
    await this.page.getByTestId('wizard-override').click()
  }

  /** The site's restart settings (durations as an operator types them: 3s, 24h; '' = default). */
  async setSettings(values: Partial<Record<'expected' | 'stopTimeoutSec' | 'termWaitSec', string>>): Promise<void> {
    const form = this.page.getByTestId('wizard-settings')
    if (!(await form.isVisible())) await this.page.getByTestId('wizard-settings-toggle').click()
    for (const [k, v] of Object.entries(values)) await this.page.getByTestId(`wizard-setting-${k}`).fill(v)
    await this.page.getByTestId('wizard-settings-save').click()
  }

  async exportReport(kind: 'md' | 'json'): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`wizard-export-${kind}`).click()])
    return download
  }

  /* Overview: rolling restart */
  get rollingButton(): Locator {
    return this.page.getByTestId('rolling-open')
  }

  get rollingModal(): Locator {
    return this.page.getByTestId('rolling-body')
  }

  rollingSite(siteId: string): Locator {
    return this.page.getByTestId(`rolling-site-${siteId}`)
  }
}
