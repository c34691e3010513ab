import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/support/chromium'

// End-to-end tests drive Debian's Chromium through the browser host; no browser is ever downloaded.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // Real browser, real sshd, simulated sites: one retry for a scheduling hiccup (reported as flaky).
  retries: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    trace: 'off',
    screenshot: 'only-on-failure'
  }
})
