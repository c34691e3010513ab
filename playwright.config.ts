import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/support/chromium'

// End-to-end tests drive Debian's Chromium through the browser host; no browser is ever downloaded.
// Specs against simulated sites; those that restart them (the restart wizard, the demo's rolling restart) apart.
const RESTART_SPECS = ['**/demo.spec.ts', '**/restart-resume.spec.ts', '**/restart.spec.ts']
const SIM_SPECS = ['**/crawl.spec.ts', '**/overview-real.spec.ts', '**/sectors-screen.spec.ts', '**/sectors-sector.spec.ts', '**/siteops-real.spec.ts', '**/team-real.spec.ts']
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
  // `fixture` specs run the window against recorded data; `sim` specs against simulated sites
  // behind real sshd; `restart` specs restart simulated sites. npm test runs the first beside
  // Vitest's main project, the other two beside its restart tests.
  projects: [
    { name: 'fixture', testIgnore: [...SIM_SPECS, ...RESTART_SPECS] },
    { name: 'sim', testMatch: SIM_SPECS },
    { name: 'restart', testMatch: RESTART_SPECS }
  ],
  use: {
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    trace: 'off',
    screenshot: 'only-on-failure'
  }
})
