import { ev, keyList, keysOf, type Draft, type FindingRule } from '../finding'
import type { LogEvent } from '../logEvents'

/**
 * A worker that lost its miner (cli/worker/worker.go): it logs `LOTUS-MINER CONNECTION LOST` when
 * the miner's session changed (the miner restarted) and `heartbeat: checking remote session
 * failed: …` while it cannot reach the miner at all; it registers again only after its running
 * tasks have ended (`Making sure no local tasks are running`, then `Worker registered successfully,
 * waiting for tasks`). Until then the miner does not see it.
 */

const lost = keysOf('worker-lost-miner', 'lost')
const unreachable = keysOf('worker-lost-miner', 'unreachable')

export const workerLostMiner: FindingRule = {
  kind: 'worker-lost-miner',
  keys: keyList('worker-lost-miner', ['lost', 'unreachable'], { lost: ['wait', 'restart'], unreachable: ['network', 'miner'] }),
  find({ logs, now, thresholds }, claimed) {
    const out: Draft[] = []
    const byWorker = new Map<string, LogEvent[]>()
    for (const e of logs?.events ?? []) {
      if (e.source.role !== 'worker') continue
      if (e.kind !== 'worker-connection-lost' && e.kind !== 'worker-heartbeat-failed' && e.kind !== 'worker-registered') continue
      const name = e.source.worker ?? e.source.host
      byWorker.set(name, [...(byWorker.get(name) ?? []), e])
    }
    for (const [name, events] of byWorker) {
      const last = events[events.length - 1]!
      if (last.kind === 'worker-registered') continue
      if (last.at !== null && now - last.at > thresholds.logEventMaxAgeSec * 1000) continue
      if (claimed.has('worker', name)) continue
      const k = last.kind === 'worker-heartbeat-failed' ? unreachable : lost
      const since = events.slice().reverse().find((e) => e.kind === 'worker-registered')
      const firstLoss = events.filter((e) => (since ? (e.at ?? 0) > (since.at ?? 0) : true) && e.kind !== 'worker-registered')[0] ?? last
      const params = { worker: name, host: last.source.host, error: last.kind === 'worker-heartbeat-failed' ? last.error.slice(0, 200) : '' }
      const flag = /^[A-Za-z0-9_][A-Za-z0-9_.:=@/-]{0,63}$/.test(name) ? name : null
      out.push({
        kind: 'worker-lost-miner',
        severity: 'warning',
        subject: { kind: 'worker', id: name, label: name },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies:
          k === lost
            ? [k.remedy('wait', params, flag ? { kind: 'wps', flag } : undefined), k.remedy('restart', params, flag ? { kind: 'killw', flag } : undefined)]
            : [k.remedy('network', params), k.remedy('miner', params)],
        evidence: [ev('workerLog', firstLoss.line), ...(firstLoss !== last ? [ev('workerLog', last.line)] : []), ev('logFile', `${last.source.host}:${last.source.file}`)],
        related: []
      })
    }
    return out
  }
}
