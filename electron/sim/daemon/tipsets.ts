import type { BlockHeader, Cid, TipSet } from '../../../preload/contract/lotus/types'
import type { ChainClock } from '../common/clock'
import { chainCid, seededBytes, seededFloat, seededInt } from './ids'

/**
 * The simulated network's tipsets, a pure function of the epoch: mainnet-like block headers
 * (about five blocks per tipset from other miners, drand quicknet beacons, parent links,
 * weights, base fee). A restarted daemon, or another site on the same clock, sees the very
 * same chain.
 */

const MAINNET_GENESIS = 1598306400
const DRAND_QUICKNET_GENESIS = 1692803367

/** Blocks per tipset: mainnet averages a little under five. */
const BLOCK_COUNT_CDF: [number, number][] = [
  [0.02, 1], [0.08, 2], [0.2, 3], [0.38, 4], [0.58, 5], [0.75, 6], [0.87, 7], [0.95, 8], [1, 9]
]

export class ChainView {
  private readonly seed: string
  private cache = new Map<number, TipSet>()
  /** Tipset CIDs recently handed out, to resolve tipset keys back to heights. */
  private byCid = new Map<string, number>()

  constructor(private readonly clock: ChainClock) {
    this.seed = `${Math.round(clock.genesisTime)}:${clock.speed}`
  }

  blockCount(epoch: number): number {
    const r = seededFloat(`${this.seed}:n:${epoch}`)
    for (const [p, n] of BLOCK_COUNT_CDF) if (r < p) return n
    return 5
  }

  /** Parent base fee in attoFIL: mostly near the 100 aFIL floor with congested stretches. */
  baseFee(epoch: number): bigint {
    const wave = Math.sin(epoch / 173) + 0.6 * Math.sin(epoch / 37 + 1.3)
    if (wave < 0.4) return 100n + BigInt(seededInt(`${this.seed}:bf:${epoch}`) % 1500)
    return BigInt(Math.round(2e7 * (wave - 0.4) + 3e5)) + BigInt(seededInt(`${this.seed}:bf:${epoch}`) % 100_000)
  }

  private blockCids(epoch: number): Cid[] {
    const n = this.blockCount(epoch)
    return Array.from({ length: n }, (_, i) => ({ '/': chainCid(`${this.seed}:blk:${epoch}:${i}`) }))
  }

  cids(epoch: number): Cid[] {
    return epoch >= 0 ? this.blockCids(epoch) : []
  }

  tipset(epoch: number): TipSet {
    const hit = this.cache.get(epoch)
    if (hit) return hit
    const cids = this.blockCids(epoch)
    const parents = this.cids(epoch - 1)
    // Virtual mainnet time of the epoch drives the drand round, as on the real network.
    const mainnetTime = MAINNET_GENESIS + epoch * 30
    const round = Math.max(1, Math.floor((mainnetTime - DRAND_QUICKNET_GENESIS) / 3) - 9)
    const b64 = (tag: string, i: number, n: number) => seededBytes(`${this.seed}:${tag}:${epoch}:${i}`, n).toString('base64')
    const stateRoot = { '/': chainCid(`${this.seed}:sr:${epoch}`) }
    const receipts = { '/': chainCid(`${this.seed}:rc:${epoch}`) }
    const blocks: BlockHeader[] = cids.map((_, i) => ({
      Miner: `f0${1000 + (seededInt(`${this.seed}:m:${epoch}:${i}`) % 3_500_000)}`,
      Ticket: { VRFProof: b64('t', i, 96) },
      ElectionProof: { WinCount: seededFloat(`${this.seed}:w:${epoch}:${i}`) < 0.92 ? 1 : 2, VRFProof: b64('e', i, 96) },
      BeaconEntries: [{ Round: round, Data: seededBytes(`${this.seed}:drand:${round}`, 48).toString('base64') }],
      WinPoStProof: [{ PoStProof: 3, ProofBytes: b64('p', i, 192) }],
      Parents: parents,
      ParentWeight: String(Math.floor(epoch * 23854.7) + 3_127_614_115),
      Height: epoch,
      ParentStateRoot: stateRoot,
      ParentMessageReceipts: receipts,
      Messages: { '/': chainCid(`${this.seed}:msgs:${epoch}:${i}`) },
      BLSAggregate: { Type: 2, Data: b64('bls', i, 96) },
      Timestamp: Math.floor(this.clock.timeOf(epoch)),
      BlockSig: { Type: 2, Data: b64('sig', i, 96) },
      ForkSignaling: 0,
      ParentBaseFee: this.baseFee(epoch - 1).toString()
    }))
    const ts: TipSet = { Cids: cids, Blocks: blocks, Height: epoch }
    this.cache.set(epoch, ts)
    for (const c of cids) this.byCid.set(c['/'], epoch)
    if (this.cache.size > 600) {
      const oldest = this.cache.keys().next().value as number
      for (const c of this.cache.get(oldest)?.Cids ?? []) this.byCid.delete(c['/'])
      this.cache.delete(oldest)
    }
    return ts
  }

  /** Height of a tipset key handed out recently, or null when unknown. */
  heightOfKey(key: readonly Cid[]): number | null {
    const first = key[0]
    if (!first) return null
    return this.byCid.get(first['/']) ?? null
  }

  /** Average blocks per tipset over the `n` tipsets ending at `epoch` (NodeStatus.ChainStatus). */
  blocksPerTipset(epoch: number, n: number): number {
    let sum = 0
    for (let e = epoch; e > epoch - n; e--) sum += this.blockCount(e)
    return sum / n
  }
}

/** `[cid cid …]` — how Go prints a tipset (its CID slice) in log lines and `sync status`. */
export function cidList(cids: readonly Cid[]): string {
  return `[${cids.map((c) => c['/']).join(' ')}]`
}
