import type { SimSiteConfig } from './siteConfig'

/** Mainnet protocol constants (docs/lotus.md "Protocol constants"). */
export const EPOCH_SECONDS = 30
export const WPOST_PERIOD_DEADLINES = 48
export const WPOST_CHALLENGE_WINDOW = 60
export const WPOST_PROVING_PERIOD = WPOST_PERIOD_DEADLINES * WPOST_CHALLENGE_WINDOW // 2880
export const WPOST_CHALLENGE_LOOKBACK = 20
export const FAULT_DECLARATION_CUTOFF = 70
export const PRECOMMIT_CHALLENGE_DELAY = 150
export const SEAL_RANDOMNESS_LOOKBACK = 900
/** Partition size for 32 GiB sectors (WindowPoStPartitionSectors). */
export const PARTITION_SECTORS_32G = 2349

/**
 * The simulated chain clock: epochs of 30 s divided by the site's speed factor, counted from the
 * site's genesis time. Everything that scales with the speed (sealing durations, WaitSeed,
 * deadlines) is derived from it, so a site at speed 60 is a whole Lotus site running 60× fast.
 */
export class ChainClock {
  readonly epochSeconds: number
  constructor(
    readonly genesisTime: number,
    readonly speed: number
  ) {
    this.epochSeconds = EPOCH_SECONDS / speed
  }

  static of(cfg: SimSiteConfig): ChainClock {
    return new ChainClock(cfg.genesisTime, cfg.speed)
  }

  /** Epoch the network is at, at wall-clock `nowMs`. */
  epochAt(nowMs = Date.now()): number {
    return Math.floor((nowMs / 1000 - this.genesisTime) / this.epochSeconds)
  }

  /** Unix seconds (float) at which `epoch` began. */
  timeOf(epoch: number): number {
    return this.genesisTime + epoch * this.epochSeconds
  }

  /** A runbook duration in seconds, as real milliseconds on this site. */
  scaleMs(seconds: number): number {
    return (seconds * 1000) / this.speed
  }

  /** BlockDelay as Version reports it: seconds per epoch on this site. */
  get blockDelay(): number {
    return this.epochSeconds
  }
}

/** Genesis time that puts the clock at `height` now. */
export function genesisFor(height: number, speed: number, nowMs = Date.now()): number {
  return nowMs / 1000 - (height * EPOCH_SECONDS) / speed
}

/** Deadline info for a miner whose proving period starts at `periodOffset` (mod 2880), as the actor computes it. */
export function provingDeadline(currentEpoch: number, periodOffset: number) {
  const periodProgress = (((currentEpoch - periodOffset) % WPOST_PROVING_PERIOD) + WPOST_PROVING_PERIOD) % WPOST_PROVING_PERIOD
  const periodStart = currentEpoch - periodProgress
  const index = Math.floor(periodProgress / WPOST_CHALLENGE_WINDOW)
  const open = periodStart + index * WPOST_CHALLENGE_WINDOW
  return {
    CurrentEpoch: currentEpoch,
    PeriodStart: periodStart,
    Index: index,
    Open: open,
    Close: open + WPOST_CHALLENGE_WINDOW,
    Challenge: open - WPOST_CHALLENGE_LOOKBACK,
    FaultCutoff: open - FAULT_DECLARATION_CUTOFF,
    WPoStPeriodDeadlines: WPOST_PERIOD_DEADLINES,
    WPoStProvingPeriod: WPOST_PROVING_PERIOD,
    WPoStChallengeWindow: WPOST_CHALLENGE_WINDOW,
    WPoStChallengeLookback: WPOST_CHALLENGE_LOOKBACK,
    FaultDeclarationCutoff: FAULT_DECLARATION_CUTOFF
  }
}
