import { expect, type Locator, type Page } from '@playwright/test'

export type SiteTabName = 'chain' | 'pipeline' | 'jobs' | 'workers' | 'proving'

/** One site: header, connection advice, and the tabs. */
export class SitePage {
  readonly root: Locator
  readonly name: Locator
  readonly alias: Locator
  readonly refresh: Locator
  readonly advice: Locator
  readonly daemonPanel: Locator
  readonly minerPanel: Locator
  readonly messagesTable: Locator
  readonly syncTable: Locator
  readonly jobsMatrix: Locator
  readonly jobsTable: Locator
  readonly workersTable: Locator
  readonly deadlinesTable: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('site-page')
    this.name = page.getByTestId('site-name')
    this.alias = page.getByTestId('site-alias')
    this.refresh = page.getByTestId('site-refresh')
    this.advice = this.root.getByTestId('connection-advice')
    this.daemonPanel = page.getByTestId('daemon-panel')
    this.minerPanel = page.getByTestId('miner-panel')
    this.messagesTable = page.getByTestId('messages-table')
    this.syncTable = page.getByTestId('sync-table')
    this.jobsMatrix = page.getByTestId('jobs-matrix')
    this.jobsTable = page.getByTestId('jobs-table')
    this.workersTable = page.getByTestId('workers-table')
    this.deadlinesTable = page.getByTestId('deadlines-table')
  }

  async waitFor(siteId: string): Promise<void> {
    await expect(this.root).toHaveAttribute('data-site', siteId)
  }

  async openTab(tab: SiteTabName): Promise<void> {
    await this.page.getByTestId(`site-tab-${tab}`).click()
    await expect(this.page.getByTestId(`${tab}-tab`).or(this.page.getByTestId(`${tab}-unavailable`))).toBeVisible()
  }

  async health(): Promise<string | null> {
    return this.page.getByTestId('site-health').locator('[data-health]').getAttribute('data-health')
  }

  jobRows(): Locator {
    return this.jobsTable.getByTestId('job-row')
  }

  overdueJobs(): Locator {
    return this.jobsTable.locator('[data-overdue="true"]')
  }

  matrixRow(task: string): Locator {
    return this.jobsMatrix.locator(`tr[data-task="${task}"]`)
  }

  deadlineRows(): Locator {
    return this.deadlinesTable.getByTestId('deadline-row')
  }

  currentDeadline(): Locator {
    return this.deadlinesTable.locator('[data-current="true"]')
  }

  workerRows(): Locator {
    return this.workersTable.getByTestId('worker-row')
  }

  pipelineGroup(group: string): Locator {
    return this.page.getByTestId(`pipeline-group-${group}`)
  }
}
