import { MinerDeskError, type ErrorInfo, type Result } from '../../../preload/contract'
import type { SshHost } from '../ssh/types'
import { discoverEndpoints, type Discovery, type LotusEndpoint, type NodeKind } from './discover'
import { FullNodeApi } from './fullApi'
import { MinerApi } from './minerApi'
import { RpcClient, type CallOptions, type RpcCall, type RpcStats, type RpcTarget } from './rpc'
import type { RpcTransport } from './shapes'
import { sameToken } from './token'
import type { VersionInfo } from '../../../preload/contract/lotus/types'
import { checkVersions } from './versions'

/**
 * Lotus at one site: the SSH host, the endpoints discovered on it, and the daemon and miner
 * APIs. `full` and `miner` can be used at any time: the first call discovers the endpoints.
 *
 * When a call fails because the API moved — nothing listens any more on the old port, or a
 * 401 after a restart wrote a new token — the endpoints are discovered again so that the NEXT
 * call goes to the right place. The failed call itself is not repeated (rediscovery is not a
 * retry). A node whose discovery failed (no api file: not running) is looked up again on a
 * later call, at most once per `rediscoverIntervalMs`.
 */

export interface SiteLotusOptions {
  host: SshHost
  callTimeoutMs?: number
  discoverTimeoutMs?: number
  /** Minimum time between two discoveries made because of failures (ms), default 5 s. */
  rediscoverIntervalMs?: number
  maxStreams?: number
  idleMs?: number
  now?: () => number
  /** Factory for RPC clients (tests pass TLS options through it). */
  makeClient?: (host: SshHost, endpoint: LotusEndpoint, opts: { timeoutMs?: number; maxStreams?: number; idleMs?: number }) => RpcClient
}

export interface VersionCheck {
  session: string
  daemon: VersionInfo
  miner: VersionInfo
  /** `lotus/version-too-old` when either is below MinerDesk's minimum. */
  problem: ErrorInfo | null
}

export interface SiteLotusStats {
  discoveries: number
  daemon: RpcStats | null
  miner: RpcStats | null
}

/**
 * Failures that mean "the API may no longer be where we think it is": nothing listens, the
 * token was refused (a restart writes a new one), or the stream died under a call.
 */
const MOVED = new Set(['lotus/daemon-down', 'lotus/miner-down', 'lotus/unauthorized'])
function apiMoved(err: { code: string; params?: Record<string, string | number> }): boolean {
  return MOVED.has(err.code) || (err.code === 'lotus/rpc' && err.params?.['reason'] === 'connection-lost')
}

function sameEndpoint(a: RpcTarget, b: RpcTarget): boolean {
  return a.host === b.host && a.port === b.port && a.tls === b.tls && a.basePath === b.basePath && sameToken(a.token, b.token)
}

export class SiteLotus {
  readonly host: SshHost
  readonly full: FullNodeApi
  readonly miner: MinerApi
  private readonly opts: SiteLotusOptions
  private readonly now: () => number
  private current: Discovery | null = null
  private discoveredAt = 0
  private stale = true
  private inflight: Promise<Discovery> | null = null
  private readonly clients: Record<NodeKind, RpcClient | null> = { daemon: null, miner: null }
  private versionCache: VersionCheck | null = null
  private discoveries = 0
  private closed = false
  private readonly unsubscribe: () => void

  constructor(opts: SiteLotusOptions) {
    this.opts = opts
    this.host = opts.host
    this.now = opts.now ?? Date.now
    this.full = new FullNodeApi(this.transport('daemon'))
    this.miner = new MinerApi(this.transport('miner'))
    // After the SSH connection came back (the machine may have rebooted, Lotus restarted on
    // other ports), look the endpoints up again before trusting them.
    let wasConnected = opts.host.info.state === 'connected'
    this.unsubscribe = opts.host.onState((info) => {
      const connected = info.state === 'connected'
      if (connected && !wasConnected) this.markStale()
      wasConnected = connected
    })
  }

  /** The last discovery (tokens are ApiToken: they never print). */
  get endpoints(): Discovery | null {
    return this.current
  }

  stats(): SiteLotusStats {
    return { discoveries: this.discoveries, daemon: this.clients.daemon?.stats ?? null, miner: this.clients.miner?.stats ?? null }
  }

  /** Discovers the endpoints if never done, or if marked stale (rate-limited). */
  async ensureEndpoints(o: CallOptions = {}): Promise<Discovery> {
    if (this.current && !this.stale) return this.current
    if (this.current && this.inflight === null && this.now() - this.discoveredAt < (this.opts.rediscoverIntervalMs ?? 5000)) return this.current
    return this.rediscover(o)
  }

  /** Discovers the endpoints now (one remote command; concurrent callers share it). */
  rediscover(o: CallOptions = {}): Promise<Discovery> {
    if (this.closed) return Promise.reject(new MinerDeskError({ code: 'cancelled', message: 'the site was closed' }))
    if (this.inflight) return this.inflight
    const run = async (): Promise<Discovery> => {
      try {
        this.discoveries++
        const d = await discoverEndpoints(this.host, {
          ...(o.signal ? { signal: o.signal } : {}),
          timeoutMs: this.opts.discoverTimeoutMs ?? 20_000
        })
        if (this.closed) throw new MinerDeskError({ code: 'cancelled', message: 'the site was closed' })
        this.apply(d)
        return d
      } catch (err) {
        this.stale = true
        this.discoveredAt = this.now()
        throw err
      } finally {
        this.inflight = null
      }
    }
    this.inflight = run()
    return this.inflight
  }

  private apply(d: Discovery): void {
    this.current = d
    this.discoveredAt = this.now()
    this.stale = !d.daemon.ok || !d.miner.ok
    for (const node of ['daemon', 'miner'] as const) {
      const r = d[node]
      const old = this.clients[node]
      if (r.ok && old && sameEndpoint(r.endpoint, old.target)) continue
      old?.close()
      this.clients[node] = r.ok ? this.makeClient(r.endpoint) : null
    }
  }

  private makeClient(ep: LotusEndpoint): RpcClient {
    const o = {
      ...(this.opts.callTimeoutMs !== undefined ? { timeoutMs: this.opts.callTimeoutMs } : {}),
      ...(this.opts.maxStreams !== undefined ? { maxStreams: this.opts.maxStreams } : {}),
      ...(this.opts.idleMs !== undefined ? { idleMs: this.opts.idleMs } : {})
    }
    if (this.opts.makeClient) return this.opts.makeClient(this.host, ep, o)
    return new RpcClient({ ssh: this.host, target: ep, ...o })
  }

  /** Marks the endpoints for rediscovery at the next call (after an SSH reconnect, say). */
  markStale(): void {
    this.stale = true
    this.discoveredAt = 0
  }

  private async clientFor(node: NodeKind, o: CallOptions): Promise<RpcClient> {
    const d = await this.ensureEndpoints(o)
    const r = d[node]
    if (!r.ok) throw new MinerDeskError(r.error)
    const client = this.clients[node]
    if (!client) throw new MinerDeskError({ code: 'internal', message: `no ${node} client after discovery` })
    return client
  }

  private async afterFailure(err: unknown, o: CallOptions): Promise<void> {
    const code = err instanceof MinerDeskError ? err.code : ''
    if (err instanceof MinerDeskError && apiMoved(err)) {
      this.markStale()
      // Rediscover before the failure is reported, so that the next call already goes to the
      // new place. Its own failure (e.g. SSH gone too) is not this call's error.
      await this.rediscover(o).catch(() => undefined)
    } else if (code.startsWith('ssh/')) {
      this.stale = true
    }
  }

  private transport(node: NodeKind): RpcTransport {
    return {
      call: async (method: string, params: unknown[], o: CallOptions = {}) => {
        const client = await this.clientFor(node, o)
        try {
          return await client.call(method, params, o)
        } catch (err) {
          await this.afterFailure(err, o)
          throw err
        }
      },
      batch: async (calls: readonly RpcCall[], o: CallOptions = {}): Promise<Result<unknown>[]> => {
        const client = await this.clientFor(node, o)
        try {
          const results = await client.batch(calls, o)
          const moved = results.find((r) => !r.ok && apiMoved(r.error))
          if (moved && !moved.ok) await this.afterFailure(new MinerDeskError(moved.error), o)
          return results
        } catch (err) {
          await this.afterFailure(err, o)
          throw err
        }
      }
    }
  }

  /**
   * Versions of both nodes, fetched once per miner Session (a new session = the miner
   * restarted, maybe upgraded). `problem` is set when either is too old.
   */
  async versionCheck(o: CallOptions = {}): Promise<VersionCheck> {
    const session = await this.miner.session(o)
    if (this.versionCache && this.versionCache.session === session) return this.versionCache
    const [daemon, miner] = await Promise.all([this.full.version(o), this.miner.version(o)])
    this.versionCache = { session, daemon, miner, problem: checkVersions(daemon, miner, this.host.alias) }
    return this.versionCache
  }

  /** Throws `lotus/version-too-old` before a mutation on a Lotus MinerDesk does not support. */
  async assertCompatible(o: CallOptions = {}): Promise<void> {
    const v = await this.versionCheck(o)
    if (v.problem) throw new MinerDeskError(v.problem)
  }

  async close(): Promise<void> {
    this.closed = true
    this.unsubscribe()
    for (const node of ['daemon', 'miner'] as const) {
      this.clients[node]?.close()
      this.clients[node] = null
    }
  }
}
