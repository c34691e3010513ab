import type { Result } from '../../../preload/contract'
import { toInfo, type CallOptions } from './rpc'
import { callChecked, checkShape, orEmptyArray, S, type RpcTransport } from './shapes'
import type {
  Cid,
  Deadline,
  DeadlineInfo,
  Message,
  MessageSendSpec,
  MinerInfo,
  MpoolConfig,
  NetBlockList,
  NodeStatus,
  Partition,
  PeerAddrInfo,
  PubsubScore,
  SectorOnChainInfo,
  SignedMessage,
  SyncState,
  TipSet,
  TipSetKey,
  VersionInfo
} from './types'

/**
 * The Lotus daemon's API (/rpc/v1), one method per Lotus method, named in lowerCamel
 * (`ChainHead` → `chainHead`). Parameters are Lotus's, in Lotus's order; a tipset key of []
 * means the head. Go nil slices come back as [] (not null) where noted.
 */
export class FullNodeApi {
  constructor(private readonly t: RpcTransport) {}

  version(o?: CallOptions): Promise<VersionInfo> {
    return callChecked(this.t, 'Version', [], S.version, o)
  }

  /** The node's libp2p peer ID. */
  id(o?: CallOptions): Promise<string> {
    return callChecked(this.t, 'ID', [], S.string, o)
  }

  chainHead(o?: CallOptions): Promise<TipSet> {
    return callChecked(this.t, 'ChainHead', [], S.tipSet, o)
  }

  async syncState(o?: CallOptions): Promise<SyncState> {
    const s = await callChecked<SyncState>(this.t, 'SyncState', [], S.syncState, o)
    return { ...s, ActiveSyncs: orEmptyArray(s.ActiveSyncs) }
  }

  nodeStatus(inclChainStatus: boolean, o?: CallOptions): Promise<NodeStatus> {
    return callChecked(this.t, 'NodeStatus', [inclChainStatus], S.nodeStatus, o)
  }

  async netPeers(o?: CallOptions): Promise<PeerAddrInfo[]> {
    return orEmptyArray(await callChecked<PeerAddrInfo[] | null>(this.t, 'NetPeers', [], S.peers, o))
  }

  async netPubsubScores(o?: CallOptions): Promise<PubsubScore[]> {
    return orEmptyArray(await callChecked<PubsubScore[] | null>(this.t, 'NetPubsubScores', [], S.pubsubScores, o))
  }

  /** admin. Blocking closes existing connections to those peers/IPs at once. */
  async netBlockAdd(acl: NetBlockList, o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'NetBlockAdd', [acl], S.nothing, o)
  }

  netBlockList(o?: CallOptions): Promise<NetBlockList> {
    return callChecked(this.t, 'NetBlockList', [], S.netBlockList, o)
  }

  async mpoolPending(tsk: TipSetKey = [], o?: CallOptions): Promise<SignedMessage[]> {
    return orEmptyArray(await callChecked<SignedMessage[] | null>(this.t, 'MpoolPending', [tsk], S.signedMessages, o))
  }

  /** write (!): the CLI's `mpool pending --local` needs a write token for this. */
  async walletList(o?: CallOptions): Promise<string[]> {
    return orEmptyArray(await callChecked<string[] | null>(this.t, 'WalletList', [], S.strings, o))
  }

  mpoolGetConfig(o?: CallOptions): Promise<MpoolConfig> {
    return callChecked(this.t, 'MpoolGetConfig', [], S.mpoolConfig, o)
  }

  gasEstimateMessageGas(msg: Message, spec: MessageSendSpec | null, tsk: TipSetKey = [], o?: CallOptions): Promise<Message> {
    return callChecked(this.t, 'GasEstimateMessageGas', [msg, spec, tsk], S.message, o)
  }

  /** sign */
  walletSignMessage(from: string, msg: Message, o?: CallOptions): Promise<SignedMessage> {
    return callChecked(this.t, 'WalletSignMessage', [from, msg], S.signedMessage, o)
  }

  /** write */
  mpoolPush(signed: SignedMessage, o?: CallOptions): Promise<Cid> {
    return callChecked(this.t, 'MpoolPush', [signed], S.cid, o)
  }

  chainGetMessage(cid: Cid, o?: CallOptions): Promise<Message> {
    return callChecked(this.t, 'ChainGetMessage', [cid], S.message, o)
  }

  stateMinerInfo(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<MinerInfo> {
    return callChecked(this.t, 'StateMinerInfo', [actor, tsk], S.minerInfo, o)
  }

  stateMinerProvingDeadline(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<DeadlineInfo> {
    return callChecked(this.t, 'StateMinerProvingDeadline', [actor, tsk], S.deadlineInfo, o)
  }

  async stateMinerDeadlines(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<Deadline[]> {
    return orEmptyArray(await callChecked<Deadline[] | null>(this.t, 'StateMinerDeadlines', [actor, tsk], S.deadlines, o))
  }

  async stateMinerPartitions(actor: string, dlIdx: number, tsk: TipSetKey = [], o?: CallOptions): Promise<Partition[]> {
    return orEmptyArray(await callChecked<Partition[] | null>(this.t, 'StateMinerPartitions', [actor, dlIdx, tsk], S.partitions, o))
  }

  /**
   * StateMinerPartitions for several deadlines in one JSON-RPC batch (one round trip through
   * SSH instead of one per deadline); each deadline gets its own result or error.
   */
  async stateMinerPartitionsBatch(actor: string, dlIdxs: readonly number[], tsk: TipSetKey = [], o?: CallOptions): Promise<Result<Partition[]>[]> {
    const results = await this.t.batch(
      dlIdxs.map((i) => ({ method: 'StateMinerPartitions', params: [actor, i, tsk] })),
      o
    )
    return results.map((r): Result<Partition[]> => {
      if (!r.ok) return r
      try {
        return { ok: true, value: orEmptyArray(checkShape<Partition[] | null>('StateMinerPartitions', S.partitions, r.value)) }
      } catch (err) {
        return { ok: false, error: toInfo(err) }
      }
    })
  }

  /** null when the sector is not on chain. */
  stateSectorGetInfo(actor: string, sector: number, tsk: TipSetKey = [], o?: CallOptions): Promise<SectorOnChainInfo | null> {
    return callChecked(this.t, 'StateSectorGetInfo', [actor, sector, tsk], S.sectorOnChain, o)
  }

  async stateMinerActiveSectors(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<SectorOnChainInfo[]> {
    return orEmptyArray(await callChecked<SectorOnChainInfo[] | null>(this.t, 'StateMinerActiveSectors', [actor, tsk], S.sectorsOnChain, o))
  }

  /** admin. What `lotus daemon stop` calls. */
  async shutdown(o?: CallOptions): Promise<void> {
    await callChecked(this.t, 'Shutdown', [], S.nothing, o)
  }
}
