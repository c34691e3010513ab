import { mkdtempSync, chmodSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MinerDeskError } from '../../preload/contract'
import { ExecInterruptedError } from '../../electron/core/ssh/channels'
import { createSshPool, type ManagedSshPool } from '../../electron/core/ssh/pool'
import { DEFAULT_MAX_FORWARDS } from '../../electron/core/ssh/connection'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SshHost, SshPrompts } from '../../electron/core/ssh/types'
import { buildCommandLine } from '../../electron/common/shellQuote'
import { startTestSshd, type TestSshd } from '../support/sshd'

/** Prompts that must never be needed here (known_hosts is filled, the key is unencrypted). */
const noPrompts: SshPrompts = {
  hostKeyUnknown: () => Promise.reject(new Error('unexpected host key prompt')),
  passphrase: () => Promise.reject(new Error('unexpected passphrase prompt'))
}

const printArgs = ['node', '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', '--']

describe('exec, streams and tunnels over a real sshd', () => {
  let s: TestSshd
  let pool: ManagedSshPool
  let host: SshHost
  let shared: string
  let http: Server
  let httpPort: number

  beforeAll(async () => {
    s = await startTestSshd()
    pool = createSshPool({ configPath: s.sshConfigPath, prompts: noPrompts, secrets: createMemoryOnlySecretStore() })
    host = pool.host(s.alias, 'site-a')
    // A directory the remote login (another account when running as root) can write to.
    shared = mkdtempSync(join(tmpdir(), 'md-ssh-exec-'))
    chmodSync(shared, 0o777)
    http = createServer((req, res) => res.end(`hello from ${req.url}`))
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    httpPort = (http.address() as AddressInfo).port
  })

  afterAll(async () => {
    await pool?.closeAll()
    await s?.stop()
    http?.close()
    rmSync(shared, { recursive: true, force: true })
  })

  const hostile = [
    "it's", '"double"', '$(touch /tmp/pwned-md)', '`id`', '; rm -rf /', 'a\nb\nc', '\ttab', '扇区 1 — ünïcødé 🚀', '${HOME}', '*', '~', '-n', '', '\\', "''", '!event', '$((1+1))'
  ]

  it('passes hostile argv through sshd and /bin/sh unchanged', async () => {
    const r = await host.exec({ argv: [...printArgs, ...hostile] })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(hostile)
    expect(host.info.state).toBe('connected')
  })

  it('runs cwd and env from structured commands, and {line} from shellQuote', async () => {
    const r = await host.exec({ argv: ['sh', '-c', 'pwd; printf %s "$MD_X"'], cwd: shared, env: { MD_X: "a b 'c'" } })
    expect(r.stdout).toBe(`${shared}\na b 'c'`)
    const r2 = await host.exec({ line: buildCommandLine({ argv: ['echo', 'via line'] }) })
    expect(r2.stdout).toBe('via line\n')
  })

  it('reports exit codes, stderr and signals', async () => {
    const r = await host.exec({ argv: ['sh', '-c', 'echo out; echo err >&2; exit 7'] })
    expect(r).toEqual({ code: 7, signal: null, stdout: 'out\n', stderr: 'err\n', truncated: false })
    const k = await host.exec({ argv: ['sh', '-c', 'kill -TERM $$'] })
    expect(k.code).toBeNull()
    expect(k.signal).toBe('SIGTERM')
  })

  it('feeds stdin and closes it', async () => {
    const r = await host.exec({ argv: ['cat'] }, { stdin: 'line 1\nzeile 2\n' })
    expect(r.stdout).toBe('line 1\nzeile 2\n')
    const empty = await host.exec({ argv: ['cat'] })
    expect(empty.stdout).toBe('')
  })

  it('caps output per stream and says so', async () => {
    const r = await host.exec({ argv: ['sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x; echo done >&2'] }, { maxOutputBytes: 1000 })
    expect(r.stdout).toHaveLength(1000)
    expect(r.truncated).toBe(true)
    expect(r.stderr).toBe('done\n')
    expect(r.code).toBe(0)
  })

  it('times out: KILL on the channel, the remote process ends, the error says so', async () => {
    const pidFile = join(shared, 'timeout.pid')
    const t0 = Date.now()
    const err = await host.exec({ argv: ['sh', '-c', `echo $$ > ${pidFile}; sleep 1; touch ${join(shared, 'timeout-survived')}`] }, { timeoutMs: 400 }).catch((e: unknown) => e)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(err).toBeInstanceOf(ExecInterruptedError)
    expect((err as ExecInterruptedError).code).toBe('ssh/timeout')
    expect((err as ExecInterruptedError).message).toMatch(/timed out after 400 ms; MinerDesk sent KILL/)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    await new Promise((r) => setTimeout(r, 300))
    expect(() => process.kill(pid, 0)).toThrow()
    await new Promise((r) => setTimeout(r, 1200))
    expect(readdirSync(shared)).not.toContain('timeout-survived')
  })

  it('aborts through an AbortSignal, before and while running', async () => {
    const ac = new AbortController()
    const p = host.exec({ argv: ['sleep', '3'] }, { signal: ac.signal })
    setTimeout(() => ac.abort(), 200)
    const err = (await p.catch((e: unknown) => e)) as MinerDeskError
    expect(err).toBeInstanceOf(ExecInterruptedError)
    expect(err.code).toBe('cancelled')
    const pre = new AbortController()
    pre.abort()
    const err2 = (await host.exec({ argv: ['true'] }, { signal: pre.signal }).catch((e: unknown) => e)) as MinerDeskError
    expect(err2.code).toBe('cancelled')
    expect(err2.message).toMatch(/before it was sent/)
  })

  it('never has more than maxChannels (4) channels open: 20 concurrent execs, all succeed', async () => {
    const log = join(shared, 'concurrency.log')
    writeFileSync(log, '')
    chmodSync(log, 0o666)
    const script = `echo "start $(date +%s%N)" >> ${log}; sleep 0.2; echo "end $(date +%s%N)" >> ${log}`
    const t0 = Date.now()
    const results = await Promise.all(Array.from({ length: 20 }, () => host.exec({ argv: ['sh', '-c', script] })))
    const elapsed = Date.now() - t0
    expect(results.every((r) => r.code === 0)).toBe(true)
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([kind, ns]) => ({ kind, t: BigInt(ns as string) }))
      .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : a.kind === 'end' ? -1 : 1))
    let open = 0
    let peak = 0
    for (const e of events) {
      open += e.kind === 'start' ? 1 : -1
      peak = Math.max(peak, open)
    }
    console.log(`20 × sleep 0.2 with maxChannels 4: ${elapsed} ms, peak ${peak} on the remote side`)
    expect(events).toHaveLength(40)
    expect(peak).toBeLessThanOrEqual(4)
    expect(peak).toBeGreaterThanOrEqual(2)
    // 20 × 0.2 s in 4 lanes is ≥ 1 s; one lane would be ≥ 4 s.
    expect(elapsed).toBeGreaterThanOrEqual(1000)
  })

  it('limits tunnels on their own: commands still run while every tunnel slot is held (a hung API)', async () => {
    const streams = await Promise.all(Array.from({ length: DEFAULT_MAX_FORWARDS }, () => host.forwardOut('127.0.0.1', httpPort)))
    // sshd's MaxSessions counts sessions, not tunnels: a command is not held up by them.
    expect((await host.exec({ argv: ['echo', 'through'] })).stdout).toBe('through\n')
    let opened = false
    const extra = host.forwardOut('127.0.0.1', httpPort).then((st) => ((opened = true), st))
    await new Promise((r) => setTimeout(r, 300))
    expect(opened).toBe(false)
    streams[0]?.destroy()
    const st = await extra
    expect(opened).toBe(true)
    for (const s of [...streams, st]) s.destroy()
  })

  it('streams output live (execStream) and can kill the stream', async () => {
    const st = await host.execStream({ argv: ['sh', '-c', 'for i in 1 2 3; do echo tick $i; sleep 0.1; done; exec sleep 5'] })
    let text = ''
    await new Promise<void>((resolve) => {
      st.stdout.on('data', (b: Buffer) => {
        text += b.toString()
        if (text.includes('tick 3')) resolve()
      })
    })
    st.kill()
    const done = await st.done
    expect(done.signal).toBe('SIGKILL')
    expect(text).toBe('tick 1\ntick 2\ntick 3\n')
  })

  it('forwards to a TCP service as seen from the remote side', async () => {
    const stream = await host.forwardOut('127.0.0.1', httpPort)
    stream.write(`GET /via-ssh HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
    const chunks: Buffer[] = []
    for await (const c of stream) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString()
    expect(text).toMatch(/^HTTP\/1.1 200/)
    expect(text).toContain('hello from /via-ssh')
  })

  it('reports a closed remote port as "connection refused"', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer()
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as AddressInfo).port
        srv.close(() => resolve(p))
      })
    })
    const err = (await host.forwardOut('127.0.0.1', closed).catch((e: unknown) => e)) as MinerDeskError
    expect(err).toBeInstanceOf(MinerDeskError)
    expect(err.message).toContain('connection refused')
    // The connection is unharmed.
    expect((await host.exec({ argv: ['echo', 'still here'] })).stdout).toBe('still here\n')
  })

  it('rejects commands it cannot quote, before sending anything', async () => {
    const err = (await host.exec({ argv: ['echo', 'a\0b'] }).catch((e: unknown) => e)) as MinerDeskError
    expect(err.code).toBe('invalid-input')
  })

  it('reuses one warm connection: exec latency', async () => {
    const n = 30
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await host.exec({ argv: ['true'] })
    const per = (performance.now() - t0) / n
    console.log(`exec latency over a warm connection: ${per.toFixed(1)} ms per command (${n} sequential)`)
    const t1 = performance.now()
    await Promise.all(Array.from({ length: n }, () => host.exec({ argv: ['true'] })))
    console.log(`${n} concurrent execs (4 channels): ${(performance.now() - t1).toFixed(0)} ms`)
    expect(per).toBeLessThan(200)
  })
})
