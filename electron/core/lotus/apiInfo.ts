/**
 * Lotus API info strings (`FULLNODE_API_INFO`, `MINER_API_INFO`) and API addresses, read the way
 * the Lotus CLI reads them (cli/util/apiinfo.go, node/repo/fsrepo.go).
 *
 * `TOKEN:ADDRESS` is split at the first `:` unless the string starts with `/` (a bare multiaddr)
 * or that `:` is followed by `//` (a bare URL such as `http://host:1234`). A comma separates
 * several entries (full-node failover lists).
 */

export interface ApiInfo {
  /** The token part, or null when there is none. A secret: never log it. */
  token: string | null
  /** Multiaddr or URL, as written. */
  addr: string
}

/** ParseApiInfo of cli/util/apiinfo.go. */
export function parseApiInfo(s: string): ApiInfo {
  if (!s.startsWith('/')) {
    const idx = s.indexOf(':')
    if (idx > 0 && !s.slice(idx + 1).startsWith('//')) {
      return { token: s.slice(0, idx), addr: s.slice(idx + 1) }
    }
  }
  return { token: null, addr: s }
}

/** ParseApiInfoMulti: every comma-separated entry, empty ones included (as Lotus does). */
export function parseApiInfoMulti(s: string): ApiInfo[] {
  return s.split(',').map(parseApiInfo)
}

/** Where an API listens, as MinerDesk dials it (from the remote machine's point of view). */
export interface ApiAddress {
  host: string
  port: number
  /** Lotus dials wss:// when the multiaddr has /wss or /tls, or the URL is https/wss. */
  tls: boolean
  /** Path prefix before `/rpc/vN` (URL forms only; '' for multiaddrs). */
  basePath: string
}

export class ApiAddressError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ApiAddressError'
  }
}

/**
 * A listen address of 0.0.0.0 / :: means "every interface"; dialled from the remote machine
 * it is that machine's loopback (Go's dialer does the same on Linux).
 */
function dialHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::' || host === '0:0:0:0:0:0:0:0') return '::1'
  return host
}

function parsePort(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,5}$/.test(text)) throw new ApiAddressError(`${what}: invalid TCP port ${JSON.stringify(text ?? '')}`)
  const port = Number(text)
  if (port < 1 || port > 65535) throw new ApiAddressError(`${what}: TCP port ${port} out of range`)
  return port
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6 = /^[0-9A-Fa-f:.]+$/
const DNS_NAME = /^[A-Za-z0-9]([A-Za-z0-9-_.]{0,252})$/

/**
 * A multiaddr as Lotus's API addresses use them: `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>`
 * followed by optional `/http`, `/ws`, `/wss`, `/tls`, `/tls/ws`, `/https`, `/p2p/...`.
 * (manet.DialArgs needs the host and tcp parts; Lotus ignores the rest except /wss and /tls.)
 */
export function parseMultiaddr(ma: string): ApiAddress {
  const what = `multiaddr ${JSON.stringify(ma)}`
  if (!ma.startsWith('/')) throw new ApiAddressError(`${what}: does not start with /`)
  const parts = ma.split('/').slice(1)
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  const [proto, hostPart, tcp, portText, ...rest] = parts
  if (proto === 'unix') throw new ApiAddressError(`${what}: unix-socket API addresses cannot be reached over SSH forwarding`)
  if (proto !== 'ip4' && proto !== 'ip6' && proto !== 'dns' && proto !== 'dns4' && proto !== 'dns6') {
    throw new ApiAddressError(`${what}: expected /ip4, /ip6 or /dns at the start`)
  }
  if (hostPart === undefined || hostPart === '') throw new ApiAddressError(`${what}: missing host`)
  if (proto === 'ip4' && !IPV4.test(hostPart)) throw new ApiAddressError(`${what}: invalid IPv4 address`)
  if (proto === 'ip6' && (!IPV6.test(hostPart) || !hostPart.includes(':'))) throw new ApiAddressError(`${what}: invalid IPv6 address`)
  if (proto.startsWith('dns') && !DNS_NAME.test(hostPart)) throw new ApiAddressError(`${what}: invalid DNS name`)
  if (tcp !== 'tcp') throw new ApiAddressError(`${what}: expected /tcp/<port> after the host`)
  const port = parsePort(portText, what)
  let tls = false
  for (let i = 0; i < rest.length; i++) {
    const p = rest[i]
    if (p === 'wss' || p === 'tls') tls = true
    else if (p === 'http' || p === 'https' || p === 'ws') continue
    else if (p === 'p2p' || p === 'ipfs' || p === 'sni') i++ // these carry a value
    else throw new ApiAddressError(`${what}: unsupported protocol /${p ?? ''}`)
  }
  return { host: dialHost(hostPart), port, tls, basePath: '' }
}

const RPC_PATH_SUFFIX = /\/rpc\/v\d+\/?$/

/** A URL address (`http://host:1234`, `wss://host/prefix`), as DialArgs accepts it. */
export function parseApiUrl(text: string): ApiAddress {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ApiAddressError(`API address ${JSON.stringify(text)} is neither a multiaddr nor a URL`)
  }
  const scheme = url.protocol.replace(/:$/, '')
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'ws' && scheme !== 'wss') {
    throw new ApiAddressError(`API address ${JSON.stringify(text)}: unsupported scheme ${scheme}`)
  }
  const rpc = RPC_PATH_SUFFIX.exec(url.pathname)
  if (rpc) {
    // Lotus refuses this too: it appends /rpc/vN itself.
    throw new ApiAddressError(`API address ${JSON.stringify(text)} ends with ${JSON.stringify(rpc[0].replace(/\/$/, ''))}; remove it, Lotus adds /rpc/vN itself`)
  }
  const tls = scheme === 'https' || scheme === 'wss'
  const port = url.port === '' ? (tls ? 443 : 80) : parsePort(url.port, `API address ${JSON.stringify(text)}`)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new ApiAddressError(`API address ${JSON.stringify(text)}: missing host`)
  return { host: dialHost(host), port, tls, basePath: url.pathname.replace(/\/+$/, '') }
}

/** The address part of an API info entry: a multiaddr when it starts with `/`, else a URL. */
export function parseApiAddress(addr: string): ApiAddress {
  const text = addr.trim()
  if (text === '') throw new ApiAddressError('empty API address')
  return text.startsWith('/') ? parseMultiaddr(text) : parseApiUrl(text)
}

/** The text of a repo's `api` file (a multiaddr, whitespace trimmed as fsrepo.APIEndpoint does). */
export function parseRepoApiFile(text: string): ApiAddress {
  const ma = text.trim()
  if (ma === '') throw new ApiAddressError('the api file is empty')
  return parseMultiaddr(ma)
}

/** The text of a repo's `token` file (bytes.TrimSpace); null when empty. */
export function parseRepoTokenFile(text: string): string | null {
  const t = text.trim()
  return t === '' ? null : t
}

/** `host:port` for messages (IPv6 in brackets). */
export function formatHostPort(a: { host: string; port: number }): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`
}
