import type { ConnectionInfo, Health, SiteConfig } from '@contract'
import { healthOf, sortFindings, type SiteSummary } from './summary'

/**
 * One site as a row of the Overview's table: the facts an operator scans a fleet for, each with
 * the value it sorts by. Missing facts (a site not polled yet, a miner down) sort last.
 */
export interface FleetRow {
  site: SiteConfig
  summary: SiteSummary | undefined
  connection: ConnectionInfo | undefined
  health: Health
  behind: number | null
  daemonUp: boolean | null
  minerUp: boolean | null
  sealing: number | null
  failed: number | null
  proving: number | null
  overdue: number | null
  workersOnline: number | null
  workersTotal: number | null
  workersMissing: number
  nextDeadline: { index: number; openAt: number; sectors: number } | null
  faults: number | null
  messages: number | null
  oldestMessageSec: number | null
  issues: number
}

/** Worst first: a site that needs someone now sorts before one that is merely unknown. */
export const HEALTH_RANK: Record<Health, number> = { critical: 0, warning: 1, unknown: 2, ok: 3 }

export function fleetRow(site: SiteConfig, summary: SiteSummary | undefined, connection: ConnectionInfo | undefined): FleetRow {
  const s = summary
  return {
    site,
    summary: s,
    connection,
    health: healthOf(s, connection),
    behind: s?.daemon.behindEpochs ?? null,
    daemonUp: s ? s.daemon.up : null,
    minerUp: s ? s.miner.up : null,
    sealing: s?.pipeline?.sealing ?? null,
    failed: s?.pipeline?.failed ?? null,
    proving: s?.pipeline?.proving ?? null,
    overdue: s?.jobs?.overdue ?? null,
    workersOnline: s?.workers?.online ?? null,
    workersTotal: s?.workers?.total ?? null,
    workersMissing: s?.workers?.missing ?? 0,
    nextDeadline: s?.proving?.next ?? null,
    faults: s?.proving?.faults ?? null,
    messages: s?.messages?.count ?? null,
    oldestMessageSec: s?.messages?.oldestAgeSec ?? null,
    issues: s?.findings.length ?? 0
  }
}

/** The findings of a site, worst first (what the table's last column names). */
export function siteIssues(s: SiteSummary | undefined) {
  return s ? sortFindings(s.findings) : []
}

export type FleetSortKey = 'name' | 'health' | 'behind' | 'processes' | 'sealing' | 'failed' | 'proving' | 'overdue' | 'workers' | 'nextDeadline' | 'faults' | 'messages' | 'issues'

const nullsLast = (a: number | null, b: number | null, dir: 1 | -1): number => {
  if (a === null && b === null) return 0
  if (a === null) return 1
  if (b === null) return -1
  return (a - b) * dir
}

/**
 * Rows sorted by one column. `worst` (the default direction) puts what needs attention first:
 * most failed, most behind, fewest workers online, the deadline soonest due, and so on; names
 * sort A to Z. Ties fall back to health, then the operator's own order.
 */
export function sortFleet(rows: readonly FleetRow[], key: FleetSortKey, worstFirst = true): FleetRow[] {
  const d: 1 | -1 = worstFirst ? -1 : 1
  const up = (r: FleetRow) => (r.daemonUp === null ? null : (r.daemonUp ? 0 : 1) + (r.minerUp ? 0 : 1))
  const cmp: Record<FleetSortKey, (a: FleetRow, b: FleetRow) => number> = {
    name: (a, b) => a.site.name.localeCompare(b.site.name) * -d,
    health: (a, b) => (HEALTH_RANK[a.health] - HEALTH_RANK[b.health]) * -d,
    behind: (a, b) => nullsLast(a.behind, b.behind, d),
    processes: (a, b) => nullsLast(up(a), up(b), d),
    sealing: (a, b) => nullsLast(a.sealing, b.sealing, d),
    failed: (a, b) => nullsLast(a.failed, b.failed, d),
    proving: (a, b) => nullsLast(a.proving, b.proving, d),
    overdue: (a, b) => nullsLast(a.overdue, b.overdue, d),
    workers: (a, b) => nullsLast(a.workersMissing - (a.workersOnline ?? 0) / 1000, b.workersMissing - (b.workersOnline ?? 0) / 1000, d),
    nextDeadline: (a, b) => nullsLast(a.nextDeadline?.openAt ?? null, b.nextDeadline?.openAt ?? null, (-d) as 1 | -1),
    faults: (a, b) => nullsLast(a.faults, b.faults, d),
    messages: (a, b) => nullsLast(a.oldestMessageSec ?? (a.messages === null ? null : 0), b.oldestMessageSec ?? (b.messages === null ? null : 0), d),
    issues: (a, b) => nullsLast(a.issues, b.issues, d)
  }
  const by = cmp[key]
  return [...rows].sort((a, b) => by(a, b) || HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || a.site.order - b.site.order)
}
