import { createHash } from 'node:crypto'
import { blake2b } from '../front/blake2b'
import { base32, base32Decode, base58, base58Decode } from '../common/multibase'

/**
 * Identifiers as Lotus prints them — CIDs, addresses, peer IDs, signatures — made
 * deterministically from seeds, so that the same chain object always gets the same name
 * (across restarts and across every call) without storing it.
 */

/** `n` pseudo-random bytes from a seed (SHA-256 in counter mode). */
export function seededBytes(seed: string, n: number): Buffer {
  const parts: Buffer[] = []
  let have = 0
  for (let i = 0; have < n; i++) {
    const h = createHash('sha256').update(`${i}\u0000${seed}`).digest()
    parts.push(h)
    have += h.length
  }
  return Buffer.concat(parts).subarray(0, n)
}

/** A 32-bit unsigned integer from a seed, for deterministic choices. */
export function seededInt(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0)
}

/** A float in [0,1) from a seed. */
export function seededFloat(seed: string): number {
  return seededInt(seed) / 0x1_0000_0000
}

// CID prefixes: version 1, codec, multihash code, digest length (all varints).
const DAG_CBOR_BLAKE2B = Buffer.from([0x01, 0x71, 0xa0, 0xe4, 0x02, 0x20])
const COMMR_PREFIX = Buffer.from([0x01, 0x82, 0xe2, 0x03, 0x81, 0xe8, 0x02, 0x20])
const COMMD_PREFIX = Buffer.from([0x01, 0x81, 0xe2, 0x03, 0x92, 0x20, 0x20])

function cidString(prefix: Buffer, digest: Buffer): string {
  return `b${base32(Buffer.concat([prefix, digest]))}`
}

/** A dag-cbor/blake2b-256 CID (`bafy2bzace…`), like every block, message and state root. */
export function chainCid(seed: string): string {
  return cidString(DAG_CBOR_BLAKE2B, seededBytes(seed, 32))
}

/** A sealed-sector commitment CID (`bagboea4b5abc…`, CommR). */
export function commRCid(seed: string): string {
  const d = seededBytes(`commr:${seed}`, 32)
  d[31] = (d[31] as number) & 0x3f // a BLS12-381 field element (fr32)
  return cidString(COMMR_PREFIX, d)
}

/**
 * 32 pseudo-random bytes from two integers (splitmix32), for values made 100,000 times per
 * call (CommRs of a listing) where a SHA-256 per item would dominate the answer time.
 */
export function mixedBytes(a: number, b: number, n = 32): Buffer {
  const out = Buffer.allocUnsafe(n)
  let x = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0
  for (let i = 0; i < n; i += 4) {
    x = (x + 0x9e3779b9) >>> 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    z = (z ^ (z >>> 15)) >>> 0
    out.writeUInt32LE(z, i)
  }
  return out
}

/** CommR of sector `sector` of miner `minerId`, computed without hashing. */
export function commRCidOf(minerId: number, sector: number): string {
  const buf = Buffer.allocUnsafe(COMMR_PREFIX.length + 32)
  COMMR_PREFIX.copy(buf, 0)
  mixedBytes(minerId, sector).copy(buf, COMMR_PREFIX.length)
  buf[buf.length - 1] = (buf[buf.length - 1] as number) & 0x3f
  return `b${base32(buf)}`
}

/** An unsealed commitment CID (`baga6ea4seaq…`, CommD / piece CID). */
export function commDCid(seed: string): string {
  const d = seededBytes(`commd:${seed}`, 32)
  d[31] = (d[31] as number) & 0x3f
  return cidString(COMMD_PREFIX, d)
}

/** The CommD every 32 GiB CC sector has (the all-zero piece). */
export const ZERO_PIECE_32G = 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq'

/** True for a CID string of the forms the sim produces or Lotus accepts (multibase `b`, base32). */
export function isCidString(s: string): boolean {
  return /^b[a-z2-7]{20,}$/.test(s) || /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/.test(s)
}

/* --------------------------------------------------------------- addresses */

function checksum(protocol: number, payload: Uint8Array): Buffer {
  return blake2b(Buffer.concat([Buffer.from([protocol]), Buffer.from(payload)]), 4)
}

/** A mainnet secp256k1 (`f1…`) or BLS (`f3…`) key address with a valid checksum. */
export function keyAddress(protocol: 1 | 3, seed: string): string {
  const payload = seededBytes(`addr${protocol}:${seed}`, protocol === 1 ? 20 : 48)
  return `f${protocol}${base32(Buffer.concat([payload, checksum(protocol, payload)]))}`
}

export type AddressCheck = { ok: true; protocol: number } | { ok: false; error: string }

/** Validates an address string the way go-address's NewFromString does (mainnet or testnet prefix). */
export function checkAddress(s: string): AddressCheck {
  if (s.length < 3) return { ok: false, error: 'invalid address length' }
  if (s[0] !== 'f' && s[0] !== 't') return { ok: false, error: 'unknown address network' }
  const protocol = Number(s[1])
  if (protocol === 0) {
    return /^\d+$/.test(s.slice(2)) ? { ok: true, protocol } : { ok: false, error: 'invalid address payload' }
  }
  if (protocol === 4) return /^[0-9]+f[a-z2-7]+$/.test(s.slice(2)) ? { ok: true, protocol } : { ok: false, error: 'invalid address payload' }
  if (protocol !== 1 && protocol !== 2 && protocol !== 3) return { ok: false, error: 'unknown address protocol' }
  const raw = base32Decode(s.slice(2))
  if (!raw) return { ok: false, error: 'invalid address payload' }
  const len = protocol === 3 ? 48 : 20
  if (raw.length !== len + 4) return { ok: false, error: 'invalid address length' }
  if (!checksum(protocol, raw.subarray(0, len)).equals(raw.subarray(len))) return { ok: false, error: 'invalid address checksum' }
  return { ok: true, protocol }
}

/* ------------------------------------------------------------------ peers */

/** A libp2p peer ID of an ed25519 key (`12D3KooW…`): identity multihash of the key protobuf. */
export function peerIdFrom(seed: string): string {
  const key = seededBytes(`peer:${seed}`, 32)
  return base58(Buffer.concat([Buffer.from([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]), key]))
}

/** Parses a peer ID as go-libp2p's peer.Decode accepts it; returns the error text otherwise. */
export function checkPeerId(s: string): string | null {
  if (s.startsWith('Qm') || s.startsWith('1')) {
    const b = base58Decode(s)
    if (!b) return 'failed to parse peer ID: selected encoding not supported'
    const code = b[0]
    const len = b[1]
    if ((code !== 0x00 && code !== 0x12) || len === undefined || b.length !== len + 2) {
      return 'failed to parse peer ID: multihash length inconsistent'
    }
    return null
  }
  if (/^b[a-z2-7]+$/.test(s)) return null
  return 'failed to parse peer ID: invalid cid: selected encoding not supported'
}

/* ------------------------------------------------------------- signatures */

/** Signature bytes a wallet key "makes" over a message CID: fixed per (address, cid), so verifiable. */
export function signatureData(address: string, cid: string): string {
  const bls = address.charAt(1) === '3'
  return seededBytes(`sig:${address}:${cid}`, bls ? 96 : 65).toString('base64')
}

export function signatureType(address: string): 1 | 2 {
  return address.charAt(1) === '3' ? 2 : 1
}
