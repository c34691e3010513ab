import type { CallOptions } from './rpc'
import { callChecked, orEmptyArray, orEmptyRecord, S, type RpcTransport } from './shapes'
import type {
  CallId,
  FsStat,
  SectorId,
  SectorInfo,
  StorageDecl,
  StorageInfo,
  StorageInfoEntry,
  VersionInfo,
  WorkerJob,
  WorkerStats
} from './types'

/**
 * lotus-miner's API (/rpc/v0; the miner has no v1), one method per Lotus method, named in
 * lowerCamel. Mutating methods are marked with the permission they need; none is ever retried.
 */
export class MinerApi {
  constructor(private readonly t: RpcTransport) {}

  version(o?: CallOptions): Promise<VersionInfo> {
    return callChecked(this.t, 'Version', [], S.version, o)
  }

  /** A UUID that changes on every miner start. */
  session(o?: CallOptions): Promise<string> {
    return callChecked(this.t, 'Session', [], S.string, o)
  }

  actorAddress(o?: CallOptions): Promise<string> {
    return callChecked(this.t, 'ActorAddress', [], S.string, o)
  }

  async sectorsList(o?: CallOptions): Promise<number[]> {
    return orEmptyArray(await callChecked<number[] | null>(this.t, 'SectorsList', [], S.numbers, o))
  }

  /** Lotus answers null when nothing matches and ignores unknown state names; [] here. */
  async sectorsListInStates(states: readonly string[], o?: CallOptions): Promise<number[]> {
    return orEmptyArray(await callChecked<number[] | null>(this.t, 'SectorsListInStates', [states], S.numbers, o))
  }

  /** State name → count. */
  async sectorsSummary(o?: CallOptions): Promise<Record<string, number>> {
    return orEmptyRecord(await callChecked<Record<string, number> | null>(this.t, 'SectorsSummary', [], S.summary, o))
  }

  sectorsStatus(sector: number, showOnChainInfo: boolean, o?: CallOptions): Promise<SectorInfo> {
    return callChecked(this.t, 'SectorsStatus', [sector, showOnChainInfo], S.sectorInfo, o)
  }

  /** admin. Lotus does not validate the state name: validate it before calling. */
  async sectorsUpdate(sector: number, state: string, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'SectorsUpdate', [sector, state], S.nothing, o)
  }

  /** admin. Removes local data only (→ Removing → Removed); not a termination on chain. */
  async sectorRemove(sector: number, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'SectorRemove', [sector], S.nothing, o)
  }

  /** admin */
  async sectorTerminate(sector: number, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'SectorTerminate', [sector], S.nothing, o)
  }

  /** write. Waits until the new sector leaves the undefined state. */
  pledgeSector(o?: CallOptions): Promise<SectorId> {
    return callChecked(this.t, 'PledgeSector', [], S.sectorId, o)
  }

  /** admin. Worker UUID → jobs. */
  async workerJobs(o?: CallOptions): Promise<Record<string, WorkerJob[]>> {
    const jobs = orEmptyRecord(await callChecked<Record<string, WorkerJob[] | null> | null>(this.t, 'WorkerJobs', [], S.workerJobs, o))
    return Object.fromEntries(Object.entries(jobs).map(([k, v]) => [k, orEmptyArray(v)]))
  }

  /** admin. Worker UUID → stats. */
  async workerStats(o?: CallOptions): Promise<Record<string, WorkerStats>> {
    return orEmptyRecord(await callChecked<Record<string, WorkerStats> | null>(this.t, 'WorkerStats', [], S.workerStats, o))
  }

  /** admin */
  async sealingAbort(call: CallId, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'SealingAbort', [call], S.nothing, o)
  }

  /** admin. Removes a queued scheduler request (`sealing abort --sched`). */
  async sealingRemoveRequest(schedId: string, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'SealingRemoveRequest', [schedId], S.nothing, o)
  }

  /** admin. fileType is one SectorFileType bit (1 unsealed, 2 sealed, 4 cache, 8 update, 16 update-cache). */
  async storageFindSector(sector: SectorId, fileType: number, ssize: number, allowFetch: boolean, o?: CallOptions): Promise<StorageInfoEntry[]> {
    return orEmptyArray(await callChecked<StorageInfoEntry[] | null>(this.t, 'StorageFindSector', [sector, fileType, ssize, allowFetch], S.storageFind, o))
  }

  /** admin. Storage ID → sector files declared in it. */
  async storageList(o?: CallOptions): Promise<Record<string, StorageDecl[]>> {
    const list = orEmptyRecord(await callChecked<Record<string, StorageDecl[] | null> | null>(this.t, 'StorageList', [], S.storageList, o))
    return Object.fromEntries(Object.entries(list).map(([k, v]) => [k, orEmptyArray(v)]))
  }

  /** admin. Storage ID → local path on the miner host. */
  async storageLocal(o?: CallOptions): Promise<Record<string, string>> {
    return orEmptyRecord(await callChecked<Record<string, string> | null>(this.t, 'StorageLocal', [], S.storageLocal, o))
  }

  /** admin */
  storageInfo(id: string, o?: CallOptions): Promise<StorageInfo> {
    return callChecked(this.t, 'StorageInfo', [id], S.storageInfo, o)
  }

  /** admin */
  storageStat(id: string, o?: CallOptions): Promise<FsStat> {
    return callChecked(this.t, 'StorageStat', [id], S.fsStat, o)
  }

  /** admin. What `lotus-miner stop` calls. */
  async shutdown(o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'Shutdown', [], S.nothing, o)
  }
}
