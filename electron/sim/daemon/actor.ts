import type { BitField, Deadline, Partition, SectorOnChainInfo } from '../../../preload/contract/lotus/types'
import { METHOD_SEND, MINER_METHODS } from '../../../preload/contract/lotus/methods'
import { PARTITION_SECTORS_32G, PRECOMMIT_CHALLENGE_DELAY, provingDeadline, WPOST_CHALLENGE_WINDOW, WPOST_PERIOD_DEADLINES } from '../common/clock'
import { emptyPartition, type ActorStateData, type DeadlineState, type PartitionState, type PreCommitOnChain, type SectorPreCommitInfo } from './actorState'
import * as R from './rangeSet'
import { seededInt } from './ids'
import { initialSector, pledgeValues, toOnChainInfo } from './sectorInfo'

/**
 * The miner actor's message handlers and WindowPoSt cron (builtin-actors semantics, simplified
 * to what an operator can observe): precommits, activation into deadlines and partitions,
 * PoSt submissions, faults, recoveries and terminations. Every query answer that costs more
 * than a lookup is cached until the state changes.
 */

/** The miner actor methods the sim's actor implements (numbers from the contract's Lotus knowledge). */
export const METHOD = { Send: METHOD_SEND, ...MINER_METHODS } as const

export const EXIT = { Ok: 0, IllegalArgument: 16, NotFound: 17, Forbidden: 18, InsufficientFunds: 19 } as const

export interface ApplyResult {
  exitCode: number
  gasUsed: number
  /** Why it failed, as the actor's error would say (surfaces in gas estimation). */
  reason?: string
}

export type CallerRole = 'owner' | 'worker' | 'control' | null

/** Max ticket age when precommitting (ChainFinality + MaxPreCommitRandomnessLookback). */
const MAX_TICKET_AGE = 900 + 2880
/** A precommit must be proven within this many epochs (30 days + WaitSeed) or it expires. */
const MAX_PROVE_COMMIT_DURATION = 30 * 2880 + PRECOMMIT_CHALLENGE_DELAY

class ActorAbort extends Error {
  constructor(
    readonly exitCode: number,
    message: string
  ) {
    super(message)
  }
}

function abort(code: number, message: string): never {
  throw new ActorAbort(code, message)
}

export function live(p: PartitionState): R.Runs {
  return R.subtract(p.all, p.terminated)
}

export function active(p: PartitionState): R.Runs {
  return R.subtract(R.subtract(live(p), p.faulty), p.unproven)
}

function decodeParams(params: string | null): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(params ?? '', 'base64').toString('utf8')) as unknown
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  } catch {
    // fall through
  }
  return abort(EXIT.IllegalArgument, 'failed to decode params')
}

function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) abort(EXIT.IllegalArgument, `invalid ${what}`)
  return v
}

function sectorList(v: unknown, what: string): number[] {
  if (v === null || v === undefined) return []
  if (!Array.isArray(v)) abort(EXIT.IllegalArgument, `invalid ${what}`)
  return v.map((n) => int(n, what))
}

function gas(base: number, per: number, n: number, seed: string): number {
  const g = base + per * n
  return Math.round(g * (0.97 + (seededInt(seed) % 600) / 10_000))
}

export class MinerActor {
  /** Bumped on every change; caches compare against it. */
  private version = 0
  private partitionCache = new Map<number, { version: number; json: Partition[] }>()
  private deadlinesCache: { version: number; json: Deadline[] } | null = null
  private activeCache: { version: number; json: SectorOnChainInfo[] } | null = null

  constructor(
    readonly st: ActorStateData,
    private readonly opts: { lowFunds: boolean; badAggregate?: (sector: number) => boolean }
  ) {}

  private changed(): void {
    this.version++
  }

  get stateVersion(): number {
    return this.version
  }

  deadlineInfo(epoch: number) {
    return provingDeadline(epoch, this.st.periodOffset)
  }

  /* ------------------------------------------------------------- queries */

  deadlines(): Deadline[] {
    if (this.deadlinesCache?.version === this.version) return this.deadlinesCache.json
    const json = this.st.deadlines.map((d) => ({
      PostSubmissions: R.toRle(R.fromNumbers(d.posted)),
      DisputableProofCount: 0,
      DailyFee: '0'
    }))
    this.deadlinesCache = { version: this.version, json }
    return json
  }

  partitions(deadline: number): Partition[] {
    const cached = this.partitionCache.get(deadline)
    if (cached?.version === this.version) return cached.json
    const d = this.st.deadlines[deadline]
    const json = (d?.partitions ?? []).map((p) => ({
      AllSectors: R.toRle(p.all) as BitField,
      FaultySectors: R.toRle(p.faulty),
      RecoveringSectors: R.toRle(p.recovering),
      LiveSectors: R.toRle(live(p)),
      ActiveSectors: R.toRle(active(p))
    }))
    this.partitionCache.set(deadline, { version: this.version, json })
    return json
  }

  /** Deadline and partition holding a sector, terminated ones included. */
  locate(sector: number): { deadline: number; partition: number } | null {
    for (let d = 0; d < this.st.deadlines.length; d++) {
      const parts = (this.st.deadlines[d] as DeadlineState).partitions
      for (let p = 0; p < parts.length; p++) if (R.has((parts[p] as PartitionState).all, sector)) return { deadline: d, partition: p }
    }
    return null
  }

  private partitionAt(deadline: number, partition: number): PartitionState | undefined {
    return this.st.deadlines[deadline]?.partitions[partition]
  }

  /** SectorOnChainInfo of a sector in the Sectors AMT (activated, not terminated), else null. */
  sectorInfo(sector: number): SectorOnChainInfo | null {
    const at = this.locate(sector)
    if (!at) return null
    const part = this.partitionAt(at.deadline, at.partition) as PartitionState
    if (R.has(part.terminated, sector)) return null
    const stored = this.st.sectors[String(sector)]
    return toOnChainInfo(sector, stored ?? initialSector(this.st, sector))
  }

  private union(pick: (p: PartitionState) => R.Runs): R.Runs {
    let out: R.Runs = R.EMPTY
    for (const d of this.st.deadlines) for (const p of d.partitions) out = R.union(out, pick(p))
    return out
  }

  liveSectors(): R.Runs {
    return this.union(live)
  }

  activeSectorSet(): R.Runs {
    return this.union(active)
  }

  faults(): R.Runs {
    return this.union((p) => p.faulty)
  }

  recoveries(): R.Runs {
    return this.union((p) => p.recovering)
  }

  private infos(set: R.Runs): SectorOnChainInfo[] {
    const out: SectorOnChainInfo[] = []
    const stored = this.st.sectors
    const anyStored = Object.keys(stored).length > 0
    for (let i = 0; i < set.length; i += 2) {
      const end = set[i + 1] as number
      for (let n = set[i] as number; n < end; n++) {
        const s = anyStored ? stored[n] : undefined
        out.push(toOnChainInfo(n, s ?? initialSector(this.st, n)))
      }
    }
    return out
  }

  /**
   * StateMinerActiveSectors: live, not faulty, proven. 100,000 entries take a second to build
   * and tens of MB to hold, so they are kept only briefly (repeated listings, `sectors list`).
   */
  activeSectors(): SectorOnChainInfo[] {
    if (this.activeCache?.version === this.version) return this.activeCache.json
    const json = this.infos(this.activeSectorSet())
    this.activeCache = { version: this.version, json }
    setTimeout(() => {
      if (this.activeCache?.json === json) this.activeCache = null
    }, 30_000).unref()
    return json
  }

  /** StateMinerSectors: every sector in the Sectors AMT, optionally filtered. */
  sectors(filter: R.Runs | null): SectorOnChainInfo[] {
    const all = this.liveSectors()
    return this.infos(filter ? R.intersect(all, filter) : all)
  }

  preCommit(sector: number): PreCommitOnChain | null {
    return this.st.precommits[String(sector)] ?? null
  }

  counts(): { live: number; active: number; faulty: number } {
    return { live: R.count(this.liveSectors()), active: R.count(this.activeSectorSet()), faulty: R.count(this.faults()) }
  }

  availableBalance(): bigint {
    const f = this.st.funds
    return BigInt(f.balance) - BigInt(f.initialPledge) - BigInt(f.preCommitDeposits) - BigInt(f.lockedFunds)
  }

  /** PreCommit deposit per sector: about 20 days of expected reward. */
  preCommitDeposit(sector: number): bigint {
    return BigInt(pledgeValues(this.st.minerId, sector).ExpectedDayReward) * 20n
  }

  /* ----------------------------------------------------------- messages */

  /**
   * Executes a message to the actor at `epoch`. With `dry`, nothing changes: gas estimation
   * runs messages this way to report the actor's error before the message is sent.
   */
  apply(method: number, params: string | null, epoch: number, caller: CallerRole, dry = false): ApplyResult {
    try {
      const gasUsed = this.dispatch(method, params, epoch, caller, dry)
      if (!dry) this.changed()
      return { exitCode: EXIT.Ok, gasUsed }
    } catch (e) {
      if (e instanceof ActorAbort) return { exitCode: e.exitCode, gasUsed: gas(8_000_000, 0, 0, `fail:${method}:${epoch}`), reason: e.message }
      throw e
    }
  }

  private requireCaller(caller: CallerRole, allowed: CallerRole[]): void {
    if (!allowed.includes(caller)) abort(EXIT.Forbidden, `caller is not one of the miner's ${allowed.join('/')} addresses`)
  }

  private dispatch(method: number, params: string | null, epoch: number, caller: CallerRole, dry: boolean): number {
    switch (method) {
      case METHOD.Send:
        return gas(488_000, 0, 0, `send:${epoch}`)
      case METHOD.WithdrawBalance:
        this.requireCaller(caller, ['owner'])
        return gas(12_400_000, 0, 0, `wd:${epoch}`)
      case METHOD.PreCommitSectorBatch2:
        this.requireCaller(caller, ['worker', 'control', 'owner'])
        return this.preCommitBatch(decodeParams(params), epoch, dry)
      case METHOD.ProveCommitAggregate:
        this.requireCaller(caller, ['worker', 'control', 'owner'])
        return this.proveCommitAggregate(decodeParams(params), epoch, dry)
      case METHOD.SubmitWindowedPoSt:
        this.requireCaller(caller, ['worker', 'control', 'owner'])
        return this.submitWindowedPoSt(decodeParams(params), epoch, dry)
      case METHOD.DeclareFaultsRecovered:
        this.requireCaller(caller, ['worker', 'control', 'owner'])
        return this.declareFaultsRecovered(decodeParams(params), epoch, dry)
      case METHOD.TerminateSectors:
        this.requireCaller(caller, ['worker', 'owner'])
        return this.terminateSectors(decodeParams(params), epoch, dry)
      default:
        return gas(5_000_000, 0, 0, `m${method}:${epoch}`)
    }
  }

  private preCommitBatch(p: Record<string, unknown>, epoch: number, dry: boolean): number {
    const list = p.Sectors
    if (!Array.isArray(list) || list.length === 0) abort(EXIT.IllegalArgument, 'batch empty')
    const infos: SectorPreCommitInfo[] = list.map((raw) => {
      const s = (raw ?? {}) as Record<string, unknown>
      const sealed = s.SealedCID as { '/'?: unknown } | undefined
      if (!sealed || typeof sealed['/'] !== 'string') abort(EXIT.IllegalArgument, 'sealed CID had wrong prefix')
      return {
        SealProof: typeof s.SealProof === 'number' ? s.SealProof : this.st.sealProof,
        SectorNumber: int(s.SectorNumber, 'sector number'),
        SealedCID: { '/': sealed['/'] as string },
        SealRandEpoch: typeof s.SealRandEpoch === 'number' ? s.SealRandEpoch : epoch - 1,
        DealIDs: null,
        Expiration: typeof s.Expiration === 'number' ? s.Expiration : epoch + 540 * 2880,
        UnsealedCid: null
      }
    })
    let deposit = 0n
    for (const info of infos) {
      if (R.has(this.st.allocated, info.SectorNumber)) abort(EXIT.IllegalArgument, `sector ${info.SectorNumber} already allocated`)
      if (info.SealRandEpoch < epoch - MAX_TICKET_AGE) {
        abort(EXIT.IllegalArgument, `seal challenge epoch ${info.SealRandEpoch} too old, must be after ${epoch - MAX_TICKET_AGE}`)
      }
      deposit += this.preCommitDeposit(info.SectorNumber)
    }
    if (this.opts.lowFunds || this.availableBalance() < deposit) {
      abort(EXIT.InsufficientFunds, `insufficient funds for pre-commit deposit: ${deposit}`)
    }
    if (!dry) {
      for (const info of infos) {
        this.st.precommits[String(info.SectorNumber)] = {
          Info: info,
          PreCommitDeposit: this.preCommitDeposit(info.SectorNumber).toString(),
          PreCommitEpoch: epoch
        }
      }
      this.st.allocated = R.union(this.st.allocated, R.fromNumbers(infos.map((i) => i.SectorNumber)))
      this.st.funds.preCommitDeposits = (BigInt(this.st.funds.preCommitDeposits) + deposit).toString()
    }
    return gas(22_000_000, 9_000_000, infos.length, `pc:${epoch}:${infos[0]?.SectorNumber}`)
  }

  private proveCommitAggregate(p: Record<string, unknown>, epoch: number, dry: boolean): number {
    const sectors = sectorList(p.SectorNumbers, 'sector numbers')
    if (sectors.length === 0) abort(EXIT.IllegalArgument, 'no sectors to prove')
    // Scenario aggregate-invalid-proof: the aggregate proof over these sectors does not verify.
    if (this.opts.badAggregate && sectors.some(this.opts.badAggregate)) abort(EXIT.IllegalArgument, 'aggregate seal verify failed: invalid aggregate')
    const pcs = sectors.map((n) => {
      const pc = this.preCommit(n)
      if (!pc) abort(EXIT.NotFound, `no pre-commited sector ${n}`)
      const seedEpoch = pc.PreCommitEpoch + PRECOMMIT_CHALLENGE_DELAY
      if (epoch <= seedEpoch) abort(EXIT.Forbidden, `too early to prove sector ${n}: current epoch ${epoch}, seed available at ${seedEpoch}`)
      return pc
    })
    if (!dry) {
      let pledge = 0n
      let deposits = 0n
      for (const pc of pcs) {
        const n = pc.Info.SectorNumber
        const values = pledgeValues(this.st.minerId, n)
        this.st.sectors[String(n)] = {
          SealProof: pc.Info.SealProof,
          SealedCID: pc.Info.SealedCID['/'],
          Activation: epoch,
          Expiration: pc.Info.Expiration,
          ...values,
          DailyFee: (BigInt(values.ExpectedDayReward) / 20n).toString()
        }
        pledge += BigInt(values.InitialPledge)
        deposits += BigInt(pc.PreCommitDeposit)
        delete this.st.precommits[String(n)]
      }
      this.assignToDeadlines(
        pcs.map((pc) => pc.Info.SectorNumber),
        epoch
      )
      const f = this.st.funds
      f.preCommitDeposits = (BigInt(f.preCommitDeposits) - deposits).toString()
      f.initialPledge = (BigInt(f.initialPledge) + pledge).toString()
    }
    return gas(120_000_000, 12_000_000, sectors.length, `pca:${epoch}:${sectors[0]}`)
  }

  /**
   * Puts new sectors into partitions (the sim's simplified rule): fill the last partially filled partition
   * of a mutable deadline, else open a partition in the mutable deadline with the fewest
   * partitions. The current and next deadlines are immutable.
   */
  private assignToDeadlines(sectors: number[], epoch: number): void {
    const cur = this.deadlineInfo(epoch).Index
    const immutable = new Set([cur, (cur + 1) % WPOST_PERIOD_DEADLINES])
    for (const n of [...sectors].sort((a, b) => a - b)) {
      let best: { d: number; fill: number } | null = null
      for (let d = 0; d < WPOST_PERIOD_DEADLINES; d++) {
        if (immutable.has(d)) continue
        const parts = (this.st.deadlines[d] as DeadlineState).partitions
        const last = parts[parts.length - 1]
        if (!last) continue
        const fill = R.count(last.all)
        if (fill < PARTITION_SECTORS_32G && (!best || fill > best.fill)) best = { d, fill }
      }
      let target: PartitionState
      if (best) {
        const parts = (this.st.deadlines[best.d] as DeadlineState).partitions
        target = parts[parts.length - 1] as PartitionState
      } else {
        let fewest = -1
        for (let d = 0; d < WPOST_PERIOD_DEADLINES; d++) {
          if (immutable.has(d)) continue
          const len = (this.st.deadlines[d] as DeadlineState).partitions.length
          if (fewest < 0 || len < (this.st.deadlines[fewest] as DeadlineState).partitions.length) fewest = d
        }
        target = emptyPartition()
        ;(this.st.deadlines[fewest] as DeadlineState).partitions.push(target)
      }
      const one = R.range(n, n + 1)
      target.all = R.union(target.all, one)
      target.unproven = R.union(target.unproven, one)
    }
  }

  private submitWindowedPoSt(p: Record<string, unknown>, epoch: number, dry: boolean): number {
    const dl = this.deadlineInfo(epoch)
    const deadline = int(p.Deadline, 'deadline')
    if (deadline >= WPOST_PERIOD_DEADLINES) abort(EXIT.IllegalArgument, `invalid deadline ${deadline} of ${WPOST_PERIOD_DEADLINES}`)
    if (deadline !== dl.Index) abort(EXIT.IllegalArgument, `invalid deadline ${deadline} at epoch ${epoch}, expected ${dl.Index}`)
    if (typeof p.ChainCommitEpoch === 'number') {
      if (p.ChainCommitEpoch < dl.Challenge) abort(EXIT.IllegalArgument, `expected chain commit epoch ${p.ChainCommitEpoch} to be after ${dl.Challenge}`)
      if (p.ChainCommitEpoch >= epoch) abort(EXIT.IllegalArgument, `chain commit epoch ${p.ChainCommitEpoch} must be less than the current epoch ${epoch}`)
    }
    const list = p.Partitions
    if (!Array.isArray(list) || list.length === 0) abort(EXIT.IllegalArgument, 'expected at least one partition')
    const dstate = this.st.deadlines[deadline] as DeadlineState
    const proofs = list.map((raw) => {
      const e = (raw ?? {}) as Record<string, unknown>
      const index = int(e.Index, 'partition index')
      const part = dstate.partitions[index]
      if (!part) abort(EXIT.NotFound, `no such partition ${deadline}:${index}`)
      const skipped = R.fromNumbers(sectorList(e.Skipped, 'skipped sectors'))
      if (R.count(R.subtract(skipped, part.all)) > 0) abort(EXIT.IllegalArgument, `skipped faults contains sectors outside partition ${index}`)
      return { index, part, skipped }
    })
    if (!dry) {
      for (const { index, part, skipped } of proofs) {
        if (dstate.posted.includes(index)) continue
        const liveSet = live(part)
        const skippedLive = R.intersect(skipped, liveSet)
        const healed = R.subtract(part.recovering, skippedLive)
        part.faulty = R.union(R.subtract(part.faulty, healed), skippedLive)
        part.recovering = R.EMPTY
        part.unproven = R.intersect(part.unproven, skippedLive)
        dstate.posted.push(index)
      }
      dstate.posted.sort((a, b) => a - b)
    }
    return gas(35_000_000, 18_000_000, proofs.length, `post:${epoch}:${deadline}`)
  }

  private declareFaultsRecovered(p: Record<string, unknown>, epoch: number, dry: boolean): number {
    const list = p.Recoveries
    if (!Array.isArray(list)) abort(EXIT.IllegalArgument, 'invalid recoveries')
    const cur = this.deadlineInfo(epoch)
    const decls = list.map((raw) => {
      const r = (raw ?? {}) as Record<string, unknown>
      const deadline = int(r.Deadline, 'deadline')
      const partition = int(r.Partition, 'partition')
      if (deadline >= WPOST_PERIOD_DEADLINES) abort(EXIT.IllegalArgument, `invalid deadline ${deadline}`)
      // The declaration targets the deadline's next (not yet elapsed) window; it must come before its FaultCutoff.
      let open = cur.PeriodStart + deadline * WPOST_CHALLENGE_WINDOW
      if (open + WPOST_CHALLENGE_WINDOW <= epoch) open += WPOST_PERIOD_DEADLINES * WPOST_CHALLENGE_WINDOW
      const cutoff = open - 70
      if (epoch >= cutoff) abort(EXIT.IllegalArgument, `invalid recovery declaration deadline ${deadline}: late fault declaration at ${epoch} (cutoff ${cutoff})`)
      const part = this.partitionAt(deadline, partition)
      if (!part) abort(EXIT.NotFound, `no such partition ${deadline}:${partition}`)
      const sectors = R.fromNumbers(sectorList(r.Sectors, 'sectors'))
      if (R.count(R.subtract(sectors, part.all)) > 0) abort(EXIT.IllegalArgument, `sectors not all in partition ${deadline}:${partition}`)
      return { part, sectors }
    })
    if (!dry) {
      for (const { part, sectors } of decls) {
        part.recovering = R.union(part.recovering, R.intersect(R.intersect(sectors, part.faulty), live(part)))
      }
    }
    return gas(18_000_000, 6_000_000, decls.length, `rec:${epoch}`)
  }

  private terminateSectors(p: Record<string, unknown>, epoch: number, dry: boolean): number {
    const list = p.Terminations
    if (!Array.isArray(list) || list.length === 0) abort(EXIT.IllegalArgument, 'no terminations')
    const cur = this.deadlineInfo(epoch).Index
    const decls = list.map((raw) => {
      const t = (raw ?? {}) as Record<string, unknown>
      const deadline = int(t.Deadline, 'deadline')
      const partition = int(t.Partition, 'partition')
      if (deadline === cur || deadline === (cur + 1) % WPOST_PERIOD_DEADLINES) {
        abort(EXIT.IllegalArgument, `cannot terminate sectors in immutable deadline ${deadline}`)
      }
      const part = this.partitionAt(deadline, partition)
      if (!part) abort(EXIT.NotFound, `no such partition ${deadline}:${partition}`)
      const sectors = R.fromNumbers(sectorList(t.Sectors, 'sectors'))
      if (R.count(R.subtract(sectors, part.all)) > 0) abort(EXIT.IllegalArgument, `sectors not all in partition ${deadline}:${partition}`)
      return { part, sectors }
    })
    if (!dry) {
      for (const { part, sectors } of decls) {
        const gone = R.intersect(sectors, live(part))
        part.terminated = R.union(part.terminated, gone)
        part.faulty = R.subtract(part.faulty, gone)
        part.recovering = R.subtract(part.recovering, gone)
        part.unproven = R.subtract(part.unproven, gone)
        for (const n of R.numbers(gone)) delete this.st.sectors[String(n)]
      }
    }
    return gas(40_000_000, 10_000_000, decls.length, `term:${epoch}`)
  }

  /* ---------------------------------------------------------------- cron */

  /**
   * End-of-epoch cron. When a deadline's challenge window closes: every live sector of a
   * partition without a PoSt becomes faulty (recoveries are dropped, unproven sectors count as
   * missed), then the deadline's PostSubmissions are reset, as the actor's ProcessDeadlineEnd
   * does. Expired precommits are removed.
   */
  cron(epoch: number): void {
    const dl = this.deadlineInfo(epoch)
    if (epoch !== dl.Close - 1) return
    const dstate = this.st.deadlines[dl.Index] as DeadlineState
    dstate.partitions.forEach((part, i) => {
      if (dstate.posted.includes(i)) return
      const liveSet = live(part)
      if (R.isEmpty(liveSet)) return
      part.faulty = liveSet
      part.recovering = R.EMPTY
      part.unproven = R.EMPTY
    })
    dstate.posted = []
    for (const [key, pc] of Object.entries(this.st.precommits)) {
      if (epoch > pc.PreCommitEpoch + MAX_PROVE_COMMIT_DURATION) {
        delete this.st.precommits[key]
        this.st.funds.preCommitDeposits = (BigInt(this.st.funds.preCommitDeposits) - BigInt(pc.PreCommitDeposit)).toString()
      }
    }
    this.changed()
  }
}
