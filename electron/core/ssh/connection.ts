import type { Duplex } from 'node:stream'
import { MinerDeskError, type ConnectionInfo, type ConnectionStateName, type HostKeyInfo } from '../../../preload/contract'
import { buildCommandLine, UnsafeArgumentError, type RemoteCommand } from '../../common/shellQuote'
import { reconnectDelay, type BackoffPolicy } from './backoff'
import { ChannelQueue } from './channelQueue'
import { openForward, runExec, runExecStream, type ChannelHost } from './channels'
import type { SshRoute } from './config'
import { dial, DialFailure, type Dialed } from './dial'
import { errorMessage, unreachableError } from './errors'
import type { HostKeyMemory } from './hostVerify'
import type { KeyRing } from './keyring'
import type { ExecOptions, ExecResult, ExecStream, SshCommand, SshHost, SshPrompts } from './types'

/**
 * One SSH connection per host, shared by every command and tunnel, with its state as an event
 * stream. Network failures reconnect by themselves with backoff; failures a retry cannot fix
 * (authentication, host keys, config) wait until `connect()` is called. Commands are never
 * re-sent: a command caught by a dropped connection fails, and its caller decides.
 */

/** Session channels (exec) open at once per connection: below sshd's MaxSessions (10). */
export const DEFAULT_MAX_CHANNELS = 4
/** direct-tcpip channels (API streams) open at once per connection. */
export const DEFAULT_MAX_FORWARDS = 8
export const DEFAULT_KEEPALIVE_MS = 10_000
export const KEEPALIVE_MIN_MS = 10_000
export const KEEPALIVE_MAX_MS = 15_000
/** Silence after which a connection is given up (keepalives unanswered). */
export const DEFAULT_DEAD_AFTER_MS = 30_000
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000
/** A connection that lived this long resets the backoff when it drops. */
export const STABLE_AFTER_MS = 30_000

export function clampKeepalive(ms: number): number {
  return Math.min(KEEPALIVE_MAX_MS, Math.max(KEEPALIVE_MIN_MS, ms))
}

export interface SshHostOptions {
  alias: string
  siteId: string
  /** Resolves the route now (re-reading the config); throws MinerDeskError `ssh/config`. */
  resolve: () => SshRoute
  prompts: SshPrompts
  keyring: KeyRing
  /** Host-key answers of this app run, shared by the pool. */
  hostKeys: HostKeyMemory
  maxChannels?: number
  maxForwards?: number
  /** Keepalive when the config sets no ServerAliveInterval (the pool clamps it to 10–15 s). */
  keepaliveIntervalMs?: number
  /** Silence after which the connection is dropped and re-opened. */
  deadAfterMs?: number
  /** Connect timeout when the config sets no ConnectTimeout. */
  connectTimeoutMs?: number
  backoff?: BackoffPolicy
  agentSocket?: string
}

/** The pool's view of a host, beyond the public interface. */
export interface ManagedSshHost extends SshHost {
  /** Re-resolves the config; drops the connection if its route changed. */
  reconfigure(): void
  /** Channel queue figures of the live connection (for tests and diagnostics). */
  channelStats(): ChannelStats | null
}

export interface ChannelStats {
  /** Session channels (exec, streams). */
  active: number
  waiting: number
  peak: number
  forwards: { active: number; waiting: number; peak: number }
}

interface Live extends ChannelHost {
  dialed: Dialed
  routeKey: string
  connectedAt: number
  lastRx: number
  monitor: NodeJS.Timeout
  dead: boolean
  intentional: boolean
}

function routeKey(r: SshRoute): string {
  return JSON.stringify([...r.hops, r.target].map((h) => ({ ...h, warnings: undefined })))
}

function routeText(r: SshRoute): string {
  const t = r.target
  const via = r.hops.length > 0 ? ` via ${r.hops.map((h) => h.alias).join(', ')}` : ''
  return `${t.user}@${t.hostName}:${t.port}${via}`
}

/**
 * The line for a structured command, run with `exec` so the program replaces the login shell:
 * sshd delivers a channel's KILL only to the process it started, and a shell in between would
 * leave the program running (a `tail -f` forever). `{line}` commands are sent as built.
 */
export function execLine(cmd: RemoteCommand): string {
  // `cd DIR && VAR='v' exec prog args…`: assignments before `exec` reach the program.
  return buildCommandLine({ ...cmd, argv: ['exec', ...cmd.argv] })
}

function toLine(cmd: SshCommand): string {
  try {
    const line = 'line' in cmd ? cmd.line : execLine(cmd)
    if (typeof line !== 'string' || line.trim() === '' || line.includes('\0')) throw new UnsafeArgumentError('empty command line or NUL byte')
    return line
  } catch (err) {
    throw new MinerDeskError({ code: 'invalid-input', message: `refused to build the remote command: ${errorMessage(err)}` })
  }
}

/** Waits for `p`, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(e)
      }
    )
  })
}

class SshConnection implements ManagedSshHost {
  readonly alias: string
  private state: ConnectionInfo
  private readonly listeners = new Set<(info: ConnectionInfo) => void>()
  private live: Live | null = null
  private pending: Promise<Live> | null = null
  /** The failure a retry cannot fix; commands fail with it until connect() is called. */
  private sticky: MinerDeskError | null = null
  private attempts = 0
  private outageStart = 0
  private retryTimer: NodeJS.Timeout | null = null
  private closing: AbortController = new AbortController()
  /** The config changed while an attempt was under way: check its route once it connects. */
  private recheck = false
  private readonly maxChannels: number
  private readonly maxForwards: number
  private readonly keepaliveDefault: number
  /** Aliases on the route whose config says StrictHostKeyChecking no. */
  private checkingOff: string[] = []
  private readonly deadAfter: number
  private readonly connectTimeout: number
  private readonly backoff: BackoffPolicy

  constructor(private readonly o: SshHostOptions) {
    this.alias = o.alias
    this.maxChannels = o.maxChannels ?? DEFAULT_MAX_CHANNELS
    this.maxForwards = o.maxForwards ?? DEFAULT_MAX_FORWARDS
    this.keepaliveDefault = o.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS
    this.deadAfter = o.deadAfterMs ?? DEFAULT_DEAD_AFTER_MS
    this.connectTimeout = o.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    this.backoff = o.backoff ?? ((a, m) => reconnectDelay(a, m))
    this.state = { siteId: o.siteId, state: 'idle', since: Date.now(), detail: 'not connected yet' }
  }

  get info(): ConnectionInfo {
    return { ...this.state }
  }

  onState(listener: (info: ConnectionInfo) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private setState(state: ConnectionStateName, detail: string, extra: { attempt?: number; nextRetryAt?: number; hostKey?: HostKeyInfo } = {}): void {
    const since = state === this.state.state ? this.state.since : Date.now()
    this.state = { siteId: this.o.siteId, state, since, detail, ...extra, ...(this.checkingOff.length > 0 ? { hostKeyCheckingOff: this.checkingOff } : {}) }
    const snapshot = this.info
    for (const l of [...this.listeners]) {
      try {
        l(snapshot)
      } catch {
        // A listener's failure is its own; the connection carries on.
      }
    }
  }

  channelStats(): ChannelStats | null {
    return this.live ? { ...this.live.queue.stats, forwards: this.live.forwards.stats } : null
  }

  // --- connecting ---------------------------------------------------------------------------

  private ensure(kind: 'command' | 'explicit' | 'auto'): Promise<Live> {
    if (this.live) return Promise.resolve(this.live)
    if (this.pending) return this.pending
    if (this.sticky && kind !== 'explicit') return Promise.reject(this.sticky)
    // After close(), a command or connect() opens the host again; only automatic retries stay off.
    if (kind !== 'auto' && this.closing.signal.aborted) this.closing = new AbortController()
    this.sticky = null
    this.cancelRetry()
    const p = this.attempt().finally(() => {
      if (this.pending === p) this.pending = null
    })
    // Whoever asked may have stopped waiting (an aborted command); the outcome is in the state.
    p.catch(() => undefined)
    this.pending = p
    return p
  }

  private async attempt(): Promise<Live> {
    const signal = this.closing.signal
    let route: SshRoute
    try {
      route = this.o.resolve()
    } catch (err) {
      const e = err instanceof MinerDeskError ? err : new MinerDeskError({ code: 'ssh/config', message: errorMessage(err) })
      this.sticky = e
      this.setState('config-error', e.message)
      throw e
    }
    // Said on every state from now on: the operator's config turned host-key questions off.
    this.checkingOff = [...route.hops, route.target].filter((h) => h.strictHostKeyChecking === 'no').map((h) => h.alias)
    const target = routeText(route)
    const retrying = this.state.state === 'unreachable' || this.state.state === 'stale'
    if (retrying) this.setState(this.state.state, `reconnecting to ${target} (attempt ${this.attempts + 1})`, { attempt: this.attempts })
    else this.setState('connecting', `connecting to ${target}`)
    const warnings = [...route.hops, route.target].flatMap((h) => h.warnings)

    let dialed: Dialed
    let prompted = false
    for (let round = 0; ; round++) {
      try {
        dialed = await dial(route, {
          siteId: this.o.siteId,
          prompts: this.o.prompts,
          keyring: this.o.keyring,
          hostKeys: this.o.hostKeys,
          signal,
          agentSocket: this.o.agentSocket,
          timing: {
            keepaliveIntervalMs: this.keepaliveFor(route),
            keepaliveCountMax: Math.ceil(this.deadAfter / this.keepaliveFor(route)) + 2,
            connectTimeoutMs: this.connectTimeout
          },
          onPrompt: (kind, waiting, key) => {
            if (waiting) {
              prompted = true
              if (kind === 'host-key' && key) this.setState('host-key-unknown', `waiting for you to check the host key of ${key.host} (${key.fingerprint})`, { hostKey: key })
              else this.setState('passphrase-needed', `waiting for the passphrase of a key for ${target}`)
            } else if (!signal.aborted) this.setState('connecting', `connecting to ${target}`)
          }
        })
        break
      } catch (err) {
        // sshd drops logins that wait longer than LoginGraceTime (2 min): after the operator
        // answered a prompt, one immediate new attempt uses the answer instead of backing off.
        if (err instanceof DialFailure && err.kind === 'network' && prompted && round === 0 && !signal.aborted) {
          prompted = false
          continue
        }
        throw this.failed(err, target)
      }
    }
    if (signal.aborted) {
      dialed.close(false)
      throw new MinerDeskError({ code: 'cancelled', message: `connection to ${this.alias} was closed` })
    }
    return this.established(dialed, route, target, [...warnings, ...dialed.notes])
  }

  private keepaliveFor(route: SshRoute): number {
    const cfg = route.target.serverAliveIntervalMs
    return cfg !== null ? clampKeepalive(cfg) : this.keepaliveDefault
  }

  /** Turns a failed attempt into a state and the error commands see. */
  private failed(err: unknown, target: string): MinerDeskError {
    if (!(err instanceof DialFailure)) {
      const e = unreachableError(`connecting to ${target} failed: ${errorMessage(err)}`)
      this.scheduleRetry(e.message)
      return e
    }
    switch (err.kind) {
      case 'cancelled':
        return err.error
      case 'network':
        this.scheduleRetry(err.error.message)
        return err.error
      case 'auth':
        this.sticky = err.error
        this.setState('auth-failed', err.error.message)
        return err.error
      case 'host-key-changed':
      case 'host-key-unknown':
        this.sticky = err.error
        this.setState(err.kind, err.error.message, err.hostKey ? { hostKey: err.hostKey } : {})
        return err.error
    }
  }

  private scheduleRetry(why: string): void {
    if (this.closing.signal.aborted) return
    if (this.attempts === 0) this.outageStart = Date.now()
    this.attempts++
    const delay = this.backoff(this.attempts, Date.now() - this.outageStart)
    const nextRetryAt = Date.now() + delay
    this.setState('unreachable', `${why}; retrying in ${Math.max(1, Math.round(delay / 1000))} s`, { attempt: this.attempts, nextRetryAt })
    this.cancelRetry()
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.ensure('auto').catch(() => undefined)
    }, delay)
    this.retryTimer.unref()
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryTimer = null
  }

  private established(dialed: Dialed, route: SshRoute, target: string, notes: string[]): Live {
    const keepalive = this.keepaliveFor(route)
    const live: Live = {
      alias: this.alias,
      client: dialed.target,
      queue: new ChannelQueue(this.maxChannels),
      forwards: new ChannelQueue(this.maxForwards),
      dialed,
      routeKey: routeKey(route),
      connectedAt: Date.now(),
      lastRx: Date.now(),
      dead: false,
      intentional: false,
      isDead: () => live.dead,
      monitor: setInterval(() => this.watch(live, keepalive, target), Math.max(100, Math.min(1000, keepalive / 4)))
    }
    live.monitor.unref()
    dialed.transport.on('data', () => {
      live.lastRx = Date.now()
    })
    dialed.onClose((why) => this.lost(live, why))
    this.live = live
    if (this.recheck) {
      this.recheck = false
      queueMicrotask(() => this.reconfigure())
    }
    const detail = notes.length > 0 ? `connected to ${target} (${notes.join('; ')})` : `connected to ${target}`
    this.setState('connected', detail)
    return live
  }

  /** Keepalive watch: silence beyond 1.5 intervals is `stale`; beyond deadAfter the link is dropped. */
  private watch(live: Live, keepalive: number, target: string): void {
    if (live.dead) return
    const silent = Date.now() - live.lastRx
    if (silent > this.deadAfter) {
      live.dialed.close(false)
      this.lost(live, `no answer from ${target} for ${Math.round(silent / 1000)} s (keepalive)`)
    } else if (silent > keepalive * 1.5) {
      if (this.state.state !== 'stale') this.setState('stale', `no answer from ${target} for ${Math.round(silent / 1000)} s`)
    } else if (this.state.state === 'stale') {
      this.setState('connected', `connected to ${target} (answering again)`)
    }
  }

  private lost(live: Live, why: string): void {
    if (live.dead) return
    live.dead = true
    clearInterval(live.monitor)
    if (this.live === live) this.live = null
    live.queue.failAll(unreachableError(`connection to ${this.alias} lost before the command was sent: ${why}`))
    live.forwards.failAll(unreachableError(`connection to ${this.alias} lost before the tunnel opened: ${why}`))
    if (live.intentional) return
    // A connection that lived a while starts a fresh backoff; one that keeps dropping does not.
    if (Date.now() - live.connectedAt >= STABLE_AFTER_MS) this.attempts = 0
    this.scheduleRetry(`connection lost: ${why}`)
  }

  private drop(live: Live): void {
    live.intentional = true
    live.dialed.close(true)
    this.lost(live, 'closed by MinerDesk')
  }

  // --- public API -----------------------------------------------------------------------------

  async connect(): Promise<void> {
    await this.ensure('explicit')
  }

  /** A signal that aborts on the caller's signal or the timeout, with a MinerDeskError reason. */
  private stopSignal(what: string, opts: { timeoutMs?: number; signal?: AbortSignal }): { signal: AbortSignal; done: () => void; describe: () => { reason: 'timeout' | 'aborted'; message: string } } {
    const ac = new AbortController()
    let reason: 'timeout' | 'aborted' = 'aborted'
    // The reason is what callers see when the command never started (waiting to connect or for a channel).
    const onAbort = (): void => {
      reason = 'aborted'
      ac.abort(new MinerDeskError({ code: 'cancelled', message: `${what} on ${this.alias} was cancelled before it was sent` }))
    }
    if (opts.signal?.aborted) onAbort()
    else opts.signal?.addEventListener('abort', onAbort, { once: true })
    let timer: NodeJS.Timeout | null = null
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0 && !ac.signal.aborted) {
      timer = setTimeout(() => {
        reason = 'timeout'
        ac.abort(new MinerDeskError({ code: 'ssh/timeout', message: `${what} on ${this.alias} timed out after ${opts.timeoutMs} ms before it was sent` }))
      }, opts.timeoutMs)
      timer.unref()
    }
    return {
      signal: ac.signal,
      done: () => {
        if (timer) clearTimeout(timer)
        opts.signal?.removeEventListener('abort', onAbort)
      },
      describe: () => ({
        reason,
        message:
          reason === 'timeout'
            ? `${what} on ${this.alias} timed out after ${opts.timeoutMs} ms; MinerDesk sent KILL and closed the channel`
            : `${what} on ${this.alias} was cancelled; MinerDesk sent KILL and closed the channel`
      })
    }
  }

  async exec(cmd: SshCommand, opts: ExecOptions = {}): Promise<ExecResult> {
    const line = toLine(cmd)
    const stop = this.stopSignal('the command', opts)
    try {
      const live = await raceAbort(this.ensure('command'), stop.signal)
      return await runExec(live, line, opts, stop.signal, stop.describe)
    } finally {
      stop.done()
    }
  }

  async execStream(cmd: SshCommand, opts: { signal?: AbortSignal } = {}): Promise<ExecStream> {
    const line = toLine(cmd)
    const stop = this.stopSignal('the command', opts)
    try {
      const live = await raceAbort(this.ensure('command'), stop.signal)
      return await runExecStream(live, line, opts.signal)
    } finally {
      stop.done()
    }
  }

  async forwardOut(host: string, port: number, opts: { signal?: AbortSignal } = {}): Promise<Duplex> {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new MinerDeskError({ code: 'invalid-input', message: `bad port ${port}` })
    if (typeof host !== 'string' || host === '' || /[\s\0]/.test(host)) throw new MinerDeskError({ code: 'invalid-input', message: `bad host ${JSON.stringify(host)}` })
    const stop = this.stopSignal(`the tunnel to ${host}:${port}`, opts)
    try {
      const live = await raceAbort(this.ensure('command'), stop.signal)
      return await openForward(live, host, port, stop.signal)
    } finally {
      stop.done()
    }
  }

  async close(): Promise<void> {
    this.closing.abort()
    this.cancelRetry()
    this.attempts = 0
    const live = this.live
    if (live) this.drop(live)
    const pending = this.pending
    if (pending) await pending.then(() => undefined, () => undefined)
    this.setState('idle', 'closed')
  }

  reconfigure(): void {
    let key: string | null = null
    try {
      key = routeKey(this.o.resolve())
    } catch {
      key = null
    }
    const live = this.live
    if (!live && this.pending) {
      this.recheck = true
      return
    }
    const changed = live ? live.routeKey !== key : true
    if (!changed) return
    // A new config may fix what made the last attempt fail.
    this.sticky = null
    this.attempts = 0
    this.cancelRetry()
    if (live) {
      this.drop(live)
      this.setState('idle', 'the SSH config changed; reconnecting')
      this.ensure('auto').catch(() => undefined)
    } else if (this.state.state !== 'idle' && !this.pending && !this.closing.signal.aborted) {
      this.setState('idle', 'the SSH config changed; connecting on next use')
    }
  }
}

export function createSshHost(o: SshHostOptions): ManagedSshHost {
  return new SshConnection(o)
}
