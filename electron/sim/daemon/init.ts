import { join } from 'node:path'
import { ChainClock, WPOST_PERIOD_DEADLINES, WPOST_PROVING_PERIOD, PARTITION_SECTORS_32G } from '../common/clock'
import { actorAddress, hasScenario, type SimSiteConfig } from '../common/siteConfig'
import { newActorState } from './actorGenesis'
import { saveChainState, type ChainStateFile } from './chainState'
import { seededInt } from './ids'
import { messageCid } from './messages'
import type { MpoolData } from './mpool'
import { writeRepoFiles } from './repoFiles'
import { sealedCidFor } from './sectorInfo'
import { accountsOf, Wallet } from './wallet'

/**
 * Creates the site's `lotus` repo (`<home>/.lotus`): keystore with the API's JWT secret and the
 * site's wallet keys, an admin `token`, `config.toml` with the site's API port, and the chain
 * state — head at the clock's current epoch, the miner actor with the on-chain facts the sealing
 * side reports (active sectors in deadlines and partitions, precommits), wallet balances and
 * nonces, and, with scenario `stuck-message`, an owner message whose premium is too low to be
 * included. Sector sets are stored as ranges, so 100,000 sectors take milliseconds.
 */
export interface OnChainFacts {
  active: number[]
  precommitted: { sector: number; epoch: number }[]
}

export function lotusRepoOf(cfg: SimSiteConfig): string {
  return join(cfg.home, '.lotus')
}

/**
 * Deadlines that receive the initial Proving sectors, round-robin by partition: `sectorDeadlines`
 * when sim.json names them (`soon`: the deadline three after the one open at `head`); else 12
 * deadlines 4 apart rotated by the site index (site-1: 0, 4, …, 44), or all 48 when there are
 * more than 12 partitions.
 */
export function initialDeadlines(cfg: SimSiteConfig, activeCount: number, at?: { head: number; periodOffset: number }): number[] {
  if (cfg.sectorDeadlines === 'soon' && at) {
    const inPeriod = (((at.head - at.periodOffset) % WPOST_PROVING_PERIOD) + WPOST_PROVING_PERIOD) % WPOST_PROVING_PERIOD
    return [(Math.floor(inPeriod / (WPOST_PROVING_PERIOD / WPOST_PERIOD_DEADLINES)) + 3) % WPOST_PERIOD_DEADLINES]
  }
  if (Array.isArray(cfg.sectorDeadlines) && cfg.sectorDeadlines.length > 0) return [...cfg.sectorDeadlines]
  if (Math.ceil(activeCount / PARTITION_SECTORS_32G) > 12) return Array.from({ length: WPOST_PERIOD_DEADLINES }, (_, i) => i)
  return Array.from({ length: 12 }, (_, k) => (4 * k + cfg.index - 1) % WPOST_PERIOD_DEADLINES).sort((a, b) => a - b)
}

/** CBOR of WithdrawBalanceParams{AmountRequested}: a 1-tuple holding a Filecoin big int. */
function withdrawParams(atto: bigint): string {
  let hex = atto.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const mag = Buffer.from(hex, 'hex')
  return Buffer.concat([Buffer.from([0x81, 0x40 + mag.length + 1, 0x00]), mag]).toString('base64')
}

export function initChainState(cfg: SimSiteConfig, onChain: OnChainFacts): void {
  const repo = lotusRepoOf(cfg)
  const clock = ChainClock.of(cfg)
  // Two tipsets behind the network, as a daemon stopped a moment ago: it syncs as soon as its
  // peers connect. At the network's head it would wait for the next tipset before its first sync
  // worker, and `lotus-miner run` waits for one (a whole epoch at 1×).
  const head = clock.epochAt() - 2
  const periodOffset = seededInt(`period:${cfg.minerId}`) % WPOST_PROVING_PERIOD
  const accounts = accountsOf(cfg)
  writeRepoFiles(
    repo,
    cfg.ports.daemon,
    accounts.map((a) => ({ address: a.key, type: a.key.charAt(1) === '3' ? 'bls' : 'secp256k1' }))
  )

  const actor = newActorState({
    minerId: cfg.minerId,
    sealProof: cfg.sealProof,
    sectorSize: cfg.sectorSize,
    periodOffset,
    epoch: head,
    active: onChain.active,
    precommitted: onChain.precommitted,
    deadlines: initialDeadlines(cfg, onChain.active.length, { head, periodOffset }),
    sealedCid: (n) => sealedCidFor(cfg.minerId, n),
    lowFunds: hasScenario(cfg, 'precommit-funds'),
    openDeadlineProven: true
  })

  const nonces: Record<string, number> = {}
  const balances: Record<string, string> = {}
  const FIL = 10n ** 18n
  for (const a of accounts) {
    const h = seededInt(`acct:${a.key}`)
    nonces[a.key] = a.role === 'owner' ? 31 + (h % 40) : a.role === 'worker' ? 14_000 + (h % 9_000) : 2_000 + (h % 3_000)
    const whole = a.role === 'owner' ? 480n : a.role === 'worker' ? 36n : 11n
    balances[a.key] = (whole * FIL + BigInt(h) * 1_000_000_007n).toString()
  }

  const mpool: MpoolData = { pending: [], replaced: [], landed: [], nonces }
  const owner = accounts.find((a) => a.role === 'owner')
  if (hasScenario(cfg, 'stuck-message') && owner) {
    // An owner withdrawal sent with a far too low premium: no block producer picks it up.
    const msg = {
      Version: 0,
      To: actorAddress(cfg),
      From: owner.key,
      Nonce: nonces[owner.key] as number,
      Value: '0',
      GasLimit: 15_218_409,
      GasFeeCap: '101215',
      GasPremium: '1012',
      Method: 16,
      Params: withdrawParams(50n * FIL)
    }
    const full = { ...msg, CID: { '/': messageCid(msg) } }
    mpool.pending.push({ smsg: new Wallet(accounts).sign(owner.key, full), landAt: head + 1 })
  }

  const state: ChainStateFile = {
    version: 1,
    head,
    actor,
    mpool,
    balances,
    blocked: { Peers: null, IPAddrs: null, IPSubnets: null }
  }
  saveChainState(repo, state)
}
