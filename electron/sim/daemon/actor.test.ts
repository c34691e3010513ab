import { describe, expect, it } from 'vitest'
import type { SimSiteConfig } from '../common/siteConfig'
import { EXIT, METHOD, MinerActor } from './actor'
import { newActorState } from './actorGenesis'
import { initialDeadlines } from './init'
import * as R from './rangeSet'
import { sealedCidFor } from './sectorInfo'

const MINER = 1234567

/** A miner whose proving period starts at epoch 0: deadline d is open [60d, 60d+60) of each period. */
function actorWith(active: number, opts: { deadlines?: number[]; lowFunds?: boolean; precommitted?: { sector: number; epoch: number }[] } = {}) {
  const st = newActorState({
    minerId: MINER,
    sealProof: 8,
    sectorSize: 34359738368,
    periodOffset: 0,
    epoch: 10,
    active: Array.from({ length: active }, (_, i) => i),
    precommitted: opts.precommitted ?? [],
    deadlines: opts.deadlines ?? [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44],
    sealedCid: (n) => sealedCidFor(MINER, n),
    lowFunds: opts.lowFunds ?? false
  })
  return new MinerActor(st, { lowFunds: opts.lowFunds ?? false })
}

const params = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')

function runCron(actor: MinerActor, from: number, to: number): void {
  for (let e = from; e <= to; e++) actor.cron(e)
}

describe('miner actor: initial state', () => {
  it('puts Proving sectors into partitions of 2349, round-robin over the chosen deadlines', () => {
    const a = actorWith(5000)
    expect(a.partitions(0)).toEqual([{ AllSectors: [0, 2349], FaultySectors: [0], RecoveringSectors: [0], LiveSectors: [0, 2349], ActiveSectors: [0, 2349] }])
    expect(a.partitions(4)[0]?.AllSectors).toEqual([2349, 2349])
    expect(a.partitions(8)[0]?.AllSectors).toEqual([4698, 302])
    expect(a.partitions(1)).toEqual([])
    expect(a.deadlines()).toHaveLength(48)
    expect(a.deadlines()[0]).toEqual({ PostSubmissions: [0], DisputableProofCount: 0, DailyFee: '0' })
  })

  it('can start with the open deadline already proven, as a miner that ran before would have', () => {
    const st = newActorState({ minerId: 1000, sealProof: 8, sectorSize: 34359738368, periodOffset: 0, epoch: 250, active: Array.from({ length: 3000 }, (_, i) => i), precommitted: [], deadlines: [4, 8], sealedCid: () => 'bagboea4b5abc', lowFunds: false, openDeadlineProven: true })
    const a = new MinerActor(st, { lowFunds: false })
    expect(a.deadlines()[4]?.PostSubmissions).toEqual([0, 1]) // epoch 250 is in deadline 4 (240..299)
    expect(a.deadlines()[8]?.PostSubmissions).toEqual([0])
  })

  it('chooses 12 deadlines 4 apart rotated by site, all 48 beyond 12 partitions, or sim.json\'s list', () => {
    const cfg = (index: number, sectorDeadlines?: number[]) => ({ index, sectorDeadlines }) as unknown as SimSiteConfig
    expect(initialDeadlines(cfg(1), 1000)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44])
    expect(initialDeadlines(cfg(2), 1000)).toEqual([1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45])
    expect(initialDeadlines(cfg(1), 100_000)).toHaveLength(48)
    expect(initialDeadlines(cfg(3, [0, 24]), 100_000)).toEqual([0, 24])
    // `soon`: three deadlines after the one open at the head (epoch 250 of a period starting at 10 is in deadline 4).
    const soon = { index: 1, sectorDeadlines: 'soon' } as unknown as SimSiteConfig
    expect(initialDeadlines(soon, 1000, { head: 250, periodOffset: 10 })).toEqual([7])
    expect(initialDeadlines(soon, 1000, { head: 10 + 2880 * 5 + 46 * 60, periodOffset: 10 })).toEqual([1])
  })

  it('derives on-chain info of initial sectors deterministically', () => {
    const a = actorWith(100)
    const info = a.sectorInfo(7)
    expect(info).toMatchObject({ SectorNumber: 7, SealProof: 8, SealedCID: { '/': sealedCidFor(MINER, 7) }, DealWeight: '0', SectorKeyCID: null })
    expect(info?.SealedCID['/']).toMatch(/^bagboea4b5abc/)
    expect(info?.Expiration).toBeGreaterThan(10 + 180 * 2880)
    expect(a.sectorInfo(7)).toEqual(info)
    expect(a.sectorInfo(100)).toBeNull()
  })
})

describe('miner actor: messages', () => {
  it('precommits, then activates sectors into a partially filled partition of a mutable deadline', () => {
    const a = actorWith(5000)
    const pc = { Sectors: [{ SealProof: 8, SectorNumber: 6000, SealedCID: { '/': sealedCidFor(MINER, 6000) }, SealRandEpoch: 90, DealIDs: null, Expiration: 2_000_000, UnsealedCid: null }] }
    expect(a.apply(METHOD.PreCommitSectorBatch2, params(pc), 100, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.preCommit(6000)).toMatchObject({ PreCommitEpoch: 100, Info: { SectorNumber: 6000 } })
    expect(a.apply(METHOD.PreCommitSectorBatch2, params(pc), 101, 'worker')).toMatchObject({ exitCode: EXIT.IllegalArgument, reason: 'sector 6000 already allocated' })
    // WaitSeed: 150 epochs after the precommit landed.
    expect(a.apply(METHOD.ProveCommitAggregate, params({ SectorNumbers: [6000] }), 250, 'worker').exitCode).not.toBe(EXIT.Ok)
    // Epoch 251 is in deadline 4: deadlines 4 and 5 are immutable; dl 8's partition has room.
    expect(a.apply(METHOD.ProveCommitAggregate, params({ SectorNumbers: [6000] }), 251, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.preCommit(6000)).toBeNull()
    expect(R.toArray(R.fromRle(a.partitions(8)[0]?.AllSectors))).toContain(6000)
    expect(a.partitions(8)[0]?.ActiveSectors).toEqual([4698, 302]) // new sectors are unproven
    expect(a.sectorInfo(6000)).toMatchObject({ Activation: 251, Expiration: 2_000_000 })
  })

  it('never assigns to the current or next deadline and opens a partition on the emptiest deadline', () => {
    const a = actorWith(2349, { deadlines: [9] }) // one full partition in deadline 9
    const pc = { Sectors: [{ SectorNumber: 3000, SealedCID: { '/': sealedCidFor(MINER, 3000) }, SealRandEpoch: 0, Expiration: 2_000_000 }] }
    a.apply(METHOD.PreCommitSectorBatch2, params(pc), 1, 'worker')
    // At epoch 160 deadline 2 is current: 2 and 3 are immutable, 0 is the first emptiest.
    expect(a.apply(METHOD.ProveCommitAggregate, params({ SectorNumbers: [3000] }), 160, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.partitions(0)[0]?.AllSectors).toEqual([3000, 1])
    const b = actorWith(2349, { deadlines: [9] })
    b.apply(METHOD.PreCommitSectorBatch2, params(pc), 1, 'worker')
    expect(b.apply(METHOD.ProveCommitAggregate, params({ SectorNumbers: [3000] }), 2880 + 5, 'worker').exitCode).toBe(EXIT.Ok)
    expect(b.partitions(0)).toEqual([]) // deadline 0 is current at 2885
    expect(b.partitions(2)[0]?.AllSectors).toEqual([3000, 1])
  })

  it('refuses precommits for insufficient funds with exit 19 and the deposit', () => {
    const a = actorWith(10, { lowFunds: true })
    const pc = { Sectors: [{ SectorNumber: 20, SealedCID: { '/': sealedCidFor(MINER, 20) }, SealRandEpoch: 0, Expiration: 2_000_000 }] }
    const r = a.apply(METHOD.PreCommitSectorBatch2, params(pc), 5, 'worker')
    expect(r.exitCode).toBe(EXIT.InsufficientFunds)
    expect(r.reason).toMatch(/^insufficient funds for pre-commit deposit: \d{16,}$/)
    expect(a.preCommit(20)).toBeNull()
  })

  it('does not change anything on a dry run (gas estimation)', () => {
    const a = actorWith(10)
    const pc = { Sectors: [{ SectorNumber: 20, SealedCID: { '/': sealedCidFor(MINER, 20) }, SealRandEpoch: 0, Expiration: 2_000_000 }] }
    const v = a.stateVersion
    expect(a.apply(METHOD.PreCommitSectorBatch2, params(pc), 5, 'worker', true).exitCode).toBe(EXIT.Ok)
    expect(a.preCommit(20)).toBeNull()
    expect(a.stateVersion).toBe(v)
  })

  it('accepts only the worker, control or owner addresses', () => {
    const a = actorWith(10)
    const r = a.apply(METHOD.SubmitWindowedPoSt, params({ Deadline: 0, Partitions: [{ Index: 0, Skipped: [] }] }), 5, null)
    expect(r.exitCode).toBe(EXIT.Forbidden)
  })
})

describe('miner actor: WindowPoSt and cron', () => {
  const post = (dl: number, parts: { Index: number; Skipped: number[] }[], cce: number) => params({ Deadline: dl, Partitions: parts, ChainCommitEpoch: cce })

  it('records PoSt submissions in the open deadline and clears them when it closes', () => {
    const a = actorWith(5000)
    const e = 2880 + 10 // deadline 0 of the second period
    expect(a.apply(METHOD.SubmitWindowedPoSt, post(0, [{ Index: 0, Skipped: [] }], e - 4), e, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.deadlines()[0]?.PostSubmissions).toEqual([0, 1])
    runCron(a, e, 2880 + 59)
    expect(a.deadlines()[0]?.PostSubmissions).toEqual([0])
    expect(a.partitions(0)[0]?.FaultySectors).toEqual([0])
  })

  it('refuses a PoSt for a deadline that is not open', () => {
    const a = actorWith(5000)
    const r = a.apply(METHOD.SubmitWindowedPoSt, post(4, [{ Index: 0, Skipped: [] }], 5), 10, 'worker')
    expect(r).toMatchObject({ exitCode: EXIT.IllegalArgument, reason: 'invalid deadline 4 at epoch 10, expected 0' })
  })

  it('makes every live sector of an unproven partition faulty when its deadline closes', () => {
    const a = actorWith(5000)
    runCron(a, 0, 4 * 60 + 59) // deadlines 0..4 close without proofs
    expect(a.partitions(4)[0]?.FaultySectors).toEqual([2349, 2349])
    expect(a.partitions(4)[0]?.ActiveSectors).toEqual([0])
    expect(a.partitions(0)[0]?.FaultySectors).toEqual([0, 2349])
    expect(a.partitions(8)[0]?.FaultySectors).toEqual([0]) // not closed yet
    expect(R.count(a.faults())).toBe(4698)
    expect(a.counts()).toEqual({ live: 5000, active: 302, faulty: 4698 })
  })

  it('turns skipped sectors faulty and leaves the rest proven', () => {
    const a = actorWith(5000)
    a.apply(METHOD.SubmitWindowedPoSt, post(0, [{ Index: 0, Skipped: [3, 4] }], 2), 10, 'worker')
    runCron(a, 10, 59)
    expect(a.partitions(0)[0]?.FaultySectors).toEqual([3, 2])
  })

  it('declares recoveries before the FaultCutoff; a PoSt heals them, a missed PoSt leaves them faulty', () => {
    const a = actorWith(5000)
    runCron(a, 0, 299) // deadline 4 (epochs 240..299) closes unproven
    const open = 2880 + 240 // deadline 4 next period; FaultCutoff = open - 70
    const rec = params({ Recoveries: [{ Deadline: 4, Partition: 0, Sectors: Array.from({ length: 2349 }, (_, i) => 2349 + i) }] })
    expect(a.apply(METHOD.DeclareFaultsRecovered, rec, open - 60, 'worker')).toMatchObject({ exitCode: EXIT.IllegalArgument })
    expect(a.apply(METHOD.DeclareFaultsRecovered, rec, open - 100, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.partitions(4)[0]?.RecoveringSectors).toEqual([2349, 2349])
    const healed = actorWith(5000)
    runCron(healed, 0, 299)
    healed.apply(METHOD.DeclareFaultsRecovered, rec, open - 100, 'worker')
    healed.apply(METHOD.SubmitWindowedPoSt, post(4, [{ Index: 0, Skipped: [] }], open + 1), open + 5, 'worker')
    runCron(healed, open, open + 59)
    expect(healed.partitions(4)[0]).toMatchObject({ FaultySectors: [0], RecoveringSectors: [0], ActiveSectors: [2349, 2349] })
    runCron(a, 300, open + 59) // no PoSt for deadline 4 this time
    expect(a.partitions(4)[0]).toMatchObject({ FaultySectors: [2349, 2349], RecoveringSectors: [0] })
  })

  it('terminates sectors of mutable deadlines only', () => {
    const a = actorWith(5000)
    const term = (dl: number, sectors: number[]) => params({ Terminations: [{ Deadline: dl, Partition: 0, Sectors: sectors }] })
    expect(a.apply(METHOD.TerminateSectors, term(0, [1]), 10, 'worker')).toMatchObject({ exitCode: EXIT.IllegalArgument, reason: 'cannot terminate sectors in immutable deadline 0' })
    expect(a.apply(METHOD.TerminateSectors, term(8, [4700, 4701]), 10, 'worker').exitCode).toBe(EXIT.Ok)
    expect(a.partitions(8)[0]).toMatchObject({ AllSectors: [4698, 302], LiveSectors: [4698, 2, 2, 298] })
    expect(a.sectorInfo(4700)).toBeNull()
    expect(a.activeSectors().some((s) => s.SectorNumber === 4700)).toBe(false)
  })
})

describe('miner actor: scale', () => {
  it('answers all 48 deadlines of 100,000 sectors quickly and from cache until the state changes', () => {
    const a = actorWith(100_000, { deadlines: Array.from({ length: 48 }, (_, i) => i) })
    const t0 = performance.now()
    for (let d = 0; d < 48; d++) a.partitions(d)
    const first = performance.now() - t0
    const t1 = performance.now()
    for (let d = 0; d < 48; d++) a.partitions(d)
    const cached = performance.now() - t1
    expect(first).toBeLessThan(50)
    expect(cached).toBeLessThan(5)
    expect(a.partitions(3)).toBe(a.partitions(3))
    runCron(a, 0, 59)
    expect(a.partitions(0)[0]?.FaultySectors).toEqual([0, 2349])
    expect(a.counts().live).toBe(100_000)
  })
})
