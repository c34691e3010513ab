import { createHash } from 'node:crypto'
import type { ServerHostKeyAlgorithm } from 'ssh2'

/** Facts about an SSH public key blob (the wire encoding: string type, then key data). */

/** The key type named inside the blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`…). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) throw new Error('public key blob too short')
  const len = blob.readUInt32BE(0)
  if (len === 0 || len > 64 || blob.length < 4 + len) throw new Error('malformed public key blob')
  return blob.subarray(4, 4 + len).toString('latin1')
}

/** OpenSSH's fingerprint form: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprintSha256(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** ssh2 host-key algorithms that a known_hosts key type can be verified with. */
export function hostKeyAlgorithmsFor(keyType: string): ServerHostKeyAlgorithm[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
  const known = DEFAULT_HOST_KEY_ALGORITHMS.find((a) => a === keyType)
  return known ? [known] : []
}

/** ssh2's default host-key algorithm list (Node 20 has ed25519), in its order. */
export const DEFAULT_HOST_KEY_ALGORITHMS: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa'
]

/**
 * Host-key algorithms to offer, those matching key types already in known_hosts first, so the
 * server presents a key we can check instead of a new type we would have to ask about
 * (OpenSSH orders HostKeyAlgorithms the same way).
 */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  return [...new Set([...knownTypes.flatMap(hostKeyAlgorithmsFor), ...DEFAULT_HOST_KEY_ALGORITHMS])]
}
