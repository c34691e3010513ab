import { numField, parseLogLine, type LogLine } from './logLines'

/**
 * What the health model looks for in Lotus's logs, by the messages Lotus writes (docs/lotus.md):
 *
 * - miner, logger `wdpost`: `running window post {"deadline": {dline.Info}…}` then
 *   `computing window post {"batch": 0, "elapsed": <s>…}` (storage/wdpost/wdpost_run.go);
 *   2020 miners logged `submitting window PoSt {"elapsed": <s>}` under `storageminer`.
 * - miner, logger `miner`: `mined new block {"height", "cid", "took"…}`, then
 *   `CAUTION: block production took us past the block time…` (older: `…took longer than the block
 *   delay…`), `mined block in the past {"block-time", "difference"}`, and
 *   `completed mineOne {"lateStart": true, "isWinner": …}` (miner/miner.go).
 * - worker, logger `worker`: `LOTUS-MINER CONNECTION LOST`, `heartbeat: checking remote session
 *   failed: …`, `Worker registered successfully, waiting for tasks` (cli/worker/worker.go).
 * - miner, logger `advmgr`: `CheckProvable Sector FAULT: <what> {"sector": {"ID": {"Number": N}}, "err": …}`
 *   (storage/sealer/faults.go).
 * - miner, logger `sectors`: `truncating sector log {"sector": N}` (storage/pipeline/fsm.go).
 * - miner: `simulating CommitBatch <error>` and `CommitBatcher processBatch error {"error": …}`
 *   (storage/pipeline/commit_batch.go).
 */

export type LogRole = 'miner' | 'worker' | 'daemon'

export interface LogSource {
  /** SSH alias of the host the log file is on. */
  host: string
  file: string
  role: LogRole
  /** The worker's name (`--name`, shown as Hostname by Lotus), for worker logs. */
  worker?: string
}

interface Base {
  at: number | null
  source: LogSource
  /** The line, verbatim without colour codes. */
  line: string
}

export interface DeadlineRef {
  index: number
  open: number | null
  close: number | null
  /** Epochs in a challenge window (60 on mainnet). */
  window: number | null
}

export type LogEvent =
  | (Base & { kind: 'wdpost-computed'; deadline: DeadlineRef | null; elapsedSec: number; batch: number | null })
  | (Base & { kind: 'wdpost-skipped'; deadline: DeadlineRef | null; sectors: number[] })
  | (Base & { kind: 'block-late'; height: number | null; cid: string | null; tookSec: number | null; proofSec: number | null })
  | (Base & { kind: 'block-in-past'; differenceSec: number | null })
  | (Base & { kind: 'mine-late-start'; round: number | null; baseDeltaSec: number | null; winner: boolean })
  | (Base & { kind: 'worker-connection-lost' })
  | (Base & { kind: 'worker-heartbeat-failed'; error: string })
  | (Base & { kind: 'worker-registered' })
  | (Base & { kind: 'checkprovable-fault'; sector: number | null; reason: string })
  | (Base & { kind: 'sector-log-truncated'; sector: number })
  | (Base & { kind: 'commit-batch-error'; error: string })

function deadlineRef(v: unknown): DeadlineRef | null {
  if (!v || typeof v !== 'object') return null
  const d = v as Record<string, unknown>
  if (typeof d.Index !== 'number') return null
  const n = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : null)
  return { index: d.Index, open: n('Open'), close: n('Close'), window: n('WPoStChallengeWindow') }
}

function str(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return ''
  return JSON.stringify(v)
}

function sectorNumber(v: unknown): number | null {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v)
  if (v && typeof v === 'object') {
    const o = v as { ID?: { Number?: unknown }; Number?: unknown }
    if (typeof o.ID?.Number === 'number') return o.ID.Number
    if (typeof o.Number === 'number') return o.Number
  }
  return null
}

/**
 * Reads the events out of one log file's lines (oldest first). The deadline a `computing window
 * post` belongs to is the one of its PoSt cycle (the `cycle` field Lotus puts on every line of a
 * cycle: a slow proof is still computing when the next deadline's cycle starts), else the one of
 * the `running window post` before it in the same file.
 */
export function logEvents(lines: readonly string[], source: LogSource): LogEvent[] {
  const out: LogEvent[] = []
  let deadline: DeadlineRef | null = null
  const byCycle = new Map<string, DeadlineRef | null>()
  const cycleOf = (l: LogLine): string | null => (typeof l.fields.cycle === 'string' ? l.fields.cycle : null)
  let lastBlock: { height: number | null; cid: string | null; took: number | null } | null = null
  for (const text of lines) {
    const l: LogLine | null = parseLogLine(text)
    if (!l) continue
    const base = { at: l.at, source, line: l.raw }
    const msg = l.msg
    if (msg === 'running window post') {
      deadline = deadlineRef(l.fields.deadline)
      const c = cycleOf(l)
      if (c) byCycle.set(c, deadline)
    } else if (msg === 'starting PoSt cycle' && typeof l.fields.deadline === 'number') {
      deadline = { index: l.fields.deadline, open: null, close: null, window: null }
      const c = cycleOf(l)
      if (c && !byCycle.has(c)) byCycle.set(c, deadline)
    } else if (msg === 'computing window post' || msg === 'submitting window PoSt') {
      const elapsed = numField(l.fields, 'elapsed')
      const c = cycleOf(l)
      const of = c && byCycle.has(c) ? (byCycle.get(c) ?? null) : deadline
      if (elapsed !== null) out.push({ ...base, kind: 'wdpost-computed', deadline: of, elapsedSec: elapsed, batch: numField(l.fields, 'batch') })
    } else if (msg === 'generate window post skipped sectors') {
      const list = Array.isArray(l.fields.sectors) ? l.fields.sectors.map(sectorNumber).filter((n): n is number => n !== null) : []
      out.push({ ...base, kind: 'wdpost-skipped', deadline, sectors: list })
    } else if (msg === 'mined new block') {
      lastBlock = { height: numField(l.fields, 'height'), cid: typeof l.fields.cid === 'string' ? l.fields.cid : l.fields.cid ? str((l.fields.cid as { '/'?: unknown })['/']) : null, took: numField(l.fields, 'took') }
    } else if (msg.startsWith('CAUTION: block production took')) {
      // Field names carry a trailing space in Lotus ("tProof ").
      const proof = numField(l.fields, 'tProof ') ?? numField(l.fields, 'tProof')
      out.push({ ...base, kind: 'block-late', height: lastBlock?.height ?? null, cid: lastBlock?.cid ?? null, tookSec: lastBlock?.took ?? null, proofSec: proof })
      lastBlock = null
    } else if (msg === 'mined block in the past') {
      out.push({ ...base, kind: 'block-in-past', differenceSec: numField(l.fields, 'difference') })
    } else if (msg === 'completed mineOne' && l.fields.lateStart === true) {
      out.push({ ...base, kind: 'mine-late-start', round: numField(l.fields, 'forRound'), baseDeltaSec: numField(l.fields, 'baseDeltaSeconds'), winner: l.fields.isWinner === true })
    } else if (msg === 'LOTUS-MINER CONNECTION LOST') {
      out.push({ ...base, kind: 'worker-connection-lost' })
    } else if (msg.startsWith('heartbeat: checking remote session failed')) {
      out.push({ ...base, kind: 'worker-heartbeat-failed', error: msg.replace(/^heartbeat: checking remote session failed:\s*/, '') })
    } else if (msg === 'Worker registered successfully, waiting for tasks') {
      out.push({ ...base, kind: 'worker-registered' })
    } else if (msg.startsWith('CheckProvable Sector FAULT')) {
      const what = msg.replace(/^CheckProvable Sector FAULT:\s*/, '')
      const err = str(l.fields.err)
      out.push({ ...base, kind: 'checkprovable-fault', sector: sectorNumber(l.fields.sector), reason: err ? `${what}: ${err}` : what })
    } else if (msg === 'truncating sector log') {
      const n = sectorNumber(l.fields.sector)
      if (n !== null) out.push({ ...base, kind: 'sector-log-truncated', sector: n })
    } else if (msg.startsWith('simulating CommitBatch')) {
      out.push({ ...base, kind: 'commit-batch-error', error: msg.replace(/^simulating CommitBatch(?: message failed)?\s*(?:\([0-9a-f]*\))?:?\s*/, '') })
    } else if (msg === 'CommitBatcher processBatch error') {
      out.push({ ...base, kind: 'commit-batch-error', error: str(l.fields.error) })
    }
  }
  return out
}
