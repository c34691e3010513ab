import type { Duplex } from 'node:stream'
import type { Client, ClientChannel } from 'ssh2'
import { MinerDeskError } from '../../../preload/contract'
import type { ChannelQueue } from './channelQueue'
import { errorMessage, unreachableError } from './errors'
import type { ExecOptions, ExecResult, ExecStream } from './types'

/**
 * Channels on one live connection: exec with collected output, exec with live streams, and
 * direct-tcpip forwards. Each holds a slot of its queue while its channel is open: sessions (exec)
 * in `queue`, which sshd's MaxSessions (10) limits; forwards in `forwards`, which it does not.
 * Kept apart so that API streams held by a hung node (or kept alive while idle) can never keep a
 * command such as `kill` from being sent.
 */

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024

/** What a channel needs from the connection it runs on. */
export interface ChannelHost {
  alias: string
  client: Client
  queue: ChannelQueue
  forwards: ChannelQueue
  /** True once the connection has closed (a channel closing then means it broke). */
  isDead(): boolean
}

/** Why a command was stopped by MinerDesk; carries what the command had written so far. */
export class ExecInterruptedError extends MinerDeskError {
  constructor(
    readonly reason: 'timeout' | 'aborted',
    message: string,
    readonly partial: ExecResult
  ) {
    super({ code: reason === 'timeout' ? 'ssh/timeout' : 'cancelled', message, ...(partial.stderr ? { details: partial.stderr.slice(-4000) } : {}) })
  }
}

function channelError(host: ChannelHost, what: string, err: unknown): MinerDeskError {
  if (host.isDead()) return unreachableError(`connection to ${host.alias} lost before ${what} could start`)
  return new MinerDeskError({ code: 'ssh/command-failed', message: `${host.alias}: could not open a channel for ${what}: ${errorMessage(err)}` })
}

/** How a command ended, as the channel reported it. */
interface ExitInfo {
  exited: boolean
  code: number | null
  signal: string | null
}

/**
 * Opens an exec channel. The exit listener is attached inside ssh2's callback: the exit report
 * can arrive in the same packet batch as the channel's success, before any awaiting code runs.
 */
function openExec(host: ChannelHost, line: string): Promise<{ ch: ClientChannel; exit: ExitInfo }> {
  return new Promise((resolve, reject) => {
    try {
      host.client.exec(line, (err, ch) => {
        if (err) return reject(channelError(host, 'the command', err))
        const exit: ExitInfo = { exited: false, code: null, signal: null }
        ch.on('exit', (c: number | null, sig?: string) => {
          exit.exited = true
          exit.code = typeof c === 'number' ? c : null
          exit.signal = typeof sig === 'string' ? sig : null
        })
        ch.on('error', () => undefined)
        ch.stderr.on('error', () => undefined)
        resolve({ ch, exit })
      })
    } catch (err) {
      reject(channelError(host, 'the command', err))
    }
  })
}

class Collector {
  private readonly chunks: Buffer[] = []
  private bytes = 0
  truncated = false
  constructor(private readonly cap: number) {}
  push(b: Buffer): void {
    if (this.bytes >= this.cap) {
      this.truncated = true
      return
    }
    const room = this.cap - this.bytes
    const part = b.length > room ? b.subarray(0, room) : b
    if (part.length < b.length) this.truncated = true
    this.chunks.push(part)
    this.bytes += part.length
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8')
  }
}

/** The parts of an ssh2 channel that sending a signal needs (ssh2 1.x internals). */
interface ChannelInternals {
  type?: string
  outgoing?: { id: number; state: string }
  _client?: { _protocol?: { signal(id: number, name: string): void } }
}

/**
 * Sends a "signal" channel request. ssh2's Channel.signal() refuses once stdin is closed (it
 * checks `writable`), but RFC 4254 allows requests after EOF and every command's stdin is
 * closed, so the request goes to ssh2's protocol object directly.
 */
function sendSignal(ch: ClientChannel, name: string): void {
  const c = ch as unknown as ChannelInternals
  const out = c.outgoing
  if (c.type !== 'session' || !out || (out.state !== 'open' && out.state !== 'eof')) return
  if (typeof c._client?._protocol?.signal !== 'function') throw new Error('this ssh2 version cannot send signals')
  c._client._protocol.signal(out.id, name)
}

/** How long a killed command may take to report its end before the channel is closed anyway. */
export const KILL_GRACE_MS = 1000

/**
 * Ends the remote command: KILL (sshd delivers it to the process it started), then the channel
 * is closed once the exit is reported, or after KILL_GRACE_MS (closing at once would make sshd
 * drop the exit report).
 */
function killChannel(ch: ClientChannel): void {
  try {
    sendSignal(ch, 'KILL')
  } catch {
    // The channel may already be closing.
  }
  const timer = setTimeout(() => {
    try {
      ch.close()
    } catch {
      // Already closed.
    }
  }, KILL_GRACE_MS)
  timer.unref()
  ch.once('close', () => clearTimeout(timer))
}

/** A slot of the command queue and an exec channel in it; the slot goes back if the channel cannot be opened. */
async function openQueuedExec(host: ChannelHost, line: string, stop: AbortSignal | undefined): Promise<{ ch: ClientChannel; exit: ExitInfo; release: () => void }> {
  const release = await host.queue.acquire(stop)
  try {
    return { ...(await openExec(host, line)), release }
  } catch (err) {
    release()
    throw err
  }
}

/**
 * Runs one command line. `stop` aborts it (reason 'timeout' or 'aborted' in its reason): waiting
 * for a slot it just gives up; running, it sends KILL and closes the channel.
 */
export async function runExec(host: ChannelHost, line: string, opts: ExecOptions, stop: AbortSignal, stopMessage: () => { reason: 'timeout' | 'aborted'; message: string }): Promise<ExecResult> {
  const { ch, exit, release } = await openQueuedExec(host, line, stop)
  const cap = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
  const out = new Collector(cap)
  const err = new Collector(cap)
  const result = (): ExecResult => ({ code: exit.code, signal: exit.signal, stdout: out.text(), stderr: err.text(), truncated: out.truncated || err.truncated })
  return new Promise<ExecResult>((resolve, reject) => {
    let settled = false
    const onStop = (): void => {
      if (settled) return
      settled = true
      killChannel(ch)
      const s = stopMessage()
      reject(new ExecInterruptedError(s.reason, s.message, result()))
    }
    if (stop.aborted) onStop()
    else stop.addEventListener('abort', onStop, { once: true })
    ch.on('data', (b: Buffer) => out.push(b))
    ch.stderr.on('data', (b: Buffer) => err.push(b))
    ch.on('close', () => {
      release()
      stop.removeEventListener('abort', onStop)
      if (settled) return
      settled = true
      if (!exit.exited && host.isDead()) {
        reject(unreachableError(`connection to ${host.alias} was lost while the command ran; it may or may not have finished`, err.text().slice(-4000) || undefined))
      } else resolve(result())
    })
    if (opts.stdin !== undefined) ch.end(opts.stdin)
    else ch.end()
  })
}

/** Runs one command line with its output as live streams (log tails). */
export async function runExecStream(host: ChannelHost, line: string, stop: AbortSignal | undefined): Promise<ExecStream> {
  const { ch, exit, release } = await openQueuedExec(host, line, stop)
  // ssh2 emits 'close' only after the streams ended, which needs them read: a killed stream is
  // drained so its queue slot comes back even if the caller stopped reading.
  const kill = (): void => {
    killChannel(ch)
    ch.resume()
    ch.stderr.resume()
  }
  const done = new Promise<ExecResult>((resolve, reject) => {
    ch.on('close', () => {
      release()
      stop?.removeEventListener('abort', kill)
      if (!exit.exited && host.isDead()) reject(unreachableError(`connection to ${host.alias} was lost while the command ran`))
      else resolve({ code: exit.code, signal: exit.signal, stdout: '', stderr: '', truncated: false })
    })
  })
  // Callers that only read the streams must not leave an unhandled rejection behind.
  done.catch(() => undefined)
  stop?.addEventListener('abort', kill, { once: true })
  ch.end()
  return { stdout: ch, stderr: ch.stderr, done, kill }
}

/** A direct-tcpip stream to host:port as seen from the remote machine. */
export async function openForward(host: ChannelHost, toHost: string, toPort: number, stop: AbortSignal | undefined): Promise<Duplex> {
  const release = await host.forwards.acquire(stop)
  return new Promise<Duplex>((resolve, reject) => {
    const fail = (err: unknown): void => {
      release()
      const msg = errorMessage(err).replace('(SSH) Channel open failure: ', '')
      const refused = /refused/i.test(msg) || (err as { reason?: unknown }).reason === 2
      if (host.isDead()) reject(unreachableError(`connection to ${host.alias} lost before the tunnel to ${toHost}:${toPort} opened`))
      else if (refused) {
        reject(new MinerDeskError({ code: 'ssh/command-failed', message: `connection refused: nothing listens on ${toHost}:${toPort} on ${host.alias}`, params: { host: toHost, port: toPort }, details: msg }))
      } else reject(new MinerDeskError({ code: 'ssh/command-failed', message: `${host.alias} could not open a tunnel to ${toHost}:${toPort}: ${msg}`, params: { host: toHost, port: toPort } }))
    }
    try {
      host.client.forwardOut('127.0.0.1', 0, toHost, toPort, (err, stream) => {
        if (err) return fail(err)
        stream.on('error', () => undefined)
        stream.on('close', release)
        // ssh2 emits 'close' only once the data was read; a caller that destroys the stream
        // without reading it must still give the slot back, so destroy() also drains.
        const destroy = stream.destroy.bind(stream)
        // (ssh2's destroy() takes no error: it ends and closes the channel.)
        stream.destroy = (() => {
          stream.resume()
          return destroy()
        }) as typeof stream.destroy
        resolve(stream)
      })
    } catch (err) {
      fail(err)
    }
  })
}
