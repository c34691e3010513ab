import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { blake2b } from './blake2b'
import { base58 as base58btc } from '../common/multibase'
import { addressChecksumOk, newBlsAddress, newMinerIds, newPeerId, newSecpAddress } from './identity'

describe('blake2b', () => {
  it('matches node:crypto blake2b512 for 64-byte digests over block boundaries', () => {
    for (const len of [0, 1, 3, 127, 128, 129, 256, 300]) {
      const data = Buffer.alloc(len, len % 251)
      expect(blake2b(data, 64).toString('hex')).toBe(createHash('blake2b512').update(data).digest('hex'))
    }
  })

  it('gives the RFC 7693 test vector for blake2b-512("abc")', () => {
    expect(blake2b(Buffer.from('abc'), 64).toString('hex').slice(0, 32)).toBe('ba80a53f981c4d0d6a2797b69f12f6e9')
  })
})

describe('Filecoin identities', () => {
  it('validates the checksums of real mainnet addresses (so our blake2b-32 is right)', () => {
    expect(addressChecksumOk('f1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za')).toBe(true)
    expect(addressChecksumOk('f3vvmn62lofvhjd2ugzca6sof2j2ubwok6cj4xxbfzz4yuxfkgobpihhd2thlanmsh3w2ptld2gqkn2jvlss4a')).toBe(true)
    expect(addressChecksumOk('f1abjyfbp274xpdqcpuaykwkfb43omjotacm2p3za')).toBe(false)
  })

  it('makes f3 and f1 wallet addresses with valid checksums', () => {
    const bls = newBlsAddress()
    expect(bls).toMatch(/^f3[a-z2-7]{84}$/)
    expect(addressChecksumOk(bls)).toBe(true)
    const secp = newSecpAddress()
    expect(secp).toMatch(/^f1[a-z2-7]{39}$/)
    expect(addressChecksumOk(secp)).toBe(true)
  })

  it('makes libp2p ed25519 peer IDs', () => {
    expect(base58btc(Buffer.from([0, 0, 1]))).toBe('112')
    const id = newPeerId()
    expect(id).toMatch(/^12D3KooW[1-9A-HJ-NP-Za-km-z]{44}$/)
    expect(newPeerId()).not.toBe(id)
  })

  it('picks distinct miner IDs in the range of live mainnet miners', () => {
    const ids = newMinerIds(50)
    expect(new Set(ids).size).toBe(50)
    for (const id of ids) expect(id).toBeGreaterThanOrEqual(1_000_000)
  })
})
