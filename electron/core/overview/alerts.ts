import type { Alert, AlertKind, AlertParamsByKind, AlertSeverity, SiteSnapshot } from '../../../preload/contract'
import { shortDuration } from './format'

/**
 * Alerts derived from a snapshot (pure). Keys are stable across polls
 * (`${siteId}:${kind}:${subject}`) and an alert that persists keeps its first `since`.
 */

export interface AlertThresholds {
  /**
   * Epochs behind (NodeStatus.SyncStatus.Behind) before "sync behind": 5, the limit Lotus's
   * own /health/readyz uses for "synced" (2.5 min on mainnet); a few epochs of lag are normal.
   */
  syncBehindEpochs: number
  /**
   * …and at least this many seconds behind: 5 epochs are 150 s on mainnet, but a fraction of a
   * second on a fast test chain (the demo runs 60× faster), where that is jitter, not trouble.
   */
  syncBehindMinSec: number
  /**
   * A local message pending longer than this is stuck: 10 min = 20 epochs, while a message
   * with a sane premium lands within a few epochs. This is the runbook's `mpool replace` case.
   */
  messageStuckSec: number
  /**
   * A vanished worker is "lost" only after this long: a restarted worker re-registers (under a
   * new id) within a minute or two, which should not notify anybody.
   */
  workerLostGraceSec: number
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  syncBehindEpochs: 5,
  syncBehindMinSec: 30,
  messageStuckSec: 600,
  workerLostGraceSec: 120
}

const SEVERITY: Record<AlertKind, AlertSeverity> = {
  'site-unreachable': 'critical',
  'daemon-down': 'critical',
  'miner-down': 'critical',
  // Faulty sectors lose power and are penalised every day they stay faulty.
  faults: 'critical',
  'sync-behind': 'warning',
  'sectors-failed': 'warning',
  'job-overdue': 'warning',
  'worker-lost': 'warning',
  'message-stuck': 'warning'
}

const RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 }

export function alertKey(siteId: string, kind: AlertKind, subject: string): string {
  return `${siteId}:${kind}:${subject}`
}

type Candidate = { [K in AlertKind]: { kind: K; subject: string; params: AlertParamsByKind[K] } }[AlertKind]

function candidates(s: Omit<SiteSnapshot, 'alerts'>, t: AlertThresholds, now: number): Candidate[] {
  const out: Candidate[] = []
  const sshDown = s.connection.state !== 'connected' || s.daemon.error?.code.startsWith('ssh/') === true || s.miner.error?.code.startsWith('ssh/') === true
  if (sshDown && !s.daemon.up && !s.miner.up) {
    // Nothing else can be known; the node alerts would only repeat this one.
    out.push({ kind: 'site-unreachable', subject: '', params: {} })
    return out
  }
  if (!s.daemon.up) out.push({ kind: 'daemon-down', subject: '', params: {} })
  else if (s.daemon.behindEpochs !== undefined && s.daemon.behindEpochs > t.syncBehindEpochs && s.daemon.behindEpochs * (s.daemon.blockDelay ?? 30) >= t.syncBehindMinSec) {
    out.push({ kind: 'sync-behind', subject: '', params: { epochs: s.daemon.behindEpochs, headAge: shortDuration(s.daemon.headAgeSec ?? 0) } })
  }
  if (!s.miner.up) out.push({ kind: 'miner-down', subject: '', params: {} })
  if (s.pipeline && s.pipeline.byGroup.failed > 0) out.push({ kind: 'sectors-failed', subject: '', params: { sectors: s.pipeline.byGroup.failed } })
  for (const j of s.jobs?.list ?? []) {
    if (!j.overdue) continue
    out.push({ kind: 'job-overdue', subject: j.id, params: { task: j.task, sector: j.sector, host: j.hostname, elapsed: shortDuration(j.elapsedSec ?? 0), expected: shortDuration(j.expectedSec ?? 0) } })
  }
  for (const w of s.workers?.list ?? []) {
    if (w.missing && now - (w.missingSince ?? w.lastSeen) >= t.workerLostGraceSec * 1000) out.push({ kind: 'worker-lost', subject: w.id, params: { host: w.hostname } })
  }
  if (s.proving && s.proving.faults > 0) out.push({ kind: 'faults', subject: '', params: { faults: s.proving.faults, recoveries: s.proving.recoveries } })
  for (const m of s.messages?.list ?? []) {
    if (m.ageSec > t.messageStuckSec) out.push({ kind: 'message-stuck', subject: m.cid, params: { from: m.from, nonce: m.nonce, age: shortDuration(m.ageSec) } })
  }
  return out
}

/** The alerts of a snapshot; `since` comes from the previous alert with the same key. */
export function deriveAlerts(s: Omit<SiteSnapshot, 'alerts'>, prev: readonly Alert[], now: number, t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): Alert[] {
  const before = new Map(prev.map((a) => [a.key, a]))
  return candidates(s, t, now)
    .map((c): Alert => {
      const key = alertKey(s.siteId, c.kind, c.subject)
      return { key, siteId: s.siteId, kind: c.kind, severity: SEVERITY[c.kind], subject: c.subject, since: before.get(key)?.since ?? now, params: c.params as Record<string, string | number> }
    })
    .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.kind.localeCompare(b.kind) || a.subject.localeCompare(b.subject))
}

/** Alerts in `next` that were not in `prev` (by key): what deserves a notification. */
export function newAlerts(prev: readonly Alert[], next: readonly Alert[]): Alert[] {
  const known = new Set(prev.map((a) => a.key))
  return next.filter((a) => !known.has(a.key))
}
