import type { DeadlineView, ProvingView, Verdict, VerdictReason } from '../../../preload/contract/restart'
import type { DeadlineInfo } from '../../../preload/contract/lotus/types'
import { shortDuration } from '../overview/format'
import { epochToMs, type ChainClock } from '../overview/proving'

/**
 * The pre-check's safety verdict: may the miner be down now for the expected restart time
 * without missing a WindowPoSt proof? (Lotus's own guidance: do not restart while a proof is
 * due.) A deadline with live sectors needs the miner from its challenge epoch (Open − 20, when
 * the scheduler draws randomness and starts proving) until its proof is on chain, at the latest
 * its Close; a current deadline whose partitions are all proven needs nothing more this period.
 *
 * "safe now" when no such interval meets [now, now + restart + margin); otherwise "wait until"
 * the first epoch from which a restart fits before the next one, or "unsafe" when no window is
 * long enough in a whole proving period (the pattern repeats every period).
 */

export interface DeadlineLoad {
  index: number
  /** Partitions with live sectors, live sectors, partitions proven this period. */
  partitions: number
  sectors: number
  proven: number
}

export interface VerdictInput {
  di: Pick<DeadlineInfo, 'CurrentEpoch' | 'PeriodStart' | 'Index' | 'Open' | 'Close' | 'Challenge' | 'WPoStPeriodDeadlines' | 'WPoStProvingPeriod' | 'WPoStChallengeWindow' | 'WPoStChallengeLookback'>
  loads: readonly DeadlineLoad[]
  clock: ChainClock
  restartSec: number
  restartSource: Verdict['restartSource']
}

/** Epochs after a deadline opens by which its proof is usually on chain (for the next window). */
export const PROOF_EPOCHS = 10

/** A span of epochs [from, to) during which the miner must be up for deadline `index`. */
interface Busy {
  index: number
  from: number
  to: number
  open: number
  close: number
  partitions: number
  proven: number
}

/** Epochs the restart is assumed to take: the expected time, plus a margin of 10 % (at least 2 epochs). */
export function restartEpochs(restartSec: number, blockDelay: number): number {
  const r = Math.ceil(restartSec / Math.max(blockDelay, 0.001))
  return r + Math.max(2, Math.ceil(r * 0.1))
}

/** Local wall-clock time for messages: HH:MM, with seconds when the moment is near (fast chains, tests). */
export function clockText(ms: number, now = Date.now()): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  const hm = `${p(d.getHours())}:${p(d.getMinutes())}`
  const near = Math.abs(ms - now) < 10 * 60_000
  const day = new Date(now).toDateString() === d.toDateString() ? '' : `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} `
  return `${day}${near ? `${hm}:${p(d.getSeconds())}` : hm}`
}

function busyIntervals(input: VerdictInput): Busy[] {
  const { di } = input
  const W = di.WPoStChallengeWindow
  const L = di.WPoStChallengeLookback
  const P = di.WPoStProvingPeriod
  const out: Busy[] = []
  for (const d of input.loads) {
    if (d.partitions <= 0) continue
    let open = di.PeriodStart + d.index * W
    if (d.index < di.Index || (d.index === di.Index && d.proven >= d.partitions)) open += P
    // This occurrence and the next period's: enough to find a window within one period.
    for (const o of [open, open + P]) {
      const proven = o === di.Open ? d.proven : 0
      out.push({ index: d.index, from: o - L, to: o + W, open: o, close: o + W, partitions: d.partitions, proven })
    }
  }
  return out.sort((a, b) => a.from - b.from)
}

function conflicts(busy: readonly Busy[], start: number, need: number): Busy[] {
  return busy.filter((b) => b.from < start + need && b.to > start)
}

/** The verdict for a restart starting now. */
export function computeVerdict(input: VerdictInput, now = Date.now()): Verdict {
  const { di, clock } = input
  const need = restartEpochs(input.restartSec, clock.blockDelay)
  const base = { restartSec: input.restartSec, restartSource: input.restartSource, restartEpochs: need }
  const at = (epoch: number) => epochToMs(clock, epoch)
  const busy = busyIntervals(input)
  const E = di.CurrentEpoch
  const now0 = conflicts(busy, E, need)
  if (now0.length === 0) return { ...base, kind: 'safe', reasons: [], text: 'safe now' }

  const restart = shortDuration(input.restartSec)
  const reasons: VerdictReason[] = now0.map((b) => {
    if (E >= b.open) {
      const params = { deadline: b.index, unproven: b.partitions - b.proven, partitions: b.partitions, closesAt: clockText(at(b.close), now) }
      return { code: 'deadline-open', params, text: `deadline ${b.index} is open now with ${params.unproven} of ${b.partitions} partition(s) not yet proven (closes at ${params.closesAt})` }
    }
    const params = { deadline: b.index, challengeAt: clockText(at(b.from), now), opensAt: clockText(at(b.open), now), restart }
    return {
      code: 'deadline-challenge',
      params,
      text: `deadline ${b.index} has sectors; its challenge starts at ${params.challengeAt} and it opens at ${params.opensAt}, within the expected restart time (${restart})`
    }
  })

  // The earliest start from which the restart fits, assuming each blocking deadline's proof
  // lands PROOF_EPOCHS after it opens (Lotus submits at Open + 4; the message lands soon after).
  // A deadline open now and not yet proven may be proven any moment.
  const optimisticEnd = (b: Busy): number => Math.min(b.to, b.open === di.Open && E >= b.open ? Math.max(E + 1, b.open + PROOF_EPOCHS) : b.open + PROOF_EPOCHS)
  const conflictsOpt = (start: number) => busy.filter((b) => b.from < start + need && optimisticEnd(b) > start)
  let t = E
  let lastBlocker: Busy | null = null
  for (let i = 0; i <= busy.length; i++) {
    const c = conflictsOpt(t)
    if (c.length === 0) break
    lastBlocker = c.reduce((a, b) => (optimisticEnd(b) > optimisticEnd(a) ? b : a))
    t = optimisticEnd(lastBlocker)
  }
  if (conflictsOpt(t).length > 0 || t > E + di.WPoStProvingPeriod) {
    let gap = 0
    for (let i = 1; i < busy.length; i++) gap = Math.max(gap, busy[i]!.from - (busy[i - 1]!.open + PROOF_EPOCHS))
    const gapSec = Math.max(0, gap) * clock.blockDelay
    const params = { restart, gap: shortDuration(gapSec) }
    const all: VerdictReason[] = [...reasons, { code: 'no-window', params, text: `no gap between proving deadlines is long enough for a restart of ${restart} (the longest is about ${params.gap})` }]
    return { ...base, kind: 'unsafe', reasons: all, text: `unsafe, because ${all.map((r) => r.text).join('; ')}` }
  }
  const nextBusy = busy.filter((b) => b.from >= t).map((b) => b.from)
  const windowEndEpoch = nextBusy.length > 0 ? Math.min(...nextBusy) - need : null
  const waitUntil = at(t)
  const proof = lastBlocker && t < lastBlocker.to ? lastBlocker.index : null
  const when = proof !== null ? `after deadline ${proof} is proven, about ${clockText(waitUntil, now)}, at the latest ${clockText(at(lastBlocker!.to), now)}` : clockText(waitUntil, now)
  return {
    ...base,
    kind: 'wait',
    reasons,
    waitUntil,
    waitUntilEpoch: t,
    ...(windowEndEpoch !== null ? { windowEnd: at(windowEndEpoch) } : {}),
    ...(proof !== null ? { afterProofOf: proof, latestAt: at(lastBlocker!.to) } : {}),
    text: `wait until ${when} (next safe window): ${reasons.map((r) => r.text).join('; ')}`
  }
}

/** A verdict when the proving state could not be read: unsafe until the operator says otherwise. */
export function unknownVerdict(why: string, restartSec: number, restartSource: Verdict['restartSource'], blockDelay: number | null): Verdict {
  const reason: VerdictReason = { code: 'proving-unknown', params: { error: why }, text: `the proving deadlines could not be read (${why})` }
  return {
    kind: 'unsafe',
    reasons: [reason],
    restartSec,
    restartSource,
    restartEpochs: blockDelay ? restartEpochs(restartSec, blockDelay) : 0,
    text: `unsafe, because ${reason.text}`
  }
}

/** The deadlines the pre-check shows (those with live sectors, and the current one), with when each opens next. */
export function provingView(di: VerdictInput['di'], loads: readonly DeadlineLoad[], clock: ChainClock): ProvingView {
  const W = di.WPoStChallengeWindow
  const deadlines: DeadlineView[] = loads
    .filter((d) => d.partitions > 0 || d.index === di.Index)
    .map((d) => {
      // When it opens next: deadlines before the current one open again in the next period.
      const openEpoch = di.PeriodStart + d.index * W + (d.index < di.Index ? di.WPoStProvingPeriod : 0)
      return {
        index: d.index,
        openEpoch,
        openAt: epochToMs(clock, openEpoch),
        challengeEpoch: openEpoch - di.WPoStChallengeLookback,
        closeEpoch: openEpoch + W,
        partitions: d.partitions,
        sectors: d.sectors,
        proven: d.proven,
        current: d.index === di.Index
      }
    })
  return {
    currentEpoch: di.CurrentEpoch,
    deadlineIndex: di.Index,
    open: di.Open,
    close: di.Close,
    challenge: di.Challenge,
    closeAt: epochToMs(clock, di.Close),
    blockDelay: clock.blockDelay,
    deadlines
  }
}
