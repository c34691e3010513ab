import { randomUUID } from 'node:crypto'
import { MinerDeskError, type MutationPreview } from '../../../preload/contract'
import type { RollingRun, RestartOptions, RestartRun } from '../../../preload/contract/restart'
import type { ServiceContext } from '../runtime/context'
import { isFinished, type RestartEngine } from './engine'
import { plannedCommands } from './precheck'
import { readRepos } from './remote'
import { me, ownedByMe, ownerAlive } from './runStore'
import { logProblem } from '../util/log'

/**
 * Rolling restart: the chosen sites one after another, each through its own wizard run (its own
 * pre-check, confirmation and audit entries), stopping at the first site that does not finish
 * well. One confirmation covers the whole list.
 */
export class RollingRestarts {
  private current: RollingRun | null = null
  private driving: Promise<void> | null = null
  private aborted = false

  constructor(
    private readonly ctx: ServiceContext,
    private readonly engine: RestartEngine
  ) {}

  /** The rolling restart going on (or the last one), with interrupted ones detected. */
  latest(): RollingRun | null {
    if (this.current) return this.current
    const all = this.engine.store.allRolling()
    for (const r of all) {
      if (r.phase === 'running' && !ownerAlive(r.owner)) {
        r.phase = 'interrupted'
        r.owner = null
        this.persist(r)
      }
    }
    return all[0] ?? null
  }

  async preview(siteIds: string[], options: RestartOptions, via: RestartRun['via']): Promise<MutationPreview> {
    if (new Set(siteIds).size !== siteIds.length) throw new MinerDeskError({ code: 'invalid-input', message: 'a site is listed twice' })
    const running = this.latest()
    if (running && running.phase === 'running') throw new MinerDeskError({ code: 'conflict', message: 'a rolling restart is already going on', hint: 'wait for it or abort it' })
    const handles = siteIds.map((id) => this.ctx.sites.get(id))
    for (const h of handles) {
      const open = this.engine.list(h.config.id).find((r) => !isFinished(r))
      if (open) throw new MinerDeskError({ code: 'conflict', message: `${h.config.id} has an unfinished restart (${open.phase})`, hint: 'resume it or abort it first' })
    }
    const repos = await Promise.all(handles.map((h) => readRepos(h.host)))
    const steps = handles.flatMap((h, i) => plannedCommands(h, repos[i]!).map((c) => ({ kind: 'command' as const, host: c.host, text: c.text })))
    return this.ctx.ops.preview({
      site: siteIds[0]!,
      action: 'wizard.rolling',
      params: { sites: siteIds.join(', '), n: siteIds.length },
      steps,
      warnings: [
        { key: 'rolling', params: { sites: siteIds.join(', ') }, text: `Restarts ${siteIds.join(', ')} one after another, each with its own pre-check and gates; it stops at the first site that does not finish well.` },
        options.waitForWindow
          ? { key: 'rolling-wait', params: {}, text: 'Each site waits for its next safe window.' }
          : { key: 'rolling-no-wait', params: {}, text: 'A site whose pre-check is not "safe now" stops the rolling restart.' }
      ],
      execute: async (s) => {
        for (let i = 0; i < steps.length; i++) s.skip(i, 'confirmed: runs in its site\'s own restart, audited there')
        await this.ctx.audit.record({ site: siteIds[0]!, action: 'wizard.rolling', command: `rolling restart of ${siteIds.join(', ')}`, result: 'ok', detail: 'confirmed once for all sites' })
        const now = Date.now()
        const r: RollingRun = { id: randomUUID(), siteIds, createdAt: now, updatedAt: now, phase: 'running', index: 0, runs: {}, options, owner: me(via) }
        this.current = r
        this.aborted = false
        this.save(r)
        this.driving = this.drive(r, via).finally(() => {
          this.driving = null
        })
      }
    })
  }

  /** Resolves when the rolling restart in this process has ended. */
  async settled(): Promise<RollingRun | null> {
    await this.driving
    return this.current
  }

  async abort(): Promise<RollingRun | null> {
    const r = this.current
    if (!r || r.phase !== 'running' || !ownedByMe(r.owner)) return this.latest()
    this.aborted = true
    const runId = r.runs[r.siteIds[r.index]!]
    if (runId) await this.engine.abort(runId).catch(() => undefined)
    await this.driving
    return r
  }

  private async drive(r: RollingRun, via: RestartRun['via']): Promise<void> {
    try {
      for (; r.index < r.siteIds.length; r.index++) {
        if (this.aborted) return this.end(r, 'aborted')
        const siteId = r.siteIds[r.index]!
        const run = await this.engine.start(siteId, r.options, via, r.id)
        r.runs[siteId] = run.id
        this.save(r)
        if (run.phase === 'failed') return this.end(r, 'failed', { siteId, step: 'precheck', message: run.result?.error?.message ?? 'pre-check failed', ...(run.result?.error ? { error: run.result.error } : {}) })
        if (run.decision?.kind === 'verdict' && !(r.options.waitForWindow && run.decision.verdict.kind === 'wait')) {
          await this.engine.abort(run.id)
          return this.end(r, 'failed', { siteId, step: 'precheck', message: `not restarted: ${run.decision.verdict.text}`, verdict: run.decision.verdict })
        }
        if (this.aborted) {
          await this.engine.abort(run.id)
          return this.end(r, 'aborted')
        }
        await this.engine.runAll(run.id)
        const final = await this.engine.settled(run.id)
        if (final.phase !== 'done') {
          const waiting = final.phase === 'waiting'
          const message = waiting ? `waits for a decision at "${final.current}" (see the site's Restart tab)` : final.result?.error?.message ?? final.phase
          const why = waiting ? { waitingAt: final.current } : final.result?.error ? { error: final.result.error } : {}
          return this.end(r, this.aborted ? 'aborted' : 'failed', { siteId, step: final.result?.failedStep ?? final.current, message, ...why })
        }
        this.save(r)
      }
      this.end(r, 'done')
    } catch (err) {
      this.end(r, 'failed', { siteId: r.siteIds[r.index] ?? '', message: err instanceof Error ? err.message : String(err) })
    }
  }

  private end(r: RollingRun, phase: RollingRun['phase'], failure?: RollingRun['failure']): void {
    r.phase = phase
    if (failure) r.failure = failure
    this.save(r)
  }

  private save(r: RollingRun): void {
    r.updatedAt = Date.now()
    this.persist(r)
    this.ctx.events.emit('restart:rolling', r)
  }

  /** A failed write (a full disk) keeps the previous file; each site's own run says so too. */
  private persist(r: RollingRun): void {
    try {
      this.engine.store.saveRolling(r)
    } catch (err) {
      logProblem(`rolling restart ${r.id}: its state could not be saved`, err)
    }
  }
}
