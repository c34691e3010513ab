import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto'
import { blake2b } from './blake2b'
import { base32 as base32Lower, base32Decode, base58 as base58btc } from '../common/multibase'

/**
 * Identities a real mainnet site has: a miner actor ID in the range live miners have, BLS (f3)
 * owner/worker wallets, a secp256k1 (f1) control wallet, and a libp2p peer ID. Addresses carry
 * correct blake2b-32 checksums so that any tool validating them accepts them.
 */

/** Checksum of a Filecoin address: blake2b-32 over protocol byte + payload. */
export function addressChecksum(protocol: number, payload: Uint8Array): Buffer {
  return blake2b(Buffer.concat([Buffer.from([protocol]), Buffer.from(payload)]), 4)
}

/** `f<protocol><base32(payload ‖ checksum)>` for protocols 1 (secp256k1) and 3 (BLS). */
export function filecoinAddress(protocol: 1 | 3, payload: Uint8Array): string {
  return `f${protocol}${base32Lower(Buffer.concat([Buffer.from(payload), addressChecksum(protocol, payload)]))}`
}

/** True when a f1/f3 address string's checksum is right. */
export function addressChecksumOk(addr: string): boolean {
  const m = /^[ft]([13])([a-z2-7]+)$/.exec(addr)
  if (!m) return false
  const protocol = Number(m[1])
  const raw = base32Decode(m[2] as string)
  if (!raw) return false
  const payloadLen = protocol === 1 ? 20 : 48
  if (raw.length !== payloadLen + 4) return false
  return addressChecksum(protocol, raw.subarray(0, payloadLen)).equals(raw.subarray(payloadLen))
}

/** A new BLS wallet address (payload: a 48-byte public key; random bytes stand in for one). */
export function newBlsAddress(): string {
  return filecoinAddress(3, randomBytes(48))
}

/** A new secp256k1 wallet address (payload: blake2b-160 of a public key). */
export function newSecpAddress(): string {
  return filecoinAddress(1, blake2b(randomBytes(65), 20))
}

/** A libp2p peer ID of a fresh ed25519 key: identity multihash of its protobuf, base58btc (`12D3KooW…`). */
export function newPeerId(): string {
  const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x
  if (!x) throw new Error('ed25519 key export failed')
  const pub = Buffer.from(x, 'base64url')
  // PublicKey protobuf {Type: Ed25519 (1), Data: 32 bytes}, wrapped in an identity multihash.
  const proto = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 0x20]), pub])
  return base58btc(Buffer.concat([Buffer.from([0x00, proto.length]), proto]))
}

/** Distinct miner actor IDs in the range of recently created mainnet miners (f01xxxxxx–f03xxxxxx). */
export function newMinerIds(count: number): number[] {
  const ids = new Set<number>()
  while (ids.size < count) ids.add(randomInt(1_000_000, 3_999_999))
  return [...ids]
}
