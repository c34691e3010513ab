import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/support/chromium'

// End-to-end tests drive Debian's Chromium through the browser host; no browser is ever downloaded.
// Specs that drive the renderer against fixture data (no simulated sites): light, two at a time.
const WINDOW_SPECS = ['findings', 'fleet', 'renderer', 'safety-notices', 'screens', 'sectors-million', 'team', 'transport', 'electron'].map((n) => `**/${n}.spec.ts`)

// End-to-end tests drive Debian's Chromium through the browser host; no browser is ever downloaded.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 2,
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
  },
  projects: [
    { name: 'window', testMatch: WINDOW_SPECS, fullyParallel: true },
    // Real sshd and simulated sites with second-scale gates: one at a time, after the window specs,
    // so nothing else competes for the two cores (`npm run test:e2e` runs the projects in this order).
    { name: 'sites', testIgnore: WINDOW_SPECS, workers: 1 }
  ]
})
