import { MinerDeskError, type ErrorInfo } from '../../../preload/contract'
import type { SshHost } from '../ssh/types'
import type { RemoteCommand } from '../../common/shellQuote'
import { ApiAddressError, parseApiAddress, parseApiInfoMulti, parseRepoApiFile, parseRepoTokenFile, type ApiAddress } from './apiInfo'
import { ApiToken } from './token'
import { redactEnvValue } from '../util/redact'

/**
 * Finds the daemon and miner API endpoints of a site as the Lotus CLI does
 * (cli/util/api.go GetAPIInfoMulti): the `*_API_INFO` environment variable first (the
 * deprecated alias next), else the `api` and `token` files of the repo (`$LOTUS_PATH`,
 * `$LOTUS_MINER_PATH` / deprecated `$LOTUS_STORAGE_PATH`, defaults `~/.lotus`, `~/.lotusminer`).
 *
 * Everything is read with ONE remote command. The environment is the one a non-interactive
 * `ssh host lotus-miner …` sees, which is how the runbook's commands run. The token is a secret:
 * it travels inside the SSH channel, lives in an ApiToken, and never reaches a log or an error.
 */

export type NodeKind = 'daemon' | 'miner'

export interface LotusEndpoint extends ApiAddress {
  node: NodeKind
  token: ApiToken | null
  source: 'env' | 'repo'
  /** The variable the address came from (source 'env'). */
  envVar: string | null
  /** The repo directory on the remote machine (absolute), also for source 'env'. */
  repoPath: string
  /** The address as written in the variable or the api file (no token). */
  addr: string
}

export type EndpointResult = { ok: true; endpoint: LotusEndpoint } | { ok: false; error: ErrorInfo }

export interface Discovery {
  daemon: EndpointResult
  miner: EndpointResult
  /** $HOME of the SSH login. */
  home: string | null
}

/* ------------------------------------------------------------------ the remote command */

const MARK = '@minerdesk-discover@'

/** Variables read, in the order printed. */
export const DISCOVER_ENV = [
  'HOME',
  'FULLNODE_API_INFO',
  'MINER_API_INFO',
  'STORAGE_API_INFO',
  'LOTUS_PATH',
  'LOTUS_MINER_PATH',
  'LOTUS_STORAGE_PATH'
] as const
export type DiscoverEnvName = (typeof DISCOVER_ENV)[number]

/**
 * POSIX sh (dash, bash, busybox ash). Values are printed hex-encoded with `od` so that no byte
 * (newline, quote, non-UTF-8) can break the framing and no locale can change a length; every
 * line carries a marker so that anything a shell profile prints is ignored. An empty variable
 * counts as unset for the repo paths (`:-`), as an operator would expect.
 *
 * It is ONE line without single quotes or `!`: the login shell only has to pass
 * `sh -c '<script>'` through, and csh (no newlines inside quotes) and fish (`\'` inside quotes)
 * would trip over anything else.
 */
export const DISCOVER_SCRIPT = [
  'LC_ALL=C; export LC_ALL; m=' + MARK + ';',
  'hx() { od -An -v -tx1 | tr -d " \\n"; };',
  'pv() { if [ "$2" = x ]; then printf "%s V %s " "$m" "$1"; printf "%s" "$3" | hx; echo; else printf "%s U %s\\n" "$m" "$1"; fi; };',
  ...DISCOVER_ENV.map((n) => `pv ${n} "\${${n}+x}" "\${${n}-}";`),
  'rp() {',
  'case $2 in "~") p=$HOME ;; "~/"*) p=$HOME/${2#"~/"} ;; *) p=$2 ;; esac;',
  'printf "%s P %s " "$m" "$1"; printf "%s" "$p" | hx; echo;',
  'if [ -d "$p" ]; then printf "%s D %s 1\\n" "$m" "$1"; else printf "%s D %s 0\\n" "$m" "$1"; fi;',
  'for f in api token; do',
  'if [ -e "$p/$f" ]; then',
  'if [ -r "$p/$f" ] && [ -f "$p/$f" ]; then printf "%s F %s.%s " "$m" "$1" "$f"; dd if="$p/$f" bs=4096 count=1 2>/dev/null | hx; echo;',
  'else printf "%s R %s.%s\\n" "$m" "$1" "$f"; fi;',
  'else printf "%s N %s.%s\\n" "$m" "$1" "$f"; fi;',
  'done; };',
  'rp daemon "${LOTUS_PATH:-~/.lotus}";',
  'rp miner "${LOTUS_MINER_PATH:-${LOTUS_STORAGE_PATH:-~/.lotusminer}}";',
  'printf "%s END\\n" "$m"'
].join(' ')

/** The one command discovery runs (the SSH layer quotes it with shellQuote's buildCommandLine). */
export function discoverCommand(): RemoteCommand {
  return { argv: ['sh', '-c', DISCOVER_SCRIPT] }
}

/* ------------------------------------------------------------------ parsing its output */

export type RemoteFile = { state: 'ok'; text: string } | { state: 'missing' } | { state: 'unreadable' }

export interface RepoFacts {
  path: string
  exists: boolean
  api: RemoteFile
  token: RemoteFile
}

export interface DiscoverFacts {
  env: Partial<Record<DiscoverEnvName, string>>
  daemon: RepoFacts
  miner: RepoFacts
}

export class DiscoverOutputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DiscoverOutputError'
  }
}

function unhex(hex: string): string {
  if (!/^([0-9a-f]{2})*$/.test(hex)) throw new DiscoverOutputError('bad hex value')
  return Buffer.from(hex, 'hex').toString('utf8')
}

/** Parses the framed output of DISCOVER_SCRIPT; lines without the marker are ignored. */
export function parseDiscoverOutput(stdout: string): DiscoverFacts {
  const env: Partial<Record<DiscoverEnvName, string>> = {}
  const repos: Record<NodeKind, Partial<RepoFacts>> = { daemon: {}, miner: {} }
  let ended = false
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (!line.startsWith(`${MARK} `)) continue
    const [kind, key = '', value = ''] = line.slice(MARK.length + 1).split(' ')
    if (kind === 'END') {
      ended = true
      continue
    }
    if (kind === 'V' || kind === 'U') {
      if (!(DISCOVER_ENV as readonly string[]).includes(key)) continue
      if (kind === 'V') env[key as DiscoverEnvName] = unhex(value)
      continue
    }
    const [node, file] = key.split('.') as [string, string | undefined]
    if (node !== 'daemon' && node !== 'miner') continue
    const repo = repos[node]
    if (kind === 'P') repo.path = unhex(value)
    else if (kind === 'D') repo.exists = value === '1'
    else if (file === 'api' || file === 'token') {
      if (kind === 'F') repo[file] = { state: 'ok', text: unhex(value) }
      else if (kind === 'N') repo[file] = { state: 'missing' }
      else if (kind === 'R') repo[file] = { state: 'unreadable' }
    }
  }
  if (!ended) throw new DiscoverOutputError('the discovery command did not finish (no END marker)')
  const complete = (node: NodeKind): RepoFacts => {
    const r = repos[node]
    if (r.path === undefined || r.exists === undefined || r.api === undefined || r.token === undefined) {
      throw new DiscoverOutputError(`incomplete output for the ${node} repo`)
    }
    return { path: r.path, exists: r.exists, api: r.api, token: r.token }
  }
  return { env, daemon: complete('daemon'), miner: complete('miner') }
}

/* ------------------------------------------------------------------ deciding like Lotus */

const NODE_TEXT: Record<NodeKind, { name: string; start: string; envVar: string; deprecatedEnv: string | null; repoVar: string }> = {
  daemon: { name: 'the lotus daemon', start: 'lotus daemon', envVar: 'FULLNODE_API_INFO', deprecatedEnv: null, repoVar: 'LOTUS_PATH' },
  miner: { name: 'lotus-miner', start: 'lotus-miner run', envVar: 'MINER_API_INFO', deprecatedEnv: 'STORAGE_API_INFO', repoVar: 'LOTUS_MINER_PATH' }
}

/** `/home/op/.lotusminer` → `~/.lotusminer` for messages. */
export function displayPath(path: string, home: string | null | undefined): string {
  if (home && home !== '/' && (path === home || path.startsWith(`${home.replace(/\/$/, '')}/`))) {
    return `~${path.slice(home.replace(/\/$/, '').length)}`
  }
  return path
}

function noApiInfo(message: string, hint: string, params: Record<string, string>, details?: string): EndpointResult {
  const error: ErrorInfo = { code: 'lotus/no-api-info', message, hint, params }
  if (details !== undefined) error.details = details
  return { ok: false, error }
}

/** Picks the endpoint of one node from the facts, in Lotus's precedence. Pure. */
export function resolveEndpoint(facts: DiscoverFacts, node: NodeKind, alias: string): EndpointResult {
  const t = NODE_TEXT[node]
  const repo = facts[node]
  const home = facts.env.HOME ?? null
  const shown = displayPath(repo.path, home)

  // 1. *_API_INFO (set counts, even when empty, as os.LookupEnv does), 2. the deprecated name.
  for (const name of [t.envVar, t.deprecatedEnv]) {
    if (name === null) continue
    const value = facts.env[name as DiscoverEnvName]
    if (value === undefined) continue
    const [first] = parseApiInfoMulti(value)
    if (first === undefined || first.addr.trim() === '') {
      return noApiInfo(`${name} is set on ${alias} but holds no address`, `fix or unset ${name} in the login's environment`, { alias, envVar: name })
    }
    try {
      const addr = parseApiAddress(first.addr)
      const endpoint: LotusEndpoint = {
        ...addr,
        node,
        token: first.token ? new ApiToken(first.token) : null,
        source: 'env',
        envVar: name,
        repoPath: repo.path,
        addr: first.addr.trim()
      }
      return { ok: true, endpoint }
    } catch (err) {
      // Only the address part is quoted, and one that may be a token alone (no address at all)
      // only as its fingerprint: the token never goes into an error.
      const addrText = first.addr.trim()
      const why = (err instanceof ApiAddressError ? err.message : String(err)).split(addrText).join(redactEnvValue(name, addrText))
      return noApiInfo(`${name} on ${alias} has an address MinerDesk cannot use`, `fix ${name} (format TOKEN:/ip4/127.0.0.1/tcp/PORT/http)`, { alias, envVar: name }, why)
    }
  }

  // 3. The repo's api and token files.
  if (!repo.exists) {
    return noApiInfo(
      `${shown} does not exist on ${alias}: is ${t.name} set up for this login?`,
      `set ${t.repoVar} or ${t.envVar} for the SSH login, or check the site's SSH user`,
      { alias, repo: shown }
    )
  }
  if (repo.api.state === 'missing') {
    return noApiInfo(`no api file in ${shown}: is ${t.name === 'lotus-miner' ? 'lotus-miner' : 'the daemon'} running?`, `start it (${t.start}) and wait for its API`, { alias, repo: shown })
  }
  if (repo.api.state === 'unreadable') {
    return noApiInfo(`${shown}/api is not readable by the SSH login on ${alias}`, 'connect as the user that runs Lotus', { alias, repo: shown })
  }
  let addr: ApiAddress
  try {
    addr = parseRepoApiFile(repo.api.text)
  } catch (err) {
    return noApiInfo(`${shown}/api on ${alias} does not hold a usable address`, `restart ${t.name} to rewrite it`, { alias, repo: shown }, err instanceof Error ? err.message : String(err))
  }
  // A missing or unreadable token is not fatal for Lotus either: it continues with `read` rights.
  const tokenText = repo.token.state === 'ok' ? parseRepoTokenFile(repo.token.text) : null
  const endpoint: LotusEndpoint = {
    ...addr,
    node,
    token: tokenText === null ? null : new ApiToken(tokenText),
    source: 'repo',
    envVar: null,
    repoPath: repo.path,
    addr: repo.api.text.trim()
  }
  return { ok: true, endpoint }
}

export function resolveDiscovery(facts: DiscoverFacts, alias: string): Discovery {
  return {
    daemon: resolveEndpoint(facts, 'daemon', alias),
    miner: resolveEndpoint(facts, 'miner', alias),
    home: facts.env.HOME ?? null
  }
}

/* ------------------------------------------------------------------ running it */

export interface DiscoverOptions {
  signal?: AbortSignal
  timeoutMs?: number
}

/**
 * Runs the discovery command on the site. SSH failures (unreachable, auth…) are thrown as the
 * SSH layer reports them; a missing file or variable is a per-node result, not a failure.
 */
export async function discoverEndpoints(host: SshHost, opts: DiscoverOptions = {}): Promise<Discovery> {
  const res = await host.exec(discoverCommand(), {
    timeoutMs: opts.timeoutMs ?? 20_000,
    maxOutputBytes: 256 * 1024,
    ...(opts.signal ? { signal: opts.signal } : {})
  })
  let facts: DiscoverFacts
  try {
    facts = parseDiscoverOutput(res.stdout)
  } catch (err) {
    throw new MinerDeskError({
      code: 'ssh/command-failed',
      message: `could not read the Lotus API settings on ${host.alias}`,
      hint: 'the login shell must be able to run sh, od and dd',
      details: [err instanceof Error ? err.message : String(err), `exit code ${res.code ?? res.signal ?? 'none'}`, res.stderr.slice(0, 2000)].filter(Boolean).join('\n')
    })
  }
  return resolveDiscovery(facts, host.alias)
}

/** An endpoint for messages and the UI: everything except the token. */
export function describeEndpoint(ep: LotusEndpoint): Omit<LotusEndpoint, 'token'> & { hasToken: boolean } {
  const { token, ...rest } = ep
  return { ...rest, hasToken: token !== null }
}
