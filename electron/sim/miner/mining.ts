import type { GoLogger } from '../common/golog'
import { EPOCH_SECONDS } from '../common/clock'
import type { TipSet } from '../../../preload/contract/lotus/types'
import type { ChainWatch } from './chainWatch'
import { messageCid } from './cids'

/**
 * The late-block scenario: the miner wins a block every WIN_EVERY epochs and takes longer than
 * the block time to produce it, logging as Lotus's miner does (miner/miner.go): `mined new block`
 * with the time it took, then the `CAUTION: block production took us past the block time` warning
 * with the time of each step (go-log writes durations as float seconds; the field names carry a
 * trailing space in Lotus). The simulated chain does not include these blocks: only the log tells.
 */

const WIN_EVERY = 20

export function lateBlocks(watch: ChainWatch, log: GoLogger, miner: string): void {
  watch.onHead((ts: TipSet) => {
    if (ts.Height % WIN_EVERY !== 0) return
    const height = ts.Height + 1
    // Seconds of simulated time: a winning PoSt that alone takes longer than the block time.
    const proof = EPOCH_SECONDS + 6.4
    const steps = { powercheck: 0.012, ticket: 0.003, seed: 0.004, pending: 0.021, equivocate: 0, refresh: 0.015, create: 0.108 }
    const took = proof + Object.values(steps).reduce((a, b) => a + b, 0)
    log.info('miner/miner.go:608', 'mined new block', {
      cid: messageCid(`block:${miner}:${height}`),
      height,
      miner,
      parents: [miner],
      parentTipset: `{${ts.Cids.map((c) => c['/']).join(',')}}`,
      took
    })
    log.warn('miner/miner.go:610', 'CAUTION: block production took us past the block time. Your computer may not be fast enough to keep up', {
      'tPowercheck ': steps.powercheck,
      'tTicket ': steps.ticket,
      'tSeed ': steps.seed,
      'tProof ': proof,
      'tPending ': steps.pending,
      'tEquivocateWait ': steps.equivocate,
      'tIntersectAndRefresh ': steps.refresh,
      'tCreateBlock ': steps.create
    })
  })
}
