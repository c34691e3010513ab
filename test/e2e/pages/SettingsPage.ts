import { expect, type Locator, type Page } from '@playwright/test'

/** Settings: the sites list (add, edit, order, remove) and the general settings. */
export class SettingsPage {
  readonly root: Locator
  readonly sitesTab: Locator
  readonly generalTab: Locator
  readonly sitesTable: Locator
  readonly addButton: Locator
  readonly addModal: Locator
  readonly siteForm: Locator
  readonly general: Locator

  constructor(readonly page: Page) {
    this.root = page.getByTestId('settings-page')
    this.sitesTab = page.getByTestId('settings-tab-sites')
    this.generalTab = page.getByTestId('settings-tab-general')
    this.sitesTable = page.getByTestId('sites-table')
    this.addButton = page.getByTestId('add-site')
    this.addModal = page.getByTestId('add-site-modal')
    this.siteForm = page.getByTestId('site-settings-form')
    this.general = page.getByTestId('general-settings')
  }

  row(siteId: string): Locator {
    return this.sitesTable.locator(`[data-site="${siteId}"]`)
  }

  async siteOrder(): Promise<string[]> {
    return this.sitesTable.getByTestId('site-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-site') ?? ''))
  }

  async addSite(alias: string, name?: string, group?: string): Promise<void> {
    await this.addButton.click()
    await expect(this.addModal).toBeVisible()
    await this.addModal.getByTestId('add-site-alias').click()
    await this.page.getByTestId(`alias-option-${alias}`).click()
    if (name !== undefined) await this.addModal.getByTestId('add-site-name').fill(name)
    if (group !== undefined) {
      await this.addModal.getByTestId('add-site-group').locator('input').fill(group)
      // Leave the field so its suggestion list closes.
      await this.page.keyboard.press('Tab')
    }
    await this.page.getByTestId('add-site-ok').click()
    await expect(this.addModal).toBeHidden()
  }

  async removeSite(siteId: string): Promise<void> {
    await this.row(siteId).getByTestId('remove-site').click()
    await this.page.getByTestId('confirm-remove').click()
    await expect(this.row(siteId)).toHaveCount(0)
  }

  async move(siteId: string, direction: 'up' | 'down'): Promise<void> {
    await this.row(siteId).getByTestId(`move-${direction}`).click()
  }

  async editSite(siteId: string): Promise<void> {
    await this.row(siteId).getByTestId('edit-site').click()
    await expect(this.siteForm).toBeVisible()
  }

  duration(key: string): Locator {
    return this.siteForm.getByTestId(`site-duration-${key}`)
  }

  async saveSite(): Promise<void> {
    await this.page.getByTestId('site-settings-save').click()
    await expect(this.siteForm).toBeHidden()
  }

  async openGeneral(): Promise<void> {
    await this.generalTab.click()
    await expect(this.general).toBeVisible()
  }

  async chooseLanguage(label: '简体中文' | 'English'): Promise<void> {
    await this.general.getByTestId('general-language').click()
    await this.page.locator('.ant-select-item-option', { hasText: label }).click()
  }

  async saveGeneral(): Promise<void> {
    await this.general.getByTestId('general-save').click()
    await expect(this.general.getByTestId('general-saved')).toBeVisible()
  }
}
