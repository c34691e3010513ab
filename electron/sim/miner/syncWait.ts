import type { SyncState, TipSet } from '../../../preload/contract/lotus/types'
import { SYNC_STAGES } from '../../../preload/contract/lotus/types'

/**
 * lcli.SyncWait as `lotus-miner run` runs it before starting (cli/sync.go): every 250 ms it
 * redraws `Worker: …; Base: …; Target: … (diff: …)` / `State: …; Current Epoch: …; Todo: …, ETA: …`
 * (and `Validated N messages (R per second)`), until the head is less than a block time old,
 * then prints a blank line and `Done!`.
 */

interface Client {
  call<T>(method: string, params?: unknown[]): Promise<T>
}

function stageName(s: number): string {
  return SYNC_STAGES[s] ?? `<unknown: ${s}>`
}

/** cliutil.ETA (10 samples). */
class Eta {
  private items: { t: number; rem: number }[] = []
  private last = ''
  update(rem: number): string {
    const now = Date.now()
    if (this.items.length === 0) {
      this.items.push({ t: now, rem })
      return ''
    }
    const tail = this.items[this.items.length - 1] as { t: number; rem: number }
    if (tail.rem === rem) return this.last
    if (tail.rem < rem) {
      const avg = this.items.length > 1 ? Math.round(((this.items[0] as { rem: number }).rem - tail.rem) / this.items.length) : 1
      const diff = rem - tail.rem + avg
      for (const it of this.items) it.rem += diff
    }
    if (this.items.length >= 10) this.items.shift()
    this.items.push({ t: now, rem })
    const first = this.items[0] as { t: number; rem: number }
    const processed = first.rem - rem
    const avgMs = processed === 0 ? 0 : Math.trunc((now - first.t) / processed)
    const ms = avgMs * rem
    const s = Math.trunc(ms / 1000)
    const m = Math.trunc(s / 60)
    const h = Math.trunc(m / 60)
    this.last = `${String(h).padStart(2, '0')}h:${String(m % 60).padStart(2, '0')}m:${String(s % 60).padStart(2, '0')}s`
    return this.last
  }
}

export async function syncWait(api: Client, write: (s: string) => void, blockDelaySecs: number): Promise<void> {
  const first = await api.call<SyncState>('SyncState')
  const firstApp = first.VMApplied
  let app = 0
  let lastApp = 0
  let lastLines = 0
  const eta = new Eta()
  for (let i = 0; ; i++) {
    const state = await api.call<SyncState>('SyncState')
    if (state.ActiveSyncs.length === 0) {
      await new Promise((r) => setTimeout(r, 1000))
      i--
      continue
    }
    let working = -1
    state.ActiveSyncs.forEach((ss, k) => {
      if (ss.Stage !== 4 && ss.Stage !== 0) working = k
    })
    if (working === -1) working = state.ActiveSyncs.length - 1
    const ss = state.ActiveSyncs[working] as SyncState['ActiveSyncs'][number]
    const baseH = ss.Base?.Height ?? 0
    const targetH = ss.Target?.Height ?? 0
    const diff = ss.Target ? targetH - baseH : 0
    let s = ''
    for (let k = 0; k < lastLines; k++) s += '\r\x1b[2K\x1b[A'
    s += `Worker: ${ss.WorkerID}; Base: ${baseH}; Target: ${targetH} (diff: ${diff})\n`
    s += `State: ${stageName(ss.Stage)}; Current Epoch: ${ss.Height}; Todo: ${targetH - ss.Height}, ETA: ${eta.update(targetH - ss.Height)}\n`
    lastLines = 2
    if (i % 8 === 0) {
      lastApp = app
      app = state.VMApplied - firstApp
    }
    if (i > 0) {
      s += `Validated ${state.VMApplied - firstApp} messages (${Math.trunc(((app - lastApp) * 4) / 8)} per second)\n`
      lastLines++
    }
    write(s)
    const head = await api.call<TipSet>('ChainHead')
    const minTs = Math.min(...head.Blocks.map((b) => b.Timestamp))
    if (Date.now() / 1000 - minTs < Math.max(1, blockDelaySecs)) {
      write('\nDone!\n')
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}
