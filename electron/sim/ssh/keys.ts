import { chmodSync, writeFileSync } from 'node:fs'
import { generateKeyPairSync, randomBytes } from 'node:crypto'

/**
 * ed25519 key pairs in OpenSSH's own file formats, made with node:crypto only. The simulator's
 * bundle is copied next to the sites and runs without node_modules, so nothing here may load
 * ssh2 (which the bundle keeps external).
 */
export interface KeyPairFiles {
  privatePath: string
  publicPath: string
  /** `ssh-ed25519 AAAA… comment` */
  publicLine: string
}

function sshString(data: Buffer | string): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  return Buffer.concat([len, body])
}

function uint32(n: number): Buffer {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}

/** The raw 32-byte seed and public key of a new ed25519 key. */
function newEd25519(): { seed: Buffer; pub: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const d = privateKey.export({ format: 'jwk' }).d
  const x = publicKey.export({ format: 'jwk' }).x
  if (!d || !x) throw new Error('ed25519 key export failed')
  return { seed: Buffer.from(d, 'base64url'), pub: Buffer.from(x, 'base64url') }
}

/** `ssh-ed25519 <base64 wire key>` */
export function ed25519PublicBlob(pub: Buffer): Buffer {
  return Buffer.concat([sshString('ssh-ed25519'), sshString(pub)])
}

/** An unencrypted `openssh-key-v1` private key file (PROTOCOL.key). */
export function opensshPrivateKey(seed: Buffer, pub: Buffer, comment: string): string {
  const check = randomBytes(4)
  let inner = Buffer.concat([
    check,
    check,
    sshString('ssh-ed25519'),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment)
  ])
  // Pad to the cipher block size (8 for "none") with 1, 2, 3, …
  const padLen = (8 - (inner.length % 8)) % 8
  inner = Buffer.concat([inner, Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1))])
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(ed25519PublicBlob(pub)),
    sshString(inner)
  ])
  const b64 = body.toString('base64').replace(/.{70}/g, '$&\n')
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END OPENSSH PRIVATE KEY-----\n`
}

/** Writes a new unencrypted ed25519 key pair in OpenSSH format (0600 private key). */
export function writeEd25519KeyPair(privatePath: string, comment: string): KeyPairFiles {
  const { seed, pub } = newEd25519()
  writeFileSync(privatePath, opensshPrivateKey(seed, pub, comment), { mode: 0o600 })
  chmodSync(privatePath, 0o600)
  const publicLine = `ssh-ed25519 ${ed25519PublicBlob(pub).toString('base64')} ${comment}`
  writeFileSync(`${privatePath}.pub`, `${publicLine}\n`, { mode: 0o644 })
  return { privatePath, publicPath: `${privatePath}.pub`, publicLine }
}

/** The `type base64` part of a public key line (drops the comment). */
export function publicKeyBody(publicLine: string): string {
  const [type, b64] = publicLine.trim().split(/\s+/)
  if (!type || !b64) throw new Error(`not a public key line: ${publicLine}`)
  return `${type} ${b64}`
}
