import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { viteAliases } from './aliases.mjs'

// Unit tests sit beside their code (*.test.ts); integration tests live in test/integration.
// Playwright specs (*.spec.ts under test/e2e) are never picked up here.
// The restarts: the wizard's whole restarts (second-scale gate timeouts: a 3 s stop timeout, sync
// within an epoch of 0.5 s) and the demo under a rolling restart of its three sites. npm test runs
// them after the main project, beside the Playwright specs against simulated sites.
const RESTART_TESTS = ['test/integration/restart-*.test.ts', 'test/integration/demo-soak.test.ts']
// The simulator's own integration tests (its front end `npm run sim`, chain node, miner and output
// against Lotus's formats). npm test runs them three at a time once the Playwright fixture specs
// beside the main project are done: from then on the main project's two files mostly wait on
// simulated sites.
const SIMULATOR_TESTS = ['test/integration/sim-*.test.ts']
const EXCLUDE = ['**/node_modules/**', 'out/**', 'test/e2e/**']
// The files that take longest (30-100 s each, measured in npm test), longest first. A fresh clone has
// no timings of earlier runs, and a long file started last runs alone at the end of its run.
const SLOW_FILES = [
  'restart-gates',
  'restart-resume',
  'health-scenarios',
  'restart-team',
  'sim-miner-restart',
  'sim-miner-pipeline',
  'safety-hostile-inputs',
  'siteops-jobs-workers',
  'sectors-cli',
  'cli-read',
  'sim-miner-scenarios',
  'overview-faults',
  'sim-front'
].map((name) => `/test/integration/${name}.test.ts`)
// Started last: the demo soak mostly waits (a core's tenth alone) but, beside the wizard's restarts
// from the start, slowed them all (169 s instead of 66); last, it overlaps only the run's tail.
const LAST_FILES = ['demo-soak'].map((name) => `/test/integration/${name}.test.ts`)

/** Vitest's order (earlier failures, then longer runs first, when it has timings), the slow files first, the last files last. */
class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification): number => {
      if (LAST_FILES.some((end) => f.moduleId.endsWith(end))) return SLOW_FILES.length + 1
      const i = SLOW_FILES.findIndex((end) => f.moduleId.endsWith(end))
      return i < 0 ? SLOW_FILES.length : i
    }
    // Vitest's order groups the files by project; within each project (Array.prototype.sort is
    // stable) the slow files move to the front and the rest keep Vitest's order.
    const byProject = new Map<string, TestSpecification[]>()
    for (const f of await super.sort(files)) {
      const list = byProject.get(f.project.name)
      if (list) list.push(f)
      else byProject.set(f.project.name, [f])
    }
    return [...byProject.values()].flatMap((project) => project.sort((a, b) => rank(a) - rank(b)))
  }
}

export default defineConfig({
  resolve: { alias: viteAliases },
  test: {
    testTimeout: 60_000,
    // Integration tests run real sshd and simulated Lotus processes on a 2-core machine: one
    // retry keeps a scheduling hiccup from failing the run; a retried test is still reported.
    retry: 1,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: SlowFirstSequencer },
    reporters: ['default'],
    exclude: EXCLUDE,
    // Vitest runs the projects of one group together, with one worker count.
    projects: [
      {
        extends: true,
        test: {
          // Most files wait on real time (sshd, simulated processes): alone, two at once keep two
          // cores about 60 % busy (three: 87 % and 30 % sooner), but npm test runs the Playwright
          // fixture specs beside them, and with three the cores saturate (second-scale timeouts fail).
          name: 'main',
          include: ['electron/**/*.test.ts', 'preload/**/*.test.ts', 'renderer/src/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
          exclude: [...EXCLUDE, ...RESTART_TESTS, ...SIMULATOR_TESTS],
          maxWorkers: 2,
          sequence: { groupOrder: 0 }
        }
      },
      {
        extends: true,
        test: {
          name: 'simulator',
          include: SIMULATOR_TESTS,
          maxWorkers: 3,
          sequence: { groupOrder: 1 }
        }
      },
      {
        extends: true,
        test: {
          // Each file mostly waits on its own simulated sites: two at a time.
          name: 'restart',
          include: RESTART_TESTS,
          maxWorkers: 2,
          sequence: { groupOrder: 2 }
        }
      }
    ]
  }
})
