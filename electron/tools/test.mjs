// `npm test`: every check CI runs, packed onto two cores.
//   1. the build;
//   2. Vitest's main project (two files at a time) beside the Playwright specs on recorded data
//      (`fixture`);
//   3. Vitest's restart project (one file at a time) beside the Playwright specs against simulated
//      sites (`sim`, then `restart`): both mostly wait on simulated sites, so neither starves the
//      other's second-scale timeouts the way the main project's workers would.
// ESLint and the type checks run from the start beside all of it at a lower priority (nice 10):
// they are pure CPU with no timeout, so they take the cores the tests leave idle (step 3 keeps
// them about a third idle) instead of a minute of their own.
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

async function step(name, runs, niceness = 0) {
  const t0 = Date.now()
  const codes = await Promise.all(runs.map(([label, cmd, args]) => run(label, cmd, args, niceness)))
  const failed = runs.filter((_, i) => codes[i] !== 0).map(([label]) => label)
  console.log(`\n== ${name}: ${failed.length ? `FAILED (${failed.join(', ')})` : 'ok'} in ${Math.round((Date.now() - t0) / 1000)} s\n`)
  return codes.find((c) => c !== 0) ?? 0
}

const started = Date.now()
const checks = step('lint + typecheck (beside the tests, nice 10)', [['lint', npm, ['run', 'lint']], ['typecheck', npm, ['run', 'typecheck']]], 10)
const steps = [
  ['build', [['build', npm, ['run', 'build']]]],
  ['vitest main + playwright fixture', [['vitest', npx, ['vitest', 'run', '--project', 'main']], ['e2e', npx, ['playwright', 'test', '--project', 'fixture']]]],
  ['vitest restart + playwright sim, restart', [['vitest-restart', npx, ['vitest', 'run', '--project', 'restart']], ['e2e-sim', npx, ['playwright', 'test', '--project', 'sim', '--project', 'restart']]]]
]
let code = 0
for (const [name, runs] of steps) {
  code = await step(name, runs)
  if (code !== 0) break
}
const checked = await checks
if (code === 0) code = checked
console.log(`== npm test: ${code === 0 ? 'passed' : 'failed'} in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(code)
