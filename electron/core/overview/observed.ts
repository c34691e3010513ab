import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { WorkerRow } from '../../../preload/contract'
import { writeDurably } from '../util/durableFile'
import type { PollMemory } from './raw'

/**
 * What MinerDesk saw of a site over time that Lotus cannot say afterwards: when each local
 * pending message was first seen pending (Lotus keeps no such time), and which workers were there
 * (a vanished one is missing since when). Kept per site in MINERDESK_HOME/observed/, so every
 * host on that home — the window, the browser host, the CLI — shows the same ages and the same
 * judgments: a message stuck for an hour is an hour old in `minerdesk messages` too.
 */

export type Observed = Pick<PollMemory, 'messageFirstSeen' | 'workers'>

interface ObservedFile extends Observed {
  version: 1
}

/** What a poller reads once and writes back when it changes. */
export interface ObservedMemory {
  load(): Observed | null
  save(o: Observed): void
}

const SITE_FILE = /^[a-z0-9][a-z0-9-]{0,62}$/

function parse(text: string): Observed | null {
  try {
    const f = JSON.parse(text) as Partial<ObservedFile>
    if (f.version !== 1 || typeof f.messageFirstSeen !== 'object' || typeof f.workers !== 'object' || !f.messageFirstSeen || !f.workers) return null
    const seen: Record<string, number> = {}
    for (const [cid, t] of Object.entries(f.messageFirstSeen)) if (typeof t === 'number' && Number.isFinite(t)) seen[cid] = t
    return { messageFirstSeen: seen, workers: f.workers as Record<string, WorkerRow> }
  } catch {
    return null
  }
}

/** The parts that say something: which messages, which workers and whether each is missing since when. */
function essence(o: Observed): string {
  const w = Object.values(o.workers)
    .map((r) => `${r.id}:${r.missing ? `m${r.missingSince ?? ''}` : 'p'}`)
    .sort()
  return JSON.stringify([Object.keys(o.messageFirstSeen).sort(), w])
}

export function observedFor(home: string, siteId: string): ObservedMemory {
  const dir = join(home, 'observed')
  const file = join(dir, `${siteId}.json`)
  let last: string | null = null
  const read = (): Observed | null => (existsSync(file) ? parse(readFileSync(file, 'utf8')) : null)
  return {
    load() {
      if (!SITE_FILE.test(siteId)) return null
      const o = read()
      if (o) last = essence(o)
      return o
    },
    save(o) {
      if (!SITE_FILE.test(siteId)) return
      const key = essence(o)
      if (key === last) return
      // Another host on this home may have seen a message earlier: the earliest sighting wins.
      const theirs = read()
      const seen = { ...o.messageFirstSeen }
      for (const [cid, t] of Object.entries(theirs?.messageFirstSeen ?? {})) if (cid in seen && t < (seen[cid] as number)) seen[cid] = t
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      writeDurably(file, `${JSON.stringify({ version: 1, messageFirstSeen: seen, workers: o.workers } satisfies ObservedFile)}\n`)
      last = key
    }
  }
}
