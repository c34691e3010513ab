import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { NetBlockList } from '../../../preload/contract/lotus/types'
import { writeJsonAtomic } from '../common/persist'
import type { ActorStateData } from './actorState'
import type { MpoolData } from './mpool'

/**
 * What the daemon keeps in its repo between runs (`$LOTUS_PATH/datastore/`): the head it had
 * synced to, the miner actor, the local mpool with landed messages, wallet balances and the
 * connection gater's block list.
 */
export interface ChainStateFile {
  version: 1
  head: number
  actor: ActorStateData
  mpool: MpoolData
  /** attoFIL per key address. */
  balances: Record<string, string>
  blocked: NetBlockList
}

export function chainStatePath(repo: string): string {
  return join(repo, 'datastore', 'chain', 'simchain.json')
}

export function loadChainState(repo: string): ChainStateFile | null {
  const p = chainStatePath(repo)
  if (!existsSync(p)) return null
  return JSON.parse(readFileSync(p, 'utf8')) as ChainStateFile
}

export function saveChainState(repo: string, st: ChainStateFile): void {
  writeJsonAtomic(chainStatePath(repo), st)
}
