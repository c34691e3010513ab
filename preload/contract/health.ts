import type { ConnectionInfo } from './connection'
import type { Health, SiteSnapshot } from './snapshot'

/**
 * One word for a site's state, shared by the Overview, the sidebar and the CLI so they never
 * disagree: `unknown` while MinerDesk has no current data (never polled, or the SSH connection is
 * not up), else the worst alert severity (`info` alerts do not lower health).
 */
export function siteHealth(snapshot: Pick<SiteSnapshot, 'alerts'> | undefined, connection: Pick<ConnectionInfo, 'state'> | undefined): Health {
  const state = connection?.state
  if (state !== undefined && state !== 'connected') {
    // A site that cannot be reached is itself a critical condition the operator must act on;
    // `connecting`/`idle`/`stale` only mean "no fresh data yet".
    if (state === 'unreachable' || state === 'auth-failed' || state === 'host-key-changed' || state === 'config-error') return 'critical'
    if (state === 'host-key-unknown' || state === 'passphrase-needed') return 'warning'
    return 'unknown'
  }
  if (!snapshot) return 'unknown'
  if (snapshot.alerts.some((a) => a.severity === 'critical')) return 'critical'
  if (snapshot.alerts.some((a) => a.severity === 'warning')) return 'warning'
  return 'ok'
}
