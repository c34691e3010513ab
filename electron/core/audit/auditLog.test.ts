import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { secretFingerprint } from '../util/redact'
import { AuditLog } from './auditLog'

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'md-audit-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.Zm9vYmFyYmF6'

describe('AuditLog', () => {
  it('appends JSON lines with who/what/when, redacted, and lists newest first', async () => {
    let t = Date.UTC(2026, 0, 1)
    const log = new AuditLog({ home, via: 'cli', operator: 'op', now: () => new Date((t += 1000)) })
    await log.record({ site: 'a', action: 'sector.updateState', command: 'lotus-miner sectors update-state --really-do-it 9 Committing', result: 'ok' })
    await log.record({ site: 'b', action: 'sector.remove', command: `curl -H "Authorization: Bearer ${JWT}"`, result: 'error', detail: `failed with ${JWT}` })
    await log.record({ site: 'a', action: 'sector.pledge', command: 'Filecoin.PledgeSector []', result: 'started' })
    const text = readFileSync(log.file, 'utf8')
    expect(text).not.toContain('Zm9vYmFyYmF6')
    expect(text.split('\n')).toHaveLength(4)
    const all = await log.list()
    expect(all.map((e) => e.action)).toEqual(['sector.pledge', 'sector.remove', 'sector.updateState'])
    const fp = `[token ${secretFingerprint(JWT)}]`
    expect(all[1]).toEqual({ time: '2026-01-01T00:00:02.000Z', site: 'b', operator: 'op', via: 'cli', action: 'sector.remove', command: `curl -H "Authorization: Bearer ${fp}"`, result: 'error', detail: `failed with ${fp}`, hash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect((await log.list({ site: 'a' })).map((e) => e.action)).toEqual(['sector.pledge', 'sector.updateState'])
    expect(await log.list({ site: 'a', limit: 1 })).toHaveLength(1)
    expect(statSync(log.file).mode & 0o777).toBe(0o600)
  })

  it('reads a large log backwards across chunk boundaries, skipping torn lines', async () => {
    const log = new AuditLog({ home, via: 'electron', operator: 'op' })
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) {
      lines.push(JSON.stringify({ time: new Date(i * 1000).toISOString(), site: i % 3 === 0 ? 'x' : 'y', operator: 'op', via: 'electron', action: `a${i}`, command: `cmd ${i} ${'é'.repeat(i % 97)}`, result: 'ok' }))
    }
    writeFileSync(log.file, `${lines.join('\n')}\n{"time":"torn`)
    appendFileSync(log.file, '\n')
    const last = await log.list({ limit: 5000 })
    expect(last).toHaveLength(3000)
    expect(last[0]!.action).toBe('a2999')
    expect(last[2999]!.action).toBe('a0')
    const xs = await log.list({ site: 'x', limit: 10 })
    expect(xs.map((e) => e.action)).toEqual([2997, 2994, 2991, 2988, 2985, 2982, 2979, 2976, 2973, 2970].map((i) => `a${i}`))
    expect(await new AuditLog({ home: join(home, 'none'), via: 'cli' }).list()).toEqual([])
    // A date range: only entries inside it, and reading stops at the first one before it.
    const range = await log.list({ since: new Date(1000_000).toISOString(), until: new Date(1009_000).toISOString(), limit: 5000 })
    expect(range.map((e) => e.action)).toEqual([1009, 1008, 1007, 1006, 1005, 1004, 1003, 1002, 1001, 1000].map((i) => `a${i}`))
  })

  it('keeps lines whole when two processes append at once', async () => {
    // Bundle the real module for plain node children (the test itself runs under vitest).
    const here = fileURLToPath(new URL('.', import.meta.url))
    const bundle = join(home, 'audit-child.mjs')
    await build({
      stdin: {
        contents: `import { AuditLog } from ${JSON.stringify(join(here, 'auditLog.ts'))}
const [home, who, n] = process.argv.slice(2)
const log = new AuditLog({ home, via: 'cli', operator: who })
const pad = 'x'.repeat(6000)
const jobs = []
for (let i = 0; i < Number(n); i++) jobs.push(log.record({ site: who, action: 'a' + i, command: pad, result: 'ok', detail: String(i) }))
await Promise.all(jobs)`,
        resolveDir: here,
        loader: 'ts'
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent'
    })
    const run = (who: string) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(process.execPath, [bundle, home, who, '400'], { stdio: ['ignore', 'ignore', 'pipe'] })
        let err = ''
        p.stderr.on('data', (d: Buffer) => (err += d.toString()))
        p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(err))))
      })
    await Promise.all([run('p1'), run('p2')])
    const lines = readFileSync(join(home, 'audit.log'), 'utf8').split('\n').filter(Boolean)
    expect(lines).toHaveLength(800)
    const seen = { p1: new Set<string>(), p2: new Set<string>() }
    for (const l of lines) {
      const e = JSON.parse(l) as { site: 'p1' | 'p2'; detail: string; command: string }
      expect(e.command).toHaveLength(6000)
      seen[e.site].add(e.detail)
    }
    expect(seen.p1.size).toBe(400)
    expect(seen.p2.size).toBe(400)
    // One chain through both writers' entries.
    expect(await new AuditLog({ home, via: 'cli' }).verify()).toMatchObject({ ok: true, entries: 800, chained: 800, tornLines: [] })
  })

  it('chains entries; verify names the first entry edited, removed or inserted', async () => {
    let t = Date.UTC(2026, 0, 1)
    const log = new AuditLog({ home, via: 'cli', operator: 'op', now: () => new Date((t += 1000)) })
    for (let i = 0; i < 6; i++) await log.record({ site: 'a', action: `act${i}`, command: `cmd ${i}`, result: 'ok' })
    expect(await log.verify()).toEqual({ file: log.file, ok: true, entries: 6, chained: 6, unchained: 0, tornLines: [] })
    const lines = readFileSync(log.file, 'utf8').split('\n')
    const put = (ls: string[]) => writeFileSync(log.file, ls.join('\n'))

    // Edited: the command of entry 3 (line 3) changed.
    put(lines.map((l, i) => (i === 2 ? l.replace('cmd 2', 'cmd 9') : l)))
    expect(await log.verify()).toMatchObject({ ok: false, chained: 2, broken: { line: 3, action: 'act2', reason: 'does-not-follow' } })
    // Removed: entry 2 gone; entry 3 (now on line 2) no longer follows.
    put(lines.filter((_, i) => i !== 1))
    expect(await log.verify()).toMatchObject({ ok: false, broken: { line: 2, action: 'act2' } })
    // Inserted without a hash after chained entries.
    put([...lines.slice(0, 4), JSON.stringify({ time: 'x', site: 'a', operator: 'op', via: 'cli', action: 'forged', command: 'rm', result: 'ok' }), ...lines.slice(4)])
    expect(await log.verify()).toMatchObject({ ok: false, broken: { line: 5, action: 'forged', reason: 'not-chained' } })
  })

  it('a line cut short never swallows the next entry, and the chain goes on past it', async () => {
    const log = new AuditLog({ home, via: 'cli', operator: 'op' })
    await log.record({ site: 'a', action: 'first', command: 'c1', result: 'started' })
    // What a full disk leaves behind: the start of a line, no newline.
    appendFileSync(log.file, '{"time":"2026-01-01T00:00:00.000Z","site":"a","oper')
    await log.record({ site: 'a', action: 'second', command: 'c2', result: 'ok' })
    await new AuditLog({ home, via: 'electron', operator: 'op' }).record({ site: 'a', action: 'third', command: 'c3', result: 'ok' })
    expect((await log.list()).map((e) => e.action)).toEqual(['third', 'second', 'first'])
    expect(await log.verify()).toMatchObject({ ok: true, entries: 3, chained: 3, tornLines: [2] })
  })

  it('counts entries of an older, unchained log and chains what follows', async () => {
    writeFileSync(join(home, 'audit.log'), `${JSON.stringify({ time: 't', site: 'a', operator: 'op', via: 'cli', action: 'old', command: 'c', result: 'ok' })}\n`)
    const log = new AuditLog({ home, via: 'cli', operator: 'op' })
    await log.record({ site: 'a', action: 'new', command: 'c', result: 'ok' })
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2, chained: 1, unchained: 1 })
  })

  it('never reads or appends to something that is not a regular file', async () => {
    const { execFileSync } = await import('node:child_process')
    execFileSync('mkfifo', [join(home, 'audit.log')])
    const log = new AuditLog({ home, via: 'cli', operator: 'op' })
    await expect(log.list()).rejects.toThrow(/not a regular file/)
    await expect(log.record({ site: 'a', action: 'x', command: 'c', result: 'started' })).rejects.toMatchObject({ code: 'audit/write-failed' })
  })
})
