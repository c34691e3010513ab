import { shortDuration } from '../../overview/format'
import { ev, keyList, keysOf, type Draft, type FindingRule } from '../finding'
import type { LogEvent } from '../logEvents'

/**
 * WindowPoSt that took longer than its window (storage/wdpost/wdpost_run.go logs
 * `computing window post {"elapsed": <s>}` after `running window post {"deadline": …}`): a
 * deadline's proof must land while the deadline is open — one challenge window, 60 epochs (30 min
 * on mainnet). A proof that takes the whole window misses it and the partition's sectors turn
 * faulty; past half the window there is no margin left for the message to land.
 */

const slow = keysOf('wdpost-slow', 'missed')
const tight = keysOf('wdpost-slow', 'tight')

export const wdpostSlow: FindingRule = {
  kind: 'wdpost-slow',
  keys: keyList('wdpost-slow', ['missed', 'tight'], { missed: ['storage', 'gpu', 'check'], tight: ['storage', 'gpu', 'check'] }),
  find({ logs, now, thresholds, blockDelay, snapshot: s }) {
    const out: Draft[] = []
    const windowEpochs = s.proving ? s.proving.close - s.proving.open : 60
    const latest = new Map<string, Extract<LogEvent, { kind: 'wdpost-computed' }>>()
    for (const e of logs?.events ?? []) {
      if (e.kind !== 'wdpost-computed') continue
      if (e.at !== null && now - e.at > thresholds.logEventMaxAgeSec * 1000) continue
      const windowSec = (e.deadline?.window ?? windowEpochs) * blockDelay
      if (e.elapsedSec <= windowSec / 2) continue
      const key = String(e.deadline?.index ?? '?')
      const prev = latest.get(key)
      if (!prev || (e.at ?? 0) >= (prev.at ?? 0)) latest.set(key, e)
    }
    for (const [key, e] of latest) {
      const windowSec = (e.deadline?.window ?? windowEpochs) * blockDelay
      const missed = e.elapsedSec >= windowSec
      const k = missed ? slow : tight
      const params = { deadline: key, elapsed: shortDuration(e.elapsedSec), window: shortDuration(windowSec), percent: Math.round((100 * e.elapsedSec) / windowSec) }
      const dl = e.deadline?.index
      out.push({
        kind: 'wdpost-slow',
        severity: missed ? 'critical' : 'warning',
        subject: { kind: 'deadline', id: key },
        title: k.title(params),
        cause: k.cause(params),
        consequence: k.consequence(params),
        deadline: null,
        remedies: [k.remedy('storage', params), k.remedy('gpu', params), k.remedy('check', params, dl !== undefined ? { kind: 'proving-check', deadline: dl } : undefined)],
        evidence: [ev('minerLog', e.line), ev('logFile', `${e.source.host}:${e.source.file}`)],
        related: []
      })
    }
    return out
  }
}
