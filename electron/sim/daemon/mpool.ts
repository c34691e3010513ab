import type { Message, Signature, SignedMessage } from '../../../preload/contract/lotus/types'
import { goError } from '../common/rpcServer'
import { formatFil } from './fil'
import { seededInt } from './ids'
import { requiredFunds } from './messages'

/**
 * The node's own message pool: local messages waiting for inclusion (persisted), what was
 * replaced, and what landed with its receipt. Lotus's push rules apply: signature, nonce not
 * below the state nonce, at most 4 ahead, replace-by-fee only with a premium of at least
 * old × 1.10 + 1, funds.
 */

export interface Receipt {
  ExitCode: number
  Return: string | null
  GasUsed: number
  EventsRoot: null
}

export interface PendingLocal {
  smsg: SignedMessage
  /** Earliest epoch whose tipset may include it (1–2 after it was pushed). */
  landAt: number
}

export interface LandedMsg {
  cid: string
  unsignedCid: string
  message: Message
  signature: Signature
  /** Epoch of the tipset that included it; its receipt is in the next one. */
  height: number
  receipt: Receipt
}

export interface KnownMsg {
  cid: string
  unsignedCid: string
  message: Message
  signature: Signature
}

export interface MpoolData {
  pending: PendingLocal[]
  /** Messages that were replaced by fee (kept so their CIDs still resolve). */
  replaced: KnownMsg[]
  landed: LandedMsg[]
  /** Actor nonces (next expected) of senders this node has seen. */
  nonces: Record<string, number>
}

export const RBF_MIN_PERCENT = 110n
export const MAX_NONCE_GAP = 4
const MIN_BASE_FEE = 100n
/**
 * Block producers pick messages by premium; below this one (half of Lotus's MinGasPremium
 * estimate floor) a message is never picked and sits in the mpool until replaced.
 */
export const MIN_INCLUSION_PREMIUM = 50_000n
const KEEP_REPLACED = 200
/** Landed messages are kept this many epochs (finality), and at least the last 300. */
const KEEP_LANDED_EPOCHS = 900

/** Minimum premium of a replacement (ComputeMinRBF): old × 110 / 100 + 1. */
export function minRbfPremium(old: bigint): bigint {
  return (old * RBF_MIN_PERCENT) / 100n + 1n
}

/** A replacement premium for a ratio in percent (ComputeRBF, used by `mpool replace --auto`). */
export function rbfPremium(old: bigint, ratioPercent: bigint): bigint {
  return (old * ratioPercent) / 100n + 1n
}

export class Mpool {
  constructor(readonly data: MpoolData) {}

  stateNonce(addr: string): number {
    return this.data.nonces[addr] ?? 0
  }

  /** MpoolGetNonce: the next nonce, past every consecutive pending one. */
  nextNonce(addr: string): number {
    let n = this.stateNonce(addr)
    const pending = new Set(this.data.pending.filter((p) => p.smsg.Message.From === addr).map((p) => p.smsg.Message.Nonce))
    while (pending.has(n)) n++
    return n
  }

  local(): SignedMessage[] {
    return this.data.pending.map((p) => p.smsg)
  }

  /**
   * Adds a signed message (after syntax and signature checks, which the caller does). Throws
   * Lotus's errors for nonce, gap, replace-by-fee and funds.
   */
  add(smsg: SignedMessage, landAt: number, balance: bigint): string {
    const m = smsg.Message
    const snonce = this.stateNonce(m.From)
    if (snonce > m.Nonce) throw goError(`minimum expected nonce is ${snonce}, got ${m.Nonce}: message nonce too low`)
    if (balance < requiredFunds(m)) {
      throw goError(`not enough funds (required: ${formatFil(requiredFunds(m))}, balance: ${formatFil(balance)}): not enough funds to execute transaction`)
    }
    const next = this.nextNonce(m.From)
    const existing = this.data.pending.find((p) => p.smsg.Message.From === m.From && p.smsg.Message.Nonce === m.Nonce)
    if (!existing && m.Nonce > next + MAX_NONCE_GAP) {
      throw goError(`message nonce has too big a gap from expected nonce (Nonce: ${m.Nonce}, nextNonce: ${next}): unfulfilled nonce gap`)
    }
    if (existing) {
      if (m.Nonce > next) {
        throw goError(`rejecting replace by fee because of nonce gap (Nonce: ${m.Nonce}, nextNonce: ${next}): unfulfilled nonce gap`)
      }
      if (existing.smsg.CID['/'] === smsg.CID['/']) {
        throw goError(`message from ${m.From} with nonce ${m.Nonce} already in mpool: message with nonce already exists`)
      }
      const min = minRbfPremium(BigInt(existing.smsg.Message.GasPremium))
      if (BigInt(m.GasPremium) < min) {
        throw goError(
          `message from ${m.From} with nonce ${m.Nonce} already in mpool, increase GasPremium to ${min} from ${m.GasPremium} to trigger replace by fee: replace by fee has too low GasPremium`
        )
      }
      this.data.replaced.push(known(existing.smsg))
      if (this.data.replaced.length > KEEP_REPLACED) this.data.replaced.splice(0, this.data.replaced.length - KEEP_REPLACED)
      existing.smsg = smsg
      existing.landAt = Math.max(existing.landAt, landAt)
    } else {
      this.data.pending.push({ smsg, landAt })
    }
    return smsg.CID['/']
  }

  /**
   * The local messages a tipset at `epoch` includes: due, next in their sender's nonce order,
   * with a fee cap that covers the base fee and a premium block producers take (a message below
   * either stays stuck, and so do the sender's later nonces).
   */
  takeIncludable(epoch: number, baseFee: bigint): SignedMessage[] {
    const out: SignedMessage[] = []
    const bySender = new Map<string, PendingLocal[]>()
    for (const p of this.data.pending) {
      const list = bySender.get(p.smsg.Message.From) ?? []
      list.push(p)
      bySender.set(p.smsg.Message.From, list)
    }
    for (const [from, list] of bySender) {
      list.sort((a, b) => a.smsg.Message.Nonce - b.smsg.Message.Nonce)
      let nonce = this.stateNonce(from)
      for (const p of list) {
        if (p.smsg.Message.Nonce !== nonce || p.landAt > epoch) break
        const m = p.smsg.Message
        if (BigInt(m.GasFeeCap) < baseFee || BigInt(m.GasFeeCap) < MIN_BASE_FEE || BigInt(m.GasPremium) < MIN_INCLUSION_PREMIUM) break
        out.push(p.smsg)
        nonce++
      }
    }
    const taken = new Set(out.map((s) => s.CID['/']))
    this.data.pending = this.data.pending.filter((p) => !taken.has(p.smsg.CID['/']))
    return out
  }

  recordLanded(smsg: SignedMessage, height: number, receipt: Receipt): void {
    const from = smsg.Message.From
    this.data.nonces[from] = Math.max(this.stateNonce(from), smsg.Message.Nonce + 1)
    this.data.landed.push({ ...known(smsg), height, receipt })
  }

  prune(head: number): void {
    const keep = this.data.landed.filter((l, i) => l.height >= head - KEEP_LANDED_EPOCHS || i >= this.data.landed.length - 300)
    if (keep.length !== this.data.landed.length) this.data.landed = keep
  }

  /** A message this node knows by signed or unsigned CID. */
  known(cid: string): KnownMsg | undefined {
    const p = this.data.pending.find((x) => x.smsg.CID['/'] === cid || x.smsg.Message.CID['/'] === cid)
    if (p) return known(p.smsg)
    return (
      this.data.landed.find((x) => x.cid === cid || x.unsignedCid === cid) ??
      this.data.replaced.find((x) => x.cid === cid || x.unsignedCid === cid)
    )
  }

  /**
   * The landed message a CID refers to; with `allowReplaced`, the one that took its nonce.
   */
  findLanded(cid: string, allowReplaced: boolean): LandedMsg | undefined {
    const direct = this.data.landed.find((x) => x.cid === cid || x.unsignedCid === cid)
    if (direct || !allowReplaced) return direct
    const k = this.known(cid)
    if (!k) return undefined
    return this.data.landed.find((x) => x.message.From === k.message.From && x.message.Nonce === k.message.Nonce)
  }
}

function known(smsg: SignedMessage): KnownMsg {
  return { cid: smsg.CID['/'], unsignedCid: smsg.Message.CID['/'], message: smsg.Message, signature: smsg.Signature }
}

/** Inclusion delay of a freshly pushed message: one epoch, sometimes two. */
export function inclusionDelay(cid: string): number {
  return seededInt(`delay:${cid}`) % 3 === 0 ? 2 : 1
}
