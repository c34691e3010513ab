import { createHash, randomBytes } from 'node:crypto'
import { base32 } from '../common/multibase'

/**
 * CIDs as Lotus prints them, built for real (CIDv1, multibase base32 lower): message and
 * block CIDs (`bafy2bzace…`, dag-cbor + blake2b-256), sealed commitments CommR
 * (`bagboea4b5abc…`, fil-commitment-sealed + poseidon), unsealed commitments CommD / piece
 * CIDs (`baga6ea4seaq…`, fil-commitment-unsealed + sha2-256-trunc254-padded).
 */

function varint(n: number): number[] {
  const out: number[] = []
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return out
}

function cidV1(codec: number, mhCode: number, digest: Buffer): string {
  const bytes = Buffer.from([...varint(1), ...varint(codec), ...varint(mhCode), ...varint(digest.length), ...digest])
  return `b${base32(bytes)}`
}

function digestOf(seed: string): Buffer {
  return createHash('sha256').update(seed).digest()
}

/** A dag-cbor/blake2b-256 CID (`bafy2bzace…`) named by `seed` (deterministic). */
export function messageCid(seed: string): string {
  return cidV1(0x71, 0xb220, digestOf(`msg:${seed}`))
}

/** A fresh random message CID. */
export function randomMessageCid(): string {
  return cidV1(0x71, 0xb220, randomBytes(32))
}

/** CommR of a sealed sector (`bagboea4b5abc…`). */
export function sealedCid(seed: string): string {
  const d = digestOf(`commr:${seed}`)
  d[31] = (d[31] as number) & 0x3f // a field element, as Fr commitments are
  return cidV1(0xf102, 0xb401, d)
}

/** CommD / piece CID (`baga6ea4seaq…`). */
export function unsealedCid(seed: string): string {
  const d = digestOf(`commd:${seed}`)
  d[31] = (d[31] as number) & 0x3f
  return cidV1(0xf101, 0x1012, d)
}

/** The all-zero piece commitment of a full 32 GiB sector (what CC sectors show as CommD). */
export const ZERO_PIECE_32G = 'baga6ea4seaqao7s73y24kcutaosvacpdjgfe5pw76ooefnyqw4ynr3d2y6x2mpq'

/** CommD of a CC sector of `sectorSize` bytes. */
export function zeroPieceCid(sectorSize: number): string {
  return sectorSize === 34359738368 ? ZERO_PIECE_32G : unsealedCid(`zero-piece:${sectorSize}`)
}

/** Deterministic pseudo-random bytes (base64), e.g. tickets, seeds, proofs. */
export function seededBytes(seed: string, length: number): string {
  const out: Buffer[] = []
  let i = 0
  let have = 0
  while (have < length) {
    const h = createHash('sha256').update(`${seed}:${i++}`).digest()
    out.push(h)
    have += h.length
  }
  return Buffer.concat(out).subarray(0, length).toString('base64')
}
