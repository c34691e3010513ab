import { watch, type FSWatcher } from 'node:fs'
import type { restartChannels } from '../../../preload/contract/restart'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { markElsewhere, RestartEngine, type EngineOptions } from './engine'
import { LogTails } from './logs'
import { reportFile } from './report'
import { RollingRestarts } from './rolling'
import { ownedByMe } from './runStore'
import { logProblem } from '../util/log'

/**
 * The restart wizard as a core feature: the contract handlers over the engine, the
 * rolling restarts and the live log tails. At host start, runs left unfinished by a MinerDesk
 * that died are marked interrupted (the window shows them where they were); runs another live
 * MinerDesk drives (the CLI next to the app) are followed through their saved state.
 */
export interface RestartFeature extends Feature<keyof typeof restartChannels> {
  engine: RestartEngine
  rolling: RollingRestarts
}

export function createRestartFeature(ctx: ServiceContext, opts: EngineOptions = {}): RestartFeature {
  const engine = new RestartEngine(ctx, opts)
  const rolling = new RollingRestarts(ctx, engine)
  const tails = new LogTails(ctx.sites, ctx.events)
  let watcher: FSWatcher | null = null
  const pending = new Set<string>()
  let flush: NodeJS.Timeout | null = null

  /** Runs written by another process (the CLI): tell the window what changed. */
  const followOthers = (): void => {
    try {
      watcher = watch(engine.store.runsDir, (_event, name) => {
        if (!name || !name.endsWith('.json')) return
        pending.add(name.slice(0, -'.json'.length))
        flush ??= setTimeout(() => {
          flush = null
          for (const id of pending) {
            const run = engine.store.readRun(id)
            if (run && !ownedByMe(run.owner)) ctx.events.emit('restart:update', markElsewhere(run))
          }
          pending.clear()
        }, 300)
      })
    } catch (err) {
      logProblem('cannot watch the restart state directory', err)
    }
  }

  return {
    engine,
    rolling,
    handlers: {
      'restart:list': async ([siteId]) => engine.list(siteId),
      'restart:get': async ([id]) => engine.get(id),
      'restart:forSite': async ([siteId]) => {
        ctx.sites.get(siteId)
        return engine.forSite(siteId)
      },
      'restart:plan': async ([siteId]) => engine.plan(siteId),
      'restart:start': async ([siteId, options], call) => engine.start(siteId, options, call.via),
      'restart:precheck': async ([id]) => engine.precheck(id),
      'restart:override': async ([id, note]) => engine.override(id, note),
      'restart:next': async ([id]) => engine.next(id),
      'restart:previewAll': async ([id]) => engine.previewAll(id),
      'restart:decide': async ([id, answer]) => engine.decide(id, answer),
      'restart:resume': async ([id, options], call) => engine.resume(id, call.via, options),
      'restart:wait': async ([id]) => engine.settled(id),
      'restart:abort': async ([id]) => engine.abort(id),
      'restart:refuse': async ([id]) => engine.refuse(id),
      'restart:report': async ([id, format]) => reportFile(engine.get(id), format),
      'restart:tail': async ([siteId]) => tails.lease(ctx.sites.get(siteId).config),
      'restart:previewRolling': async ([siteIds, options], call) => rolling.preview(siteIds, options, call.via),
      'restart:rolling': async () => rolling.latest(),
      'restart:abortRolling': async () => rolling.abort()
    },
    async start() {
      engine.detectInterrupted()
      rolling.latest()
      engine.store.prune((r) => r.phase === 'done' || r.phase === 'failed' || r.phase === 'aborted')
      followOthers()
    },
    async close() {
      watcher?.close()
      if (flush) clearTimeout(flush)
      tails.close()
      await engine.close()
    }
  }
}
