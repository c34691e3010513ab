import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newJwtSecret, PERMISSIONS, signToken } from '../common/jwt'
import { seededBytes } from './ids'

/**
 * The files of a `lotus` repo that are not chain state, laid out as Lotus's fsrepo does:
 * `config.toml`, `token`, and `keystore/` with one file per key, named by the base32 (RFC 4648,
 * upper case, unpadded) encoding of the key name and holding a JSON KeyInfo.
 */

const KEY_JWT = 'auth-jwt-private'

function keystoreName(name: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of Buffer.from(name)) {
    value = ((value << 8) | byte) & 0xffff
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return out
}

function writeKey(repo: string, name: string, type: string, key: Buffer): void {
  const dir = join(repo, 'keystore')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  writeFileSync(join(dir, keystoreName(name)), JSON.stringify({ Type: type, PrivateKey: key.toString('base64') }), { mode: 0o600 })
}

/** The API's JWT secret (keystore `auth-jwt-private`); null when the repo has none. */
export function readJwtSecret(repo: string): Buffer | null {
  const p = join(repo, 'keystore', keystoreName(KEY_JWT))
  if (!existsSync(p)) return null
  const ki = JSON.parse(readFileSync(p, 'utf8')) as { PrivateKey?: string }
  return ki.PrivateKey ? Buffer.from(ki.PrivateKey, 'base64') : null
}

export function adminToken(secret: Buffer): string {
  return signToken(secret, PERMISSIONS)
}

/** `config.toml` with the API listen address set, other sections commented out as a fresh repo has them. */
export function daemonConfigToml(port: number): string {
  return [
    '[API]',
    '  # Binding address for the Lotus API',
    '  #',
    '  # type: string',
    '  # env var: LOTUS_API_LISTENADDRESS',
    `  ListenAddress = "/ip4/127.0.0.1/tcp/${port}/http"`,
    '',
    '  # type: string',
    '  # env var: LOTUS_API_REMOTELISTENADDRESS',
    '  #RemoteListenAddress = ""',
    '',
    '  # type: Duration',
    '  # env var: LOTUS_API_TIMEOUT',
    '  #Timeout = "30s"',
    '',
    '',
    '[Libp2p]',
    '  # type: []string',
    '  # env var: LOTUS_LIBP2P_LISTENADDRESSES',
    '  #ListenAddresses = ["/ip4/0.0.0.0/tcp/0", "/ip6/::/tcp/0", "/ip4/0.0.0.0/udp/0/quic-v1", "/ip6/::/udp/0/quic-v1"]',
    '',
    '',
    '[Chainstore]',
    '  # type: bool',
    '  # env var: LOTUS_CHAINSTORE_ENABLESPLITSTORE',
    '  #EnableSplitstore = true',
    ''
  ].join('\n')
}

/**
 * The API port the daemon listens on without `--api`: `LOTUS_API_LISTENADDRESS`, else
 * config.toml's `[API] ListenAddress`, else Lotus's default 1234.
 */
export function configuredApiPort(repo: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromMa = (ma: string) => {
    const m = /\/tcp\/(\d+)/.exec(ma)
    return m ? Number(m[1]) : null
  }
  const envVal = env.LOTUS_API_LISTENADDRESS
  if (envVal) {
    const p = fromMa(envVal)
    if (p) return p
  }
  const cfgPath = join(repo, 'config.toml')
  if (existsSync(cfgPath)) {
    let section = ''
    for (const line of readFileSync(cfgPath, 'utf8').split('\n')) {
      const t = line.trim()
      const sec = /^\[([^\]]+)\]$/.exec(t)
      if (sec) section = sec[1] as string
      const kv = /^ListenAddress\s*=\s*"([^"]*)"/.exec(t)
      if (section === 'API' && kv) {
        const p = fromMa(kv[1] as string)
        if (p) return p
      }
    }
  }
  return 1234
}

/** A repo's non-chain files: keystore (JWT secret, libp2p host key, wallet keys), token, config. */
export function writeRepoFiles(repo: string, port: number, walletKeys: { address: string; type: 'bls' | 'secp256k1' }[]): Buffer {
  mkdirSync(join(repo, 'datastore'), { recursive: true, mode: 0o755 })
  const secret = readJwtSecret(repo) ?? newJwtSecret()
  writeKey(repo, KEY_JWT, 'jwt-hmac-secret', secret)
  writeKey(repo, 'libp2p-host', 'libp2p-host', seededBytes(`libp2p:${repo}`, 68))
  for (const w of walletKeys) writeKey(repo, `wallet-${w.address}`, w.type, seededBytes(`wallet:${w.address}`, 32))
  writeKey(repo, 'wallet-default', walletKeys[0]?.type ?? 'bls', seededBytes(`wallet:${walletKeys[0]?.address ?? ''}`, 32))
  writeFileSync(join(repo, 'token'), adminToken(secret), { mode: 0o600 })
  writeFileSync(join(repo, 'config.toml'), daemonConfigToml(port))
  return secret
}
