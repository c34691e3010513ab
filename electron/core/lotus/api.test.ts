import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalSshHost } from '../../../test/support/localSshHost'
import { FullNodeApi } from './fullApi'
import { MinerApi } from './minerApi'
import { RpcClient } from './rpc'
import { CONFORMANCE_DIR, conformance } from '../../../test/support/lotus/conformance'
import { FakeLotusServer, type FakeMethod } from '../../../test/support/lotus/fakeLotusServer'
import type { CallId, Cid, Message, MessageSendSpec, NetBlockList, SectorId, SignedMessage, TipSetKey } from '../../../preload/contract/lotus/types'

/**
 * Every typed wrapper against Lotus's own API documentation examples: the server demands the
 * exact parameter count, records the params and answers the documented response; the wrapper
 * must send the documented params and accept the documented answer.
 */

type Api = 'full' | 'miner'
interface Case {
  api: Api
  method: string
  /** Parameter count when the conformance set has no params file for the method. */
  arity?: number
  /** Params used when there is no params file. */
  params?: unknown[]
  run: (full: FullNodeApi, miner: MinerApi, p: unknown[]) => Promise<unknown>
}

const TSK: TipSetKey = []
const CASES: Case[] = [
  { api: 'full', method: 'Version', run: (f) => f.version() },
  { api: 'full', method: 'ID', run: (f) => f.id() },
  { api: 'full', method: 'ChainHead', run: (f) => f.chainHead() },
  { api: 'full', method: 'SyncState', run: (f) => f.syncState() },
  { api: 'full', method: 'NodeStatus', run: (f, _m, p) => f.nodeStatus(p[0] as boolean) },
  { api: 'full', method: 'NetPeers', run: (f) => f.netPeers() },
  { api: 'full', method: 'NetPubsubScores', run: (f) => f.netPubsubScores() },
  { api: 'full', method: 'NetBlockAdd', run: (f, _m, p) => f.netBlockAdd(p[0] as NetBlockList) },
  { api: 'full', method: 'NetBlockList', run: (f) => f.netBlockList() },
  { api: 'full', method: 'MpoolPending', run: (f, _m, p) => f.mpoolPending(p[0] as TipSetKey) },
  { api: 'full', method: 'WalletList', run: (f) => f.walletList() },
  { api: 'full', method: 'MpoolGetConfig', run: (f) => f.mpoolGetConfig() },
  { api: 'full', method: 'GasEstimateMessageGas', run: (f, _m, p) => f.gasEstimateMessageGas(p[0] as Message, p[1] as MessageSendSpec, p[2] as TipSetKey) },
  { api: 'full', method: 'WalletSignMessage', run: (f, _m, p) => f.walletSignMessage(p[0] as string, p[1] as Message) },
  { api: 'full', method: 'MpoolPush', run: (f, _m, p) => f.mpoolPush(p[0] as SignedMessage) },
  { api: 'full', method: 'ChainGetMessage', run: (f, _m, p) => f.chainGetMessage(p[0] as Cid) },
  { api: 'full', method: 'StateMinerInfo', arity: 2, params: ['f01234', TSK], run: (f, _m, p) => f.stateMinerInfo(p[0] as string, p[1] as TipSetKey) },
  { api: 'full', method: 'StateMinerProvingDeadline', run: (f, _m, p) => f.stateMinerProvingDeadline(p[0] as string, p[1] as TipSetKey) },
  { api: 'full', method: 'StateMinerDeadlines', run: (f, _m, p) => f.stateMinerDeadlines(p[0] as string, p[1] as TipSetKey) },
  { api: 'full', method: 'StateMinerPartitions', run: (f, _m, p) => f.stateMinerPartitions(p[0] as string, p[1] as number, p[2] as TipSetKey) },
  { api: 'full', method: 'StateSectorGetInfo', run: (f, _m, p) => f.stateSectorGetInfo(p[0] as string, p[1] as number, p[2] as TipSetKey) },
  { api: 'full', method: 'StateMinerActiveSectors', arity: 2, params: ['f01234', TSK], run: (f, _m, p) => f.stateMinerActiveSectors(p[0] as string, p[1] as TipSetKey) },
  { api: 'full', method: 'Shutdown', arity: 0, run: (f) => f.shutdown() },

  { api: 'miner', method: 'Version', run: (_f, m) => m.version() },
  { api: 'miner', method: 'Session', run: (_f, m) => m.session() },
  { api: 'miner', method: 'ActorAddress', run: (_f, m) => m.actorAddress() },
  { api: 'miner', method: 'SectorsList', run: (_f, m) => m.sectorsList() },
  { api: 'miner', method: 'SectorsListInStates', run: (_f, m, p) => m.sectorsListInStates(p[0] as string[]) },
  { api: 'miner', method: 'SectorsSummary', run: (_f, m) => m.sectorsSummary() },
  { api: 'miner', method: 'SectorsStatus', run: (_f, m, p) => m.sectorsStatus(p[0] as number, p[1] as boolean) },
  { api: 'miner', method: 'SectorsUpdate', run: (_f, m, p) => m.sectorsUpdate(p[0] as number, p[1] as string) },
  { api: 'miner', method: 'SectorRemove', run: (_f, m, p) => m.sectorRemove(p[0] as number) },
  { api: 'miner', method: 'SectorTerminate', run: (_f, m, p) => m.sectorTerminate(p[0] as number) },
  { api: 'miner', method: 'PledgeSector', arity: 0, run: (_f, m) => m.pledgeSector() },
  { api: 'miner', method: 'WorkerJobs', run: (_f, m) => m.workerJobs() },
  { api: 'miner', method: 'WorkerStats', arity: 0, run: (_f, m) => m.workerStats() },
  { api: 'miner', method: 'SealingAbort', run: (_f, m, p) => m.sealingAbort(p[0] as CallId) },
  { api: 'miner', method: 'SealingRemoveRequest', run: (_f, m, p) => m.sealingRemoveRequest(p[0] as string) },
  { api: 'miner', method: 'StorageFindSector', run: (_f, m, p) => m.storageFindSector(p[0] as SectorId, p[1] as number, p[2] as number, p[3] as boolean) },
  { api: 'miner', method: 'StorageList', arity: 0, run: (_f, m) => m.storageList() },
  { api: 'miner', method: 'StorageLocal', arity: 0, run: (_f, m) => m.storageLocal() },
  { api: 'miner', method: 'StorageInfo', run: (_f, m, p) => m.storageInfo(p[0] as string) },
  { api: 'miner', method: 'StorageStat', arity: 1, params: ['76f1988b-ef30-4d7e-b3ec-9a627f4ba5a8'], run: (_f, m, p) => m.storageStat(p[0] as string) },
  { api: 'miner', method: 'Shutdown', arity: 0, run: (_f, m) => m.shutdown() }
]

const has = (name: string) => existsSync(join(CONFORMANCE_DIR, `${name}.json`))
const paramsOf = (c: Case): unknown[] => (has(`${c.api}.${c.method}.params`) ? (conformance<unknown[] | null>(`${c.api}.${c.method}.params`) ?? []) : (c.params ?? []))
const responseOf = (c: Case): unknown => (has(`${c.api}.${c.method}.response`) ? conformance(`${c.api}.${c.method}.response`) : null)

describe('typed Lotus wrappers against the API documentation examples', () => {
  const received: Record<string, unknown[]> = {}
  let daemon: FakeLotusServer
  let miner: FakeLotusServer
  let full: FullNodeApi
  let minerApi: MinerApi
  const clients: RpcClient[] = []

  beforeAll(async () => {
    const methods = (api: Api): Record<string, FakeMethod> =>
      Object.fromEntries(
        CASES.filter((c) => c.api === api).map((c) => [
          c.method,
          {
            perm: 'read',
            params: c.arity ?? paramsOf(c).length,
            handler: (p: unknown[]) => {
              received[`${api}.${c.method}`] = p
              return responseOf(c)
            }
          }
        ])
      )
    daemon = await FakeLotusServer.start({ paths: ['/rpc/v1'], tokens: {}, methods: methods('full') })
    miner = await FakeLotusServer.start({ paths: ['/rpc/v0'], tokens: {}, methods: methods('miner') })
    const host = new LocalSshHost()
    const d = new RpcClient({ ssh: host, target: { node: 'daemon', host: '127.0.0.1', port: daemon.port, tls: false, basePath: '', token: null } })
    const m = new RpcClient({ ssh: host, target: { node: 'miner', host: '127.0.0.1', port: miner.port, tls: false, basePath: '', token: null } })
    clients.push(d, m)
    full = new FullNodeApi(d)
    minerApi = new MinerApi(m)
  })
  afterAll(async () => {
    for (const c of clients) c.close()
    await Promise.all([daemon.stop(), miner.stop()])
  })

  it.each(CASES.map((c) => [`${c.api}.${c.method}`, c] as const))('%s', async (_name, c) => {
    const params = paramsOf(c)
    const result = await c.run(full, minerApi, params)
    expect(received[`${c.api}.${c.method}`]).toEqual(params)
    const response = responseOf(c)
    // Methods that only return an error answer null on the wire; their wrappers return void.
    if (response === null) expect(result).toBeUndefined()
    else expect(result).toEqual(response)
  })

  it('rejects an answer of the wrong shape as bad-response, naming the field', async () => {
    daemon.setMethod('ChainHead', { perm: 'read', params: 0, handler: () => ({ Cids: [], Blocks: [{ Height: 1, Miner: 'f01', Timestamp: 'soon' }], Height: 1 }) })
    await expect(full.chainHead()).rejects.toMatchObject({ code: 'lotus/bad-response', message: 'Filecoin.ChainHead answered an unexpected shape at Blocks.0.Timestamp: Invalid input: expected number, received string' })
  })

  it('turns Go nil slices and maps into [] and {}', async () => {
    daemon.setMethod('NetPeers', { perm: 'read', params: 0, handler: () => null })
    miner.setMethod('SectorsListInStates', { perm: 'read', params: 1, handler: () => null })
    miner.setMethod('WorkerJobs', { perm: 'read', params: 0, handler: () => ({ 'ef8d99a2-6865-4189-8ffa-9fef0f806eee': null }) })
    expect(await full.netPeers()).toEqual([])
    expect(await minerApi.sectorsListInStates(['Nope'])).toEqual([])
    expect(await minerApi.workerJobs()).toEqual({ 'ef8d99a2-6865-4189-8ffa-9fef0f806eee': [] })
  })

  it('batches StateMinerPartitions with per-deadline results', async () => {
    daemon.setMethod('StateMinerPartitions', { perm: 'read', params: 3, handler: (p) => (p[1] === 2 ? [{ bad: true }] : conformance('full.StateMinerPartitions.response')) })
    const res = await full.stateMinerPartitionsBatch('f01234', [0, 1, 2])
    expect(daemon.calls.filter((c) => c === 'StateMinerPartitions').length).toBeGreaterThanOrEqual(3)
    expect(res[0]).toMatchObject({ ok: true })
    expect(res[2]).toMatchObject({ ok: false, error: { code: 'lotus/bad-response' } })
  })
})
