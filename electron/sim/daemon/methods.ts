import { randomUUID } from 'node:crypto'
import type { Cid, MessageSendSpec, MinerInfo, NetBlockList, SignedMessage } from '../../../preload/contract/lotus/types'
import { PERMISSIONS, signToken, verifyToken, type Permission } from '../common/jwt'
import { goError, RpcError, type MethodDef, type MethodTable } from '../common/rpcServer'
import { MPOOL_CONFIG } from './gas'
import { chainCid, checkAddress, checkPeerId, peerIdFrom, seededBytes } from './ids'
import { parseMessage, parseSignedMessage } from './messages'
import type { ChainNode } from './node'
import * as R from './rangeSet'
import { apiVersionFor, NETWORK_NAME, NETWORK_VERSION, NODE_USER_VERSION } from './version'

/**
 * The daemon's JSON-RPC methods, with Lotus's names, parameter counts and permissions
 * (api/api_full.go `perm:` tags) and the JSON shapes of the conformance examples. /rpc/v0
 * differs from /rpc/v1 where Lotus's v0 wrapper does (Version, StateSearchMsg, StateWaitMsg).
 */

export interface DaemonHooks {
  secret: () => Buffer
  shutdown: () => void
  peerId: string
}

const EXTRA_CODES = { actorNotFound: 11 }

function paramError(method: string, param: string, detail: string): RpcError {
  return new RpcError(-32700, `unmarshaling params for 'Filecoin.${method}' (param: ${param}): ${detail}`)
}

function addressParam(method: string, v: unknown): string {
  if (typeof v !== 'string') throw paramError(method, '*address.Address', `json: cannot unmarshal ${v === null ? 'null' : typeof v} into Go value of type string`)
  const c = checkAddress(v)
  if (!c.ok) throw paramError(method, '*address.Address', c.error)
  return v.replace(/^t/, 'f')
}

function cidParam(method: string, v: unknown): string {
  const s = (v as Cid | null)?.['/']
  if (typeof s !== 'string' || s === '') throw paramError(method, '*cid.Cid', 'cid too short')
  return s
}

function intParam(method: string, v: unknown, type: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw paramError(method, `*${type}`, `json: cannot unmarshal ${typeof v} into Go value of type ${type}`)
  return v
}

function tskParam(method: string, v: unknown): unknown {
  if (v !== null && !Array.isArray(v)) throw paramError(method, '*types.TipSetKey', 'json: cannot unmarshal object into Go value of type []cid.Cid')
  return v
}

function specParam(v: unknown): MessageSendSpec | null {
  if (v === null || v === undefined) return null
  const s = v as Record<string, unknown>
  return {
    MaxFee: typeof s.MaxFee === 'string' ? s.MaxFee : '0',
    MsgUuid: typeof s.MsgUuid === 'string' ? s.MsgUuid : undefined,
    MaximizeFeeCap: s.MaximizeFeeCap === true
  }
}

function netBlockParam(v: unknown): NetBlockList {
  const o = (v ?? {}) as Record<string, unknown>
  const list = (x: unknown): string[] | null => (Array.isArray(x) ? x.map(String) : null)
  return { Peers: list(o.Peers), IPAddrs: list(o.IPAddrs), IPSubnets: list(o.IPSubnets) }
}

/** Account actor and miner actor code CIDs of the current builtin-actors bundle on mainnet. */
const ACCOUNT_CODE = 'bafk2bzacedbgei6jkx36fwdgvoohce4aghvpohqdhoco7p4thszgssms7olv2'
const MINER_CODE = 'bafk2bzacebz4na3nq4gmumghegtkaofrv4nffiihd7sxntrryfneusqkuqodm'

export function daemonMethods(node: ChainNode, hooks: DaemonHooks, version: 'v0' | 'v1'): MethodTable {
  const session = randomUUID()
  const def = (perm: Permission, params: number, handler: MethodDef['handler']): MethodDef => ({ perm, params, handler })

  const requireMiner = (method: string, v: unknown): void => {
    const addr = addressParam(method, v)
    if (addr !== node.minerAddress) throw new RpcError(EXTRA_CODES.actorNotFound, 'failed to load miner actor: actor not found')
  }

  const minerInfo = (): MinerInfo => {
    const accts = node.wallet.accounts
    const owner = accts.find((a) => a.role === 'owner')?.id ?? ''
    const worker = accts.find((a) => a.role === 'worker')?.id ?? owner
    return {
      Owner: owner,
      Worker: worker,
      NewWorker: '<empty>',
      ControlAddresses: accts.filter((a) => a.role === 'control').map((a) => a.id),
      WorkerChangeEpoch: -1,
      PeerId: peerIdFrom(`miner:${node.cfg.minerId}`),
      Multiaddrs: [Buffer.from([0x04, ...seededBytes(`ip:${node.cfg.minerId}`, 4), 0x06, 0x5d, 0xc1]).toString('base64')],
      WindowPoStProofType: node.cfg.sectorSize > 34359738368 ? 14 : 13,
      SectorSize: node.cfg.sectorSize,
      WindowPoStPartitionSectors: 2349,
      ConsensusFaultElapsed: -1,
      PendingOwnerAddress: null,
      Beneficiary: owner,
      BeneficiaryTerm: { Quota: '0', UsedQuota: '0', Expiration: 0 },
      PendingBeneficiaryTerm: null
    }
  }

  const lookupTipset = (e: number) => {
    if (e > node.head) throw goError(`looking for tipset with height greater than start point`)
    return node.chain.tipset(e)
  }

  const searchResult = (cid: string, allowReplaced: boolean) => {
    const l = node.searchMessage(cid, allowReplaced)
    if (!l) return null
    return { Message: { '/': l.cid }, Receipt: l.receipt, ReturnDec: null, TipSet: node.chain.cids(l.height + 1), Height: l.height + 1 }
  }

  const waitMsg = async (cid: string, confidence: number, allowReplaced: boolean) => {
    // Lotus waits as long as the client does; the HTTP server cannot tell when a client has
    // gone, so a wait ends after ten minutes as a cancelled request would.
    const until = Date.now() + 10 * 60_000
    for (;;) {
      if (Date.now() > until) throw goError('context deadline exceeded')
      const l = node.searchMessage(cid, allowReplaced)
      if (l && node.head >= l.height + 1 + confidence) return searchResult(cid, allowReplaced)
      if (!l && !node.mpool.known(cid)) throw goError(`failed to load message: ipld: could not find ${cid}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  const methods: MethodTable = {
    Version: def('read', 0, (_p, ctx) => ({
      Version: NODE_USER_VERSION,
      APIVersion: apiVersionFor(ctx.path),
      BlockDelay: node.clock.blockDelay,
      Agent: 'lotus'
    })),
    ID: def('read', 0, () => hooks.peerId),
    Session: def('read', 0, () => session),
    Shutdown: def('admin', 0, () => {
      setImmediate(hooks.shutdown)
      return null
    }),
    AuthNew: def('admin', 1, ([perms]) => {
      if (!Array.isArray(perms)) throw paramError('AuthNew', '*[]auth.Permission', 'json: cannot unmarshal into Go value of type []auth.Permission')
      const allow = perms.filter((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p as string))
      return Buffer.from(signToken(hooks.secret(), allow)).toString('base64')
    }),
    AuthVerify: def('read', 1, ([token]) => {
      const perms = typeof token === 'string' ? verifyToken(hooks.secret(), token) : null
      if (!perms) throw goError('JWT Verification failed: signature is invalid')
      return perms
    }),

    ChainHead: def('read', 0, () => node.headTipset()),
    ChainGetTipSet: def('read', 1, ([tsk]) => node.chain.tipset(node.epochOf(tskParam('ChainGetTipSet', tsk)))),
    ChainGetTipSetByHeight: def('read', 2, ([h, tsk]) => {
      tskParam('ChainGetTipSetByHeight', tsk)
      return lookupTipset(intParam('ChainGetTipSetByHeight', h, 'abi.ChainEpoch'))
    }),
    ChainGetMessage: def('read', 1, ([c]) => {
      const cid = cidParam('ChainGetMessage', c)
      const k = node.mpool.known(cid)
      if (k) return k.message
      const f = node.foreign.pending(node.head).find((m) => m.CID['/'] === cid || m.Message.CID['/'] === cid)
      if (f) return f.Message
      throw goError(`ipld: could not find ${cid}`)
    }),

    SyncState: def('read', 0, () => node.sync.state()),
    SyncCheckBad: def('read', 1, ([c]) => node.sync.checkBad(cidParam('SyncCheckBad', c))),
    SyncMarkBad: def('admin', 1, ([c]) => {
      node.sync.markBad(cidParam('SyncMarkBad', c))
      return null
    }),
    SyncUnmarkBad: def('admin', 1, ([c]) => {
      node.sync.unmarkBad(cidParam('SyncUnmarkBad', c))
      return null
    }),
    SyncUnmarkAllBad: def('admin', 0, () => {
      node.sync.unmarkBad(null)
      return null
    }),
    NodeStatus: def('read', 1, ([incl]) => node.nodeStatus(incl === true)),

    NetPeers: def('read', 0, () => node.net.netPeers()),
    NetPubsubScores: def('read', 0, () => node.net.scores()),
    NetAgentVersion: def('read', 1, ([id]) => {
      const p = node.net.peer(String(id))
      if (!p) throw goError('item not found')
      return p.agent
    }),
    NetPeerInfo: def('read', 1, ([id]) => {
      const p = node.net.peer(String(id))
      if (!p) throw goError('item not found')
      return {
        ID: p.id,
        Agent: p.agent,
        Addrs: [p.addr],
        Protocols: ['/fil/hello/1.0.0', '/fil/chain/xchg/0.0.1', '/ipfs/id/1.0.0', '/ipfs/ping/1.0.0', '/meshsub/1.1.0', '/meshsub/1.2.0'],
        ConnMgrMeta: { FirstSeen: new Date(node.startedAt + p.connectAfter * 1000).toISOString(), Value: 0, Tags: {}, Conns: {} }
      }
    }),
    NetAddrsListen: def('read', 0, () => ({ ID: hooks.peerId, Addrs: ['/ip4/0.0.0.0/tcp/1347', '/ip4/0.0.0.0/udp/1347/quic-v1'] })),
    NetBlockAdd: def('admin', 1, ([acl]) => {
      const list = netBlockParam(acl)
      for (const p of list.Peers ?? []) {
        const err = checkPeerId(p)
        if (err) throw paramError('NetBlockAdd', '*api.NetBlockList', err)
      }
      node.net.add(list)
      node.persist()
      return null
    }),
    NetBlockRemove: def('admin', 1, ([acl]) => {
      node.net.remove(netBlockParam(acl))
      node.persist()
      return null
    }),
    NetBlockList: def('read', 0, () => node.net.list()),

    MpoolPending: def('read', 1, ([tsk]) => {
      tskParam('MpoolPending', tsk)
      return [...node.mpool.local(), ...node.foreign.pending(node.head)]
    }),
    MpoolGetConfig: def('read', 0, () => MPOOL_CONFIG),
    MpoolGetNonce: def('read', 1, ([a]) => {
      const addr = addressParam('MpoolGetNonce', a)
      return node.mpool.nextNonce(node.wallet.resolveKey(addr) ?? addr)
    }),
    MpoolPush: def('write', 1, ([sm]) => ({ '/': node.push(parseSignedMessage(sm)) })),
    MpoolPushMessage: def('sign', 2, ([m, spec]) => node.pushMessage(parseMessage(m), specParam(spec))),
    GasEstimateMessageGas: def('read', 3, ([m, spec, tsk]) => {
      tskParam('GasEstimateMessageGas', tsk)
      return node.estimateGas(parseMessage(m), specParam(spec))
    }),

    WalletList: def('write', 0, () => node.wallet.list()),
    WalletDefaultAddress: def('write', 0, () => node.wallet.defaultAddress()),
    WalletHas: def('write', 1, ([a]) => node.wallet.find(addressParam('WalletHas', a)) !== undefined),
    WalletBalance: def('read', 1, ([a]) => node.balance(addressParam('WalletBalance', a)).toString()),
    WalletSignMessage: def('sign', 2, ([a, m]): SignedMessage => node.wallet.sign(addressParam('WalletSignMessage', a), parseMessage(m))),

    StateNetworkName: def('read', 0, () => NETWORK_NAME),
    StateNetworkVersion: def('read', 1, () => NETWORK_VERSION),
    StateMinerInfo: def('read', 2, ([a]) => {
      requireMiner('StateMinerInfo', a)
      return minerInfo()
    }),
    StateMinerProvingDeadline: def('read', 2, ([a, tsk]) => {
      requireMiner('StateMinerProvingDeadline', a)
      return node.actor.deadlineInfo(node.epochOf(tskParam('StateMinerProvingDeadline', tsk)))
    }),
    StateMinerDeadlines: def('read', 2, ([a]) => {
      requireMiner('StateMinerDeadlines', a)
      return node.actor.deadlines()
    }),
    StateMinerPartitions: def('read', 3, ([a, d]) => {
      requireMiner('StateMinerPartitions', a)
      const dl = intParam('StateMinerPartitions', d, 'uint64')
      if (dl < 0 || dl >= 48) throw goError(`failed to load the deadline: deadline ${dl} not found`)
      return node.actor.partitions(dl)
    }),
    StateSectorGetInfo: def('read', 3, ([a, n]) => {
      requireMiner('StateSectorGetInfo', a)
      return node.actor.sectorInfo(intParam('StateSectorGetInfo', n, 'abi.SectorNumber'))
    }),
    StateSectorPartition: def('read', 3, ([a, n]) => {
      requireMiner('StateSectorPartition', a)
      const at = node.actor.locate(intParam('StateSectorPartition', n, 'abi.SectorNumber'))
      if (!at) throw goError(`sector not found`)
      return { Deadline: at.deadline, Partition: at.partition }
    }),
    StateSectorPreCommitInfo: def('read', 3, ([a, n]) => {
      requireMiner('StateSectorPreCommitInfo', a)
      return node.actor.preCommit(intParam('StateSectorPreCommitInfo', n, 'abi.SectorNumber'))
    }),
    StateMinerActiveSectors: def('read', 2, ([a]) => {
      requireMiner('StateMinerActiveSectors', a)
      return node.actor.activeSectors()
    }),
    StateMinerSectors: def('read', 3, ([a, filter]) => {
      requireMiner('StateMinerSectors', a)
      let f: R.Runs | null = null
      if (filter !== null) {
        try {
          f = R.fromRle(filter)
        } catch (e) {
          throw paramError('StateMinerSectors', '*bitfield.BitField', (e as Error).message)
        }
      }
      return node.actor.sectors(f)
    }),
    StateMinerFaults: def('read', 2, ([a]) => {
      requireMiner('StateMinerFaults', a)
      return R.toRle(node.actor.faults())
    }),
    StateMinerRecoveries: def('read', 2, ([a]) => {
      requireMiner('StateMinerRecoveries', a)
      return R.toRle(node.actor.recoveries())
    }),
    StateMinerSectorCount: def('read', 2, ([a]) => {
      requireMiner('StateMinerSectorCount', a)
      const c = node.actor.counts()
      return { Live: c.live, Active: c.active, Faulty: c.faulty }
    }),
    StateMinerPower: def('read', 2, ([a]) => {
      requireMiner('StateMinerPower', a)
      const raw = (BigInt(node.actor.counts().active) * BigInt(node.cfg.sectorSize)).toString()
      return {
        MinerPower: { RawBytePower: raw, QualityAdjPower: raw },
        TotalPower: { RawBytePower: '3126180390214041600', QualityAdjPower: '14107836201533620224' },
        HasMinPower: BigInt(raw) >= 10n * 2n ** 40n
      }
    }),
    StateMinerAvailableBalance: def('read', 2, ([a]) => {
      requireMiner('StateMinerAvailableBalance', a)
      const v = node.actor.availableBalance()
      return (v > 0n ? v : 0n).toString()
    }),
    StateGetActor: def('read', 2, ([a]) => {
      const addr = addressParam('StateGetActor', a)
      if (addr === node.minerAddress) {
        return { Code: { '/': MINER_CODE }, Head: { '/': chainCid(`minerhead:${node.head}`) }, Nonce: 0, Balance: node.state.actor.funds.balance }
      }
      const acct = node.wallet.find(addr)
      if (!acct) throw new RpcError(EXTRA_CODES.actorNotFound, `actor not found`)
      return {
        Code: { '/': ACCOUNT_CODE },
        Head: { '/': chainCid(`acct:${acct.key}`) },
        Nonce: node.mpool.stateNonce(acct.key),
        Balance: node.balance(acct.key).toString()
      }
    }),
    StateLookupID: def('read', 2, ([a]) => {
      const addr = addressParam('StateLookupID', a)
      if (addr === node.minerAddress || addr.startsWith('f0')) return addr
      const acct = node.wallet.find(addr)
      if (!acct) throw new RpcError(EXTRA_CODES.actorNotFound, `resolution lookup failed (${addr}): resolve address ${addr}: actor not found`)
      return acct.id
    }),
    StateAccountKey: def('read', 2, ([a]) => {
      const addr = addressParam('StateAccountKey', a)
      const key = node.wallet.resolveKey(addr)
      if (key) return key
      if (!addr.startsWith('f0')) return addr
      throw new RpcError(EXTRA_CODES.actorNotFound, `resolution lookup failed (${addr}): actor not found`)
    }),
    StateGetRandomnessFromTickets: def('read', 4, ([pers, e, entropy]) =>
      seededBytes(`tickets:${String(pers)}:${String(e)}:${String(entropy)}`, 32).toString('base64')
    ),
    StateGetRandomnessFromBeacon: def('read', 4, ([pers, e, entropy]) =>
      seededBytes(`beacon:${String(pers)}:${String(e)}:${String(entropy)}`, 32).toString('base64')
    ),
    StateSearchMsg: def('read', 4, ([tsk, c, _limit, allowReplaced]) => {
      tskParam('StateSearchMsg', tsk)
      return searchResult(cidParam('StateSearchMsg', c), allowReplaced === true)
    }),
    StateWaitMsg: def('read', 4, ([c, conf, _limit, allowReplaced]) =>
      waitMsg(cidParam('StateWaitMsg', c), typeof conf === 'number' ? conf : 0, allowReplaced === true)
    )
  }

  if (version === 'v0') {
    // v0's wrapper: no tipset/limit arguments; replaced messages are followed.
    methods.StateSearchMsg = def('read', 1, ([c]) => searchResult(cidParam('StateSearchMsg', c), true))
    methods.StateWaitMsg = def('read', 2, ([c, conf]) => waitMsg(cidParam('StateWaitMsg', c), typeof conf === 'number' ? conf : 0, true))
  }
  return methods
}
