import { join } from 'node:path'

/**
 * Where the simulated miner keeps things inside `$LOTUS_MINER_PATH`. Lotus keeps the sector
 * state machine and the manager's call tracker in its badger `datastore/`; the sim keeps JSON
 * files there instead.
 */
export interface MinerRepoFiles {
  repo: string
  config: string
  storageJson: string
  keystore: string
  datastore: string
  /** Bulk ranges, counters, init facts. */
  meta: string
  /** Explicit sector records (everything not in a bulk Proving range). */
  sectors: string
  /** Changes since `sectors` was last written, one JSON line each (replayed at start). */
  journal: string
  /** Tracked sealing calls (survive restarts: ret-wait). */
  calls: string
}

export function minerRepoFiles(repo: string): MinerRepoFiles {
  const datastore = join(repo, 'datastore')
  return {
    repo,
    config: join(repo, 'config.toml'),
    storageJson: join(repo, 'storage.json'),
    keystore: join(repo, 'keystore'),
    datastore,
    meta: join(datastore, 'sim-meta.json'),
    sectors: join(datastore, 'sim-sectors.json'),
    journal: join(datastore, 'sim-sectors.journal'),
    calls: join(datastore, 'sim-calls.json')
  }
}
