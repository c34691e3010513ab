import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { homedir, hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import type { SshAliasInfo } from '../../../preload/contract'
import { includeTargets, MAX_INCLUDE_DEPTH, readConfigFile, type ConfigNode } from './configFile'
import { configError } from './errors'
import { isConcretePattern, matchHostLine, matchHostList, matchPattern } from './patterns'
import { expandPath, expandPercent, type TokenMap } from './tokens'

/**
 * Resolution of an OpenSSH config alias as `ssh -F FILE alias` would do it, for the options
 * MinerDesk uses. Semantics follow readconf.c: the first value obtained for an option wins (so
 * `Host *` defaults go last), IdentityFile accumulates, `Include` is processed in place and
 * conditionally (inside a non-matching Host block nothing it contains applies), and `Match final`
 * / `Match canonical` cause a second pass with the resolved HostName.
 */

export type StrictHostKeyChecking = 'yes' | 'no' | 'ask' | 'accept-new'

/** One ProxyJump hop as written: `[user@]host[:port]` or `ssh://[user@]host[:port]`. */
export interface JumpSpec {
  raw: string
  host: string
  user?: string
  port?: number
}

export interface ResolvedHost {
  /** The name that was resolved (an alias, or a ProxyJump hop's host). */
  alias: string
  hostName: string
  port: number
  user: string
  /** Whether User came from the config (or a ProxyJump `user@`). */
  userConfigured: boolean
  /** Identity files to try, expanded; defaults (that exist) when none is configured. */
  identityFiles: string[]
  identitiesOnly: boolean
  proxyJump: JumpSpec[]
  /** Set when the config names a ProxyCommand (MinerDesk does not run ProxyCommand). */
  proxyCommand: string | null
  userKnownHostsFiles: string[]
  globalKnownHostsFiles: string[]
  strictHostKeyChecking: StrictHostKeyChecking
  connectTimeoutMs: number | null
  /** ServerAliveInterval as configured (ms), before MinerDesk clamps it. */
  serverAliveIntervalMs: number | null
  /** Things skipped while reading the config (Match blocks that cannot be evaluated). */
  warnings: string[]
}

/** The chain of hosts to connect through: hops in order, then the target. */
export interface SshRoute {
  hops: ResolvedHost[]
  target: ResolvedHost
}

/** The local facts resolution depends on; tests substitute their own. */
export interface ResolveEnv {
  home: string
  localUser: string
  uid: number
  localHostName: string
  env: NodeJS.ProcessEnv
  globalKnownHostsFiles: string[]
}

export function defaultResolveEnv(): ResolveEnv {
  let user = process.env.USER ?? ''
  let uid = typeof process.getuid === 'function' ? process.getuid() : 0
  try {
    const u = userInfo()
    user = u.username
    uid = u.uid
  } catch {
    // No passwd entry (some containers): fall back to $USER.
  }
  return {
    home: homedir(),
    localUser: user,
    uid,
    localHostName: hostname(),
    env: process.env,
    globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']
  }
}

// OpenSSH's order (ssh.c), limited to the key types ssh2 can use.
export const DEFAULT_IDENTITY_NAMES = ['id_rsa', 'id_ecdsa', 'id_ed25519']
export const MAX_PROXY_HOPS = 8

/** Overrides a ProxyJump hop (or a command line) puts above the config, as `ssh -l -p -J` do. */
interface Overrides {
  user?: string
  port?: number
  proxyJump?: JumpSpec[]
}

/** Raw option values gathered by the passes, first value wins. */
interface Gathered {
  single: Map<string, string[]>
  identityFiles: string[]
  warnings: string[]
  wantFinal: boolean
}

interface PassContext {
  host: string
  originalHost: string
  final: boolean
  env: ResolveEnv
  cache: Map<string, ConfigNode[] | null>
  g: Gathered
}

function apply(ctx: PassContext, node: ConfigNode): void {
  const { g } = ctx
  if (node.keyword === 'identityfile') {
    for (const a of node.args) g.identityFiles.push(a)
    return
  }
  // ProxyJump and ProxyCommand exclude each other: whichever comes first wins.
  const key = node.keyword === 'proxycommand' || node.keyword === 'proxyjump' ? 'proxy' : node.keyword
  if (g.single.has(key)) return
  g.single.set(key, node.keyword === 'proxycommand' || node.keyword === 'proxyjump' ? [node.keyword, node.args.join(' ')] : node.args)
}

function currentHostName(ctx: PassContext): string {
  const hn = ctx.g.single.get('hostname')?.[0]
  return hn === undefined ? ctx.host : expandPercent(hn, { h: ctx.host }, 'HostName')
}

/** Evaluates a Match line; null when it has a criterion MinerDesk cannot evaluate. */
function evalMatch(ctx: PassContext, args: readonly string[]): boolean | null {
  let result = true
  for (let i = 0; i < args.length; i++) {
    const raw = (args[i] as string).toLowerCase()
    const negate = raw.startsWith('!')
    const kw = negate ? raw.slice(1) : raw
    let ok: boolean
    if (kw === 'all') ok = true
    else if (kw === 'canonical' || kw === 'final') {
      if (!ctx.final) ctx.g.wantFinal = true
      ok = ctx.final
    } else {
      const arg = args[i + 1]
      i++
      if (arg === undefined) return null
      switch (kw) {
        case 'host':
          ok = matchHostList(currentHostName(ctx), arg) === 1
          break
        case 'originalhost':
          ok = matchHostList(ctx.originalHost, arg) === 1
          break
        case 'user':
          ok = matchPatternListPlain(ctx.g.single.get('user')?.[0] ?? ctx.env.localUser, arg)
          break
        case 'localuser':
          ok = matchPatternListPlain(ctx.env.localUser, arg)
          break
        default:
          // exec, localnetwork, tagged, …: running commands or probing the network is not ours to do.
          return null
      }
    }
    if (negate) ok = !ok
    if (!ok) result = false
  }
  return result
}

function matchPatternListPlain(value: string, list: string): boolean {
  let got = false
  for (const item of list.split(',')) {
    const neg = item.startsWith('!')
    const p = neg ? item.slice(1) : item
    if (p !== '' && matchPattern(value, p)) {
      if (neg) return false
      got = true
    }
  }
  return got
}

function walk(ctx: PassContext, nodes: readonly ConfigNode[], active: { v: boolean }, neverMatch: boolean, depth: number): void {
  for (const node of nodes) {
    if (node.keyword === 'host') {
      active.v = !neverMatch && matchHostLine(ctx.host, node.args)
    } else if (node.keyword === 'match') {
      const m = neverMatch ? false : evalMatch(ctx, node.args)
      if (m === null) {
        ctx.g.warnings.push(`skipped "Match ${node.args.join(' ')}" in ${node.file}: MinerDesk does not evaluate that criterion`)
        active.v = false
      } else active.v = m
    } else if (node.keyword === 'include') {
      if (depth >= MAX_INCLUDE_DEPTH) throw configError(`Include nested deeper than ${MAX_INCLUDE_DEPTH} levels in ${node.file}`)
      const outer = active.v
      for (const f of includeTargets(node.args, ctx.env.home)) {
        const included = readConfigFile(f, ctx.cache, true)
        if (included) walk(ctx, included, active, neverMatch || !outer, depth + 1)
      }
      active.v = outer
    } else if (active.v) {
      apply(ctx, node)
    }
    if (node.children) walk(ctx, node.children, active, neverMatch, depth)
  }
}

function gather(configPath: string, alias: string, env: ResolveEnv, cache: Map<string, ConfigNode[] | null>, preset: Overrides): Gathered {
  const g: Gathered = { single: new Map(), identityFiles: [], warnings: [], wantFinal: false }
  // Command-line style overrides are "obtained first", so the config cannot replace them.
  if (preset.user !== undefined) g.single.set('user', [preset.user])
  if (preset.port !== undefined) g.single.set('port', [String(preset.port)])
  if (preset.proxyJump !== undefined) g.single.set('proxy', ['proxyjump', preset.proxyJump.map((j) => j.raw).join(',')])
  const top = readConfigFile(configPath, cache) ?? []
  const ctx: PassContext = { host: alias, originalHost: alias, final: false, env, cache, g }
  walk(ctx, top, { v: true }, false, 0)
  if (g.wantFinal) {
    // As ssh.c does before the final pass: HostName becomes the literal expanded name.
    const host = currentHostName(ctx)
    if (g.single.has('hostname')) g.single.set('hostname', [host.replace(/%/g, '%%')])
    walk({ ...ctx, host, final: true }, top, { v: true }, false, 0)
  }
  return g
}

function parseBool(v: string, what: string): boolean {
  const s = v.toLowerCase()
  if (s === 'yes' || s === 'true') return true
  if (s === 'no' || s === 'false') return false
  throw configError(`${what} must be yes or no, not ${JSON.stringify(v)}`)
}

function parseStrict(v: string): StrictHostKeyChecking {
  switch (v.toLowerCase()) {
    case 'yes':
    case 'true':
      return 'yes'
    case 'no':
    case 'off':
    case 'false':
      return 'no'
    case 'ask':
      return 'ask'
    case 'accept-new':
      return 'accept-new'
    default:
      throw configError(`StrictHostKeyChecking must be yes, no, ask, accept-new or off, not ${JSON.stringify(v)}`)
  }
}

function parsePort(v: string, what: string): number {
  if (!/^\d+$/.test(v)) throw configError(`${what}: bad port ${JSON.stringify(v)}`)
  const n = Number(v)
  if (n < 1 || n > 65535) throw configError(`${what}: port ${n} is out of range`)
  return n
}

function parseSeconds(v: string, what: string): number {
  if (!/^\d+$/.test(v)) throw configError(`${what} must be a whole number of seconds, not ${JSON.stringify(v)}`)
  return Number(v) * 1000
}

/** Parses a ProxyJump value (comma-separated hops); `none` is an empty list. */
export function parseProxyJump(value: string): JumpSpec[] {
  const v = value.trim()
  if (v.toLowerCase() === 'none') return []
  return v.split(',').map((raw) => {
    const hop = raw.trim()
    let rest = hop.startsWith('ssh://') ? hop.slice(6) : hop
    if (rest.endsWith('/')) rest = rest.slice(0, -1)
    const spec: JumpSpec = { raw: hop, host: '' }
    const at = rest.lastIndexOf('@')
    if (at >= 0) {
      spec.user = rest.slice(0, at)
      rest = rest.slice(at + 1)
    }
    let host = rest
    let port: string | undefined
    const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest)
    if (bracket) {
      host = bracket[1] as string
      port = bracket[2]
    } else {
      const colon = rest.lastIndexOf(':')
      if (colon >= 0 && rest.indexOf(':') === colon) {
        host = rest.slice(0, colon)
        port = rest.slice(colon + 1)
      }
    }
    if (host === '' || spec.user === '') throw configError(`ProxyJump: cannot read hop ${JSON.stringify(hop)}`)
    spec.host = host
    if (port !== undefined) spec.port = parsePort(port, `ProxyJump hop ${hop}`)
    return spec
  })
}

function resolveWith(configPath: string, alias: string, env: ResolveEnv, cache: Map<string, ConfigNode[] | null>, o: Overrides): ResolvedHost {
  const g = gather(configPath, alias, env, cache, o)
  const one = (k: string): string | undefined => g.single.get(k)?.[0]
  // ssh lowercases the host name it connects to (and looks up in known_hosts).
  const hostName = expandPercent(one('hostname') ?? alias, { h: alias }, `HostName of ${alias}`).toLowerCase()
  const port = one('port') !== undefined ? parsePort(one('port') as string, `Port of ${alias}`) : 22
  const userConfigured = one('user') !== undefined
  const user = one('user') ?? env.localUser
  const proxy = g.single.get('proxy')
  const proxyJump = proxy?.[0] === 'proxyjump' ? parseProxyJump(proxy[1] ?? '') : []
  const proxyCommandRaw = proxy?.[0] === 'proxycommand' ? (proxy[1] ?? '') : null
  const proxyCommand = proxyCommandRaw === null || proxyCommandRaw.toLowerCase() === 'none' ? null : proxyCommandRaw
  const l = env.localHostName
  const tokens: TokenMap = {
    d: env.home,
    h: hostName,
    p: String(port),
    r: user,
    u: env.localUser,
    n: alias,
    i: String(env.uid),
    l,
    L: l.split('.')[0] ?? l,
    k: hostName,
    j: proxyJump.map((j) => j.raw).join(','),
    C: createHash('sha1').update(`${l}${hostName}${port}${user}`).digest('hex')
  }
  const px = { home: env.home, localUser: env.localUser, env: env.env, tokens }
  const configured = g.identityFiles.filter((f) => f.toLowerCase() !== 'none')
  const identityFiles = configured.length > 0
    ? configured.map((f) => expandPath(f, px, `IdentityFile of ${alias}`))
    : DEFAULT_IDENTITY_NAMES.map((n) => join(env.home, '.ssh', n)).filter((f) => existsSync(f))
  const knownRaw = g.single.get('userknownhostsfile')
  const userKnownHostsFiles = knownRaw === undefined
    ? [join(env.home, '.ssh', 'known_hosts'), join(env.home, '.ssh', 'known_hosts2')]
    : knownRaw.length === 1 && knownRaw[0]?.toLowerCase() === 'none'
      ? []
      : knownRaw.map((f) => expandPath(f, px, `UserKnownHostsFile of ${alias}`))
  const globalRaw = g.single.get('globalknownhostsfile')
  const globalKnownHostsFiles = globalRaw === undefined
    ? env.globalKnownHostsFiles
    : globalRaw.length === 1 && globalRaw[0]?.toLowerCase() === 'none'
      ? []
      : globalRaw.map((f) => expandPath(f, px, `GlobalKnownHostsFile of ${alias}`))
  return {
    alias,
    hostName,
    port,
    user,
    userConfigured,
    identityFiles,
    identitiesOnly: one('identitiesonly') !== undefined ? parseBool(one('identitiesonly') as string, `IdentitiesOnly of ${alias}`) : false,
    proxyJump,
    proxyCommand,
    userKnownHostsFiles,
    globalKnownHostsFiles,
    strictHostKeyChecking: one('stricthostkeychecking') !== undefined ? parseStrict(one('stricthostkeychecking') as string) : 'ask',
    connectTimeoutMs: one('connecttimeout') !== undefined ? parseSeconds(one('connecttimeout') as string, `ConnectTimeout of ${alias}`) : null,
    serverAliveIntervalMs: one('serveraliveinterval') !== undefined ? parseSeconds(one('serveraliveinterval') as string, `ServerAliveInterval of ${alias}`) : null,
    warnings: g.warnings
  }
}

/** Resolves one alias (no ProxyJump expansion). Throws MinerDeskError `ssh/config`. */
export function resolveAlias(configPath: string, alias: string, env: ResolveEnv = defaultResolveEnv()): ResolvedHost {
  return resolveWith(configPath, alias, env, new Map(), {})
}

/**
 * The full route to an alias. `ProxyJump A,B` for C means what `ssh C` does: reach B with
 * `ssh -J A B` (so B's own ProxyJump is overridden) and A through A's own config, recursively.
 */
export function resolveRoute(configPath: string, alias: string, env: ResolveEnv = defaultResolveEnv()): SshRoute {
  const cache = new Map<string, ConfigNode[] | null>()
  const chain: ResolvedHost[] = []
  const seen = new Set<string>()
  const visit = (name: string, o: Overrides, depth: number): void => {
    if (depth > MAX_PROXY_HOPS) throw configError(`ProxyJump chain to ${alias} is longer than ${MAX_PROXY_HOPS} hops`)
    const r = resolveWith(configPath, name, env, cache, o)
    if (r.proxyCommand !== null && r.proxyJump.length === 0) {
      throw configError(
        `${name} uses ProxyCommand (${r.proxyCommand}), which MinerDesk does not run`,
        'Use ProxyJump for jump hosts; MinerDesk connects through them itself.'
      )
    }
    const key = `${r.user}@${r.hostName}:${r.port}`
    if (seen.has(key)) throw configError(`ProxyJump loop: ${key} is reached through itself (alias ${alias})`)
    seen.add(key)
    const jumps = r.proxyJump
    if (jumps.length > 0) {
      const last = jumps[jumps.length - 1] as JumpSpec
      const earlier = jumps.slice(0, -1)
      const hopO: Overrides = {}
      if (last.user !== undefined) hopO.user = last.user
      if (last.port !== undefined) hopO.port = last.port
      if (earlier.length > 0) hopO.proxyJump = earlier
      visit(last.host, hopO, depth + 1)
    }
    chain.push(r)
  }
  visit(alias, {}, 0)
  const target = chain.pop() as ResolvedHost
  return { hops: chain, target }
}

/** A `Host` entry of the config, resolved (the caller fills `added`). */
export type SshAliasEntry = Omit<SshAliasInfo, 'added'>

function collectAliases(nodes: readonly ConfigNode[], env: ResolveEnv, cache: Map<string, ConfigNode[] | null>, out: string[], depth: number): void {
  for (const node of nodes) {
    if (node.keyword === 'host') {
      for (const p of node.args) if (isConcretePattern(p) && !out.includes(p)) out.push(p)
    } else if (node.keyword === 'include' && depth < MAX_INCLUDE_DEPTH) {
      for (const f of includeTargets(node.args, env.home)) {
        const inc = readConfigFile(f, cache, true)
        if (inc) collectAliases(inc, env, cache, out, depth + 1)
      }
    }
    if (node.children) collectAliases(node.children, env, cache, out, depth)
  }
}

/**
 * The concrete Host names of a config (and the files it includes), each resolved. An alias
 * whose resolution fails is left out and named in `warnings`; an unreadable file throws.
 */
export function listAliases(configPath: string, env: ResolveEnv = defaultResolveEnv()): { aliases: SshAliasEntry[]; warnings: string[] } {
  const cache = new Map<string, ConfigNode[] | null>()
  const top = readConfigFile(configPath, cache) ?? []
  const names: string[] = []
  collectAliases(top, env, cache, names, 0)
  const aliases: SshAliasEntry[] = []
  const warnings: string[] = []
  for (const name of names) {
    try {
      const r = resolveWith(configPath, name, env, cache, {})
      aliases.push({
        alias: name,
        hostName: r.hostName,
        port: r.port,
        user: r.userConfigured ? r.user : null,
        proxyJump: r.proxyJump.map((j) => j.raw),
        identityFiles: r.identityFiles
      })
      warnings.push(...r.warnings.filter((w) => !warnings.includes(w)))
    } catch (err) {
      warnings.push(`${name}: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return { aliases, warnings }
}
