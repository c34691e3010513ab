import { chmodSync, writeFileSync } from 'node:fs'
import { utils } from 'ssh2'

export interface KeyPairFiles {
  privatePath: string
  publicPath: string
  /** `ssh-ed25519 AAAA… comment` */
  publicLine: string
}

/** Writes a new unencrypted ed25519 key pair in OpenSSH format (0600 private key). */
export function writeEd25519KeyPair(privatePath: string, comment: string): KeyPairFiles {
  const { private: priv, public: pub } = utils.generateKeyPairSync('ed25519', { comment })
  writeFileSync(privatePath, priv.endsWith('\n') ? priv : `${priv}\n`, { mode: 0o600 })
  chmodSync(privatePath, 0o600)
  const publicLine = pub.trim()
  writeFileSync(`${privatePath}.pub`, `${publicLine}\n`, { mode: 0o644 })
  return { privatePath, publicPath: `${privatePath}.pub`, publicLine }
}

/** The `type base64` part of a public key line (drops the comment). */
export function publicKeyBody(publicLine: string): string {
  const [type, b64] = publicLine.trim().split(/\s+/)
  if (!type || !b64) throw new Error(`not a public key line: ${publicLine}`)
  return `${type} ${b64}`
}
