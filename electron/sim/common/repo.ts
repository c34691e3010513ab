import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { pidAlive } from '../front/procs'
import type { ApiEndpoint } from './rpcClient'

/**
 * Lotus repos as the simulated processes and CLI find them (docs/lotus.md "API, tokens and repos"):
 * `$LOTUS_PATH` (~/.lotus), `$LOTUS_MINER_PATH` (deprecated `$LOTUS_STORAGE_PATH`, ~/.lotusminer),
 * `$LOTUS_WORKER_PATH` (deprecated `$WORKER_PATH`, ~/.lotusworker). Each holds `api` (multiaddr),
 * `token` (JWT) and, while its process runs, `repo.lock`.
 */
export type RepoKind = 'full' | 'miner' | 'worker'

function expandHome(p: string): string {
  if (p === '~') return homedir()
  if (p.startsWith('~/')) return join(homedir(), p.slice(2))
  return resolve(p)
}

export function repoPath(kind: RepoKind, env: NodeJS.ProcessEnv = process.env): string {
  switch (kind) {
    case 'full':
      return expandHome(env.LOTUS_PATH || '~/.lotus')
    case 'miner':
      return expandHome(env.LOTUS_MINER_PATH || env.LOTUS_STORAGE_PATH || '~/.lotusminer')
    case 'worker':
      return expandHome(env.LOTUS_WORKER_PATH || env.WORKER_PATH || '~/.lotusworker')
  }
}

/** Lotus's type names in CLI errors ("could not get API info for FullNode: …"). */
export const REPO_TYPE_NAME: Record<RepoKind, string> = { full: 'FullNode', miner: 'StorageMiner', worker: 'Worker' }
const ENV_INFO: Record<RepoKind, string[]> = {
  full: ['FULLNODE_API_INFO'],
  miner: ['MINER_API_INFO', 'STORAGE_API_INFO'],
  worker: ['WORKER_API_INFO']
}

export class ApiInfoError extends Error {}

/** `/ip4/127.0.0.1/tcp/1234/http` → host and port. */
export function parseMultiaddr(ma: string): { host: string; port: number } {
  const m = /^\/(ip4|ip6|dns|dns4|dns6)\/([^/]+)\/tcp\/(\d+)/.exec(ma.trim())
  if (!m || !m[2] || !m[3]) throw new ApiInfoError(`could not parse multiaddr: ${ma}`)
  return { host: m[2], port: Number(m[3]) }
}

/** `TOKEN:MULTIADDR` (or a bare multiaddr / URL), split as Lotus's apiinfo.go does. */
export function parseApiInfoString(s: string): { token: string | null; addr: string } {
  const v = s.trim()
  if (v.startsWith('/')) return { token: null, addr: v }
  const i = v.indexOf(':')
  if (i < 0) return { token: null, addr: v }
  if (v.slice(i + 1).startsWith('//')) return { token: null, addr: v }
  return { token: v.slice(0, i), addr: v.slice(i + 1) }
}

function addrToHostPort(addr: string): { host: string; port: number } {
  if (addr.startsWith('/')) return parseMultiaddr(addr)
  const u = new URL(addr)
  return { host: u.hostname, port: Number(u.port) }
}

/**
 * The endpoint of a node as the Lotus CLI resolves it: `*_API_INFO` env first, then the repo's
 * `api` and `token` files. Throws with Lotus's error text when neither is there.
 */
export function resolveEndpoint(kind: RepoKind, version: 'v0' | 'v1', env: NodeJS.ProcessEnv = process.env): ApiEndpoint {
  for (const name of ENV_INFO[kind]) {
    const val = env[name]
    if (val) {
      const first = val.split(',')[0] ?? val
      const { token, addr } = parseApiInfoString(first)
      return { ...addrToHostPort(addr), token, path: `/rpc/${version}` }
    }
  }
  const repo = repoPath(kind, env)
  const apiFile = join(repo, 'api')
  if (!existsSync(apiFile)) {
    throw new ApiInfoError(
      `could not get API info for ${REPO_TYPE_NAME[kind]}: could not get api endpoint: API not running (no endpoint)`
    )
  }
  const addr = readFileSync(apiFile, 'utf8').trim()
  const tokenFile = join(repo, 'token')
  const token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : null
  return { ...parseMultiaddr(addr), token, path: `/rpc/${version}` }
}

export function writeApiFile(repo: string, port: number): void {
  writeFileSync(join(repo, 'api'), `/ip4/127.0.0.1/tcp/${port}/http`)
}

export function removeApiFile(repo: string): void {
  rmSync(join(repo, 'api'), { force: true })
}

/**
 * Does the lock holder still run? Lotus's fslock is an flock, released the moment its process
 * exits, so an exited process that its parent has not reaped yet (a zombie: a worker ended with
 * `kill`, whose parent is an init that reaps late) no longer holds it either.
 */
function holderAlive(pid: number): boolean {
  if (process.platform === 'linux') return pidAlive(pid)
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the repo lock (`repo.lock` with our pid). A lock left by a dead process is taken over,
 * as Lotus's fslock does; a live holder is refused with Lotus's message.
 */
export function lockRepo(repo: string, what: string): void {
  const lock = join(repo, 'repo.lock')
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8').trim())
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && holderAlive(pid)) {
      throw new Error(`repo is already locked (${what} already running)`)
    }
  }
  writeFileSync(lock, String(process.pid))
}

export function unlockRepo(repo: string): void {
  const lock = join(repo, 'repo.lock')
  try {
    if (existsSync(lock) && Number(readFileSync(lock, 'utf8').trim()) === process.pid) rmSync(lock, { force: true })
  } catch {
    // Best effort: a stale lock is taken over by the next start anyway.
  }
}
