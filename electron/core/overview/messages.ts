import type { MessagesSnapshot, PendingMessage } from '../../../preload/contract'
import type { SignedMessage } from '../../../preload/contract/lotus/types'

/**
 * Local pending messages as `lotus mpool pending --local` selects them (cli/mpool.go): those
 * whose From is exactly one of the node's wallet addresses (a string match, as Lotus does).
 * Lotus has no "first seen" time for a pending message, so MinerDesk remembers when it first
 * saw each CID pending; ages count from there.
 */
export function buildMessages(
  pending: readonly SignedMessage[],
  wallets: readonly string[],
  firstSeen: Readonly<Record<string, number>>,
  now: number
): { snapshot: MessagesSnapshot; firstSeen: Record<string, number> } {
  const mine = new Set(wallets)
  const seen: Record<string, number> = {}
  const list: PendingMessage[] = []
  for (const sm of pending) {
    const m = sm.Message
    if (!mine.has(m.From)) continue
    const cid = sm.CID['/']
    const first = firstSeen[cid] ?? now
    seen[cid] = first
    list.push({
      cid,
      from: m.From,
      to: m.To,
      nonce: m.Nonce,
      method: m.Method,
      value: m.Value,
      gasFeeCap: m.GasFeeCap,
      gasPremium: m.GasPremium,
      gasLimit: m.GasLimit,
      firstSeen: first,
      ageSec: Math.max(0, Math.floor((now - first) / 1000))
    })
  }
  list.sort((a, b) => a.firstSeen - b.firstSeen || a.from.localeCompare(b.from) || a.nonce - b.nonce)
  return {
    snapshot: { count: list.length, oldestAgeSec: list.length > 0 ? Math.max(...list.map((m) => m.ageSec)) : null, list },
    firstSeen: seen
  }
}
