import { defineConfig } from 'vitest/config'
import { viteAliases } from './aliases.mjs'

// Unit tests sit beside their code (*.test.ts); integration tests live in test/integration.
// Playwright specs (*.spec.ts under test/e2e) are never picked up here.
const RESTART_TESTS = ['test/integration/restart-*.test.ts']
// The demo under a rolling restart of its three sites (its own sites, nothing shared).
const DEMO_TESTS = ['test/integration/demo-soak.test.ts']
// The simulator's own front end (`npm run sim`) and chain node (lotus daemon) against Lotus's
// formats. npm test runs these and the demo's two at a time once the Playwright fixture specs
// beside the main project are done: from then on the main project's two files mostly wait.
const SIMULATOR_TESTS = ['test/integration/sim-front*.test.ts', 'test/integration/sim-daemon*.test.ts', 'test/integration/sim-conformance.test.ts']
const EXCLUDE = ['**/node_modules/**', 'out/**', 'test/e2e/**']

export default defineConfig({
  resolve: { alias: viteAliases },
  test: {
    testTimeout: 60_000,
    // Integration tests run real sshd and simulated Lotus processes on a 2-core machine: one
    // retry keeps a scheduling hiccup from failing the run; a retried test is still reported.
    retry: 1,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
    exclude: EXCLUDE,
    projects: [
      {
        extends: true,
        test: {
          // Most files wait on real time (sshd, simulated processes): alone, two at once keep two
          // cores about 60 % busy (three: 87 % and 30 % sooner), but npm test runs the Playwright
          // fixture specs beside them, and with three the cores saturate (second-scale timeouts fail).
          name: 'main',
          include: ['electron/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
          exclude: [...EXCLUDE, ...RESTART_TESTS, ...SIMULATOR_TESTS, ...DEMO_TESTS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          // Vitest runs the projects of one group with one worker count.
          name: 'simulator',
          include: SIMULATOR_TESTS,
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: 'demo',
          include: DEMO_TESTS,
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          // Whole restarts with second-scale gate timeouts (a 3 s stop timeout, sync within an
          // epoch of 0.5 s): after the main project, two files at a time (each mostly waits on its
          // simulated sites; npm test runs them beside the Playwright specs against simulated sites).
          name: 'restart',
          include: RESTART_TESTS,
          maxWorkers: 2,
          sequence: { groupOrder: 1 }
        }
      }
    ]
  }
})
