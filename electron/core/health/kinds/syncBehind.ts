import { shortDuration } from '../../overview/format'
import { isSyncBehind } from '../facts'
import { ev, keyList, keysOf, type FindingRule } from '../finding'

/** The chain head is behind (NodeStatus Behind): the miner mines and proves on a stale chain. */
const k = keysOf('sync-behind')

export const syncBehind: FindingRule = {
  kind: 'sync-behind',
  keys: keyList('sync-behind', [undefined], { '': ['peers', 'wait'] }),
  find({ snapshot: s, thresholds }) {
    if (!s.daemon.up || s.daemon.behindEpochs === undefined || !isSyncBehind(s.daemon, thresholds)) return []
    const params = { epochs: s.daemon.behindEpochs, headAge: shortDuration(s.daemon.headAgeSec ?? 0) }
    return [
      {
        kind: 'sync-behind',
        severity: 'warning',
        subject: { kind: 'daemon', id: 'sync' },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: s.proving?.nextWithSectors?.openAt ?? null,
        remedies: [k.remedy('peers'), k.remedy('wait')],
        evidence: [ev('behind', s.daemon.behindEpochs), ev('height', s.daemon.height ?? '-'), ev('headAge', params.headAge), ev('peers', s.daemon.peers ?? '-')],
        related: []
      }
    ]
  }
}
