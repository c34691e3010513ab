import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findSiteProcs } from '../../electron/sim/front/procs'
import { simBundle, sweepOrphans } from '../support/simSites'

/**
 * The harness cleans up after test processes that do not: a test worker ended by SIGTERM stops
 * its sites on the way out; one killed with SIGKILL leaves them, and the next harness user
 * sweeps them away.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'md-harness-test-'))
const script = join(work, 'user.cjs')

beforeAll(async () => {
  await simBundle()
  const entry = join(work, 'user.ts')
  const { writeFileSync } = await import('node:fs')
  writeFileSync(
    entry,
    `import { startSimSites } from ${JSON.stringify(join(ROOT, 'test/support/simSites.ts'))}\n` +
      `startSimSites({ sites: 1, sectors: 20 }).then((s) => { process.stdout.write(s.dir + '\\n') }, (e) => { console.error(e); process.exit(1) })\n` +
      `setInterval(() => undefined, 1000)\n`
  )
  await build({
    entryPoints: [entry],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['ssh2', 'esbuild'],
    logLevel: 'error',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'test/support/simSites.ts')).href) }
  })
}, 120_000)

afterAll(() => rmSync(work, { recursive: true, force: true }))

function startUser(): Promise<{ pid: number; dir: string; kill: (sig: NodeJS.Signals) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line) {
        resolve({
          pid: child.pid as number,
          dir: line,
          kill: (sig) =>
            new Promise((r) => {
              child.once('exit', () => r())
              child.kill(sig)
            })
        })
      }
    })
    child.once('exit', (code) => reject(new Error(`harness user exited with ${code}: ${err}`)))
  })
}

async function until(fn: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!fn()) {
    if (Date.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 100))
  }
  return true
}

describe('simSites harness cleanup', () => {
  it('stops the sites of a test process ended by SIGTERM', async () => {
    const u = await startUser()
    expect(findSiteProcs(u.dir).length).toBeGreaterThanOrEqual(5)
    await u.kill('SIGTERM')
    expect(await until(() => findSiteProcs(u.dir).length === 0)).toBe(true)
    rmSync(join(u.dir, '..'), { recursive: true, force: true })
  }, 120_000)

  it('sweeps the sites of a test process killed with SIGKILL', async () => {
    const u = await startUser()
    await u.kill('SIGKILL')
    expect(findSiteProcs(u.dir).length).toBeGreaterThanOrEqual(5)
    sweepOrphans()
    expect(await until(() => findSiteProcs(u.dir).length === 0)).toBe(true)
    expect(existsSync(join(u.dir, '..'))).toBe(false)
  }, 120_000)
})
