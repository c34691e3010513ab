import { SYNC_STAGES, type SyncState, type TipSet, type VersionInfo } from '../../../../preload/contract/lotus/types'
import { formatGoDuration } from '../../daemon/goDuration'
import { fullNodeClient, type FullNodeClient } from './client'
import type { Command } from './framework'

/** `lotus sync status` and `lotus sync wait` (cli/sync.go). */

type Repo = () => string | undefined

export function stageName(stage: number): string {
  return SYNC_STAGES[stage] ?? `<unknown: ${stage}>`
}

const STAGE_COMPLETE = 4
const STAGE_IDLE = 0
const STAGE_ERROR = 5

/** An RFC 3339 time as Go's client parses it: milliseconds since the epoch and the nanoseconds below. */
function parseGoTime(s: string): { ms: number; subNs: number } | null {
  if (s.startsWith('0001-01-01')) return null
  const m = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(s)
  if (!m) return null
  const digits = (m[2] ?? '').padEnd(9, '0')
  const base = Date.parse(`${m[1]}${m[3]}`)
  return { ms: base + Number(digits.slice(0, 3)), subNs: Number(digits.slice(3, 9)) }
}

function elapsedNs(from: { ms: number; subNs: number }, to: { ms: number; subNs: number }): number {
  return (to.ms - from.ms) * 1e6 + (to.subNs - from.subNs)
}

function nowGo(): { ms: number; subNs: number } {
  const ms = Date.now()
  return { ms, subNs: Math.floor((performance.now() % 1) * 1e6) }
}

function cids(ts: TipSet | null): string {
  return `[${(ts?.Cids ?? []).map((c) => c['/']).join(' ')}]`
}

function statusCmd(repo: Repo): Command {
  return {
    name: 'status',
    usage: 'check sync status',
    action: async () => {
      const state = await fullNodeClient(repo()).call<SyncState>('SyncState')
      const lines = ['sync status:']
      for (const ss of state.ActiveSyncs ?? []) {
        lines.push(`worker ${ss.WorkerID}:`)
        let heightDiff = ss.Base ? ss.Base.Height : 0
        let theight = 0
        if (ss.Target) {
          heightDiff = ss.Target.Height - heightDiff
          theight = ss.Target.Height
        } else heightDiff = 0
        lines.push(`\tBase:\t${cids(ss.Base)}`, `\tTarget:\t${cids(ss.Target)} (${theight})`, `\tHeight diff:\t${heightDiff}`)
        lines.push(`\tStage: ${stageName(ss.Stage)}`, `\tHeight: ${ss.Height}`)
        const start = parseGoTime(ss.Start)
        const end = parseGoTime(ss.End)
        if (!end) {
          if (start) lines.push(`\tElapsed: ${formatGoDuration(elapsedNs(start, nowGo()))}`)
        } else {
          lines.push(`\tElapsed: ${formatGoDuration(start ? elapsedNs(start, end) : 0)}`)
        }
        if (ss.Stage === STAGE_ERROR) lines.push(`\tError: ${ss.Message}`)
      }
      process.stdout.write(`${lines.join('\n')}\n`)
    }
  }
}

/** cliutil.ETA: remaining-items ETA over the last 10 updates (`00h:01m:23s`). */
export class Eta {
  private items: { t: number; remaining: number }[] = []
  private last = ''

  update(remaining: number, now = Date.now()): string {
    if (this.items.length === 0) {
      this.items.push({ t: now, remaining })
      return ''
    }
    const lastItem = this.items[this.items.length - 1] as { t: number; remaining: number }
    if (lastItem.remaining === remaining) return this.last
    if (lastItem.remaining < remaining) {
      let avg = 1
      if (this.items.length > 1) avg = Math.round(((this.items[0] as { remaining: number }).remaining - lastItem.remaining) / this.items.length)
      const diff = remaining - lastItem.remaining + avg
      for (const it of this.items) it.remaining += diff
    }
    if (this.items.length >= 10) this.items.shift()
    this.items.push({ t: now, remaining })
    const first = this.items[0] as { t: number; remaining: number }
    const processed = first.remaining - remaining
    const avgMs = processed !== 0 ? Math.trunc((now - first.t) / processed) : 0
    const ms = avgMs * remaining
    const s = Math.trunc(ms / 1000)
    const m = Math.trunc(s / 60)
    const h = Math.trunc(m / 60)
    const p2 = (n: number) => String(n).padStart(2, '0')
    this.last = `${p2(h)}h:${p2(m % 60)}m:${p2(s % 60)}s`
    return this.last
  }
}

/**
 * SyncWait: polls SyncState every 250 ms, redrawing its progress lines in place, until the
 * head is less than one block time old; then prints an empty line and `Done!`.
 */
export async function syncWait(api: FullNodeClient, watch: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const tick = 250
  const samples = 8
  let lastLines = 0
  let i = 0
  let app = 0
  let lastApp = 0
  const first = await api.call<SyncState>('SyncState')
  const firstApp = first.VMApplied
  const blockDelay = (await api.call<VersionInfo>('Version')).BlockDelay
  const eta = new Eta()
  for (;;) {
    const state = await api.call<SyncState>('SyncState')
    const syncs = state.ActiveSyncs ?? []
    if (syncs.length === 0) {
      await new Promise((r) => setTimeout(r, 1000))
      continue
    }
    let working = -1
    syncs.forEach((ss, idx) => {
      if (ss.Stage !== STAGE_COMPLETE && ss.Stage !== STAGE_IDLE) working = idx
    })
    if (working === -1) working = syncs.length - 1
    const ss = syncs[working] as (typeof syncs)[number]
    const baseHeight = ss.Base?.Height ?? 0
    const theight = ss.Target?.Height ?? 0
    const heightDiff = ss.Target ? theight - baseHeight : 0
    let text = ''
    for (let k = 0; k < lastLines; k++) text += '\r\x1b[2K\x1b[A'
    const todo = theight - ss.Height
    text += `Worker: ${ss.WorkerID}; Base: ${baseHeight}; Target: ${theight} (diff: ${heightDiff})\n`
    text += `State: ${stageName(ss.Stage)}; Current Epoch: ${ss.Height}; Todo: ${todo}, ETA: ${eta.update(todo)}\n`
    lastLines = 2
    if (i % samples === 0) {
      lastApp = app
      app = state.VMApplied - firstApp
    }
    if (i > 0) {
      text += `Validated ${state.VMApplied - firstApp} messages (${Math.trunc(((app - lastApp) * (1000 / tick)) / samples)} per second)\n`
      lastLines++
    }
    write(text)
    const head = await api.call<TipSet>('ChainHead')
    const minTs = Math.min(...head.Blocks.map((b) => b.Timestamp))
    // Block timestamps are whole seconds; a fast simulated chain needs that second of slack.
    if (!watch && Date.now() / 1000 - minTs < Math.max(blockDelay, 1) + 1) {
      write('\nDone!\n')
      return
    }
    await new Promise((r) => setTimeout(r, tick))
    i++
  }
}

function waitCmd(repo: Repo): Command {
  return {
    name: 'wait',
    usage: 'Wait for sync to be complete',
    flags: [{ names: ['watch'], kind: 'bool', usage: "don't exit after node is synced" }],
    action: async (ctx) => {
      await syncWait(fullNodeClient(repo()), ctx.flags.watch === true)
    }
  }
}

const notSimulated = (name: string, usage: string, argsUsage?: string): Command => ({ name, usage, notSimulated: true, ...(argsUsage ? { argsUsage } : {}) })

export function syncCommand(repo: Repo): Command {
  return {
    name: 'sync',
    usage: 'Inspect or interact with the chain syncer',
    category: 'NETWORK',
    subcommands: [
      statusCmd(repo),
      waitCmd(repo),
      notSimulated('mark-bad', 'Mark the given block as bad, will prevent syncing to a chain that contains it', '[blockCid]'),
      notSimulated('unmark-bad', 'Unmark the given block as bad, makes it possible to sync to a chain containing it', '[blockCid]'),
      notSimulated('check-bad', 'check if the given block was marked bad, and for what reason', '[blockCid]'),
      notSimulated('checkpoint', 'mark a certain tipset as checkpointed; the node will never fork away from this tipset', '[tipsetKey]')
    ]
  }
}
