import { goError, type MethodTable } from '../common/rpcServer'
import { signToken, verifyToken, type Permission } from '../common/jwt'
import type { SectorInfo, WorkerInfo } from '../../../preload/contract/lotus/types'
import { isSectorState } from '../../../preload/contract/lotus/states'
import { readStorageMeta, storageMeta } from '../worker/files'
import type { WireCallError } from './calls'
import { goJsonTime } from './gofmt'
import type { MinerNode } from './node'
import type { SectorRecord } from './sectorTypes'
import { MINER_API_VERSION, MINER_USER_VERSION } from './version'
import { remoteExecutor, WorkerHandle, type WorkerPathInfo } from './workers'

/**
 * The miner's JSON-RPC methods (`/rpc/v0`), with Lotus's permissions and parameter counts
 * (api/api_storage.go, api/api_common.go) and exactly the shapes of the API documentation.
 */

const cid = (c: string | null) => (c ? { '/': c } : null)

export function sectorInfoJson(node: MinerNode, rec: SectorRecord): SectorInfo {
  return {
    SectorID: rec.n,
    State: rec.state,
    CommD: cid(rec.commD),
    CommR: cid(rec.commR),
    Proof: rec.proof,
    Deals: rec.pieces.map(() => 0),
    Pieces: rec.pieces.map((p) => ({ Piece: { Size: p.Size, PieceCID: { '/': p.PieceCID } }, DealInfo: null })),
    Ticket: { Value: rec.ticketValue, Epoch: rec.ticketEpoch },
    Seed: { Value: rec.seedValue, Epoch: rec.seedEpoch },
    PreCommitMsg: cid(rec.precommitMsg),
    CommitMsg: cid(rec.commitMsg),
    Retries: rec.invalidProofs,
    ToUpgrade: false,
    ReplicaUpdateMessage: null,
    LastErr: '',
    Log: rec.log.map((l) => ({ Kind: l.Kind, Timestamp: l.Timestamp, Trace: l.Trace, Message: l.Message })),
    SealProof: rec.sealProof,
    Activation: 0,
    Expiration: 0,
    DealWeight: '0',
    VerifiedDealWeight: '0',
    InitialPledge: '0',
    OnTime: 0,
    Early: 0
  } satisfies SectorInfo & { Proof: string | null }
}

async function sectorsStatus(node: MinerNode, n: number, onChain: boolean): Promise<SectorInfo> {
  const rec = node.store.get(n)
  if (!rec) throw goError(`No state for /${n}: datastore: key not found`)
  const info = sectorInfoJson(node, rec)
  if (!onChain) return info
  const si = await node.chain.sectorInfo(n)
  if (!si) return info
  Object.assign(info, {
    SealProof: si.SealProof,
    Activation: si.Activation,
    Expiration: si.Expiration,
    DealWeight: si.DealWeight,
    VerifiedDealWeight: si.VerifiedDealWeight,
    InitialPledge: si.InitialPledge
  })
  try {
    const ex = await node.chain.call<{ OnTime: number; Early: number }>('StateSectorExpiration', [node.maddr, n, []])
    info.OnTime = ex.OnTime
    info.Early = ex.Early
  } catch {
    // Lotus ignores a failing StateSectorExpiration here.
  }
  return info
}

/** A worker's storage paths into the sector index, owned by its base URL (`http://ip:port`). */
function attachWorkerPaths(node: MinerNode, base: string, paths: readonly WorkerPathInfo[]): void {
  for (const p of paths) {
    const meta = readStorageMeta(p.LocalPath) ?? storageMeta(p.ID, p.CanSeal, p.CanStore, p.Weight)
    node.index.attach({ meta, localPath: p.LocalPath, urls: [`${base}/remote`], owner: base })
  }
  // Requests waiting for files the index did not know may go now.
  node.sched.tick()
}

/**
 * StorageAttach from a worker's local store (at its start, and when it declares its storage again
 * after the miner restarted), before and apart from WorkerConnect. The sim reads sector files off
 * the shared disk, so it asks the worker where the path is.
 */
async function storageAttach(node: MinerNode, si: { ID?: unknown; URLs?: unknown }): Promise<void> {
  const url = Array.isArray(si.URLs) && typeof si.URLs[0] === 'string' ? si.URLs[0] : null
  if (!url || typeof si.ID !== 'string') throw goError('storage attach: no storage ID or URL')
  const base = url.replace(/\/remote\/?$/, '')
  let paths: WorkerPathInfo[] | null
  try {
    paths = (await remoteExecutor(`${base}/rpc/v0`, node.token).call('Paths', [])) as WorkerPathInfo[] | null
  } catch (e) {
    throw goError(`storage attach: reaching ${base}: ${(e as Error).message}`)
  }
  const mine = (paths ?? []).filter((p) => p.ID === si.ID)
  if (mine.length === 0) throw goError(`storage attach: ${base} does not serve storage ${si.ID}`)
  attachWorkerPaths(node, base, mine)
}

/** WorkerConnect: ask the worker who it is and what it has, then schedule work on it. */
async function workerConnect(node: MinerNode, url: string): Promise<void> {
  const exec = remoteExecutor(url, node.token)
  let info: WorkerInfo
  let tasks: Record<string, unknown>
  let paths: WorkerPathInfo[] | null
  let session: string
  try {
    info = (await exec.call('Info', [])) as WorkerInfo
    tasks = (await exec.call('TaskTypes', [])) as Record<string, unknown>
    paths = (await exec.call('Paths', [])) as WorkerPathInfo[] | null
    session = (await exec.call('Session', [])) as string
  } catch (e) {
    throw goError(`connecting remote storage failed: ${(e as Error).message}`)
  }
  const w = new WorkerHandle(session, info, new Set(Object.keys(tasks)), paths ?? [], exec, url)
  attachWorkerPaths(node, url.replace(/\/rpc\/v0$/, ''), paths ?? [])
  node.log.node.info('impl/storminer.go:476', `Connected to a remote worker at ${url}`)
  node.workers.add(w)
  node.sched.tick()
}

function returnMethod(node: MinerNode, withResult: boolean): MethodTable[string] {
  return {
    perm: 'admin',
    params: withResult ? 3 : 2,
    handler: ([call, a, b]) => {
      const id = (call as { ID: string }).ID
      const err = (withResult ? b : a) as WireCallError | null
      node.sched.returnResult(id, withResult ? a : null, err && (err.Code !== 0 || err.Message) ? err : null)
    }
  }
}

export function minerMethods(node: MinerNode, shutdown: () => void): MethodTable {
  const t: MethodTable = {
    Version: {
      perm: 'read',
      params: 0,
      handler: () => ({ Version: MINER_USER_VERSION, APIVersion: MINER_API_VERSION, BlockDelay: node.clock.blockDelay, Agent: 'lotus' })
    },
    Session: { perm: 'read', params: 0, handler: () => node.session },
    StartTime: { perm: 'read', params: 0, handler: () => goJsonTime(node.startMs) },
    Shutdown: {
      perm: 'admin',
      params: 0,
      handler: () => {
        setImmediate(shutdown)
        return null
      }
    },
    AuthNew: {
      perm: 'admin',
      params: 1,
      handler: ([perms]) => Buffer.from(signToken(node.secret, (perms as Permission[]) ?? [])).toString('base64')
    },
    AuthVerify: {
      perm: 'read',
      params: 1,
      handler: ([token]) => {
        const p = verifyToken(node.secret, String(token))
        if (!p) throw goError('JWT Verification failed: jwt: HMAC verification failed')
        return p
      }
    },
    ActorAddress: { perm: 'read', params: 0, handler: () => node.maddr },
    ActorSectorSize: { perm: 'read', params: 1, handler: () => node.cfg.sectorSize },
    RuntimeSubsystems: { perm: 'read', params: 0, handler: () => ['Mining', 'Sealing', 'SectorStorage'] },
    SectorsList: {
      perm: 'read',
      params: 0,
      handler: () => {
        const all = node.store.list()
        return all.filter((n) => node.store.isBulk(n) || node.store.get(n)?.state !== '')
      }
    },
    SectorsListInStates: {
      perm: 'read',
      params: 1,
      handler: ([states]) => {
        const want = new Set(((states as string[] | null) ?? []).filter(isSectorState))
        if (want.size === 0) return null
        const out = node.store.listInStates(want)
        return out.length === 0 ? null : out
      }
    },
    SectorsSummary: { perm: 'read', params: 0, handler: () => node.store.summary() },
    SectorsStatus: { perm: 'read', params: 2, handler: ([n, onChain]) => sectorsStatus(node, Number(n), onChain === true) },
    SectorsUpdate: { perm: 'admin', params: 2, handler: ([n, state]) => node.sealing.send(Number(n), { type: 'SectorForceState', user: { State: String(state) } }) },
    SectorRemove: { perm: 'admin', params: 1, handler: ([n]) => node.sealing.send(Number(n), { type: 'SectorRemove', user: {} }) },
    SectorTerminate: { perm: 'admin', params: 1, handler: ([n]) => node.sealing.send(Number(n), { type: 'SectorTerminate', user: {} }) },
    SectorTerminateFlush: {
      perm: 'admin',
      params: 0,
      handler: async () => {
        const pending = node.batchers.terminate.pending()
        if (pending.length === 0) return null
        await node.batchers.terminate.flush()
        return null
      }
    },
    SectorTerminatePending: {
      perm: 'admin',
      params: 0,
      handler: () => node.batchers.terminate.pending().map((n) => ({ Miner: node.cfg.minerId, Number: n }))
    },
    SectorPreCommitPending: {
      perm: 'admin',
      params: 0,
      handler: () => node.batchers.precommit.pending().map((n) => ({ Miner: node.cfg.minerId, Number: n }))
    },
    SectorCommitPending: {
      perm: 'admin',
      params: 0,
      handler: () => node.batchers.commit.pending().map((n) => ({ Miner: node.cfg.minerId, Number: n }))
    },
    PledgeSector: { perm: 'write', params: 0, handler: () => node.pledge() },
    WorkerConnect: { perm: 'admin', params: 1, handler: ([url]) => workerConnect(node, String(url)) },
    WorkerJobs: { perm: 'admin', params: 0, handler: () => node.sched.workerJobs() },
    WorkerStats: { perm: 'admin', params: 0, handler: () => node.sched.workerStats() },
    SealingAbort: { perm: 'admin', params: 1, handler: ([call]) => node.sched.abort((call as { ID: string }).ID) },
    SealingRemoveRequest: {
      perm: 'admin',
      params: 1,
      handler: ([id]) => {
        try {
          node.sched.removeRequest(String(id))
        } catch (e) {
          throw goError((e as Error).message)
        }
      }
    },
    SealingSchedDiag: { perm: 'admin', params: 1, handler: () => node.sched.diag() },
    StorageAttach: { perm: 'admin', params: 2, handler: async ([si]) => storageAttach(node, (si ?? {}) as { ID?: unknown; URLs?: unknown }) },
    StorageFindSector: {
      perm: 'admin',
      params: 4,
      handler: ([sid, ft, , allowFetch]) => node.index.findSector((sid as { Number: number }).Number, Number(ft), allowFetch === true)
    },
    StorageList: { perm: 'admin', params: 0, handler: () => node.index.list() },
    StorageLocal: { perm: 'admin', params: 0, handler: () => node.index.local() },
    StorageInfo: { perm: 'admin', params: 1, handler: ([id]) => node.index.info(String(id)) },
    StorageStat: { perm: 'admin', params: 1, handler: ([id]) => node.index.stat(String(id)) },
    StorageDetach: {
      perm: 'admin',
      params: 2,
      handler: ([id]) => {
        const p = node.index.all().find((x) => x.meta.ID === id)
        if (!p) throw goError('sector store not found')
        node.index.detachPath(String(id))
      }
    },
    CheckProvable: {
      perm: 'admin',
      params: 2,
      handler: ([, sectors]) => {
        const out: Record<string, string> = {}
        for (const s of (sectors as { ID: { Number: number } }[] | null) ?? []) {
          const why = node.checkProvable(s.ID.Number)
          if (why) out[String(s.ID.Number)] = why
        }
        return out
      }
    },
    ReturnAddPiece: returnMethod(node, true),
    ReturnDataCid: returnMethod(node, true),
    ReturnSealPreCommit1: returnMethod(node, true),
    ReturnSealPreCommit2: returnMethod(node, true),
    ReturnSealCommit1: returnMethod(node, true),
    ReturnSealCommit2: returnMethod(node, true),
    ReturnReplicaUpdate: returnMethod(node, true),
    ReturnProveReplicaUpdate1: returnMethod(node, true),
    ReturnProveReplicaUpdate2: returnMethod(node, true),
    ReturnReadPiece: returnMethod(node, true),
    ReturnFinalizeSector: returnMethod(node, false),
    ReturnGenerateSectorKeyFromData: returnMethod(node, false),
    ReturnFinalizeReplicaUpdate: returnMethod(node, false),
    ReturnReleaseUnsealed: returnMethod(node, false),
    ReturnMoveStorage: returnMethod(node, false),
    ReturnUnsealPiece: returnMethod(node, false),
    ReturnDownloadSector: returnMethod(node, false),
    ReturnFetch: returnMethod(node, false)
  }
  return t
}
