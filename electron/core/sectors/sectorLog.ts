import type { SectorLogEntry } from '../../../preload/contract/sectors'
import type { SectorLog } from '../../../preload/contract/lotus/types'
import { eventName } from '../health/sectorLog'

/** Lotus's log entries (SectorInfo.Log) as the contract carries them to the sector page. */
export function logEntries(log: readonly Pick<SectorLog, 'Kind' | 'Timestamp' | 'Trace' | 'Message'>[] | null): SectorLogEntry[] {
  return (log ?? []).map((e) => ({ kind: e.Kind, name: eventName(e.Kind), at: Math.round(e.Timestamp * 1000), message: e.Message ?? '', trace: e.Trace ?? '' }))
}
