import { MinerDeskError, type ErrorInfo } from '../../../preload/contract'
import { formatHostPort } from './apiInfo'
import type { NodeKind } from './discover'
import { RPC_ERRORS } from '../../../preload/contract/lotus/types'

/** How failures of the Lotus API are told to the operator. */

export const NODE_WORDS: Record<NodeKind, { name: string; start: string; tokenFile: string; authCmd: string }> = {
  daemon: { name: 'the daemon', start: 'lotus daemon', tokenFile: '~/.lotus/token', authCmd: 'lotus auth create-token --perm admin' },
  miner: { name: 'lotus-miner', start: 'lotus-miner run', tokenFile: '~/.lotusminer/token', authCmd: 'lotus-miner auth create-token --perm admin' }
}

export interface ErrorContext {
  node: NodeKind
  alias: string
  host: string
  port: number
}

/** Nothing listens on the API port (the SSH server's connect to it failed). */
export function nodeDownError(ctx: ErrorContext, details?: string): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  const where = formatHostPort(ctx)
  const info: ErrorInfo = {
    code: ctx.node === 'daemon' ? 'lotus/daemon-down' : 'lotus/miner-down',
    message: `${w.name === 'the daemon' ? 'the daemon is' : 'lotus-miner is'} not running: nothing listens on ${where} on ${ctx.alias}`,
    hint: `start it (${w.start}) or check where its API listens`,
    params: { alias: ctx.alias, address: where }
  }
  if (details) info.details = details
  return new MinerDeskError(info)
}

export function unauthorizedError(ctx: ErrorContext, hadToken: boolean): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  return new MinerDeskError({
    code: 'lotus/unauthorized',
    message: hadToken
      ? `${w.name} on ${ctx.alias} rejected the API token (HTTP 401)`
      : `${w.name} on ${ctx.alias} requires an API token (HTTP 401)`,
    hint: `the token does not belong to this ${ctx.node === 'daemon' ? 'daemon' : 'miner'}: check ${w.tokenFile} or the *_API_INFO variable`,
    params: { alias: ctx.alias }
  })
}

const PERMISSION_RE = /missing permission to invoke '([^']+)' \(need '([^']+)'\)/

export function rpcCallError(ctx: ErrorContext, method: string, code: number, message: string): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  if (code === RPC_ERRORS.methodNotFound) {
    return new MinerDeskError({
      code: 'lotus/method-missing',
      message: `${w.name} on ${ctx.alias} has no method ${method}: probably an older Lotus`,
      hint: 'upgrade Lotus on this site',
      params: { alias: ctx.alias, method },
      details: message
    })
  }
  const perm = code === RPC_ERRORS.generic ? PERMISSION_RE.exec(message) : null
  if (perm) {
    const need = perm[2]!
    return new MinerDeskError({
      code: 'lotus/permission',
      message: `the API token of ${w.name} on ${ctx.alias} lacks ${need} (needed for ${perm[1]})`,
      hint: `give MinerDesk a token made with ${w.authCmd}`,
      params: { alias: ctx.alias, method: perm[1]!, permission: need },
      details: message
    })
  }
  const firstLine = message.split('\n')[0]!.slice(0, 300)
  return new MinerDeskError({
    code: 'lotus/rpc',
    message: `${method} failed on ${w.name} (${ctx.alias}): ${firstLine}`,
    params: { alias: ctx.alias, method, rpcCode: code },
    details: message
  })
}

export function badResponseError(ctx: ErrorContext, method: string, why: string, sample?: string): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  const info: ErrorInfo = {
    code: 'lotus/bad-response',
    message: `${method}: ${w.name} on ${ctx.alias} answered with something that is not Lotus JSON-RPC (${why})`,
    params: { alias: ctx.alias, method }
  }
  if (sample !== undefined) info.details = sample.slice(0, 500)
  return new MinerDeskError(info)
}

export function timeoutError(ctx: ErrorContext, method: string, ms: number): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  return new MinerDeskError({
    code: 'lotus/rpc',
    message: `${method}: no answer from ${w.name} on ${ctx.alias} within ${Math.round(ms / 100) / 10} s`,
    hint: `${w.name} may be overloaded or hung`,
    params: { alias: ctx.alias, method, reason: 'timeout', timeoutMs: ms }
  })
}

export function cancelledError(method: string): MinerDeskError {
  return new MinerDeskError({ code: 'cancelled', message: `${method} was cancelled` })
}

export function connectionLostError(ctx: ErrorContext, method: string, why: string): MinerDeskError {
  const w = NODE_WORDS[ctx.node]
  return new MinerDeskError({
    code: 'lotus/rpc',
    message: `${method}: the connection to ${w.name} on ${ctx.alias} closed before it answered`,
    hint: `${w.name} may have stopped or restarted`,
    params: { alias: ctx.alias, method, reason: 'connection-lost' },
    details: why
  })
}

interface ForwardFailure {
  code?: unknown
  reason?: unknown
  message?: unknown
}

/**
 * Maps a failed forwardOut. SSH-level failures (unreachable, auth…) pass through as the SSH
 * layer reported them; a refused connect on the remote side means the Lotus process is down.
 * ssh2 reports a failed direct-tcpip open as "(SSH) Channel open failure: <why>" with reason 2
 * (CONNECT_FAILED) or 1 (ADMINISTRATIVELY_PROHIBITED, sshd's AllowTcpForwarding no).
 */
export function forwardError(ctx: ErrorContext, err: unknown): MinerDeskError {
  const e = (err ?? {}) as ForwardFailure
  const message = typeof e.message === 'string' ? e.message : String(err)
  if (err instanceof MinerDeskError && err.code.startsWith('ssh/') && err.code !== 'ssh/command-failed') return err
  if (err instanceof MinerDeskError && err.code === 'cancelled') return err
  if (e.reason === 1 || e.reason === 'ADMINISTRATIVELY_PROHIBITED' || /administratively prohibited/i.test(message)) {
    return new MinerDeskError({
      code: 'ssh/command-failed',
      message: `sshd on ${ctx.alias} does not allow TCP forwarding, which MinerDesk needs to reach the Lotus API`,
      hint: 'set AllowTcpForwarding yes (or local) in the site\'s sshd_config',
      params: { alias: ctx.alias },
      details: message
    })
  }
  if (e.code === 'ECONNREFUSED' || e.reason === 2 || e.reason === 'CONNECT_FAILED' || /connection refused|connect failed/i.test(message)) {
    return nodeDownError(ctx, message)
  }
  if (err instanceof MinerDeskError) return err
  return new MinerDeskError({
    code: 'ssh/command-failed',
    message: `could not open a tunnel to ${formatHostPort(ctx)} on ${ctx.alias}`,
    params: { alias: ctx.alias },
    details: message
  })
}
