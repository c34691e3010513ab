import type { CallOptions } from './rpc'
import { orEmptyArray, orEmptyRecord, runBatch, runSpec, S, spec, type BatchResults, type CallSpec, type RpcTransport } from './shapes'
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
} from '../../../preload/contract/lotus/types'

/** Go maps of slices: `{"a": null}` → `{"a": []}`. */
function recordOfArrays<T>(v: Record<string, T[] | null> | null): Record<string, T[]> {
  return Object.fromEntries(Object.entries(orEmptyRecord(v)).map(([k, a]) => [k, orEmptyArray(a)]))
}

/**
 * lotus-miner's API (/rpc/v0; the miner has no v1). `minerCalls` describes each method as a
 * CallSpec; MinerApi runs them, one method per Lotus method, named in lowerCamel. Mutating
 * methods are marked with the permission they need; none is ever retried.
 */
export const minerCalls = {
  version: (): CallSpec<VersionInfo> => spec('Version', [], S.version),
  /** A UUID that changes on every miner start. */
  session: (): CallSpec<string> => spec('Session', [], S.string),
  actorAddress: (): CallSpec<string> => spec('ActorAddress', [], S.string),
  sectorsList: (): CallSpec<number[]> => spec('SectorsList', [], S.numbers, orEmptyArray<number>),
  /** Lotus answers null when nothing matches and ignores unknown state names; [] here. */
  sectorsListInStates: (states: readonly string[]): CallSpec<number[]> => spec('SectorsListInStates', [states], S.numbers, orEmptyArray<number>),
  /** State name → count. */
  sectorsSummary: (): CallSpec<Record<string, number>> => spec('SectorsSummary', [], S.summary, orEmptyRecord<number>),
  sectorsStatus: (sector: number, showOnChainInfo: boolean): CallSpec<SectorInfo> => spec('SectorsStatus', [sector, showOnChainInfo], S.sectorInfo),
  /** admin. Lotus does not validate the state name: validate it before calling. */
  sectorsUpdate: (sector: number, state: string): CallSpec<void> => spec('SectorsUpdate', [sector, state], S.nothing, () => undefined),
  /** admin. Removes local data only (→ Removing → Removed); not a termination on chain. */
  sectorRemove: (sector: number): CallSpec<void> => spec('SectorRemove', [sector], S.nothing, () => undefined),
  /** admin */
  sectorTerminate: (sector: number): CallSpec<void> => spec('SectorTerminate', [sector], S.nothing, () => undefined),
  /** write. Waits until the new sector leaves the undefined state. */
  pledgeSector: (): CallSpec<SectorId> => spec('PledgeSector', [], S.sectorId),
  /** admin. Worker UUID → jobs. */
  workerJobs: (): CallSpec<Record<string, WorkerJob[]>> => spec('WorkerJobs', [], S.workerJobs, recordOfArrays<WorkerJob>),
  /** admin. Worker UUID → stats. */
  workerStats: (): CallSpec<Record<string, WorkerStats>> => spec('WorkerStats', [], S.workerStats, orEmptyRecord<WorkerStats>),
  /** admin */
  sealingAbort: (call: CallId): CallSpec<void> => spec('SealingAbort', [call], S.nothing, () => undefined),
  /** admin. Removes a queued scheduler request (`sealing abort --sched`). */
  sealingRemoveRequest: (schedId: string): CallSpec<void> => spec('SealingRemoveRequest', [schedId], S.nothing, () => undefined),
  /** admin. fileType is one SectorFileType bit (1 unsealed, 2 sealed, 4 cache, 8 update, 16 update-cache). */
  storageFindSector: (sector: SectorId, fileType: number, ssize: number, allowFetch: boolean): CallSpec<StorageInfoEntry[]> =>
    spec('StorageFindSector', [sector, fileType, ssize, allowFetch], S.storageFind, orEmptyArray<StorageInfoEntry>),
  /** admin. Storage ID → sector files declared in it. */
  storageList: (): CallSpec<Record<string, StorageDecl[]>> => spec('StorageList', [], S.storageList, recordOfArrays<StorageDecl>),
  /** admin. Storage ID → local path on the miner host. */
  storageLocal: (): CallSpec<Record<string, string>> => spec('StorageLocal', [], S.storageLocal, orEmptyRecord<string>),
  /** admin */
  storageInfo: (id: string): CallSpec<StorageInfo> => spec('StorageInfo', [id], S.storageInfo),
  /** admin */
  storageStat: (id: string): CallSpec<FsStat> => spec('StorageStat', [id], S.fsStat),
  /** admin. What `lotus-miner stop` calls. */
  shutdown: (): CallSpec<void> => spec('Shutdown', [], S.nothing, () => undefined)
} as const

export class MinerApi {
  constructor(private readonly t: RpcTransport) {}

  /** Any miner calls in one JSON-RPC batch (e.g. SectorsStatus of many sectors). */
  batch<const C extends readonly CallSpec<unknown>[]>(calls: C, o?: CallOptions): Promise<BatchResults<C>> {
    return runBatch(this.t, calls, o)
  }

  version(o?: CallOptions): Promise<VersionInfo> {
    return runSpec(this.t, minerCalls.version(), o)
  }

  session(o?: CallOptions): Promise<string> {
    return runSpec(this.t, minerCalls.session(), o)
  }

  actorAddress(o?: CallOptions): Promise<string> {
    return runSpec(this.t, minerCalls.actorAddress(), o)
  }

  sectorsList(o?: CallOptions): Promise<number[]> {
    return runSpec(this.t, minerCalls.sectorsList(), o)
  }

  sectorsListInStates(states: readonly string[], o?: CallOptions): Promise<number[]> {
    return runSpec(this.t, minerCalls.sectorsListInStates(states), o)
  }

  sectorsSummary(o?: CallOptions): Promise<Record<string, number>> {
    return runSpec(this.t, minerCalls.sectorsSummary(), o)
  }

  sectorsStatus(sector: number, showOnChainInfo: boolean, o?: CallOptions): Promise<SectorInfo> {
    return runSpec(this.t, minerCalls.sectorsStatus(sector, showOnChainInfo), o)
  }

  sectorsUpdate(sector: number, state: string, o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.sectorsUpdate(sector, state), o)
  }

  sectorRemove(sector: number, o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.sectorRemove(sector), o)
  }

  sectorTerminate(sector: number, o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.sectorTerminate(sector), o)
  }

  pledgeSector(o?: CallOptions): Promise<SectorId> {
    return runSpec(this.t, minerCalls.pledgeSector(), o)
  }

  workerJobs(o?: CallOptions): Promise<Record<string, WorkerJob[]>> {
    return runSpec(this.t, minerCalls.workerJobs(), o)
  }

  workerStats(o?: CallOptions): Promise<Record<string, WorkerStats>> {
    return runSpec(this.t, minerCalls.workerStats(), o)
  }

  sealingAbort(call: CallId, o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.sealingAbort(call), o)
  }

  sealingRemoveRequest(schedId: string, o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.sealingRemoveRequest(schedId), o)
  }

  storageFindSector(sector: SectorId, fileType: number, ssize: number, allowFetch: boolean, o?: CallOptions): Promise<StorageInfoEntry[]> {
    return runSpec(this.t, minerCalls.storageFindSector(sector, fileType, ssize, allowFetch), o)
  }

  storageList(o?: CallOptions): Promise<Record<string, StorageDecl[]>> {
    return runSpec(this.t, minerCalls.storageList(), o)
  }

  storageLocal(o?: CallOptions): Promise<Record<string, string>> {
    return runSpec(this.t, minerCalls.storageLocal(), o)
  }

  storageInfo(id: string, o?: CallOptions): Promise<StorageInfo> {
    return runSpec(this.t, minerCalls.storageInfo(id), o)
  }

  storageStat(id: string, o?: CallOptions): Promise<FsStat> {
    return runSpec(this.t, minerCalls.storageStat(id), o)
  }

  shutdown(o?: CallOptions): Promise<void> {
    return runSpec(this.t, minerCalls.shutdown(), o)
  }
}
