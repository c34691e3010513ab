import { spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { Duplex, PassThrough } from 'node:stream'
import { MinerDeskError, type ConnectionInfo } from '../../preload/contract'
import type { ExecOptions, ExecResult, ExecStream, SshCommand, SshHost } from '../../electron/core/ssh/types'
import { buildCommandLine } from '../../electron/common/shellQuote'

/**
 * UNIT-TEST DOUBLE of SshHost — not an SSH client. It runs "remote" commands with /bin/sh on
 * this machine (with an environment the test chooses, so HOME and the *_API_INFO variables are
 * the test's) and opens forwardOut streams with net.connect on 127.0.0.1. The streams are plain
 * Duplexes (not net.Sockets), like ssh2's channels, and a refused connect fails the way ssh2
 * reports it ("(SSH) Channel open failure: Connection refused", reason 2). Integration tests
 * over a real sshd use the real SSH layer instead.
 */

export interface LocalSshHostOptions {
  alias?: string
  siteId?: string
  /** The whole environment of remote commands (PATH is added when missing). */
  env?: Record<string, string>
  /** Delay added to forwarded data in each direction (ms), to imitate an SSH round trip. */
  latencyMs?: number
}

class ForwardedStream extends Duplex {
  constructor(
    private readonly sock: Socket,
    private readonly latencyMs: number
  ) {
    super()
    sock.on('data', (chunk: Buffer) => this.later(() => {
      if (!this.push(chunk)) sock.pause()
    }))
    sock.on('end', () => this.later(() => this.push(null)))
    // Like ssh2's direct-tcpip channels: data already received stays readable after the
    // remote side closed; 'close' follows once the reader has seen 'end'.
    sock.on('close', () =>
      this.later(() => {
        if (this.readableEnded || this.destroyed) this.destroy()
        else this.once('end', () => this.destroy())
      })
    )
    sock.on('error', () => undefined) // surfaced as 'close'
  }

  private later(fn: () => void): void {
    if (this.latencyMs > 0) setTimeout(fn, this.latencyMs)
    else fn()
  }

  override _read(): void {
    this.sock.resume()
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.later(() => {
      if (!this.sock.destroyed) this.sock.write(chunk)
    })
    cb()
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.later(() => this.sock.end())
    cb()
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.sock.destroy()
    cb(err)
  }
}

export class LocalSshHost implements SshHost {
  readonly alias: string
  private readonly siteId: string
  env: Record<string, string>
  latencyMs: number
  private reachable = true
  private state: ConnectionInfo
  private readonly listeners = new Set<(info: ConnectionInfo) => void>()
  private readonly openStreams = new Set<Duplex>()
  /** What the code under test did through this host. */
  readonly counters = { execs: 0, forwards: 0, forwardsRefused: 0 }
  /** Command lines run, in order. */
  readonly commands: string[] = []

  constructor(opts: LocalSshHostOptions = {}) {
    this.alias = opts.alias ?? 'local-test'
    this.siteId = opts.siteId ?? this.alias
    this.env = { ...(opts.env ?? {}) }
    if (this.env['PATH'] === undefined) this.env['PATH'] = process.env['PATH'] ?? '/usr/bin:/bin'
    this.latencyMs = opts.latencyMs ?? 0
    this.state = { siteId: this.siteId, state: 'connected', since: Date.now() }
  }

  get info(): ConnectionInfo {
    return this.state
  }

  /** Makes the host unreachable (every exec/forwardOut fails as the SSH layer would report it). */
  setReachable(reachable: boolean): void {
    this.reachable = reachable
    this.setState(reachable ? 'connected' : 'unreachable')
    if (!reachable) for (const s of this.openStreams) s.destroy()
  }

  private setState(state: ConnectionInfo['state']): void {
    if (this.state.state === state) return
    this.state = { siteId: this.siteId, state, since: Date.now() }
    for (const l of this.listeners) l(this.state)
  }

  private unreachable(): MinerDeskError {
    return new MinerDeskError({ code: 'ssh/unreachable', message: `${this.alias}: connect ECONNREFUSED (test double is offline)` })
  }

  private lineOf(cmd: SshCommand): string {
    return 'line' in cmd ? cmd.line : buildCommandLine(cmd)
  }

  async exec(cmd: SshCommand, opts: ExecOptions = {}): Promise<ExecResult> {
    if (!this.reachable) throw this.unreachable()
    const line = this.lineOf(cmd)
    this.counters.execs++
    this.commands.push(line)
    const max = opts.maxOutputBytes ?? 16 * 1024 * 1024
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', line], { env: this.env, cwd: this.env['HOME'] ?? '/', stdio: ['pipe', 'pipe', 'pipe'] })
      const out: Buffer[] = []
      const err: Buffer[] = []
      let outBytes = 0
      let errBytes = 0
      let truncated = false
      child.stdout.on('data', (c: Buffer) => {
        if (outBytes + c.length > max) truncated = true
        else out.push(c)
        outBytes += c.length
      })
      child.stderr.on('data', (c: Buffer) => {
        if (errBytes + c.length > max) truncated = true
        else err.push(c)
        errBytes += c.length
      })
      const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null
      const onAbort = () => child.kill('SIGKILL')
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      child.on('error', reject)
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
        if (opts.signal?.aborted) {
          reject(new MinerDeskError({ code: 'cancelled', message: 'command cancelled' }))
          return
        }
        resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated })
      })
      // A command that exits without reading its input closes the pipe (EPIPE): as over ssh, not an error.
      child.stdin.on('error', () => {})
      child.stdin.end(opts.stdin ?? '')
    })
  }

  async execStream(cmd: SshCommand, opts: { signal?: AbortSignal } = {}): Promise<ExecStream> {
    if (!this.reachable) throw this.unreachable()
    const line = this.lineOf(cmd)
    this.counters.execs++
    this.commands.push(line)
    const child = spawn('/bin/sh', ['-c', line], { env: this.env, cwd: this.env['HOME'] ?? '/', stdio: ['ignore', 'pipe', 'pipe'] })
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    child.stdout.pipe(stdout)
    child.stderr.pipe(stderr)
    opts.signal?.addEventListener('abort', () => child.kill('SIGTERM'), { once: true })
    const done = new Promise<ExecResult>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (code, signal) => resolve({ code, signal, stdout: '', stderr: '', truncated: false }))
    })
    return { stdout, stderr, done, kill: () => child.kill('SIGTERM') }
  }

  forwardOut(host: string, port: number, opts: { signal?: AbortSignal } = {}): Promise<Duplex> {
    if (!this.reachable) return Promise.reject(this.unreachable())
    this.counters.forwards++
    return new Promise<Duplex>((resolve, reject) => {
      const sock = connect({ host, port })
      const onAbort = () => {
        sock.destroy()
        reject(new MinerDeskError({ code: 'cancelled', message: 'forwardOut cancelled' }))
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      sock.once('connect', () => {
        opts.signal?.removeEventListener('abort', onAbort)
        const stream = new ForwardedStream(sock, this.latencyMs)
        this.openStreams.add(stream)
        stream.once('close', () => this.openStreams.delete(stream))
        setTimeout(() => resolve(stream), this.latencyMs)
      })
      sock.once('error', (err: NodeJS.ErrnoException) => {
        opts.signal?.removeEventListener('abort', onAbort)
        if (err.code === 'ECONNREFUSED') {
          this.counters.forwardsRefused++
          const e = new Error('(SSH) Channel open failure: Connection refused') as Error & { reason: number }
          e.reason = 2
          setTimeout(() => reject(e), this.latencyMs)
        } else reject(err)
      })
    })
  }

  onState(listener: (info: ConnectionInfo) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async connect(): Promise<void> {
    if (!this.reachable) throw this.unreachable()
  }

  async close(): Promise<void> {
    for (const s of this.openStreams) s.destroy()
    this.setState('idle')
  }
}
