import type { Cid, Message, MessageSendSpec, NodeStatus, SignedMessage, TipSet } from '../../../preload/contract/lotus/types'
import { ChainClock } from '../common/clock'
import type { GoLogger } from '../common/golog'
import { goError } from '../common/rpcServer'
import { actorAddress, hasScenario, type SimSiteConfig } from '../common/siteConfig'
import { MinerActor, type ApplyResult } from './actor'
import { loadChainState, saveChainState, type ChainStateFile } from './chainState'
import { ForeignTraffic } from './foreign'
import { estimateMessageGas, MIN_GAS_PREMIUM } from './gas'
import { seededFloat } from './ids'
import { requiredFunds, withFields } from './messages'
import { inclusionDelay, Mpool, type LandedMsg, type Receipt } from './mpool'
import { Net, sitePeers } from './net'
import { SyncManager } from './sync'
import { ChainView } from './tipsets'
import { accountsOf, verifySignature, Wallet } from './wallet'

/**
 * One running chain node: the persisted chain state plus the live parts (sync, peers), and the
 * operations the JSON-RPC methods need. The head only moves through `applyEpoch`, which lands
 * due messages and runs the actor's cron, so syncing after downtime replays every epoch missed.
 */
export class ChainNode {
  readonly clock: ChainClock
  readonly chain: ChainView
  readonly actor: MinerActor
  readonly mpool: Mpool
  readonly wallet: Wallet
  readonly net: Net
  readonly sync: SyncManager
  readonly foreign: ForeignTraffic
  readonly minerAddress: string
  readonly startedAt = Date.now()
  private dirty = false
  private persistTimer: NodeJS.Timeout | null = null
  private lastHeadChange = Date.now()

  constructor(
    readonly cfg: SimSiteConfig,
    readonly repo: string,
    readonly state: ChainStateFile,
    readonly log: { chain: GoLogger; chainstore: GoLogger }
  ) {
    this.clock = ChainClock.of(cfg)
    this.chain = new ChainView(this.clock)
    this.actor = new MinerActor(state.actor, {
      lowFunds: hasScenario(cfg, 'precommit-funds'),
      ...(hasScenario(cfg, 'aggregate-invalid-proof') ? { badAggregate: (n: number) => n % 10 === 4 } : {})
    })
    this.mpool = new Mpool(state.mpool)
    this.wallet = new Wallet(accountsOf(cfg))
    this.net = new Net(sitePeers(`${cfg.name}:${cfg.minerId}`), state.blocked, this.startedAt)
    this.foreign = new ForeignTraffic(`${Math.round(cfg.genesisTime)}`)
    this.minerAddress = actorAddress(cfg)
    this.sync = new SyncManager(
      {
        head: () => this.state.head,
        applyEpoch: (e) => this.applyEpoch(e),
        tipset: (e) => this.chain.tipset(e),
        peersReady: () => this.net.connected().length >= 4,
        messagesIn: (e) => this.chain.blockCount(e) * 37
      },
      this.clock,
      log.chain,
      log.chainstore,
      hasScenario(cfg, 'slow-sync'),
      hasScenario(cfg, 'sync-bad-block')
    )
    // Messages this node held while it was down were never broadcast: they go out now.
    const networkNow = this.sync.networkHead()
    for (const p of state.mpool.pending) p.landAt = Math.max(p.landAt, networkNow + inclusionDelay(p.smsg.CID['/']))
  }

  static load(cfg: SimSiteConfig, repo: string, log: { chain: GoLogger; chainstore: GoLogger }): ChainNode | null {
    const st = loadChainState(repo)
    return st ? new ChainNode(cfg, repo, st, log) : null
  }

  start(): void {
    this.sync.start()
    this.persistTimer = setInterval(() => this.flush(), 2000)
  }

  stop(): void {
    this.sync.stop()
    if (this.persistTimer) clearInterval(this.persistTimer)
    this.persistTimer = null
    this.persist()
  }

  persist(): void {
    saveChainState(this.repo, this.state)
    this.dirty = false
  }

  private flush(): void {
    if (this.dirty) this.persist()
  }

  get head(): number {
    return this.state.head
  }

  headTipset(): TipSet {
    return this.chain.tipset(this.state.head)
  }

  /** The epoch a tipset key names; the head for an empty or unknown key. */
  epochOf(tsk: unknown): number {
    if (!Array.isArray(tsk) || tsk.length === 0) return this.state.head
    const h = this.chain.heightOfKey(tsk as Cid[])
    return h !== null && h <= this.state.head ? h : this.state.head
  }

  /* ------------------------------------------------------------ the chain */

  /** Processes the tipset at `epoch` (head + 1): includes due local messages, then runs cron. */
  applyEpoch(epoch: number): void {
    if (epoch !== this.state.head + 1) throw new Error(`applyEpoch ${epoch} with head ${this.state.head}`)
    const baseFee = this.chain.baseFee(epoch - 1)
    for (const smsg of this.mpool.takeIncludable(epoch, baseFee)) {
      this.mpool.recordLanded(smsg, epoch, this.execute(smsg, epoch, baseFee))
    }
    this.actor.cron(epoch)
    this.state.head = epoch
    this.mpool.prune(epoch)
    this.lastHeadChange = Date.now()
    this.dirty = true
  }

  private execute(smsg: SignedMessage, epoch: number, baseFee: bigint): Receipt {
    const m = smsg.Message
    let res: ApplyResult
    if (m.To === this.minerAddress) res = this.actor.apply(m.Method, m.Params, epoch, this.wallet.role(m.From))
    else res = { exitCode: 0, gasUsed: 488_000 + (m.Params ? 1_200_000 : 0) }
    const feeCap = BigInt(m.GasFeeCap)
    const tip = BigInt(m.GasPremium) < feeCap - baseFee ? BigInt(m.GasPremium) : feeCap - baseFee
    const fee = BigInt(res.gasUsed) * baseFee + BigInt(m.GasLimit) * (tip > 0n ? tip : 0n)
    const value = res.exitCode === 0 ? BigInt(m.Value) : 0n
    this.addBalance(m.From, -(fee + value))
    if (value > 0n) this.addBalance(m.To, value)
    if (m.To === this.minerAddress && value > 0n) {
      this.state.actor.funds.balance = (BigInt(this.state.actor.funds.balance) + value).toString()
    }
    return { ExitCode: res.exitCode, Return: null, GasUsed: res.gasUsed, EventsRoot: null }
  }

  balance(addr: string): bigint {
    const key = this.wallet.resolveKey(addr) ?? addr
    if (key === this.minerAddress) return BigInt(this.state.actor.funds.balance)
    return BigInt(this.state.balances[key] ?? '0')
  }

  private addBalance(addr: string, delta: bigint): void {
    const key = this.wallet.resolveKey(addr)
    if (!key) return
    this.state.balances[key] = (BigInt(this.state.balances[key] ?? '0') + delta).toString()
  }

  /* --------------------------------------------------------------- mpool */

  /** Runs a message against the head state without changing anything (gas estimation). */
  dryRun(msg: Message): ApplyResult {
    if (msg.To !== this.minerAddress) return { exitCode: 0, gasUsed: 488_000 + (msg.Params ? 1_200_000 : 0) }
    return this.actor.apply(msg.Method, msg.Params, this.state.head + 1, this.wallet.role(msg.From), true)
  }

  estimateGas(msg: Message, spec: MessageSendSpec | null): Message {
    return estimateMessageGas(msg, spec, {
      baseFee: this.chain.baseFee(this.state.head),
      recentPremiums: [...this.foreign.recentPremiums(this.state.head), MIN_GAS_PREMIUM],
      execute: (m) => this.dryRun(m),
      noise: () => seededFloat(`noise:${msg.CID['/']}:${Date.now()}`) * 2 - 1
    })
  }

  /** MpoolPush: Lotus's checks, then the message waits for inclusion 1–2 epochs later. */
  push(smsg: SignedMessage): string {
    const m = smsg.Message
    if (m.Version !== 0) throw goError("message not valid for block inclusion: 'Version' unsupported")
    if (m.To === '<empty>') throw goError("message not valid for block inclusion: 'To' address cannot be empty")
    if (m.From === '<empty>') throw goError("message not valid for block inclusion: 'From' address cannot be empty")
    if (BigInt(m.Value) < 0n) throw goError("message not valid for block inclusion: 'Value' field cannot be negative")
    if (BigInt(m.GasFeeCap) < 0n) throw goError("message not valid for block inclusion: 'GasFeeCap' field cannot be negative")
    if (BigInt(m.GasPremium) < 0n) throw goError("message not valid for block inclusion: 'GasPremium' field cannot be negative")
    if (BigInt(m.GasPremium) > BigInt(m.GasFeeCap)) throw goError("message not valid for block inclusion: 'GasFeeCap' less than 'GasPremium'")
    if (m.GasLimit > 10_000_000_000) throw goError("message not valid for block inclusion: 'GasLimit' field cannot be greater than a block's gas limit")
    if (m.GasLimit <= 0) throw goError("message not valid for block inclusion: 'GasLimit' field cannot be less than the cost of storing a message on chain")
    if (BigInt(m.GasFeeCap) < 100n) throw goError('gas fee cap too low')
    const senderKey = this.wallet.resolveKey(m.From) ?? m.From
    if (senderKey.startsWith('f0') || senderKey.startsWith('t0')) {
      throw goError(`signature verification failed: failed to validate signature: must resolve ID addresses before using them to verify a signature`)
    }
    const sigErr = verifySignature(smsg, senderKey)
    if (sigErr) throw goError(sigErr)
    const landAt = Math.max(this.state.head, this.sync.networkHead()) + inclusionDelay(smsg.CID['/'])
    const cid = this.mpool.add(smsg, landAt, this.balance(m.From))
    // A pushed message must survive a crash of the daemon right after the call returns.
    this.persist()
    return cid
  }

  /** MpoolPushMessage: nonce, gas and signature filled in by the node. */
  pushMessage(msgIn: Message, spec: MessageSendSpec | null): SignedMessage {
    if (msgIn.Nonce !== 0) throw goError(`MpoolPushMessage expects message nonce to be 0, was ${msgIn.Nonce}`)
    let msg: Message
    try {
      msg = this.estimateGas(msgIn, spec)
    } catch (e) {
      throw goError(`GasEstimateMessageGas error: ${(e as Error).message}`)
    }
    if (BigInt(msg.GasPremium) > BigInt(msg.GasFeeCap)) {
      throw goError(`After estimation, GasPremium is greater than GasFeeCap, inmsg: ${JSON.stringify(msgIn)}, outmsg: ${JSON.stringify(msg)}`)
    }
    const key = this.wallet.resolveKey(msg.From)
    if (!key) throw goError(`mpool push: failed to push message: failed to sign message: signing using key '${msg.From}': key info not found`)
    msg = withFields(msg, { From: key, Nonce: this.mpool.nextNonce(key) })
    const bal = this.balance(key)
    if (bal < requiredFunds(msg)) throw goError(`mpool push: not enough funds: ${bal} < ${requiredFunds(msg)}`)
    const smsg = this.wallet.sign(key, msg)
    try {
      this.push(smsg)
    } catch (e) {
      throw goError(`mpool push: failed to push message: ${(e as Error).message}`)
    }
    return smsg
  }

  /** StateSearchMsg: the receipt is visible once the tipset after the including one is the head. */
  searchMessage(cid: string, allowReplaced: boolean): LandedMsg | null {
    const l = this.mpool.findLanded(cid, allowReplaced)
    return l && l.height + 1 <= this.state.head ? l : null
  }

  /* -------------------------------------------------------------- status */

  nodeStatus(withChain: boolean): NodeStatus {
    // Lotus: seconds since the head's timestamp over the block time (unrounded here: at high
    // speeds whole-second timestamps would make a synced node look several epochs behind).
    const age = Date.now() / 1000 - this.clock.timeOf(this.state.head)
    const scores = this.net.scores()
    const connected = new Set(this.net.connected().map((p) => p.id))
    const publishers = scores.filter((s) => connected.has(s.ID) && s.Score.Score > -500).length
    return {
      SyncStatus: { Epoch: this.state.head, Behind: Math.max(0, Math.floor(age / this.clock.epochSeconds)) },
      PeerStatus: { PeersToPublishMsgs: publishers, PeersToPublishBlocks: publishers },
      ChainStatus: withChain
        ? { BlocksPerTipsetLast100: this.chain.blocksPerTipset(this.state.head, 100), BlocksPerTipsetLastFinality: this.chain.blocksPerTipset(this.state.head, 900) }
        : { BlocksPerTipsetLast100: 0, BlocksPerTipsetLastFinality: 0 }
    }
  }

  /** /health/livez: a head change within the last ten epochs (Lotus: five minutes). */
  live(): boolean {
    return Date.now() - this.lastHeadChange < Math.max(10 * this.clock.epochSeconds, 5) * 1000
  }

  /** /health/readyz: peers known and fewer than 5 epochs behind. */
  ready(): boolean {
    return this.net.connected().length > 0 && this.nodeStatus(false).SyncStatus.Behind < 5
  }
}
