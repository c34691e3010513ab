import { expect, type Locator, type Page } from '@playwright/test'

/**
 * Opening the app. `baseUrl` is the fixture server's address, or the browser host's
 * `http://127.0.0.1:PORT/?token=…` (the token stays in the query; routes go in the hash).
 */
export class AppPage {
  readonly shell: Locator
  readonly transportBanner: Locator
  readonly bootError: Locator

  constructor(readonly page: Page) {
    this.shell = page.getByTestId('app-shell')
    this.transportBanner = page.getByTestId('transport-banner')
    this.bootError = page.getByTestId('boot-error')
  }

  static withHash(baseUrl: string, hash: string): string {
    const u = new URL(baseUrl)
    u.hash = hash
    return u.toString()
  }

  async open(baseUrl: string, hash = '#/overview'): Promise<void> {
    await this.page.goto(AppPage.withHash(baseUrl, hash))
    await expect(this.shell).toBeVisible()
  }

  /** The app's language as rendered (`zh-CN` or `en`), from <html lang>. */
  async language(): Promise<string> {
    return (await this.page.locator('html').getAttribute('lang')) ?? ''
  }

  async pressShortcut(keys: string): Promise<void> {
    // Shortcuts are global; make sure no input has focus first.
    await this.page.locator('body').click({ position: { x: 1, y: 1 }, force: true }).catch(() => undefined)
    for (const k of keys.split(' ')) await this.page.keyboard.press(k)
  }
}
