import type { Message, SignedMessage } from '../../../preload/contract/lotus/types'
import type { SimSiteConfig } from '../common/siteConfig'
import { goError } from '../common/rpcServer'
import type { CallerRole } from './actor'
import { signatureData, signatureType } from './ids'
import { signedCid } from './messages'

/**
 * The node's wallet: the site's owner, worker and control keys (sim.json `wallets`), their
 * on-chain ID addresses, and signing. Signatures are fake but fixed per (key, message), so
 * MpoolPush can verify them like Lotus does.
 */
export interface Account {
  key: string
  id: string
  role: Exclude<CallerRole, null>
}

export function accountsOf(cfg: SimSiteConfig): Account[] {
  const out: Account[] = [
    // The owner and worker accounts were funded (and got their IDs) just before the miner was created.
    { key: cfg.wallets.owner, id: `f0${cfg.minerId - 2}`, role: 'owner' },
    { key: cfg.wallets.worker, id: `f0${cfg.minerId - 1}`, role: 'worker' }
  ]
  cfg.wallets.control.forEach((key, i) => out.push({ key, id: `f0${cfg.minerId + 11 + 7 * i}`, role: 'control' }))
  // One key may hold several roles; keep the first.
  return out.filter((a, i) => out.findIndex((b) => b.key === a.key) === i)
}

export class Wallet {
  constructor(readonly accounts: Account[]) {}

  /** WalletList: key addresses, in the order the keystore lists them. */
  list(): string[] {
    return this.accounts.map((a) => a.key)
  }

  defaultAddress(): string {
    return (this.accounts[0] as Account).key
  }

  find(addr: string): Account | undefined {
    const a = addr.replace(/^t/, 'f')
    return this.accounts.find((x) => x.key === a || x.id === a)
  }

  role(addr: string): CallerRole {
    return this.find(addr)?.role ?? null
  }

  /** StateAccountKey for our accounts (ID → key); key addresses map to themselves. */
  resolveKey(addr: string): string | null {
    return this.find(addr)?.key ?? null
  }

  sign(addr: string, msg: Message): SignedMessage {
    const acct = this.find(addr)
    if (!acct) throw goError(`failed to sign message: signing using key '${addr}': key info not found`)
    const sig = { Type: signatureType(acct.key), Data: signatureData(acct.key, msg.CID['/']) }
    return { Message: msg, Signature: sig, CID: { '/': signedCid(msg, sig) } }
  }
}

/**
 * Checks a signed message's signature against its sender key; returns Lotus's error text or
 * null. Any key's signature is reproducible here (not only ours): signatures are a function of
 * (key, CID).
 */
export function verifySignature(smsg: SignedMessage, senderKey: string): string | null {
  const cid = smsg.CID['/']
  const fail = (why: string) =>
    `signature verification failed: failed to validate signature: invalid signature for message ${cid} (type ${smsg.Signature.Type}): ${why}`
  if (smsg.Signature.Type !== 1 && smsg.Signature.Type !== 2) return fail(`cannot verify signature of unsupported type: ${smsg.Signature.Type}`)
  if (smsg.Signature.Type !== signatureType(senderKey) || smsg.Signature.Data !== signatureData(senderKey, smsg.Message.CID['/'])) {
    return fail(smsg.Signature.Type === 2 ? 'bls signature failed to verify' : 'signature did not match')
  }
  return null
}
