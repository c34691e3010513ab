import { describe, expect, it } from 'vitest'
import { around, cleanLine, findWarmup, splitLines } from './logs'

describe('miner.log lines', () => {
  it('finds the warm-up outcome in go-log console and JSON lines', () => {
    const console = [
      '2026-11-26T23:05:18.811+0000\tINFO\tminer\tminer/warmup.go:52\tstarting winning PoSt warmup\t{"sector": "1"}',
      '2026-11-26T23:05:23.443+0000\tINFO\tminer\tminer/warmup.go:87\twinning PoSt warmup successful\t{"took": 4.454}'
    ]
    expect(findWarmup(console)).toMatchObject({ kind: 'ok', index: 1 })
    const json = ['{"level":"error","ts":"2026-11-26T23:05:23.443Z","logger":"miner","caller":"miner/warmup.go:94","msg":"winning PoSt warmup failed","error":"failed to compute proof"}']
    expect(findWarmup(json)).toMatchObject({ kind: 'failed', index: 0 })
    expect(findWarmup(['2026-11-26T23:05:18.811+0000\tINFO\tminer\tminer/warmup.go:48\tskipping winning PoSt warmup, no sectors'])).toMatchObject({ kind: 'no-sectors' })
    expect(findWarmup(['2026-11-26T23:05:18.811+0000\tINFO\tminer\tminer/warmup.go:52\tstarting winning PoSt warmup\t{"sector": "1"}'])).toBeNull()
  })

  it('shows the lines around a line', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `l${i}`)
    expect(around(lines, 20, 2, 1)).toEqual(['l18', 'l19', 'l20', 'l21'])
    expect(around(lines, 1, 5, 1)).toEqual(['l0', 'l1', 'l2'])
  })

  it("drops lotus sync wait's terminal redraws", () => {
    expect(cleanLine('\r\x1b[2K\x1b[AWorker: 3; Base: 10; Target: 11 (diff: 1)')).toBe('Worker: 3; Base: 10; Target: 11 (diff: 1)')
    expect(splitLines('a\nb\r\n')).toEqual(['a', 'b'])
    expect(splitLines('')).toEqual([])
  })
})
