import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildSync } from 'esbuild'
import { describe, expect, it } from 'vitest'

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.Zm9vYmFyYmF6'

describe('keepRunningOnUnexpectedErrors', () => {
  it('logs a throw from a timer and an unhandled rejection, redacted, and the process goes on', () => {
    // A real Node process (the handlers are process-wide): without them the first throw ends it.
    const dir = mkdtempSync(join(tmpdir(), 'md-last-resort-'))
    const entry = join(dir, 'entry.ts')
    writeFileSync(
      entry,
      `
      import { keepRunningOnUnexpectedErrors } from ${JSON.stringify(resolve(__dirname, 'lastResort.ts'))}
      keepRunningOnUnexpectedErrors('the host')
      setTimeout(() => { throw new Error('boom with Bearer ${JWT}') }, 1)
      setTimeout(() => void Promise.reject(new Error('FULLNODE_API_INFO=${JWT}:/ip4/127.0.0.1/tcp/1234/http')), 5)
      setTimeout(() => process.stdout.write('still serving'), 50)
    `
    )
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: join(dir, 'entry.cjs'), logLevel: 'silent' })
    const r = spawnSync(process.execPath, [join(dir, 'entry.cjs')], { encoding: 'utf8', timeout: 30_000 })
    rmSync(dir, { recursive: true, force: true })
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toBe('still serving')
    expect(r.stderr).toContain('minerdesk: unexpected error (the host keeps running): Error: boom with Bearer [token sha256:')
    expect(r.stderr).toContain('minerdesk: unexpected rejection (the host keeps running): Error: FULLNODE_API_INFO=[token sha256:')
    expect(r.stderr).not.toContain(JWT)
  })
})
