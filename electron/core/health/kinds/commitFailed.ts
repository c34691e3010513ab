import type { Remedy, Subject } from '../../../../preload/contract'
import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, sectorList, type Draft, type FindingRule } from '../finding'
import type { LogEvent } from '../logEvents'
import { exitCodeOf, failedMessageKind, messageCidOf } from '../signatures'
import type { SectorDigest } from '../sectorLog'

/**
 * A ProveCommit (or commit aggregate) message that failed, read by its exit code — from the
 * sector's log (`submitting sector proof failed (exit=16, msg=…)`, handleCommitWait) or, when
 * Lotus retried by itself and logged no error (exit 6 SysErrInsufficientFunds / 7 SysErrOutOfGas
 * send the sector back to SubmitCommit), from the message's receipt (StateSearchMsg).
 * One finding per message: an aggregate that failed holds every sector of its batch.
 *
 * A commit batch that fails before it is sent (Lotus simulates the message first and logs
 * `simulating CommitBatch message failed: …`, commit_batch.go) leaves nothing in the sectors' logs
 * but SectorRetrySubmitCommit: each sector passes its own check and goes round SubmitCommit →
 * SubmitCommitAggregate, batch after batch (an aggregate that does not verify though every proof
 * does, an actor or gas error). Those sectors are one finding; its cause (the exit code) comes from
 * the miner's log when it has been read.
 *
 *   16 ErrIllegalArgument: a proof did not verify (in an aggregate, one bad proof fails the batch);
 *   19 ErrInsufficientFunds: the miner actor cannot cover the initial pledge;
 *    6 SysErrInsufficientFunds: the sender could not pay (Lotus resubmits, failing until funded);
 *    7 SysErrOutOfGas: the gas estimate was too low (Lotus resubmits with a new estimate).
 */

export const EXIT_NAMES: Record<number, string> = {
  6: 'SysErrInsufficientFunds',
  7: 'SysErrOutOfGas',
  16: 'ErrIllegalArgument',
  17: 'ErrNotFound',
  18: 'ErrForbidden',
  19: 'ErrInsufficientFunds',
  20: 'ErrIllegalState'
}

const VARIANTS = ['exit16', 'exit19', 'exit6', 'exit7', 'other', 'batch', 'batch-unread'] as const
const BATCH_STATES = new Set(['SubmitCommit', 'SubmitCommitAggregate'])
const COMMIT_STATES = new Set(['SubmitCommit', 'SubmitCommitAggregate', 'CommitAggregateWait', 'CommitWait', 'CommitFailed', 'Committing', 'ComputeProofFailed'])

interface Failure {
  n: number
  code: number
  msg: string | null
  line: string
  at: number | null
  badProof: boolean
}

function failureOf(d: SectorDigest, receipts: ReadonlyMap<string, { exitCode: number }>): Failure | null {
  const badProof = d.errors.some((e) => /commit check error: invalid proof|consecutive invalid proofs/.test(e.text))
  for (const e of d.errors) {
    const code = exitCodeOf(e.text)
    if (code === null || code === 0 || failedMessageKind(e.text) !== 'commit') continue
    return { n: d.n, code, msg: messageCidOf(e.text) ?? d.commitMsg, line: e.text.split('\n')[0]!.slice(0, 500), at: e.at, badProof }
  }
  if (d.commitMsg && COMMIT_STATES.has(d.state)) {
    const r = receipts.get(d.commitMsg)
    if (r && r.exitCode !== 0) return { n: d.n, code: r.exitCode, msg: d.commitMsg, line: `receipt of ${d.commitMsg}: exit ${r.exitCode}`, at: null, badProof }
  }
  return null
}

function variantOf(code: number): (typeof VARIANTS)[number] {
  return code === 16 ? 'exit16' : code === 19 ? 'exit19' : code === 6 ? 'exit6' : code === 7 ? 'exit7' : 'other'
}

export const commitFailed: FindingRule = {
  kind: 'commit-failed',
  keys: keyList('commit-failed', VARIANTS, {
    exit16: ['bad-sector', 'let-lotus', 'no-aggregate'],
    exit19: ['fund-actor', 'collateral'],
    exit6: ['fund-sender'],
    exit7: ['let-lotus', 'gas'],
    other: ['status'],
    batch: ['no-aggregate', 'status'],
    'batch-unread': ['read-logs', 'no-aggregate']
  }),
  find({ sectors, receipts, logs, now, thresholds }, claimed) {
    if (!sectors) return []
    const failures: Failure[] = []
    for (const d of sectors.values()) {
      if (claimed.has('sector', String(d.n))) continue
      const f = failureOf(d, receipts)
      if (f) failures.push(f)
    }
    const groups = new Map<string, Failure[]>()
    for (const f of failures) {
      const key = f.msg ?? `exit-${f.code}`
      groups.set(key, [...(groups.get(key) ?? []), f])
    }
    const out: Draft[] = []
    for (const [key, list] of groups) {
      const code = (list[0] as Failure).code
      const variant = variantOf(code)
      const k = keysOf('commit-failed', variant)
      const ns = list.map((f) => f.n).sort((a, b) => a - b)
      const bad = list.filter((f) => f.badProof).map((f) => f.n)
      const msg = list[0]?.msg ?? null
      const params = { code, name: EXIT_NAMES[code] ?? `exit ${code}`, sectors: sectorList(ns), n: ns.length, msg: msg ?? '-', bad: bad.length ? sectorList(bad) : '-' }
      const remedies: Remedy[] = []
      if (variant === 'exit16') {
        remedies.push(bad.length ? k.remedy('bad-sector', params, { kind: 'remove', sectors: bad }) : k.remedy('bad-sector', params, { kind: 'status', sector: ns[0] as number }))
        remedies.push(k.remedy('let-lotus', params), k.remedy('no-aggregate', params))
      } else if (variant === 'exit19') remedies.push(k.remedy('fund-actor', params), k.remedy('collateral', params))
      else if (variant === 'exit6') remedies.push(k.remedy('fund-sender', params))
      else if (variant === 'exit7') remedies.push(k.remedy('let-lotus', params), k.remedy('gas', params))
      else remedies.push(k.remedy('status', params, { kind: 'status', sector: ns[0] as number }))
      const subject: Subject = msg ? { kind: 'message', id: msg } : { kind: 'site', id: key }
      out.push({
        kind: 'commit-failed',
        severity: variant === 'exit7' ? 'info' : variant === 'exit6' || variant === 'other' ? 'warning' : 'critical',
        subject,
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies,
        evidence: [ev('exitCode', `${code} (${params.name})`), ...(msg ? [ev('message', msg)] : []), ...list.slice(0, 10).map((f) => ev('sectorError', `${f.n}: ${f.line}`))],
        related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
      })
    }
    const failed = new Set(failures.map((f) => f.n))
    const looping = [...sectors.values()].filter((d) => BATCH_STATES.has(d.state) && d.batchRetries >= thresholds.loopFailures && !failed.has(d.n) && !claimed.has('sector', String(d.n)))
    if (looping.length > 0) out.push(batchLoop(looping, latestBatchError(logs?.events ?? [], now - thresholds.logEventMaxAgeSec * 1000), now))
    return out
  }
}

type BatchError = Extract<LogEvent, { kind: 'commit-batch-error' }>

function latestBatchError(events: readonly LogEvent[], after: number): BatchError | null {
  let best: BatchError | null = null
  for (const e of events) {
    if (e.kind !== 'commit-batch-error' || (e.at !== null && e.at < after)) continue
    if (!best || (e.at ?? 0) >= (best.at ?? 0)) best = e
  }
  return best
}

function batchLoop(list: readonly SectorDigest[], logged: BatchError | null, now: number): Draft {
  const ns = list.map((d) => d.n).sort((a, b) => a - b)
  const since = Math.min(...list.map((d) => d.batchRetriesSince ?? now))
  const code = logged ? exitCodeOf(logged.error) : null
  const variant = logged ? 'batch' : 'batch-unread'
  const k = keysOf('commit-failed', variant)
  const reason = logged ? logged.error.split('\n')[0]!.slice(0, 300) : '-'
  const params = {
    sectors: sectorList(ns),
    n: ns.length,
    retries: Math.max(...list.map((d) => d.batchRetries)),
    since: shortDuration((now - since) / 1000),
    code: code ?? '-',
    name: code !== null ? (EXIT_NAMES[code] ?? `exit ${code}`) : '-',
    reason
  }
  const remedies: Remedy[] = logged
    ? [k.remedy('no-aggregate', params, { kind: 'restart' }), k.remedy('status', params, { kind: 'status', sector: ns[0] as number })]
    : [k.remedy('read-logs', params, { kind: 'read-logs' }), k.remedy('no-aggregate', params, { kind: 'restart' })]
  return {
    kind: 'commit-failed',
    severity: 'critical',
    subject: { kind: 'site', id: 'commit-batch' },
    title: k.title(params),
    cause: k.cause(params),
    consequence: k.consequence(params),
    deadline: null,
    remedies,
    evidence: [
      ...(code !== null ? [ev('exitCode', `${code} (${params.name})`)] : []),
      ...(logged ? [ev('minerLog', logged.line.slice(0, 500)), ev('logFile', `${logged.source.host}:${logged.source.file}`)] : []),
      ...list.slice(0, 10).map((d) => ev('batchRetries', `${d.n}: ${d.batchRetries}`))
    ],
    related: ns.map((n): Subject => ({ kind: 'sector', id: String(n) }))
  }
}
