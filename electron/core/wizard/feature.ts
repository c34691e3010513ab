import { watch, type FSWatcher } from 'node:fs'
import type { wizardChannels } from '../../../preload/contract/wizard'
import type { ServiceContext } from '../services/context'
import type { Feature } from '../services/feature'
import { markElsewhere, WizardEngine, type EngineOptions } from './engine'
import { LogTails } from './logs'
import { reportFile } from './report'
import { RollingRestarts } from './rolling'
import { ownedByMe } from './runStore'

/**
 * The restart wizard (issue #4) as a core feature: the contract handlers over the engine, the
 * rolling restarts and the live log tails. At host start, runs left unfinished by a MinerDesk
 * that died are marked interrupted (the window shows them where they were); runs another live
 * MinerDesk drives (the CLI next to the app) are followed through their saved state.
 */
export interface WizardFeature extends Feature<keyof typeof wizardChannels> {
  engine: WizardEngine
  rolling: RollingRestarts
}

export function createWizardFeature(ctx: ServiceContext, opts: EngineOptions = {}): WizardFeature {
  const engine = new WizardEngine(ctx, opts)
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
            if (run && !ownedByMe(run.owner)) ctx.events.emit('wizard:update', markElsewhere(run))
          }
          pending.clear()
        }, 300)
      })
    } catch (err) {
      console.warn('minerdesk: cannot watch the wizard state directory:', err)
    }
  }

  return {
    engine,
    rolling,
    handlers: {
      'wizard:list': async ([siteId]) => engine.list(siteId),
      'wizard:get': async ([id]) => engine.get(id),
      'wizard:forSite': async ([siteId]) => {
        ctx.sites.get(siteId)
        return engine.forSite(siteId)
      },
      'wizard:plan': async ([siteId]) => engine.plan(siteId),
      'wizard:start': async ([siteId, options], call) => engine.start(siteId, options, call.via),
      'wizard:precheck': async ([id]) => engine.precheck(id),
      'wizard:override': async ([id, note]) => engine.override(id, note),
      'wizard:next': async ([id]) => engine.next(id),
      'wizard:previewAll': async ([id]) => engine.previewAll(id),
      'wizard:decide': async ([id, answer]) => engine.decide(id, answer),
      'wizard:resume': async ([id, options], call) => engine.resume(id, call.via, options),
      'wizard:wait': async ([id]) => engine.settled(id),
      'wizard:abort': async ([id]) => engine.abort(id),
      'wizard:report': async ([id, format]) => reportFile(engine.get(id), format),
      'wizard:tail': async ([siteId]) => tails.lease(ctx.sites.get(siteId).config),
      'wizard:previewRolling': async ([siteIds, options], call) => rolling.preview(siteIds, options, call.via),
      'wizard:rolling': async () => rolling.latest(),
      'wizard:abortRolling': async () => rolling.abort()
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
