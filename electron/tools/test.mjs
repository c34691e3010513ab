// `npm test`: every check CI runs, packed onto two cores.
//   1. the build;
//   2. Vitest's main project (two files at a time) beside the Playwright specs on recorded data
//      (`fixture`), then, once those are done, the simulator's own tests (`simulator`), three files
//      at a time: while Chromium runs the cores are full, afterwards the main project's files
//      mostly wait on simulated sites;
//   3. Vitest's restart project (two files at a time; the demo soak last) beside the Playwright
//      specs against simulated sites (`sim` and `restart`, two spec files at a time): all mostly
//      wait on simulated sites, so none starves the others' second-scale timeouts the way the main
//      project's workers would.
//      ESLint and the type checks run beside them at a lower priority (nice 10): pure CPU with no
//      timeout, they take the cores the tests leave idle instead of a minute of their own.
// Each line is prefixed with the run it came from. The exit code is the first failure's.
import { spawn } from 'node:child_process'

function run(label, command, args, niceness = 0) {
  return new Promise((resolve) => {
    // `nice` exists wherever CI runs (Linux); elsewhere the run simply keeps the normal priority.
    if (niceness && process.platform !== 'win32') [command, args] = ['nice', ['-n', String(niceness), command, ...args]]
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } })
    const prefix = label ? `[${label}] ` : ''
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr]
    ]) {
      let rest = ''
      from.setEncoding('utf8')
      from.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n')
        rest = lines.pop() ?? ''
        for (const line of lines) to.write(`${prefix}${line}\n`)
      })
      from.on('end', () => {
        if (rest) to.write(`${prefix}${rest}\n`)
      })
    }
    child.on('error', (e) => {
      process.stderr.write(`${prefix}could not start ${command}: ${e.message}\n`)
      resolve(1)
    })
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'

/** Lanes side by side; the runs of one lane one after another (a lane stops at its first failure). */
async function step(name, lanes) {
  const t0 = Date.now()
  const failed = []
  await Promise.all(
    lanes.map(async (lane) => {
      for (const [label, cmd, args, niceness = 0] of lane) {
        const code = await run(label, cmd, args, niceness)
        if (code !== 0) {
          failed.push(label)
          return
        }
      }
    })
  )
  console.log(`\n== ${name}: ${failed.length ? `FAILED (${failed.join(', ')})` : 'ok'} in ${Math.round((Date.now() - t0) / 1000)} s\n`)
  return failed.length ? 1 : 0
}

const vitest = (label, ...projects) => [label, npx, ['vitest', 'run', ...projects.flatMap((p) => ['--project', p])]]
const started = Date.now()
const steps = [
  ['build', [[['build', npm, ['run', 'build']]]]],
  ['vitest main + playwright fixture, then vitest simulator', [[vitest('vitest', 'main')], [['e2e', npx, ['playwright', 'test', '--project', 'fixture']], vitest('vitest-sim', 'simulator')]]],
  [
    'vitest restart + playwright sim, restart + lint, typecheck (nice 10)',
    [[vitest('vitest-restart', 'restart')], [['e2e-sim', npx, ['playwright', 'test', '--project', 'sim', '--project', 'restart', '--workers', '2']]], [['lint', npm, ['run', 'lint'], 10]], [['typecheck', npm, ['run', 'typecheck'], 10]]]
  ]
]
let code = 0
for (const [name, lanes] of steps) {
  code = await step(name, lanes)
  if (code !== 0) break
}
console.log(`== npm test: ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(code)
