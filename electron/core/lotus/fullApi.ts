import type { Result } from '../../../preload/contract'
import type { CallOptions } from './rpc'
import { orEmptyArray, runBatch, runSpec, S, spec, type BatchResults, type CallSpec, type RpcTransport } from './shapes'
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
  MsgLookup,
  SectorChainLocation,
  SectorOnChainInfo,
  SignedMessage,
  SyncState,
  TipSet,
  TipSetKey,
  VersionInfo
} from '../../../preload/contract/lotus/types'

/**
 * The Lotus daemon's API (/rpc/v1). `fullCalls` describes each method as a CallSpec (Lotus's
 * params in Lotus's order; a tipset key of [] means the head), usable alone or in a batch;
 * FullNodeApi runs them, one method per Lotus method, named in lowerCamel (`ChainHead` →
 * `chainHead`). Go nil slices come back as [] (not null).
 */
export const fullCalls = {
  version: (): CallSpec<VersionInfo> => spec('Version', [], S.version),
  /** The node's libp2p peer ID. */
  id: (): CallSpec<string> => spec('ID', [], S.string),
  chainHead: (): CallSpec<TipSet> => spec('ChainHead', [], S.tipSet),
  syncState: (): CallSpec<SyncState> => spec('SyncState', [], S.syncState, (s: SyncState) => ({ ...s, ActiveSyncs: orEmptyArray(s.ActiveSyncs) })),
  nodeStatus: (inclChainStatus: boolean): CallSpec<NodeStatus> => spec('NodeStatus', [inclChainStatus], S.nodeStatus),
  netPeers: (): CallSpec<PeerAddrInfo[]> => spec('NetPeers', [], S.peers, orEmptyArray<PeerAddrInfo>),
  netPubsubScores: (): CallSpec<PubsubScore[]> => spec('NetPubsubScores', [], S.pubsubScores, orEmptyArray<PubsubScore>),
  /** admin. Blocking closes existing connections to those peers/IPs at once. */
  netBlockAdd: (acl: NetBlockList): CallSpec<void> => spec('NetBlockAdd', [acl], S.nothing, () => undefined),
  netBlockList: (): CallSpec<NetBlockList> => spec('NetBlockList', [], S.netBlockList),
  mpoolPending: (tsk: TipSetKey = []): CallSpec<SignedMessage[]> => spec('MpoolPending', [tsk], S.signedMessages, orEmptyArray<SignedMessage>),
  /** write (!): the CLI's `mpool pending --local` needs a write token for this. */
  walletList: (): CallSpec<string[]> => spec('WalletList', [], S.strings, orEmptyArray<string>),
  mpoolGetConfig: (): CallSpec<MpoolConfig> => spec('MpoolGetConfig', [], S.mpoolConfig),
  gasEstimateMessageGas: (msg: Message, sendSpec: MessageSendSpec | null, tsk: TipSetKey = []): CallSpec<Message> => spec('GasEstimateMessageGas', [msg, sendSpec, tsk], S.message),
  /** sign */
  walletSignMessage: (from: string, msg: Message): CallSpec<SignedMessage> => spec('WalletSignMessage', [from, msg], S.signedMessage),
  /** write */
  mpoolPush: (signed: SignedMessage): CallSpec<Cid> => spec('MpoolPush', [signed], S.cid),
  chainGetMessage: (cid: Cid): CallSpec<Message> => spec('ChainGetMessage', [cid], S.message),
  stateMinerInfo: (actor: string, tsk: TipSetKey = []): CallSpec<MinerInfo> => spec('StateMinerInfo', [actor, tsk], S.minerInfo),
  stateMinerProvingDeadline: (actor: string, tsk: TipSetKey = []): CallSpec<DeadlineInfo> => spec('StateMinerProvingDeadline', [actor, tsk], S.deadlineInfo),
  stateMinerDeadlines: (actor: string, tsk: TipSetKey = []): CallSpec<Deadline[]> => spec('StateMinerDeadlines', [actor, tsk], S.deadlines, orEmptyArray<Deadline>),
  stateMinerPartitions: (actor: string, dlIdx: number, tsk: TipSetKey = []): CallSpec<Partition[]> => spec('StateMinerPartitions', [actor, dlIdx, tsk], S.partitions, orEmptyArray<Partition>),
  /** null when the sector is not on chain. */
  stateSectorGetInfo: (actor: string, sector: number, tsk: TipSetKey = []): CallSpec<SectorOnChainInfo | null> => spec('StateSectorGetInfo', [actor, sector, tsk], S.sectorOnChain),
  stateMinerActiveSectors: (actor: string, tsk: TipSetKey = []): CallSpec<SectorOnChainInfo[]> => spec('StateMinerActiveSectors', [actor, tsk], S.sectorsOnChain, orEmptyArray<SectorOnChainInfo>),
  /** The receipt of a message that landed (LookbackNoLimit, replaced messages allowed, as the sealing FSM searches); null while pending. */
  stateSearchMsg: (msg: Cid, tsk: TipSetKey = []): CallSpec<MsgLookup | null> => spec('StateSearchMsg', [tsk, msg, -1, true], S.msgLookup),
  /** Where a live sector is proven: its deadline and partition; null when it is not on chain. */
  stateSectorPartition: (actor: string, sector: number, tsk: TipSetKey = []): CallSpec<SectorChainLocation | null> => spec('StateSectorPartition', [actor, sector, tsk], S.sectorLocation),
  /** read. Why a block was marked bad; '' when it was not (`lotus sync check-bad`). */
  syncCheckBad: (block: Cid): CallSpec<string> => spec('SyncCheckBad', [block], S.string),
  /** admin. `lotus sync unmark-bad <cid>`. */
  syncUnmarkBad: (block: Cid): CallSpec<void> => spec('SyncUnmarkBad', [block], S.nothing, () => undefined),
  /** admin. `lotus sync unmark-bad --all`. */
  syncUnmarkAllBad: (): CallSpec<void> => spec('SyncUnmarkAllBad', [], S.nothing, () => undefined),
  /** admin. What `lotus daemon stop` calls. */
  shutdown: (): CallSpec<void> => spec('Shutdown', [], S.nothing, () => undefined)
} as const

export class FullNodeApi {
  constructor(private readonly t: RpcTransport) {}

  /** Any daemon calls in one JSON-RPC batch (one round trip through SSH). */
  batch<const C extends readonly CallSpec<unknown>[]>(calls: C, o?: CallOptions): Promise<BatchResults<C>> {
    return runBatch(this.t, calls, o)
  }

  version(o?: CallOptions): Promise<VersionInfo> {
    return runSpec(this.t, fullCalls.version(), o)
  }

  id(o?: CallOptions): Promise<string> {
    return runSpec(this.t, fullCalls.id(), o)
  }

  chainHead(o?: CallOptions): Promise<TipSet> {
    return runSpec(this.t, fullCalls.chainHead(), o)
  }

  syncState(o?: CallOptions): Promise<SyncState> {
    return runSpec(this.t, fullCalls.syncState(), o)
  }

  nodeStatus(inclChainStatus: boolean, o?: CallOptions): Promise<NodeStatus> {
    return runSpec(this.t, fullCalls.nodeStatus(inclChainStatus), o)
  }

  netPeers(o?: CallOptions): Promise<PeerAddrInfo[]> {
    return runSpec(this.t, fullCalls.netPeers(), o)
  }

  netPubsubScores(o?: CallOptions): Promise<PubsubScore[]> {
    return runSpec(this.t, fullCalls.netPubsubScores(), o)
  }

  netBlockAdd(acl: NetBlockList, o?: CallOptions): Promise<void> {
    return runSpec(this.t, fullCalls.netBlockAdd(acl), o)
  }

  netBlockList(o?: CallOptions): Promise<NetBlockList> {
    return runSpec(this.t, fullCalls.netBlockList(), o)
  }

  mpoolPending(tsk: TipSetKey = [], o?: CallOptions): Promise<SignedMessage[]> {
    return runSpec(this.t, fullCalls.mpoolPending(tsk), o)
  }

  walletList(o?: CallOptions): Promise<string[]> {
    return runSpec(this.t, fullCalls.walletList(), o)
  }

  mpoolGetConfig(o?: CallOptions): Promise<MpoolConfig> {
    return runSpec(this.t, fullCalls.mpoolGetConfig(), o)
  }

  gasEstimateMessageGas(msg: Message, sendSpec: MessageSendSpec | null, tsk: TipSetKey = [], o?: CallOptions): Promise<Message> {
    return runSpec(this.t, fullCalls.gasEstimateMessageGas(msg, sendSpec, tsk), o)
  }

  walletSignMessage(from: string, msg: Message, o?: CallOptions): Promise<SignedMessage> {
    return runSpec(this.t, fullCalls.walletSignMessage(from, msg), o)
  }

  mpoolPush(signed: SignedMessage, o?: CallOptions): Promise<Cid> {
    return runSpec(this.t, fullCalls.mpoolPush(signed), o)
  }

  chainGetMessage(cid: Cid, o?: CallOptions): Promise<Message> {
    return runSpec(this.t, fullCalls.chainGetMessage(cid), o)
  }

  stateMinerInfo(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<MinerInfo> {
    return runSpec(this.t, fullCalls.stateMinerInfo(actor, tsk), o)
  }

  stateMinerProvingDeadline(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<DeadlineInfo> {
    return runSpec(this.t, fullCalls.stateMinerProvingDeadline(actor, tsk), o)
  }

  stateMinerDeadlines(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<Deadline[]> {
    return runSpec(this.t, fullCalls.stateMinerDeadlines(actor, tsk), o)
  }

  stateMinerPartitions(actor: string, dlIdx: number, tsk: TipSetKey = [], o?: CallOptions): Promise<Partition[]> {
    return runSpec(this.t, fullCalls.stateMinerPartitions(actor, dlIdx, tsk), o)
  }

  /** StateMinerPartitions for several deadlines in one batch; each gets its own result or error. */
  async stateMinerPartitionsBatch(actor: string, dlIdxs: readonly number[], tsk: TipSetKey = [], o?: CallOptions): Promise<Array<Result<Partition[]>>> {
    return runBatch(this.t, dlIdxs.map((i) => fullCalls.stateMinerPartitions(actor, i, tsk)), o)
  }

  stateSectorGetInfo(actor: string, sector: number, tsk: TipSetKey = [], o?: CallOptions): Promise<SectorOnChainInfo | null> {
    return runSpec(this.t, fullCalls.stateSectorGetInfo(actor, sector, tsk), o)
  }

  stateMinerActiveSectors(actor: string, tsk: TipSetKey = [], o?: CallOptions): Promise<SectorOnChainInfo[]> {
    return runSpec(this.t, fullCalls.stateMinerActiveSectors(actor, tsk), o)
  }

  shutdown(o?: CallOptions): Promise<void> {
    return runSpec(this.t, fullCalls.shutdown(), o)
  }
}
