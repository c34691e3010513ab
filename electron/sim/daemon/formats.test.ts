import { describe, expect, it } from 'vitest'
import { filUnitless, formatFil, parseBigInt, parseFil } from './fil'
import { formatGoDuration } from './goDuration'
import { chainCid, checkAddress, checkPeerId, commDCid, commRCid, keyAddress, peerIdFrom, ZERO_PIECE_32G } from './ids'
import { base32Decode } from '../common/multibase'
import { goTime } from './sync'

describe('Go duration strings (time.Duration.String)', () => {
  it.each([
    [0, '0s'],
    [999, '999ns'],
    [1_500, '1.5µs'],
    [23_482_134, '23.482134ms'],
    [1_000_000_000, '1s'],
    [4_500_000_000, '4.5s'],
    [61_000_000_000, '1m1s'],
    [3_723_250_000_000, '1h2m3.25s'],
    [7_200_000_000_000, '2h0m0s']
  ])('%d ns → %s', (ns, s) => expect(formatGoDuration(ns)).toBe(s))
})

describe('FIL amounts (types.FIL)', () => {
  it('prints like FIL.String()', () => {
    expect(formatFil(0n)).toBe('0 FIL')
    expect(formatFil(10n ** 18n)).toBe('1 FIL')
    expect(formatFil(1_500_000_000_000_000_000n)).toBe('1.5 FIL')
    expect(filUnitless(1n)).toBe('0.000000000000000001')
  })

  it('parses like ParseFIL and BigFromString', () => {
    expect(parseFil('1')).toBe(10n ** 18n)
    expect(parseFil('0.07')).toBe(70_000_000_000_000_000n)
    expect(parseFil('5 FIL')).toBe(5n * 10n ** 18n)
    expect(parseFil('100attofil')).toBe(100n)
    expect(() => parseFil('1 XYZ')).toThrow('unrecognized suffix: " XYZ"')
    expect(() => parseFil('0.0000000000000000001')).toThrow('invalid FIL value: "0.0000000000000000001"')
    expect(parseBigInt('1012')).toBe(1012n)
    expect(() => parseBigInt('')).toThrow('failed to parse string as a big int')
  })
})

describe('identifiers', () => {
  it('makes CIDs with Lotus\'s prefixes', () => {
    expect(chainCid('x')).toMatch(/^bafy2bzace[a-z2-7]{52}$/)
    expect(commRCid('x')).toMatch(/^bagboea4b5abc[a-z2-7]+$/)
    expect(commDCid('x')).toMatch(/^baga6ea4seaq[a-z2-7]+$/)
    // The same multicodec/multihash prefix as the well-known 32 GiB zero piece.
    expect(base32Decode(commDCid('x').slice(1))?.subarray(0, 7)).toEqual(base32Decode(ZERO_PIECE_32G.slice(1))?.subarray(0, 7))
  })

  it('validates addresses as go-address does (checksums included)', () => {
    expect(checkAddress('f17uoq6tp427uzv7fztkbsnn64iwotfrristwpryy')).toEqual({ ok: true, protocol: 1 })
    expect(checkAddress('f1xcbgdhkgkwht3hrrnui3jdopeejsoatkzmoltqy')).toEqual({ ok: true, protocol: 1 })
    expect(checkAddress('f17uoq6tp427uzv7fztkbsnn64iwotfrristwprya')).toEqual({ ok: false, error: 'invalid address checksum' })
    expect(checkAddress('f01234')).toEqual({ ok: true, protocol: 0 })
    expect(checkAddress('x01234')).toEqual({ ok: false, error: 'unknown address network' })
    expect(checkAddress(keyAddress(3, 'a'))).toEqual({ ok: true, protocol: 3 })
    expect(keyAddress(3, 'a')).toHaveLength(86)
    expect(keyAddress(1, 'a')).toHaveLength(41)
  })

  it('makes and checks ed25519 peer IDs', () => {
    const id = peerIdFrom('x')
    expect(id).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
    expect(checkPeerId(id)).toBeNull()
    expect(checkPeerId('12D3KooWnotapeer')).toMatch(/^failed to parse peer ID/)
    expect(checkPeerId('hello')).toMatch(/^failed to parse peer ID/)
  })
})

describe('Go time marshalling', () => {
  it('writes RFC 3339 with trimmed nanoseconds and the zero time', () => {
    expect(goTime(0)).toBe('0001-01-01T00:00:00Z')
    expect(goTime(Date.UTC(2026, 0, 2, 3, 4, 5, 120), 500_000)).toMatch(/^2026-01-0\dT\d\d:04:05\.1205(Z|[+-]\d\d:\d\d)$/)
  })
})
