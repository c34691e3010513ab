import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { goLogger } from '../../common/golog'
import { parseApiInfoString, parseMultiaddr } from '../../common/repo'
import { callRpc, RpcCallError, RpcTransportError, type ApiEndpoint } from '../../common/rpcClient'

/**
 * How the Lotus CLIs find and reach a node (cli/util/api.go), with their exact error texts:
 * `*_API_INFO` first, then the repo (`--repo`/`LOTUS_PATH`, `--miner-repo`/`LOTUS_MINER_PATH`,
 * `--worker-repo`/`LOTUS_WORKER_PATH`): `api` multiaddr + `token`. Calls go over HTTP POST; a
 * connection failure reads as the websocket dial (or HTTP POST) error Go prints.
 */

export type NodeKind = 'full' | 'miner' | 'worker'

const TYPE_NAME: Record<NodeKind, string> = { full: 'FullNode', miner: 'StorageMiner', worker: 'Worker' }
const ENV: Record<NodeKind, { primary: string; deprecated: string[] }> = {
  full: { primary: 'FULLNODE_API_INFO', deprecated: [] },
  miner: { primary: 'MINER_API_INFO', deprecated: ['STORAGE_API_INFO'] },
  worker: { primary: 'WORKER_API_INFO', deprecated: [] }
}

function expandHome(p: string): string {
  if (p === '~') return homedir()
  if (p.startsWith('~/')) return join(homedir(), p.slice(2))
  return resolve(p)
}

/** The repo path a CLI uses for a node kind, given its (global) repo flag value if any. */
export function repoFor(kind: NodeKind, flag?: string): string {
  if (flag) return expandHome(flag)
  const e = process.env
  switch (kind) {
    case 'full':
      return expandHome(e.LOTUS_PATH || '~/.lotus')
    case 'miner':
      return expandHome(e.LOTUS_MINER_PATH || e.LOTUS_STORAGE_PATH || '~/.lotusminer')
    case 'worker':
      return expandHome(e.LOTUS_WORKER_PATH || e.WORKER_PATH || '~/.lotusworker')
  }
}

export function repoExists(path: string): boolean {
  return existsSync(join(path, 'datastore')) || existsSync(join(path, 'keystore'))
}

export interface ApiInfo {
  addr: string
  token: string | null
}

/** GetAPIInfo: where the node is and which token to use, or Lotus's error. */
export function apiInfo(kind: NodeKind, repoFlag?: string): ApiInfo {
  const env = ENV[kind]
  const pick = (v: string) => {
    const first = v.split(',')[0] ?? v
    const p = parseApiInfoString(first)
    return { addr: p.addr, token: p.token }
  }
  const primary = process.env[env.primary]
  if (primary !== undefined) return pick(primary)
  for (const d of env.deprecated) {
    const v = process.env[d]
    if (v !== undefined) {
      goLogger('cliutil').warn('util/api.go:70', `Using deprecated env(${v}) value, please use env(${env.primary}) instead.`)
      return pick(v)
    }
  }
  const path = repoFor(kind, repoFlag)
  const fail = (m: string) => new Error(`could not get API info for ${TYPE_NAME[kind]}: ${m}`)
  if (!repoExists(path)) throw fail('repo directory does not exist. Make sure your configuration is correct')
  const apiFile = join(path, 'api')
  if (!existsSync(apiFile)) throw fail(`could not get api endpoint: No file (${apiFile}): API not running (no endpoint)`)
  const addr = readFileSync(apiFile, 'utf8').trim()
  const tokenFile = join(path, 'token')
  let token: string | null = null
  if (existsSync(tokenFile)) token = readFileSync(tokenFile, 'utf8').trim()
  else goLogger('cliutil').warn('util/api.go:120', "Couldn't load CLI token, capabilities may be limited: API not running (no endpoint)")
  return { addr, token }
}

function hostPort(addr: string): { host: string; port: number } {
  if (addr.startsWith('/')) return parseMultiaddr(addr)
  const u = new URL(addr)
  return { host: u.hostname, port: Number(u.port) }
}

/** A JSON-RPC client that fails the way go-jsonrpc's websocket (or HTTP) client fails. */
export class NodeClient {
  readonly ep: ApiEndpoint
  private dialUrl: string

  constructor(
    info: ApiInfo,
    version: 'v0' | 'v1',
    private mode: 'ws' | 'http' = 'ws'
  ) {
    const hp = hostPort(info.addr)
    this.ep = { ...hp, token: info.token, path: `/rpc/${version}` }
    this.dialUrl = `${mode}://${hp.host}:${hp.port}/rpc/${version}`
  }

  static of(kind: NodeKind, version: 'v0' | 'v1', repoFlag?: string, mode: 'ws' | 'http' = 'ws'): NodeClient {
    return new NodeClient(apiInfo(kind, repoFlag), version, mode)
  }

  async call<T>(method: string, params: unknown[] = [], timeoutMs = 60_000): Promise<T> {
    try {
      return await callRpc<T>(this.ep, method, params, timeoutMs)
    } catch (e) {
      if (e instanceof RpcTransportError) {
        if (this.mode === 'http') throw new Error(`sendRequest failed: Post "${this.dialUrl}": ${e.message}`)
        throw new Error(`cannot dial address ${this.dialUrl} for ${e.message}`)
      }
      if (e instanceof RpcCallError && e.code === 401) {
        if (this.mode === 'http') throw new Error('sendRequest failed: request failed, http status 401 Unauthorized')
        throw new Error(`cannot dial address ${this.dialUrl} for websocket: bad handshake`)
      }
      throw e
    }
  }
}
