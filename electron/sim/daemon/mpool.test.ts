import { describe, expect, it } from 'vitest'
import type { Message } from '../../../preload/contract/lotus/types'
import { capGasFee, estimateFeeCap, estimateMessageGas } from './gas'
import { keyAddress } from './ids'
import { messageCid } from './messages'
import { minRbfPremium, Mpool, rbfPremium } from './mpool'
import { Wallet, verifySignature } from './wallet'

const owner = keyAddress(3, 'owner')
const wallet = new Wallet([{ key: owner, id: 'f01000', role: 'owner' }])
const FIL = 10n ** 18n

function msg(nonce: number, premium: string, feeCap = '300000'): Message {
  const m = { Version: 0, To: 'f01234', From: owner, Nonce: nonce, Value: '0', GasLimit: 15_000_000, GasFeeCap: feeCap, GasPremium: premium, Method: 16, Params: null }
  return { ...m, CID: { '/': messageCid(m) } }
}

describe('mpool push rules', () => {
  it('replaces by fee only with a premium of at least old × 1.10 + 1 (ComputeMinRBF)', () => {
    expect(minRbfPremium(1012n)).toBe(1114n)
    expect(rbfPremium(1012n, 125n)).toBe(1266n)
    const pool = new Mpool({ pending: [], replaced: [], landed: [], nonces: { [owner]: 63 } })
    const first = wallet.sign(owner, msg(63, '1012'))
    pool.add(first, 10, 100n * FIL)
    expect(() => pool.add(wallet.sign(owner, msg(63, '1100')), 10, 100n * FIL)).toThrow(
      `message from ${owner} with nonce 63 already in mpool, increase GasPremium to 1114 from 1100 to trigger replace by fee: replace by fee has too low GasPremium`
    )
    expect(() => pool.add(first, 10, 100n * FIL)).toThrow(`message from ${owner} with nonce 63 already in mpool: message with nonce already exists`)
    const repl = wallet.sign(owner, msg(63, '1114'))
    expect(pool.add(repl, 10, 100n * FIL)).toBe(repl.CID['/'])
    expect(pool.local()).toEqual([repl])
    expect(pool.known(first.CID['/'])?.message.GasPremium).toBe('1012')
  })

  it('refuses low nonces, big nonce gaps and messages the sender cannot pay for', () => {
    const pool = new Mpool({ pending: [], replaced: [], landed: [], nonces: { [owner]: 63 } })
    expect(() => pool.add(wallet.sign(owner, msg(62, '100000')), 10, 100n * FIL)).toThrow('minimum expected nonce is 63, got 62: message nonce too low')
    expect(() => pool.add(wallet.sign(owner, msg(68, '100000')), 10, 100n * FIL)).toThrow(
      'message nonce has too big a gap from expected nonce (Nonce: 68, nextNonce: 63): unfulfilled nonce gap'
    )
    expect(() => pool.add(wallet.sign(owner, msg(63, '100000')), 10, 1n)).toThrow(/^not enough funds \(required: 0\.0000045 FIL, balance: 0\.000000000000000001 FIL\): not enough funds to execute transaction$/)
    expect(pool.nextNonce(owner)).toBe(63)
  })

  it('includes messages in nonce order; a premium below what block producers take keeps it and its successors stuck', () => {
    const pool = new Mpool({ pending: [], replaced: [], landed: [], nonces: { [owner]: 63 } })
    pool.add(wallet.sign(owner, msg(63, '1012')), 10, 100n * FIL)
    pool.add(wallet.sign(owner, msg(64, '120000')), 10, 100n * FIL)
    expect(pool.nextNonce(owner)).toBe(65)
    expect(pool.takeIncludable(11, 100n)).toEqual([])
    pool.add(wallet.sign(owner, msg(63, '130000')), 10, 100n * FIL)
    const taken = pool.takeIncludable(11, 100n)
    expect(taken.map((s) => s.Message.Nonce)).toEqual([63, 64])
    // Not before the epoch it may land in, and never under the base fee.
    pool.add(wallet.sign(owner, msg(63, '130000', '50')), 12, 100n * FIL)
    expect(pool.takeIncludable(11, 100n)).toEqual([])
  })

  it('verifies signatures like Lotus (BLS messages keep their unsigned CID)', () => {
    const s = wallet.sign(owner, msg(1, '100000'))
    expect(s.Signature.Type).toBe(2)
    expect(s.CID['/']).toBe(s.Message.CID['/'])
    expect(verifySignature(s, owner)).toBeNull()
    const forged = { ...s, Message: msg(2, '100000') }
    expect(verifySignature(forged, owner)).toMatch(/^signature verification failed: failed to validate signature: invalid signature for message .* \(type 2\): bls signature failed to verify$/)
  })
})

describe('gas estimation', () => {
  it('fills gas fields as GasEstimateMessageGas does', () => {
    const m = msg(0, '0', '0')
    const out = estimateMessageGas({ ...m, GasLimit: 0, CID: { '/': messageCid({ ...m, GasLimit: 0 }) } }, null, {
      baseFee: 100n,
      recentPremiums: [],
      execute: () => ({ exitCode: 0, gasUsed: 12_000_000 }),
      noise: () => 0
    })
    expect(out.GasLimit).toBe(15_000_000)
    expect(BigInt(out.GasPremium)).toBe(100_000n)
    expect(BigInt(out.GasFeeCap)).toBe(estimateFeeCap(100n, 100_000n))
    expect(estimateFeeCap(100n, 0n)).toBe(1054n) // 100 × ⌊1.125^20 × 256⌋ / 256
    expect(out.CID['/']).toBe(messageCid(out))
  })

  it('reports the actor\'s refusal as Lotus words it', () => {
    const m = msg(0, '0', '0')
    expect(() =>
      estimateMessageGas({ ...m, GasLimit: 0 }, null, {
        baseFee: 100n,
        recentPremiums: [],
        execute: () => ({ exitCode: 19, gasUsed: 0, reason: 'insufficient funds for pre-commit deposit: 23409118035424040' }),
        noise: () => 0
      })
    ).toThrow('estimating gas used: message execution failed: exit 19, reason: insufficient funds for pre-commit deposit: 23409118035424040 (RetCode=19)')
  })

  it('caps the fee by MaxFee (default 0.07 FIL)', () => {
    const m = { ...msg(0, '9000000000', '9000000000'), GasLimit: 10_000_000 }
    expect(capGasFee(m, null).GasFeeCap).toBe('7000000000')
    expect(capGasFee(m, null).GasPremium).toBe('7000000000')
    expect(capGasFee(m, { MaxFee: String(FIL / 100n) }).GasFeeCap).toBe('1000000000')
  })
})
