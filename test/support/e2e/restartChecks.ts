import { AuditLog } from '../../../electron/core/audit/auditLog'
import { findSiteProcs } from '../../../electron/sim/front/procs'
import type { RealHost } from './realHost'

/** TEST-ONLY: what the restart specs check on the simulated site and in the audit log after a restart. */

/** The site's Lotus daemon and miner processes (by what they run, not by pid files). */
export function lotusProcs(host: RealHost, alias: string) {
  const dir = host.sim!.site(alias).siteDir
  const all = findSiteProcs(dir).filter((p) => p.site === dir)
  return { daemon: all.filter((p) => p.cmdline.startsWith('lotus daemon')), miner: all.filter((p) => p.cmdline.startsWith('lotus-miner run')) }
}

/** How often each restart action started on `site` since `since` (a command sent twice shows as 2). */
export async function startedCount(host: RealHost, site: string, since: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const e of await new AuditLog({ home: host.home, via: 'web' }).list({ site, limit: 5000 })) {
    if (e.result === 'started' && e.time >= since && e.action.startsWith('wizard.')) out[e.action] = (out[e.action] ?? 0) + 1
  }
  return out
}
