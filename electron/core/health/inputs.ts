import type { ProvingCheckState } from '../../../preload/contract'
import type { LogFacts, LogSourceRead } from './facts'
import { logEvents, type LogEvent, type LogSource } from './logEvents'

/**
 * What the health model knows about a site beyond its polls, kept per site for the poller: the
 * logs last read over SSH (on demand, or live while the restart wizard tails them) and the
 * proving checks run from MinerDesk. Each poll reads them through `extras(siteId)`.
 */

/** Events kept per site; older ones fall off (a log read brings at most a few thousand lines). */
const MAX_EVENTS = 5000

export class HealthInputs {
  private readonly logs = new Map<string, LogFacts>()
  private checks: (siteId: string) => readonly ProvingCheckState[] = () => []

  /** The site's finished proving checks come from the siteops feature, which runs them. */
  setProvingChecks(source: (siteId: string) => readonly ProvingCheckState[]): void {
    this.checks = source
  }

  /** A full read of the site's logs replaces what was known from earlier reads. */
  setLogs(siteId: string, facts: LogFacts): void {
    this.logs.set(siteId, { ...facts, events: facts.events.slice(-MAX_EVENTS) })
  }

  /** Lines seen live (the restart wizard's tail of miner.log): their events join the site's. */
  addLines(siteId: string, source: LogSource, lines: readonly string[], at: number): void {
    const events: LogEvent[] = logEvents(lines, source)
    const prev = this.logs.get(siteId)
    const sources: LogSourceRead[] = [...(prev?.sources ?? []).filter((s) => !(s.host === source.host && s.file === source.file)), { ...source, lines: lines.length }]
    if (events.length === 0 && prev) return
    this.logs.set(siteId, { readAt: at, sources, events: [...(prev?.events ?? []), ...events].slice(-MAX_EVENTS) })
  }

  extras(siteId: string): { logs: LogFacts | null; provingChecks: readonly ProvingCheckState[] } {
    return { logs: this.logs.get(siteId) ?? null, provingChecks: this.checks(siteId).filter((c) => c.status === 'done') }
  }

  forget(siteId: string): void {
    this.logs.delete(siteId)
  }
}
