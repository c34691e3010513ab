import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuditLog, redactSecrets } from './auditLog'

let home: string
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'md-audit-'))
})
afterEach(() => rmSync(home, { recursive: true, force: true }))

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJBbGxvdyI6WyJhZG1pbiJdfQ.Zm9vYmFyYmF6'

describe('redactSecrets', () => {
  it.each([
    [`curl -H 'Authorization: Bearer ${JWT}' http://127.0.0.1:1234/rpc/v0`, `curl -H 'Authorization: Bearer [redacted]' http://127.0.0.1:1234/rpc/v0`],
    [`FULLNODE_API_INFO=${JWT}:/ip4/127.0.0.1/tcp/1234/http lotus-miner run`, 'FULLNODE_API_INFO=[redacted-token]:/ip4/127.0.0.1/tcp/1234/http lotus-miner run'],
    ['MINER_API_INFO=opaqueKey123:/ip4/10.0.0.1/tcp/2345/http ./runworker.sh', 'MINER_API_INFO=[redacted-token]:/ip4/10.0.0.1/tcp/2345/http ./runworker.sh'],
    ['export X=abcdefghijklmnopqrstuvwx:/ip4/10.0.0.1/tcp/2345/http', 'export X=[redacted-token]:/ip4/10.0.0.1/tcp/2345/http'],
    ['ssh-add --passphrase hunter2 key', 'ssh-add --passphrase [redacted] key'],
    ['{"token":"abc123","x":1}', '{"token":"[redacted]","x":1}'],
    ['ws://host/rpc/v0?token=abc123&x=1', 'ws://host/rpc/v0?token=[redacted]&x=1'],
    [`token was ${JWT}`, 'token was [redacted-token]']
  ])('%s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected)
  })

  it('leaves ordinary commands alone', () => {
    const cmds = [
      'lotus-miner sectors update-state --really-do-it 100 Committing',
      'Filecoin.SectorsUpdate [100,"Committing"]',
      'Filecoin.SealingAbort [{"Sector":{"Miner":1000,"Number":9},"ID":"07070707-0707-0707-0707-070707070707"}]',
      'lotus mpool replace --auto --fee-limit 0.5 f3abc 17',
      'MINER_API_INFO=/ip4/127.0.0.1/tcp/2345/http lotus-worker run'
    ]
    for (const c of cmds) expect(redactSecrets(c)).toBe(c)
  })
})

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
    expect(all[1]).toEqual({ time: '2026-01-01T00:00:02.000Z', site: 'b', operator: 'op', via: 'cli', action: 'sector.remove', command: 'curl -H "Authorization: Bearer [redacted]"', result: 'error', detail: 'failed with [redacted-token]' })
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
  })
})
