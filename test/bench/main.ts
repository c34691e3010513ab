/**
 * `npm run bench [-- --quick] [-- --only NAME] [-- --minutes N]`: runs every bench (the hour-long demo-soak only
 * when named) and prints a table of figures
 * against their targets; `--json` writes bench-results/latest.json too. Exit 1 when a target
 * is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BENCHES } from './registry'
import type { BenchResult } from './types'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const quick = args.includes('--quick')
  const onlyIdx = args.indexOf('--only')
  const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined
  const minutesIdx = args.indexOf('--minutes')
  const minutes = minutesIdx >= 0 ? Number(args[minutesIdx + 1]) : undefined
  if (minutes !== undefined && !(minutes > 0)) {
    console.error('--minutes takes a positive number')
    process.exit(2)
  }
  const chosen = BENCHES.filter((b) => (only ? b.name === only : !b.onRequest))
  if (chosen.length === 0) {
    console.error(`no bench named ${only}; benches: ${BENCHES.map((b) => b.name).join(', ')}`)
    process.exit(2)
  }
  const results: BenchResult[] = []
  for (const b of chosen) {
    console.log(`\n== ${b.name} (about ${b.estimate}${quick ? ', quick' : ''})`)
    try {
      const r = await b.run({ quick, ...(minutes !== undefined ? { minutes } : {}) })
      results.push(r)
      for (const m of r.metrics) {
        const mark = m.ok === undefined ? ' ' : m.ok ? '✓' : '✗'
        console.log(`${mark} ${m.name.padEnd(58)} ${String(m.value).padStart(10)} ${m.unit.padEnd(5)} ${m.target ?? ''}`)
      }
      for (const n of r.notes ?? []) console.log(`  ${n}`)
    } catch (err) {
      console.error(`✗ ${b.name} failed: ${err instanceof Error ? err.stack : String(err)}`)
      results.push({ name: b.name, metrics: [{ name: 'ran', value: 0, unit: 'count', ok: false }] })
    }
  }
  const dir = join(process.cwd(), 'bench-results')
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), quick, ...(minutes !== undefined ? { minutes } : {}), results }, null, 2))
  const missed = results.flatMap((r) => r.metrics.filter((m) => m.ok === false).map((m) => `${r.name}: ${m.name}`))
  console.log(missed.length ? `\n${missed.length} target(s) missed:\n  ${missed.join('\n  ')}` : '\nAll targets met.')
  process.exit(missed.length ? 1 : 0)
}

void main()
