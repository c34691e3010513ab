import type { SiteConfig, SiteSnapshot } from '../../../preload/contract'
import type { PollStats } from '../overview/poller'
import { POLL_ERROR_PARTS, type FamilyName, type PollErrorPart } from './families'

/**
 * The values of one site's metrics, read from its latest snapshot (pure). A family without
 * samples is left out for that site: a part the poll could not read is absent, never 0, so an
 * alert on it does not fire (or clear) on a guess.
 */
export interface Sample {
  labels: Record<string, string>
  value: number
}
export type Samples = Partial<Record<FamilyName, Sample[]>>

const one = (value: number | undefined | null, labels: Record<string, string> = {}): Sample[] | undefined =>
  value === undefined || value === null || !Number.isFinite(value) ? undefined : [{ labels, value }]

const bool = (v: boolean): number => (v ? 1 : 0)

/** Sectors MinerDesk counts as stuck: overdue in their state by the health model's one rule. */
export function stuckSectors(s: SiteSnapshot): number {
  const sectors = new Set<number>()
  for (const w of s.sectors?.list ?? []) if (w.timing?.level === 'overdue') sectors.add(w.n)
  for (const j of s.jobs?.list ?? []) if (j.overdue) sectors.add(j.sector)
  return sectors.size
}

/** Findings by severity and kind (the health model's, one per root cause). */
export function findingCounts(s: SiteSnapshot): Sample[] {
  const counts = new Map<string, Sample>()
  for (const a of s.findings) {
    const k = `${a.severity}|${a.kind}`
    const c = counts.get(k)
    if (c) c.value++
    else counts.set(k, { labels: { severity: a.severity, kind: a.kind }, value: 1 })
  }
  return [...counts.values()]
}

/** The parts of the site a poll found failing (each counts in minerdesk_poll_errors_total). */
export function failingParts(s: SiteSnapshot): PollErrorPart[] {
  const out = new Set<PollErrorPart>()
  const sshDown = s.connection.state !== 'connected' || s.daemon.error?.code.startsWith('ssh/') === true || s.miner.error?.code.startsWith('ssh/') === true
  if (sshDown) out.add('ssh')
  if (!s.daemon.up) out.add('daemon')
  if (!s.miner.up) out.add('miner')
  for (const part of Object.keys(s.partErrors ?? {})) if ((POLL_ERROR_PARTS as readonly string[]).includes(part)) out.add(part as PollErrorPart)
  return [...out]
}

export function staticSamples(site: SiteConfig, s: SiteSnapshot | null, poll: PollStats | null): Samples {
  const out: Samples = { minerdesk_site_info: [{ labels: { alias: site.alias, name: site.name }, value: 1 }] }
  if (!s) return out
  const d = s.daemon
  const m = s.miner
  const sshUp = !failingParts(s).includes('ssh')
  if (m.actor || m.version || d.version) {
    out.minerdesk_miner_info = [{ labels: { actor: m.actor ?? '', miner_version: m.version ?? '', daemon_version: d.version ?? '' }, value: 1 }]
  }
  out.minerdesk_ssh_up = one(bool(sshUp))
  out.minerdesk_daemon_up = one(bool(d.up))
  out.minerdesk_miner_up = one(bool(m.up))
  if (d.up) {
    out.minerdesk_chain_height = one(d.height)
    out.minerdesk_sync_lag_epochs = one(d.behindEpochs)
    out.minerdesk_peers = one(d.peers)
  }
  out.minerdesk_miner_sector_size_bytes = one(m.sectorSize)

  const p = s.pipeline
  if (p) {
    out.minerdesk_sectors_by_state = Object.entries(p.byState).map(([state, value]) => ({ labels: { state }, value }))
    out.minerdesk_sectors_by_group = Object.entries(p.byGroup).map(([g, value]) => ({ labels: { sector_group: g }, value }))
  }
  if (s.jobs) {
    out.minerdesk_sectors_stuck = one(stuckSectors(s))
    const jobs: Sample[] = []
    for (const [task, states] of Object.entries(s.jobs.byTask)) {
      for (const [state, value] of Object.entries(states)) if (value) jobs.push({ labels: { task, state }, value })
    }
    out.minerdesk_jobs = jobs
    const overdue = new Map<string, number>()
    for (const task of Object.keys(s.jobs.byTask)) overdue.set(task, 0)
    for (const j of s.jobs.list) if (j.overdue) overdue.set(j.task, (overdue.get(j.task) ?? 0) + 1)
    out.minerdesk_jobs_overdue = [...overdue].map(([task, value]) => ({ labels: { task }, value }))
  }
  const w = s.workers
  if (w) {
    out.minerdesk_workers = [
      { labels: { state: 'online' }, value: w.online },
      { labels: { state: 'disabled' }, value: w.disabled },
      { labels: { state: 'missing' }, value: w.missing }
    ]
  }
  const pr = s.proving
  if (pr) {
    out.minerdesk_sectors_faulty = one(pr.faults)
    out.minerdesk_sectors_recovering = one(pr.recoveries)
    const held = pr.deadlines.filter((dl) => dl.sectors > 0 || dl.faults > 0 || dl.recoveries > 0)
    out.minerdesk_deadline_sectors = held.map((dl) => ({ labels: { deadline: String(dl.index) }, value: dl.sectors }))
    out.minerdesk_deadline_faulty_sectors = held.map((dl) => ({ labels: { deadline: String(dl.index) }, value: dl.faults }))
    out.minerdesk_deadline_recovering_sectors = held.map((dl) => ({ labels: { deadline: String(dl.index) }, value: dl.recoveries }))
    out.minerdesk_proving_deadline_index = one(pr.deadlineIndex)
    const current = pr.deadlines.find((dl) => dl.index === pr.deadlineIndex)
    out.minerdesk_proving_deadline_unproven_partitions = one(current && current.sectors > 0 ? Math.max(0, current.partitions - current.proven) : 0)
    if (pr.nextWithSectors) {
      const next = pr.nextWithSectors
      out.minerdesk_next_deadline_index = one(next.index)
      out.minerdesk_next_deadline_faulty_sectors = one(pr.deadlines.find((dl) => dl.index === next.index)?.faults ?? 0)
    }
  }
  if (s.messages) out.minerdesk_messages_pending = one(s.messages.count)
  out.minerdesk_findings = findingCounts(s)
  out.minerdesk_poll_duration_seconds = one(s.tookMs / 1000)
  if (poll && poll.seq === s.seq) {
    out.minerdesk_poll_requests = one(poll.httpRequests)
    out.minerdesk_poll_bytes = one(poll.bytes)
  }
  out.minerdesk_last_poll_timestamp_seconds = one(s.takenAt / 1000)
  return out
}

/** Values that depend on the time of the scrape, from the latest snapshot. */
export function liveSamples(s: SiteSnapshot | null, now: number): Samples {
  if (!s) return {}
  const out: Samples = {}
  const sinceTaken = Math.max(0, (now - s.takenAt) / 1000)
  if (s.daemon.up && s.daemon.headTimestamp !== undefined) out.minerdesk_chain_head_age_seconds = one(Math.max(0, now / 1000 - s.daemon.headTimestamp))
  const pr = s.proving
  if (pr) {
    out.minerdesk_proving_deadline_close_seconds = one(Math.max(0, (pr.closeAt - now) / 1000))
    if (pr.nextWithSectors) out.minerdesk_next_deadline_open_seconds = one(Math.max(0, (pr.nextWithSectors.openAt - now) / 1000))
  }
  if (s.messages && s.messages.oldestAgeSec !== null) out.minerdesk_messages_oldest_age_seconds = one(s.messages.oldestAgeSec + sinceTaken)
  return out
}
