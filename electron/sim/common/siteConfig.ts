import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

/**
 * A simulated site's configuration, `<siteDir>/sim.json`, written by `npm run sim -- up` and
 * read by every simulated process of the site at start. The `lotus`, `lotus-miner` and
 * `lotus-worker` shims in `<siteDir>/bin` bake the site directory in as MDSIM_SITE.
 */
export const SCENARIOS = [
  /** C1 of chosen sectors fails with "Invalid vanilla proof generated" (ComputeProofFailed). */
  'compute-proof-failed',
  /** PreCommit batches fail: insufficient funds for pre-commit deposit (PreCommitFailed). */
  'precommit-funds',
  /** The PC1 worker process dies in the middle of a PC1. */
  'worker-dies',
  /** One sealing job never finishes. */
  'job-hangs',
  /** A local message sits in the mpool with too low a premium until replaced. */
  'stuck-message',
  /** The miner's winning PoSt warm-up fails after start. */
  'warmup-fail',
  /** The daemon catches up slowly after downtime. */
  'slow-sync',
  /** The operator's autopledge.sh runs on the host, keeping a few sectors sealing. */
  'autopledge',
  /** Once its first PC1 runs, the miner's session checks of the PC1 worker fail: disabled while holding jobs. */
  'worker-disabled',
  /** Computing each WindowPoSt takes longer than the challenge window (slow storage). */
  'slow-windowpost',
  /** The miner wins a block every 20 epochs and produces it later than the block time. */
  'late-block',
  /** A peer keeps offering a fork linked to a block this node marked bad: a sync worker in the error stage. */
  'sync-bad-block',
  /** Every 16th sector's vanilla proof does not finish within the check's timeout (slow storage). */
  'checkprovable-timeout',
  /** PC2 of every sector numbered …6 fails at once (its sealing disk is full): Lotus retries it over and over. */
  'retry-loop',
  /**
   * Results a worker could not hand over while the miner was down are lost (the worker gives its
   * return up instead of keeping it): after the miner's restart those calls sit in `ret-wait`
   * until the operator aborts them.
   */
  'ret-wait-after-restart',
  /**
   * Every commit aggregate holding a sector numbered …4 fails the actor's aggregate verification
   * (exit 16) though each proof verifies alone: Lotus's simulation of the batch fails, the sectors
   * pass their own check and go round SubmitCommit → SubmitCommitAggregate, batch after batch.
   */
  'aggregate-invalid-proof'
] as const
export type Scenario = (typeof SCENARIOS)[number]
/** Deadlines holding a new site's Proving sectors: listed, or `soon` (see sectorDeadlines). */
export type SectorDeadlines = number[] | 'soon'

export const workerSpecSchema = z.object({
  /** Worker name (`--name`, shown as Hostname in sealing jobs/workers). */
  name: z.string(),
  /** Which start script starts it: runworker.sh (sealing) or runworkerC2.sh. */
  kind: z.enum(['pc1', 'pc2', 'c2']),
  port: z.number().int(),
  /** Repo (LOTUS_WORKER_PATH), also its local sealing storage path. */
  repo: z.string()
})
export type WorkerSpec = z.infer<typeof workerSpecSchema>

export const simSiteConfigSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  index: z.number().int().min(1),
  /** Absolute paths. */
  root: z.string(),
  home: z.string(),
  minerId: z.number().int().min(1000),
  sectorSize: z.number().int(),
  sealProof: z.number().int(),
  /** 30 s epochs and the runbook's durations are divided by this. */
  speed: z.number().min(0.01).max(3000),
  /** Unix seconds (float) at which epoch 0 began on the simulated clock. */
  genesisTime: z.number(),
  scenarios: z.array(z.enum(SCENARIOS)),
  /** Sectors that exist when the site is created (mostly Proving). */
  initialSectors: z.number().int().min(0),
  ports: z.object({ daemon: z.number().int(), miner: z.number().int() }),
  workers: z.array(workerSpecSchema),
  /** Long-term storage path(s) of the miner (CanStore). */
  storePaths: z.array(z.string()),
  /** Deadlines that hold the initial Proving sectors (default chosen by the chain init). */
  /** `soon`: the deadline that opens three after the one open when the site is created (a WindowPoSt within three challenge windows). */
  sectorDeadlines: z.union([z.array(z.number().int().min(0).max(47)), z.literal('soon')]).optional(),
  wallets: z.object({ owner: z.string(), worker: z.string(), control: z.array(z.string()) }),
  peerId: z.string(),
  /** Node binary and simulator bundle the shims run. */
  node: z.string(),
  bundle: z.string(),
  /** Extra environment the node binary needs (ELECTRON_RUN_AS_NODE=1 when it is Electron's). */
  nodeEnv: z.record(z.string(), z.string()).optional()
})
export type SimSiteConfig = z.infer<typeof simSiteConfigSchema>

export const SITE_ENV = 'MDSIM_SITE'

export function readSiteConfig(siteDir: string): SimSiteConfig {
  const raw = JSON.parse(readFileSync(join(siteDir, 'sim.json'), 'utf8')) as unknown
  return simSiteConfigSchema.parse(raw)
}

/** The site of the current process (from MDSIM_SITE), or null outside a simulated site. */
export function currentSite(): SimSiteConfig | null {
  const dir = process.env[SITE_ENV]
  if (!dir) return null
  return readSiteConfig(dir)
}

export function hasScenario(cfg: SimSiteConfig, s: Scenario): boolean {
  return cfg.scenarios.includes(s)
}

/** Actor address of the site's miner (mainnet prefix). */
export function actorAddress(cfg: SimSiteConfig): string {
  return `f0${cfg.minerId}`
}
