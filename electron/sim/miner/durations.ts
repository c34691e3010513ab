/**
 * How long things take on a real site, in seconds (runbook §0; FIN/GET picked by the design doc).
 * Every simulated process divides them by the site's speed (ChainClock.scaleMs).
 */
export const TASK_SECONDS = {
  AP: 120,
  PC1: 3 * 3600 + 10 * 60,
  PC2: 3600,
  C1: 10,
  C2: 15 * 60,
  FIN: 60,
  GET: 120
} as const

/** Getting a ticket reads chain randomness: a few seconds. */
export const GET_TICKET_SECONDS = 3
/** Lotus's SoftErrRetryWait: PC1/PC2 ask again this long after a worker restarted under them. */
export const SOFT_ERR_RETRY_SECONDS = 5
/** Lotus's MinRetryTime: failed states wait this long after their last log entry. */
export const MIN_RETRY_SECONDS = 60
/** A scheduler request's prepare step when no files need fetching. */
export const PREPARE_SECONDS = 2
/** Lotus's InteractivePoRepConfidence: epochs after the seed epoch before Committing starts. */
export const INTERACTIVE_POREP_CONFIDENCE = 6
/** WinningPoSt warm-up: one vanilla proof and a SNARK, ~4–5 s on real hardware (not scaled). */
export const WARMUP_SECONDS = 4.5
/** Lotus's default WaitDealsDelay (6h) and TerminateBatchWait (5m). */
export const WAIT_DEALS_DELAY_SECONDS = 6 * 3600
export const TERMINATE_BATCH_WAIT_SECONDS = 5 * 60
/** The sim's precommit/commit batchers send after this long (Lotus waits for fuller batches). */
export const BATCH_WAIT_SECONDS = 60
