import { describe, expect, it } from 'vitest'
import { LineSplitter, parseCheckLine } from './provingCheckParse'

describe('proving check output', () => {
  it('reads good and bad rows as Lotus prints them (tabwriter, colours on a terminal)', () => {
    expect(parseCheckLine('deadline  partition  sector  status')).toBeNull()
    expect(parseCheckLine('5         0          12      good')).toEqual({ deadline: 5, partition: 0, sector: 12, ok: true })
    expect(parseCheckLine('5         1          1033    \x1b[31mbad\x1b[0m (reading sector file: open /data/sealed/s-t01000-1033: no such file or directory)')).toEqual({
      deadline: 5,
      partition: 1,
      sector: 1033,
      ok: false,
      reason: 'reading sector file: open /data/sealed/s-t01000-1033: no such file or directory'
    })
    expect(parseCheckLine('7  0  3  \x1b[32mgood\x1b[0m\r')).toEqual({ deadline: 7, partition: 0, sector: 3, ok: true })
  })

  it('ignores anything else (log lines, errors)', () => {
    for (const l of ['', 'ERROR: could not parse deadline index', '2026-01-01T00:00:00.000Z\tWARN\t…', '5 0 x good', '5 0 1 fine']) expect(parseCheckLine(l)).toBeNull()
  })

  it('splits a stream into whole lines, whatever the chunks', () => {
    const s = new LineSplitter()
    expect(s.push('dead')).toEqual([])
    expect(s.push('line  x\n5  0  1  go')).toEqual(['deadline  x'])
    expect(s.push('od\n5  0  2  good\n')).toEqual(['5  0  1  good', '5  0  2  good'])
    expect(s.push('5  0  3  good')).toEqual([])
    expect(s.end()).toEqual(['5  0  3  good'])
    expect(s.end()).toEqual([])
  })
})
