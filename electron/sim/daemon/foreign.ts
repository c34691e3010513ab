import type { SignedMessage } from '../../../preload/contract/lotus/types'
import { keyAddress, seededFloat, seededInt, signatureData, signatureType } from './ids'
import { messageCid, signedCid } from './messages'

/**
 * Other people's messages in the mpool: a deterministic trickle (from a fixed pool of senders)
 * that each stays pending one to three epochs. Derived from the head height alone, so nothing
 * needs storing and every call agrees.
 */

const POOL = 240
const PER_EPOCH_MAX = 9

export class ForeignTraffic {
  private senders: string[] | null = null

  constructor(private readonly seed: string) {}

  private sender(i: number): string {
    if (!this.senders) {
      this.senders = Array.from({ length: POOL }, (_, k) => keyAddress(k % 3 === 0 ? 1 : 3, `${this.seed}:foreign:${k}`))
    }
    return this.senders[i % POOL] as string
  }

  private message(epoch: number, i: number): SignedMessage {
    const s = `${this.seed}:fm:${epoch}:${i}`
    const senderIdx = seededInt(`${s}:from`) % POOL
    const from = this.sender(senderIdx)
    const kind = seededFloat(`${s}:kind`)
    // Mostly miner-actor traffic (PoSt, precommits, prove-commits) and plain sends, as on mainnet.
    const [method, gasLimit] = kind < 0.45 ? [5, 48_000_000 + (seededInt(`${s}:g`) % 40_000_000)]
      : kind < 0.65 ? [28, 60_000_000 + (seededInt(`${s}:g`) % 90_000_000)]
        : kind < 0.8 ? [26, 200_000_000 + (seededInt(`${s}:g`) % 400_000_000)]
          : [0, 610_000 + (seededInt(`${s}:g`) % 50_000)]
    const to = method === 0 ? keyAddress(1, `${s}:to`) : `f0${1000 + (seededInt(`${s}:to`) % 3_400_000)}`
    const premium = 100_000 + (seededInt(`${s}:p`) % 180_000)
    const msg = {
      Version: 0,
      To: to,
      From: from,
      // Senders send steadily, so their nonces grow with the height.
      Nonce: Math.floor(epoch / 7) + (senderIdx * 7919) % 50_000 + i,
      Value: method === 0 ? String(BigInt(seededInt(`${s}:v`) % 50_000) * 10n ** 15n) : '0',
      GasLimit: gasLimit,
      GasFeeCap: String(1_000_000_000 + (seededInt(`${s}:fc`) % 2_000_000_000)),
      GasPremium: String(premium),
      Method: method,
      Params: method === 0 ? null : Buffer.from(`${s}:params`).toString('base64')
    }
    const full = { ...msg, CID: { '/': messageCid(msg) } }
    const sig = { Type: signatureType(from), Data: signatureData(from, full.CID['/']) }
    return { Message: full, Signature: sig, CID: { '/': signedCid(full, sig) } }
  }

  /** Messages sent at `epoch` by others (each pending for 1–3 epochs). */
  private sentAt(epoch: number): { msg: SignedMessage; until: number }[] {
    const n = seededInt(`${this.seed}:fn:${epoch}`) % (PER_EPOCH_MAX + 1)
    return Array.from({ length: n }, (_, i) => ({ msg: this.message(epoch, i), until: epoch + 1 + (seededInt(`${this.seed}:fl:${epoch}:${i}`) % 3) }))
  }

  /** Foreign messages pending while the head is at `head`. */
  pending(head: number): SignedMessage[] {
    const out: SignedMessage[] = []
    for (let e = head - 2; e <= head; e++) for (const m of this.sentAt(e)) if (m.until > head) out.push(m.msg)
    return out
  }

  /** Recent foreign gas premiums, for the premium estimate. */
  recentPremiums(head: number): bigint[] {
    const out: bigint[] = []
    for (let e = head - 10; e <= head; e++) for (const m of this.sentAt(e)) out.push(BigInt(m.msg.Message.GasPremium))
    return out
  }
}
