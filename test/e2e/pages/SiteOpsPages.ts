import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Page objects of the jobs, workers, proving and chain tabs' actions, and of the
 * preview → confirm → result dialog they share with the sector actions.
 */

/** The change dialog: the preview's exact steps, the confirmation, then the outcome. */
export class OpDialogPage {
  readonly root: Locator
  readonly body: Locator
  readonly steps: Locator
  readonly facts: Locator
  readonly result: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('mutation-dialog')
    this.body = this.root.getByTestId('mutation-body')
    this.steps = this.root.getByTestId('mutation-step')
    this.facts = this.root.getByTestId('op-facts').or(this.root.getByTestId('replace-facts'))
    this.result = this.root.getByTestId('mutation-result')
  }

  async waitReady(): Promise<void> {
    await expect(this.body).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 })
  }

  /** Types the confirmation when asked, runs the change once, waits for its outcome. */
  async run(typed?: string): Promise<Locator> {
    await this.waitReady()
    if (typed !== undefined) await this.root.getByTestId('mutation-confirm-input').fill(typed)
    await this.root.getByTestId('mutation-run').click()
    await expect(this.result).toBeVisible({ timeout: 90_000 })
    return this.result
  }

  async close(): Promise<void> {
    await this.root.getByTestId('mutation-close').or(this.root.getByTestId('mutation-cancel')).first().click()
    await expect(this.root).toHaveCount(0)
  }
}

export class JobsPage {
  readonly tab: Locator
  readonly table: Locator
  readonly sched: Locator

  constructor(readonly page: Page) {
    this.tab = page.getByTestId('jobs-tab')
    this.table = page.getByTestId('jobs-table')
    this.sched = page.getByTestId('sched-section')
  }

  job(sector: number, task: string): Locator {
    return this.table.locator(`[data-testid="job-row"][data-sector="${sector}"][data-task="${task}"]`)
  }

  async abort(sector: number, task: string): Promise<void> {
    await this.job(sector, task).getByTestId('job-abort').click()
  }

  async loadQueue(): Promise<void> {
    await this.sched.getByTestId('sched-load').click()
  }
}

export class WorkersPage {
  readonly section: Locator
  readonly flag: Locator
  readonly table: Locator
  readonly summary: Locator

  constructor(readonly page: Page) {
    this.section = page.getByTestId('worker-processes')
    this.flag = this.section.getByTestId('wps-flag')
    this.table = this.section.getByTestId('wps-table')
    this.summary = this.section.getByTestId('wps-summary')
  }

  async find(flag: string): Promise<void> {
    await this.flag.fill(flag)
    await this.section.getByTestId('wps-find').click()
    await expect(this.summary).toContainText(`"${flag}"`)
  }

  processes(): Locator {
    return this.table.getByTestId('process-row')
  }

  process(name: string): Locator {
    return this.table.locator(`[data-testid="process-row"][data-name="${name}"]`)
  }

  async kill(): Promise<void> {
    await this.section.getByTestId('killw').click()
  }

  async startWorkers(kind: 'worker' | 'workerC2' = 'worker'): Promise<void> {
    await this.section.getByTestId(kind === 'worker' ? 'runworker' : 'runworker-c2').click()
  }
}

export class ProvingPage {
  readonly panel: Locator
  readonly body: Locator
  readonly status: Locator
  readonly counts: Locator
  readonly command: Locator
  readonly rows: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('proving-check')
    this.body = page.getByTestId('proving-check-body')
    this.status = page.getByTestId('proving-check-status')
    this.counts = page.getByTestId('proving-check-counts')
    this.command = page.getByTestId('proving-check-command')
    this.rows = page.getByTestId('proving-check-table').getByTestId('check-row')
  }

  async check(deadline: number): Promise<void> {
    await this.page.locator(`[data-testid="deadline-row"][data-index="${deadline}"]`).getByTestId('deadline-check').click()
  }

  async cancel(): Promise<void> {
    await this.page.getByTestId('proving-check-cancel').click()
  }
}

export class ChainPage {
  readonly messages: Locator
  /** The fee-limit step of the replace flow (its footer buttons are page-level test ids). */
  readonly replaceModal: Locator
  readonly fee: Locator
  readonly previewReplace: Locator
  readonly peers: Locator

  constructor(readonly page: Page) {
    this.messages = page.getByTestId('messages-table')
    this.replaceModal = page.getByTestId('replace-modal')
    this.fee = page.getByTestId('replace-fee')
    this.previewReplace = page.getByTestId('replace-preview')
    this.peers = page.getByTestId('peers-section')
  }

  message(from: string, nonce: number): Locator {
    return this.messages.locator(`[data-testid="message-row"][data-from="${from}"][data-nonce="${nonce}"]`)
  }

  messageRows(): Locator {
    return this.messages.getByTestId('message-row')
  }

  /** Opens the replace flow of a message, sets the fee limit (FIL) and goes on to the preview. */
  async replace(row: Locator, feeLimit: string): Promise<void> {
    await row.getByTestId('message-replace').click()
    await expect(this.replaceModal).toBeVisible()
    await this.fee.fill(feeLimit)
    await this.previewReplace.click()
  }

  async loadPeers(): Promise<void> {
    await this.peers.getByTestId('peers-load').click()
    await expect(this.peers.getByTestId('peers-table')).toBeVisible({ timeout: 30_000 })
  }

  peerRows(): Locator {
    return this.peers.getByTestId('peer-row')
  }
}
