import { ev, keyList, keysOf, SITE, type FindingRule } from '../finding'

/** The site cannot be reached over SSH: nothing else about it can be known, so this explains everything. */
const k = keysOf('site-unreachable')

export const siteUnreachable: FindingRule = {
  kind: 'site-unreachable',
  keys: keyList('site-unreachable', [undefined], { '': ['ssh', 'host'] }),
  find({ snapshot: s }) {
    const sshDown = s.connection.state !== 'connected' || s.daemon.error?.code.startsWith('ssh/') === true || s.miner.error?.code.startsWith('ssh/') === true
    if (!sshDown || s.daemon.up || s.miner.up) return []
    const detail = s.connection.detail ?? s.daemon.error?.message ?? s.miner.error?.message ?? ''
    return [
      {
        kind: 'site-unreachable',
        severity: 'critical',
        subject: SITE,
        title: k.title(),
        cause: k.cause({ state: s.connection.state }),
        consequence: k.consequence(),
        deadline: s.proving?.nextWithSectors?.openAt ?? null,
        remedies: [k.remedy('ssh'), k.remedy('host')],
        evidence: [ev('connection', s.connection.state), ...(detail ? [ev('error', detail)] : [])],
        related: [],
        claimsAll: ['daemon', 'miner', 'sector', 'job', 'worker', 'deadline', 'sync-worker', 'message', 'block']
      }
    ]
  }
}
