import { defineConfig } from 'vitest/config'

// Unit tests sit beside their code (*.test.ts); integration tests live in test/integration.
// Playwright specs (*.spec.ts under test/e2e) are never picked up here.
export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'preload/**/*.test.ts',
      'renderer/src/**/*.test.{ts,tsx}',
      'test/integration/**/*.test.ts'
    ],
    exclude: ['**/node_modules/**', 'out/**', 'test/e2e/**'],
    testTimeout: 60_000,
    // Integration tests run real sshd and simulated Lotus processes on a 2-core machine: one
    // retry keeps a scheduling hiccup from failing the run; a retried test is still reported.
    retry: 1,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default']
  }
})
