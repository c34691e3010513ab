import { compareFindings, siteHealth, type ConnectionInfo, type Finding, type Health, type JobState, type SiteSnapshot } from '@contract'

/**
 * What the Overview, the sidebar and the site header need of one snapshot: numbers only, no
 * lists (the full snapshot stays out of reactive state; see stores/overview.ts).
 */
export interface SiteSummary {
  siteId: string
  seq: number
  takenAt: number
  tookMs: number
  daemon: {
    up: boolean
    errorCode?: string
    version?: string
    height?: number
    behindEpochs?: number
    headAgeSec?: number
    /** headAgeSec is relative to takenAt; the page ages it live from here. */
    headTimestamp?: number
    peers?: number
  }
  miner: { up: boolean; errorCode?: string; version?: string; actor?: string; sectorSize?: number }
  pipeline: { sealing: number; failed: number; proving: number; total: number } | null
  jobs: { running: number; queued: number; overdue: number; total: number } | null
  workers: { online: number; disabled: number; missing: number; total: number } | null
  proving: {
    deadlineIndex: number
    closeAt: number
    next: { index: number; openAt: number; sectors: number } | null
    faults: number
    recoveries: number
    sectors: number
  } | null
  messages: { count: number; oldestAgeSec: number | null; oldestFirstSeen: number | null } | null
  findings: Finding[]
}

const QUEUED: JobState[] = ['prepared', 'assigned']

export function summarize(s: SiteSnapshot): SiteSummary {
  const jobs = s.jobs
  let running = 0
  let queued = 0
  let overdue = 0
  if (jobs) {
    for (const j of jobs.list) {
      if (j.state === 'running') running++
      else if (QUEUED.includes(j.state)) queued++
      if (j.overdue) overdue++
    }
  }
  const p = s.proving
  const nextSectors = p?.nextWithSectors ? (p.deadlines.find((d) => d.index === p.nextWithSectors?.index)?.sectors ?? 0) : 0
  const oldest = s.messages?.list.reduce<number | null>((min, m) => (min === null || m.firstSeen < min ? m.firstSeen : min), null) ?? null
  return {
    siteId: s.siteId,
    seq: s.seq,
    takenAt: s.takenAt,
    tookMs: s.tookMs,
    daemon: {
      up: s.daemon.up,
      errorCode: s.daemon.error?.code,
      version: s.daemon.version,
      height: s.daemon.height,
      behindEpochs: s.daemon.behindEpochs,
      headAgeSec: s.daemon.headAgeSec,
      headTimestamp: s.daemon.headTimestamp,
      peers: s.daemon.peers
    },
    miner: { up: s.miner.up, errorCode: s.miner.error?.code, version: s.miner.version, actor: s.miner.actor, sectorSize: s.miner.sectorSize },
    pipeline: s.pipeline
      ? { sealing: s.pipeline.byGroup.sealing ?? 0, failed: s.pipeline.byGroup.failed ?? 0, proving: s.pipeline.byGroup.proving ?? 0, total: s.pipeline.total }
      : null,
    jobs: jobs ? { running, queued, overdue, total: jobs.total } : null,
    workers: s.workers ? { online: s.workers.online, disabled: s.workers.disabled, missing: s.workers.missing, total: s.workers.list.length } : null,
    proving: p
      ? {
          deadlineIndex: p.deadlineIndex,
          closeAt: p.closeAt,
          next: p.nextWithSectors ? { index: p.nextWithSectors.index, openAt: p.nextWithSectors.openAt, sectors: nextSectors } : null,
          faults: p.faults,
          recoveries: p.recoveries,
          sectors: p.sectors
        }
      : null,
    messages: s.messages ? { count: s.messages.count, oldestAgeSec: s.messages.oldestAgeSec, oldestFirstSeen: oldest } : null,
    findings: s.findings
  }
}

export function healthOf(summary: SiteSummary | undefined, connection: ConnectionInfo | undefined): Health {
  return siteHealth(summary, connection)
}

/** Findings of all sites, worst first, then oldest first (what has been wrong longest). */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => compareFindings(a, b) || a.since - b.since)
}
