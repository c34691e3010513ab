import { CliExit } from '../../common/cliOutput'
import { ApiInfoError, resolveEndpoint } from '../../common/repo'
import { callRpc, RpcCallError, RpcTransportError, type ApiEndpoint } from '../../common/rpcClient'

/**
 * The `lotus` CLI's connection to the daemon (cli/util/api.go GetFullNodeAPI): endpoint from
 * FULLNODE_API_INFO, else `--repo` / $LOTUS_PATH `api` + `token`; v0 for almost every command.
 * Failures read as the go-jsonrpc websocket client reports them.
 */
export interface FullNodeClient {
  endpoint: ApiEndpoint
  call<T>(method: string, params?: unknown[]): Promise<T>
}

export function dialUrl(ep: ApiEndpoint): string {
  return `ws://${ep.host}:${ep.port}${ep.path}`
}

export function fullNodeClient(repo: string | undefined, version: 'v0' | 'v1' = 'v0'): FullNodeClient {
  const env = repo && !process.env.FULLNODE_API_INFO ? { ...process.env, LOTUS_PATH: repo } : process.env
  let endpoint: ApiEndpoint
  try {
    endpoint = resolveEndpoint('full', version, env)
  } catch (e) {
    if (e instanceof ApiInfoError) throw new CliExit(1, e.message)
    throw e
  }
  return {
    endpoint,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      try {
        return await callRpc<T>(endpoint, method, params)
      } catch (e) {
        throw translateError(endpoint, e)
      }
    }
  }
}

export function translateError(ep: ApiEndpoint, e: unknown): Error {
  if (e instanceof RpcTransportError) return new CliExit(1, `cannot dial address ${dialUrl(ep)} for ${e.message}`)
  if (e instanceof RpcCallError && e.code === 401) return new CliExit(1, `cannot dial address ${dialUrl(ep)} for websocket: bad handshake`)
  if (e instanceof Error) return new CliExit(1, e.message)
  return new CliExit(1, String(e))
}
