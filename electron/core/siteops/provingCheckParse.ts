import type { ProvingCheckRow } from '../../../preload/contract'

/**
 * The output of `lotus-miner proving check [--slow] <deadline>` (cli/miner/proving.go): a
 * tabwriter table `deadline partition sector status`, one row per live sector of the deadline,
 * status `good` or `bad (<reason>)`, colours only on a terminal. Lotus flushes the table at the
 * end, so rows usually arrive all at once; the parser takes them as they come all the same.
 */

// eslint-disable-next-line no-control-regex -- ANSI colour sequences are control characters by definition
const ANSI = /\x1b\[[0-9;]*m/g
const ROW = /^(\d+)\s+(\d+)\s+(\d+)\s+(good|bad)(?:\s+\((.*)\))?\s*$/
const HEADER = /^deadline\s+partition\s+sector\s+status\s*$/

export function parseCheckLine(line: string): ProvingCheckRow | null {
  const clean = line.replace(ANSI, '').replace(/\r$/, '').trim()
  if (clean === '' || HEADER.test(clean)) return null
  const m = ROW.exec(clean)
  if (!m) return null
  const row: ProvingCheckRow = { deadline: Number(m[1]), partition: Number(m[2]), sector: Number(m[3]), ok: m[4] === 'good' }
  if (!row.ok && m[5] !== undefined) row.reason = m[5]
  return row
}

/** Splits a stream into whole lines: push chunks, get the complete lines; `end()` returns the rest. */
export class LineSplitter {
  private rest = ''

  push(chunk: string): string[] {
    const text = this.rest + chunk
    const lines = text.split('\n')
    this.rest = lines.pop() ?? ''
    return lines
  }

  end(): string[] {
    const last = this.rest
    this.rest = ''
    return last === '' ? [] : [last]
  }
}
