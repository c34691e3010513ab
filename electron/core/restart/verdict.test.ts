import { describe, expect, it } from 'vitest'
import { computeVerdict, provingView, restartEpochs, type DeadlineLoad, type VerdictInput } from './verdict'

/** A miner whose proving period started at epoch 0: deadline d is open [60d, 60d + 60). */
function input(epoch: number, loads: DeadlineLoad[], restartSec = 600, blockDelay = 30): VerdictInput {
  const index = Math.floor((epoch % 2880) / 60)
  const periodStart = epoch - (epoch % 2880)
  const open = periodStart + index * 60
  return {
    di: {
      CurrentEpoch: epoch,
      PeriodStart: periodStart,
      Index: index,
      Open: open,
      Close: open + 60,
      Challenge: open - 20,
      WPoStPeriodDeadlines: 48,
      WPoStProvingPeriod: 2880,
      WPoStChallengeWindow: 60,
      WPoStChallengeLookback: 20
    },
    loads,
    // Epoch 0 at unix time 1_000_000.
    clock: { height: 0, timestamp: 1_000_000, blockDelay },
    restartSec,
    restartSource: 'site'
  }
}
const load = (index: number, proven = 0, partitions = 1): DeadlineLoad => ({ index, partitions, sectors: 100 * partitions, proven })
const allLoads = (f: (i: number) => DeadlineLoad | null): DeadlineLoad[] => Array.from({ length: 48 }, (_, i) => f(i) ?? { index: i, partitions: 0, sectors: 0, proven: 0 })
const now = (epoch: number) => (1_000_000 + epoch * 30) * 1000

describe('restart verdict', () => {
  it('assumes the expected restart time plus a margin, in epochs', () => {
    expect(restartEpochs(600, 30)).toBe(22)
    expect(restartEpochs(15, 0.5)).toBe(33)
  })

  it('is safe with no sectors, and with the only deadline far away', () => {
    expect(computeVerdict(input(100, allLoads(() => null)), now(100)).kind).toBe('safe')
    const v = computeVerdict(input(100, allLoads((i) => (i === 24 ? load(24) : null))), now(100))
    expect(v).toMatchObject({ kind: 'safe', reasons: [], text: 'safe now', restartEpochs: 22 })
  })

  it('waits while the current deadline is open and not proven, for its proof', () => {
    // Epoch 970: deadline 16 (open 960–1020), nothing proven yet.
    const v = computeVerdict(input(970, allLoads((i) => (i === 16 ? load(16) : null))), now(970))
    expect(v.kind).toBe('wait')
    expect(v.afterProofOf).toBe(16)
    // It may be proven any moment now; at the latest it closes at 1020.
    expect(v.waitUntilEpoch).toBe(971)
    expect(v.reasons).toEqual([expect.objectContaining({ code: 'deadline-open', params: expect.objectContaining({ deadline: 16, unproven: 1, partitions: 1 }) })])
    expect(v.text).toMatch(/^wait until after deadline 16 is proven, about \S+, at the latest \S+ \(next safe window\): deadline 16 is open now with 1 of 1 partition\(s\) not yet proven/)
    // The window lasts until the next occurrence's challenge, a period later, minus the restart.
    expect(v.windowEnd).toBe(now(960 + 2880 - 20 - 22))
  })

  it('is safe in the current deadline once all its partitions are proven', () => {
    expect(computeVerdict(input(980, allLoads((i) => (i === 16 ? load(16, 2, 2) : null))), now(980)).kind).toBe('safe')
    expect(computeVerdict(input(980, allLoads((i) => (i === 16 ? load(16, 1, 2) : null))), now(980)).kind).toBe('wait')
  })

  it('waits when the next deadline with sectors is challenged within the restart time', () => {
    // Epoch 1000, deadline 16 current and empty; deadline 17 opens at 1020, challenge at 1000.
    const v = computeVerdict(input(1000, allLoads((i) => (i === 17 ? load(17) : null))), now(1000))
    expect(v.kind).toBe('wait')
    // Usually proven 10 epochs after it opens.
    expect(v).toMatchObject({ waitUntilEpoch: 1030, afterProofOf: 17 })
    expect(v.reasons[0]).toMatchObject({ code: 'deadline-challenge', params: { deadline: 17, restart: '10m' } })
    // 40 epochs before the challenge the restart (22 epochs) still fits: safe.
    expect(computeVerdict(input(970, allLoads((i) => (i === 17 ? load(17) : null))), now(970)).kind).toBe('safe')
    // 10 epochs before the challenge it does not.
    expect(computeVerdict(input(990, allLoads((i) => (i === 17 ? load(17) : null))), now(990)).kind).toBe('wait')
  })

  it('jumps over back-to-back deadlines to the first gap long enough', () => {
    // Deadlines 16, 17, 18 with sectors, a 30-minute restart (66 epochs): only after 18's proof.
    const v = computeVerdict(input(970, allLoads((i) => (i >= 16 && i <= 18 ? load(i) : null)), 1800), now(970))
    expect(v.kind).toBe('wait')
    expect(v).toMatchObject({ waitUntilEpoch: 18 * 60 + 10, afterProofOf: 18 })
    expect(v.reasons.map((r) => r.params.deadline)).toEqual([16, 17])
  })

  it('is unsafe when no gap between deadlines fits the restart', () => {
    const v = computeVerdict(input(970, allLoads((i) => load(i)), 3600), now(970))
    expect(v.kind).toBe('unsafe')
    expect(v.reasons.at(-1)).toMatchObject({ code: 'no-window', params: { restart: '1h' } })
    expect(v.text).toMatch(/^unsafe, because /)
  })

  it('finds the short window after a proof when every deadline has sectors', () => {
    // Current deadline 16 proven; 17 is challenged at 1000; a 5-minute restart (10 + 2 epochs) fits until 988.
    expect(computeVerdict(input(975, allLoads((i) => (i === 16 ? load(16, 1) : load(i))), 300), now(975)).kind).toBe('safe')
    const late = computeVerdict(input(995, allLoads((i) => (i === 16 ? load(16, 1) : load(i))), 300), now(995))
    expect(late.kind).toBe('wait')
    // After 17's proof (about 1030) the restart fits before 18's challenge at 1060.
    expect(late).toMatchObject({ waitUntilEpoch: 1030, afterProofOf: 17, windowEnd: now(1060 - 12) })
    // Not yet proven and open: wait for its proof.
    expect(computeVerdict(input(970, allLoads((i) => load(i)), 300), now(970))).toMatchObject({ kind: 'wait', afterProofOf: 16, waitUntilEpoch: 971 })
  })

  it('shows the deadlines with sectors and the current one', () => {
    const i = input(970, allLoads((d) => (d === 30 || d === 2 ? load(d) : null)))
    const v = provingView(i.di, i.loads, i.clock)
    expect(v.deadlines.map((d) => [d.index, d.current, d.challengeEpoch, d.closeEpoch])).toEqual([
      [2, false, 2880 + 100, 2880 + 180],
      [16, true, 940, 1020],
      [30, false, 1780, 1860]
    ])
    expect(v.closeAt).toBe(now(1020))
  })
})
