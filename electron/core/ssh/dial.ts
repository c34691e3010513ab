import { connect as netConnect } from 'node:net'
import type { Duplex } from 'node:stream'
import { Client, type ClientChannel } from 'ssh2'
import { MinerDeskError, type HostKeyInfo } from '../../../preload/contract'
import { createAuthSession } from './auth'
import type { ResolvedHost, SshRoute } from './config'
import { errorMessage, unreachableError } from './errors'
import { preferredHostKeyAlgorithms } from './hostKey'
import { verifyHostKey, type HostKeyMemory, type HostKeyOutcome } from './hostVerify'
import type { KeyRing } from './keyring'
import { knownKeyTypes } from './knownHosts'
import { PausableDeadline } from './timer'
import type { SshPrompts } from './types'

/**
 * Opening one SSH connection along a route: TCP to the first hop, then for each further hop a
 * direct-tcpip channel through the previous one used as the next client's socket. Every hop's
 * host key is checked before its authentication starts.
 */

export type DialFailureKind = 'network' | 'auth' | 'host-key-changed' | 'host-key-unknown' | 'cancelled'

export class DialFailure extends Error {
  constructor(
    readonly kind: DialFailureKind,
    readonly error: MinerDeskError,
    /** The hop (alias) that failed. */
    readonly hop: string,
    readonly hostKey?: HostKeyInfo
  ) {
    super(error.message)
    this.name = 'DialFailure'
  }
}

export interface DialTiming {
  keepaliveIntervalMs: number
  keepaliveCountMax: number
  /** Used when the hop's config has no ConnectTimeout. */
  connectTimeoutMs: number
}

export interface DialContext {
  siteId: string
  prompts: SshPrompts
  keyring: KeyRing
  hostKeys: HostKeyMemory
  timing: DialTiming
  /** Aborts the attempt (the host was closed meanwhile). */
  signal: AbortSignal
  onPrompt(kind: 'host-key' | 'passphrase', waiting: boolean, key?: HostKeyInfo): void
  agentSocket?: string
}

export interface Dialed {
  clients: Client[]
  target: Client
  /** The stream the target client reads from (to notice silence). */
  transport: Duplex
  /** Things worth telling the operator (a host key saved, a save that failed). */
  notes: string[]
  /** Called once, when any client of the chain closes. */
  onClose(cb: (why: string) => void): void
  /** Ends the chain (gracefully: SSH disconnect; else: sockets destroyed). */
  close(graceful: boolean): void
}

function describe(hop: ResolvedHost): string {
  return `${hop.user}@${hop.hostName}:${hop.port}`
}

function networkMessage(hop: ResolvedHost, err: Error | null): string {
  const where = `${hop.hostName}:${hop.port} (${hop.alias})`
  const code = (err as NodeJS.ErrnoException | null)?.code
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}: sshd is not listening`
    case 'ETIMEDOUT':
      return `connection to ${where} timed out`
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${where}`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name ${hop.hostName} (${hop.alias}) could not be resolved`
    case 'ECONNRESET':
      return `connection to ${where} was reset`
    default:
      return err ? `${where}: ${err.message}` : `${where} closed the connection before login completed`
  }
}

/** A direct-tcpip channel from `via` to hop, to carry the next SSH connection. */
function tunnel(via: Client, viaHop: ResolvedHost, hop: ResolvedHost): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    const fail = (err: unknown): void =>
      reject(unreachableError(`jump host ${viaHop.alias} could not reach ${hop.hostName}:${hop.port} (${hop.alias}): ${errorMessage(err).replace('(SSH) Channel open failure: ', '')}`))
    try {
      via.forwardOut('127.0.0.1', 0, hop.hostName, hop.port, (err, stream) => (err ? fail(err) : resolve(stream)))
    } catch (err) {
      fail(err)
    }
  })
}

function handshake(hop: ResolvedHost, sockOrTunnel: Duplex | Promise<Duplex>, ctx: DialContext, notes: string[]): Promise<{ client: Client; transport: Duplex }> {
  return new Promise((resolve, reject) => {
    const client = new Client()
    let settled = false
    let lastError: Error | null = null
    let transport: Duplex | null = null
    // While the operator is being asked, the connection may close (sshd's LoginGraceTime). The
    // failure then waits for the answer, so the next attempt can use it instead of asking again.
    let prompting = 0
    let closedDuringPrompt = false
    const promptState = (waiting: boolean): void => {
      if (waiting) {
        prompting++
        deadline.pause()
        return
      }
      prompting--
      deadline.resume()
      // Let the code that asked store the answer first (it runs on after this hook returns).
      if (prompting === 0 && closedDuringPrompt) setImmediate(() => fail(new DialFailure('network', unreachableError(`${hop.hostName}:${hop.port} (${hop.alias}) closed the login while MinerDesk waited for you`), hop.alias)))
    }
    const auth = createAuthSession(
      hop,
      ctx.keyring,
      ctx.siteId,
      {
        onPrompt: (waiting) => {
          promptState(waiting)
          ctx.onPrompt('passphrase', waiting)
        }
      },
      ctx.agentSocket
    )
    const fail = (f: DialFailure): void => {
      if (settled) return
      settled = true
      deadline.clear()
      auth.cancel()
      ctx.signal.removeEventListener('abort', onAbort)
      client.destroy()
      transport?.destroy()
      reject(f)
    }
    const timeoutMs = hop.connectTimeoutMs ?? ctx.timing.connectTimeoutMs
    const deadline = new PausableDeadline(timeoutMs, () =>
      fail(new DialFailure('network', unreachableError(`no SSH answer from ${hop.hostName}:${hop.port} (${hop.alias}) within ${Math.round(timeoutMs / 1000)} s`), hop.alias))
    )
    const onAbort = (): void => fail(new DialFailure('cancelled', new MinerDeskError({ code: 'cancelled', message: `connecting to ${hop.alias} was cancelled` }), hop.alias))
    if (ctx.signal.aborted) return onAbort()
    ctx.signal.addEventListener('abort', onAbort, { once: true })

    client.on('error', (err: Error) => {
      // ssh2 also reports recoverable trouble (an agent that cannot be reached) as 'error';
      // the outcome is decided on 'ready' or 'close'.
      lastError = err
    })
    client.on('ready', () => {
      if (settled) return
      settled = true
      deadline.clear()
      ctx.signal.removeEventListener('abort', onAbort)
      resolve({ client, transport: transport as Duplex })
    })
    client.on('close', () => {
      if (settled) return
      if (prompting > 0) {
        closedDuringPrompt = true
        auth.cancel()
        return
      }
      // The server may also end the login itself ("Too many authentication failures").
      const serverGaveUp = auth.started && /authentication/i.test((lastError as Error | null)?.message ?? '')
      if (auth.exhausted || serverGaveUp) {
        let tried = auth.tried.length > 0 ? auth.tried.join('; ') : 'no key: no ssh-agent and no IdentityFile found'
        if (serverGaveUp && !auth.exhausted) tried += ` (the server stopped the login: ${(lastError as Error | null)?.message})`
        fail(
          new DialFailure(
            'auth',
            new MinerDeskError({
              code: 'ssh/auth-failed',
              message: `authentication as ${describe(hop)} (${hop.alias}) failed. Tried: ${tried}.`,
              hint: 'Load the key into ssh-agent or name it with IdentityFile in your SSH config, and check authorized_keys on the host. MinerDesk tries again when you reconnect.',
              params: { alias: hop.alias, user: hop.user, host: hop.hostName }
            }),
            hop.alias
          )
        )
      } else {
        fail(new DialFailure('network', unreachableError(networkMessage(hop, lastError)), hop.alias))
      }
    })

    const hostVerifier = (blob: Buffer, verify: (ok: boolean) => void): void => {
      const vctx = {
        siteId: ctx.siteId,
        prompts: ctx.prompts,
        memory: ctx.hostKeys,
        onPrompt: (waiting: boolean, key: HostKeyInfo) => {
          promptState(waiting)
          ctx.onPrompt('host-key', waiting, key)
        }
      }
      verifyHostKey(hop, blob, vctx).then(
        (o: HostKeyOutcome) => {
          if (settled) return verify(false)
          if (o.ok) {
            if (o.saved) notes.push(`added the host key of ${hop.alias} to ${o.saved}`)
            if (o.saveError) notes.push(`host key of ${hop.alias} accepted but not saved: ${o.saveError}`)
            return verify(true)
          }
          verify(false)
          fail(new DialFailure(o.state, o.error, hop.alias, o.key))
        },
        (err: unknown) => {
          verify(false)
          fail(new DialFailure('host-key-changed', new MinerDeskError({ code: 'ssh/host-key-changed', message: `checking the host key of ${hop.alias} failed: ${errorMessage(err)}` }), hop.alias))
        }
      )
    }

    Promise.resolve(sockOrTunnel).then(
      (sock) => {
        transport = sock
        if (settled) return void sock.destroy()
        const knownTypes = knownKeyTypes([...hop.userKnownHostsFiles, ...hop.globalKnownHostsFiles], hop.hostName, hop.port)
        try {
          client.connect({
            sock,
            username: hop.user,
            readyTimeout: 0,
            keepaliveInterval: ctx.timing.keepaliveIntervalMs,
            keepaliveCountMax: ctx.timing.keepaliveCountMax,
            hostVerifier,
            authHandler: auth.handler,
            algorithms: { serverHostKey: preferredHostKeyAlgorithms(knownTypes) }
          })
        } catch (err) {
          fail(new DialFailure('network', unreachableError(`cannot start SSH to ${hop.alias}: ${errorMessage(err)}`), hop.alias))
        }
      },
      (err: unknown) => fail(new DialFailure('network', err instanceof MinerDeskError ? err : unreachableError(errorMessage(err)), hop.alias))
    )
  })
}

export async function dial(route: SshRoute, ctx: DialContext): Promise<Dialed> {
  const hops = [...route.hops, route.target]
  const clients: Client[] = []
  const notes: string[] = []
  let transport: Duplex | null = null
  try {
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i] as ResolvedHost
      let sock: Duplex | Promise<Duplex>
      if (i === 0) {
        const s = netConnect({ host: hop.hostName, port: hop.port })
        // ssh2 adds its own listener once the handshake starts; until then nothing may go unheard.
        s.on('error', () => undefined)
        s.setNoDelay(true)
        sock = s
      } else {
        sock = tunnel(clients[i - 1] as Client, hops[i - 1] as ResolvedHost, hop)
      }
      const r = await handshake(hop, sock, ctx, notes)
      clients.push(r.client)
      transport = r.transport
    }
  } catch (err) {
    for (const c of clients.reverse()) c.destroy()
    throw err
  }
  const target = clients[clients.length - 1] as Client
  let closeCb: ((why: string) => void) | null = null
  // Set when the chain closed before anyone subscribed (reported on subscription).
  let closedWhy: string | null = null
  const lastErrors = new Map<Client, string>()
  clients.forEach((c, i) => {
    const alias = (hops[i] as ResolvedHost).alias
    c.on('error', (err: Error) => lastErrors.set(c, err.message))
    c.on('close', () => {
      if (closedWhy !== null) return
      const why = lastErrors.get(c)
      closedWhy = i === clients.length - 1 ? (why ?? `${alias} closed the connection`) : `jump host ${alias}: ${why ?? 'connection closed'}`
      closeCb?.(closedWhy)
      for (const other of clients) if (other !== c) other.destroy()
    })
  })
  return {
    clients,
    target,
    transport: transport as Duplex,
    notes,
    onClose(cb) {
      closeCb = cb
      if (closedWhy !== null) cb(closedWhy)
    },
    close(graceful) {
      for (const c of [...clients].reverse()) {
        if (graceful) c.end()
        else c.destroy()
      }
    }
  }
}
