import type { historyChannels } from '../../../preload/contract/history'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { HistoryStore } from './store'
import { logProblem } from '../util/log'

/**
 * The sites' history as a core feature: every snapshot of the app's poll loop becomes a point
 * (no call to a site of its own), served by `history:get` and announced as `history:sample`.
 * Hosts that poll on demand (the CLI) read the history but never write it.
 */
export function createHistoryFeature(ctx: ServiceContext, opts: { record: boolean; flushMs?: number }): Feature<keyof typeof historyChannels> & { store: HistoryStore } {
  const store = new HistoryStore({
    home: ctx.home,
    ...(opts.flushMs !== undefined ? { flushMs: opts.flushMs } : {}),
    onError: (err) => logProblem('history', err instanceof Error ? err.message : err)
  })
  const stops: (() => void)[] = []
  return {
    store,
    handlers: {
      'history:get': async ([site, range]) => {
        ctx.sites.get(site)
        return store.get(site, range)
      }
    },
    async start() {
      if (!opts.record) return
      stops.push(
        ctx.events.on('overview:snapshot', (snap) => {
          if (!ctx.store.getSite(snap.siteId)) return
          const point = store.record(snap)
          if (point) ctx.events.emit('history:sample', { siteId: snap.siteId, point })
        }),
        ctx.store.onSitesChanged((sites) => {
          const ids = new Set(sites.map((s) => s.id))
          for (const id of store.onDisk()) if (!ids.has(id)) store.forget(id)
        })
      )
      const ids = new Set(ctx.store.listSites().map((s) => s.id))
      for (const id of store.onDisk()) if (!ids.has(id)) store.forget(id)
    },
    async close() {
      for (const s of stops.splice(0)) s()
      store.close()
    }
  }
}
