import type { Locator, Page } from '@playwright/test'

/** The SSH layer's questions: unknown host key, changed host key, key passphrase. */
export class PromptsPage {
  readonly hostKey: Locator
  readonly hostKeyFingerprint: Locator
  readonly rejectKey: Locator
  readonly acceptOnce: Locator
  readonly acceptSave: Locator
  readonly changedKey: Locator
  readonly passphrase: Locator
  readonly passphraseInput: Locator
  readonly passphraseRemember: Locator
  readonly passphraseWeak: Locator
  readonly passphraseRetry: Locator
  readonly passphraseOk: Locator
  readonly passphraseCancel: Locator

  constructor(readonly page: Page) {
    this.hostKey = page.getByTestId('hostkey-modal')
    this.hostKeyFingerprint = page.getByTestId('hostkey-fingerprint')
    this.rejectKey = page.getByTestId('hostkey-reject')
    this.acceptOnce = page.getByTestId('hostkey-accept-once')
    this.acceptSave = page.getByTestId('hostkey-accept-save')
    this.changedKey = page.getByTestId('hostkey-changed-modal')
    this.passphrase = page.getByTestId('passphrase-modal')
    this.passphraseInput = page.getByTestId('passphrase-input')
    this.passphraseRemember = page.getByTestId('passphrase-remember')
    this.passphraseWeak = page.getByTestId('passphrase-weak')
    this.passphraseRetry = page.getByTestId('passphrase-retry')
    this.passphraseOk = page.getByTestId('passphrase-ok')
    this.passphraseCancel = page.getByTestId('passphrase-cancel')
  }

  /** Acknowledges the changed-key warning. */
  async acknowledgeChangedKey(): Promise<void> {
    await this.page.locator('.ant-modal', { has: this.changedKey }).getByRole('button').last().click()
  }
}
