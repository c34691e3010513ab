import type { ChainClock } from '../common/clock'
import { PRECOMMIT_CHALLENGE_DELAY, SEAL_RANDOMNESS_LOOKBACK } from '../common/clock'
import { sealedCidFor } from '../daemon/sectorInfo'
import { messageCid, seededBytes, zeroPieceCid } from './cids'
import { E, eventLogEntry, type SectorEvent } from './events'
import { applyEvent } from './fsm'
import { newSectorRecord, type SectorRecord } from './sectorTypes'
import { TASK_SECONDS } from './durations'

/**
 * The sealing history of a sector that was already Proving when the site was created: its
 * tickets, seeds, CIDs and event log, derived deterministically from its number so that 100,000
 * such sectors need no storage. The chain (daemon/sectorInfo.ts) derives their activation the
 * same way: `initEpoch − 120 − ⌊age × 14.4⌋` with `age = count − 1 − n`.
 */
export interface HistoryContext {
  minerId: number
  sealProof: number
  sectorSize: number
  clock: ChainClock
  /** Epoch and number of sectors of the site's creation. */
  initEpoch: number
  initCount: number
}

/** CommR of a sector: the same function the chain uses, so both sides agree. */
export function commRFor(minerId: number, n: number): string {
  return sealedCidFor(minerId, n)
}

export function activationOf(ctx: HistoryContext, n: number): number {
  const age = Math.max(0, ctx.initCount - 1 - n)
  return ctx.initEpoch - 120 - Math.floor(age * 14.4)
}

/** Epochs of a historic sector's sealing milestones. */
export function milestones(ctx: HistoryContext, n: number) {
  const activation = activationOf(ctx, n)
  const seedEpoch = activation - 40
  const precommitEpoch = seedEpoch - PRECOMMIT_CHALLENGE_DELAY
  const getTicketAt = precommitEpoch - 10 - Math.ceil((TASK_SECONDS.PC1 + TASK_SECONDS.PC2) / 30)
  return { activation, seedEpoch, precommitEpoch, ticketEpoch: getTicketAt - SEAL_RANDOMNESS_LOOKBACK, getTicketAt }
}

/** Filler piece of a CC sector. */
export function ccFiller(sectorSize: number) {
  return { Size: sectorSize, PieceCID: zeroPieceCid(sectorSize) }
}

export function ticketValue(minerId: number, n: number, epoch: number): string {
  return seededBytes(`ticket:${minerId}:${n}:${epoch}`, 32)
}

export function seedValue(minerId: number, n: number, epoch: number): string {
  return seededBytes(`seed:${minerId}:${n}:${epoch}`, 32)
}

export function proofBytes(minerId: number, n: number, seedEpoch: number): string {
  return seededBytes(`proof:${minerId}:${n}:${seedEpoch}`, 192)
}

export function pc1Out(minerId: number, n: number, ticketEpoch: number): string {
  const json = JSON.stringify({ registered_proof: 'StackedDrg32GiBV1_1', label: { labels: [] }, config: { id: 'tree-d', size: 2147483647 }, comm_d: seededBytes(`commd:${minerId}:${n}:${ticketEpoch}`, 32) })
  return Buffer.from(json).toString('base64')
}

export function tipsetOf(epoch: number): string[] {
  return [messageCid(`block:${epoch}:0`), messageCid(`block:${epoch}:1`)]
}

/** A Proving sector's full record, with the event log Lotus would have written sealing it. */
export function historicSector(ctx: HistoryContext, n: number): SectorRecord {
  const m = milestones(ctx, n)
  const rec = newSectorRecord(n, ctx.sealProof)
  const t = (epoch: number) => Math.floor(ctx.clock.timeOf(epoch))
  const scaled = (s: number) => s / ctx.clock.speed
  const events: [number, SectorEvent][] = []
  let at = t(m.getTicketAt) - scaled(TASK_SECONDS.AP) - 1
  // Log timestamps never go backwards (each event is logged after the previous one).
  const push = (e: SectorEvent, when: number) => events.push([Math.max(Math.floor(when), events[events.length - 1]?.[0] ?? 0), e])
  push(E.startCC(n, ctx.sealProof), at)
  at += scaled(TASK_SECONDS.AP)
  push(E.packed([ccFiller(ctx.sectorSize)]), at)
  at = t(m.getTicketAt) + 1
  push(E.ticket(ticketValue(ctx.minerId, n, m.ticketEpoch), m.ticketEpoch), at)
  at += scaled(TASK_SECONDS.PC1)
  push(E.preCommit1(pc1Out(ctx.minerId, n, m.ticketEpoch)), at)
  at += scaled(TASK_SECONDS.PC2)
  push(E.preCommit2(commRFor(ctx.minerId, n), zeroPieceCid(ctx.sectorSize)), at)
  const precommitMsg = messageCid(`precommit:${ctx.minerId}:${n}`)
  push(E.preCommitBatchSent(precommitMsg), at + 1)
  push(E.preCommitLanded(tipsetOf(m.precommitEpoch)), t(m.precommitEpoch) + 1)
  push(E.seedReady(seedValue(ctx.minerId, n, m.seedEpoch), m.seedEpoch), t(m.seedEpoch + 6))
  at = t(m.seedEpoch + 6) + scaled(TASK_SECONDS.C1 + TASK_SECONDS.C2)
  push(E.committed(proofBytes(ctx.minerId, n, m.seedEpoch)), at)
  push(E.commitAggregateSent(messageCid(`commit:${ctx.minerId}:${n}`)), at + 1)
  push(E.proving(), t(m.activation) + 1)
  push(E.finalized(), t(m.activation) + 1 + scaled(TASK_SECONDS.FIN + TASK_SECONDS.GET))
  for (const [when, e] of events) {
    applyEvent(rec, e, when)
    rec.log.push(eventLogEntry(e, when))
  }
  rec.state = 'Proving'
  rec.precommitEpoch = m.precommitEpoch
  rec.onChain = true
  return rec
}
