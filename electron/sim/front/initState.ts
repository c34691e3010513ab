import type { SimSiteConfig } from '../common/siteConfig'
import { initChainState } from '../daemon/init'
import { initMinerState } from '../miner/init'

/** MINER's sector state, then CHAIN's chain state holding MINER's on-chain facts; the chain is built second because it records what the miner sealed. */
export async function initSiteState(cfg: SimSiteConfig): Promise<void> {
  const onChain = await initMinerState(cfg)
  await initChainState(cfg, onChain)
}
