import { createHash } from 'node:crypto'

/**
 * The one redaction of secrets (Lotus API tokens, the token part of `*_API_INFO`, bearer and
 * `token=` values, passphrases) for every value MinerDesk stores, exports, logs, prints or sends
 * to a window. A token becomes `[token sha256:<12 hex>]`: a short fingerprint that tells two
 * tokens apart (an expected environment is compared through it) and can be checked on the site
 * with `printf %s TOKEN | sha256sum`, but gives nothing to use. Passphrases, which may be
 * guessable, become `[redacted]` without a fingerprint. Already redacted text stays as it is.
 */

export const REDACTED = '[redacted]'
const FINGERPRINT_HEX = 12

/** `sha256:` + the first 12 hex digits of the SHA-256 of `secret`. */
export function secretFingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, FINGERPRINT_HEX)}`
}

function mask(secret: string): string {
  return `[token ${secretFingerprint(secret)}]`
}

const TOKEN_REPLACEMENTS: Array<[RegExp, (...m: string[]) => string]> = [
  // Authorization: Bearer <token>
  [/(\bBearer\s+)(?![[$])([^\s'",]+)/gi, (_m, pre, tok) => `${pre}${mask(tok!)}`],
  // JWTs (Lotus tokens): header.payload.signature, the header starting with {"… = eyJ
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, (m) => mask(m)],
  // NAME_API_INFO=TOKEN:/multiaddr or NAME_API_INFO=TOKEN alone (an address alone starts with /
  // or is a URL such as http://…; $(…) is a command)
  [/(\b[A-Z0-9_]*API_INFO=['"]?)(?![/'"\s$[])([^\s:'"/]+)(?=:\/(?!\/)|['"\s]|$)/g, (_m, pre, tok) => `${pre}${mask(tok!)}`],
  // TOKEN:/ip4/… written bare
  [/(^|[\s'"=])(?![/[])([A-Za-z0-9._~+-]{16,})(?=:\/(?:ip4|ip6|dns|dns4|dns6)\/)/g, (_m, pre, tok) => `${pre}${mask(tok!)}`],
  // --token X, --token=X, token=X, ?token=X, "token":"X"
  [/(--token(?:=|\s+)|\btoken(?:=|"\s*:\s*"|'\s*:\s*'))(['"]?)(?![[$])([^\s'"&,}]+)/gi, (_m, pre, q, tok) => `${pre}${q}${mask(tok!)}`],
  // Long hex runs (a wallet key export, a host's token): never a CID, an address or a 0x hash
  [/(?<![0-9A-Za-z])(?<!0x)[0-9a-f]{64,}(?![0-9A-Za-z])/g, (m) => mask(m)]
]

const SECRET_REPLACEMENTS: Array<[RegExp, string]> = [
  // --passphrase X and --passphrase=X (also password/secret)
  [/(--(?:passphrase|password|secret)(?:=|\s+))(['"]?)(?!\[redacted\])[^\s'"&,}]+/gi, `$1$2${REDACTED}`],
  // passphrase=X, "password":"X"
  [/(\b(?:passphrase|password|secret)(?:=|"\s*:\s*"|'\s*:\s*'))(['"]?)(?!\[redacted\])[^\s'"&,}]+/gi, `$1$2${REDACTED}`]
]

/** Quick test: most strings hold nothing that could be a secret, and are returned untouched. */
const MAYBE_SECRET = /eyJ|API_INFO|bearer|token|passphrase|password|secret|:\/(?:ip4|ip6|dns)|[0-9a-f]{64}/i

/** Removes token- and passphrase-looking values from free text. */
export function redactSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text
  let out = text
  for (const [re, rep] of TOKEN_REPLACEMENTS) out = out.replace(re, rep as (substring: string, ...args: unknown[]) => string)
  for (const [re, rep] of SECRET_REPLACEMENTS) out = out.replace(re, rep)
  return out
}

/** Environment variables whose whole value is secret (beyond what redactSecrets recognises). */
const SECRET_ENV = /(?:^|_)(?:TOKEN|PASSPHRASE|PASSWORD|SECRET|PRIVATE_KEY)$/i

/**
 * An environment variable's value as it may be shown or stored: `*_API_INFO` keeps its address
 * and loses its token (also a token of any shape), variables named like secrets lose it all.
 */
export function redactEnvValue(name: string, value: string): string {
  if (SECRET_ENV.test(name)) return value === '' || value === '*' || /^\[(token sha256:[0-9a-f]+|redacted)\]$/.test(value) ? value : mask(value)
  if (/API_INFO$/.test(name)) return redactSecrets(`API_INFO=${value}`).slice('API_INFO='.length)
  return redactSecrets(value)
}

/** Object keys whose string values are secret whatever they look like. */
const SECRET_KEY = /^(?:token|passphrase|password|secret|authorization)$/i

/** Limit of nesting walked (values crossing the core's boundary are far shallower). */
const MAX_DEPTH = 64

/**
 * A copy of a JSON-like value with every string redacted (and values of keys named like secrets
 * or `*_API_INFO` treated as such). Values that hold nothing to redact are returned as they are,
 * without copying, so large answers cost one pass.
 */
export function redactDeep<T>(value: T): T {
  return walk(value, 0) as T
}

function walk(v: unknown, depth: number, key?: string): unknown {
  if (typeof v === 'string') {
    if (key !== undefined) {
      if (SECRET_KEY.test(key) && v !== '' && !v.startsWith('[')) return mask(v)
      if (/API_INFO$/.test(key) || SECRET_ENV.test(key)) return redactEnvValue(key, v)
    }
    return redactSecrets(v)
  }
  if (v === null || typeof v !== 'object' || depth >= MAX_DEPTH) return v
  if (Array.isArray(v)) {
    let out: unknown[] | null = null
    for (let i = 0; i < v.length; i++) {
      const r = walk(v[i], depth + 1)
      if (r !== v[i]) {
        out ??= v.slice()
        out[i] = r
      }
    }
    return out ?? v
  }
  const proto = Object.getPrototypeOf(v) as unknown
  if (proto !== Object.prototype && proto !== null) return v
  let out: Record<string, unknown> | null = null
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const r = walk(x, depth + 1, k)
    if (r !== x) {
      out ??= { ...(v as Record<string, unknown>) }
      out[k] = r
    }
  }
  return out ?? v
}
