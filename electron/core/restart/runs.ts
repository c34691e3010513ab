import { MinerDeskError, toErrorInfo, type ErrorInfo } from '../../../preload/contract'
import {
  FINISHED_PHASES,
  RESTART_STEP_ACTION,
  type CommandRecord,
  type ObservationTone,
  type SiteState,
  type RestartRun,
  type RestartStepId,
  type RestartStepState
} from '../../../preload/contract/restart'
import type { ServiceContext } from '../runtime/context'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { observation, type EffectiveOptions, type GateCtx } from './gates'
import { runPrecheck } from './precheck'
import { apiAnswers, bothProcesses } from './remote'
import { ownedByMe, ownerAlive, RunStore } from './runStore'
import { errorMessage } from '../ssh/errors'
import { logProblem } from '../util/log'

/**
 * The restart runs this process drives and their persistence: the live runs, saving each change
 * to MINERDESK_HOME/wizard and telling the windows, the pre-check step, and finishing a run (the
 * site's state read back, the audit entry). The driver loop (driver.ts) and the command steps
 * (commandSteps.ts) work on the runs through this.
 */

const MAX_OBSERVATIONS = 80

export const isFinished = (r: Pick<RestartRun, 'phase'>): boolean => FINISHED_PHASES.includes(r.phase)

export const DEFAULTS = { stopTimeoutSec: 120, termWaitSec: 30, syncTimeoutSec: 3600, warmupTimeoutSec: 900, postcheckTimeoutSec: 180 }

export type RunResult = { ok: boolean; failedStep?: RestartStepId; aborted?: boolean; error?: ErrorInfo }

export class Runs {
  readonly store: RunStore
  /** The runs this process drives. */
  readonly live = new Map<string, RestartRun>()
  /** Runs whose remaining sequence the operator confirmed at once ("run all", --yes). */
  readonly auto = new Set<string>()
  private readonly saveTimers = new Map<string, NodeJS.Timeout>()

  constructor(
    readonly ctx: ServiceContext,
    /** Poll interval of the gates' fast checks (ms). */
    readonly pollMs: number
  ) {
    this.store = new RunStore(ctx.home)
  }

  /** `waiting`: re-checking while the run waits for a safe window (a "wait" verdict keeps it going). */
  async doPrecheck(run: RestartRun, waiting = false): Promise<void> {
    const step = this.stepOf(run, 'precheck')
    step.status = 'running'
    step.startedAt = Date.now()
    delete step.error
    run.phase = 'running'
    this.save(run)
    const handle = this.ctx.sites.get(run.siteId)
    let result
    try {
      result = await runPrecheck(handle, this.store.allRuns())
    } catch (err) {
      step.status = 'failed'
      step.endedAt = Date.now()
      step.error = toErrorInfo(err)
      await this.finish(run, { ok: false, failedStep: 'precheck', error: step.error })
      return
    }
    const previous = run.precheck?.verdict.kind
    run.precheck = result.precheck
    run.repos = result.repos
    // What the restart must bring back is what ran before the first stop; a re-check keeps it.
    if (!run.before || this.stepOf(run, 'stopMiner').status === 'pending') run.before = result.before
    const v = result.precheck.verdict
    // Re-checks while waiting for a window are recorded when the verdict changes, not every epoch.
    if (previous !== v.kind) {
      step.observations.push(observation('verdict', { kind: v.kind, text: v.text }, v.kind === 'safe' ? 'ok' : v.kind === 'wait' ? 'warning' : 'critical', v.text))
      await this.ctx.audit.record({ site: run.siteId, action: RESTART_STEP_ACTION.precheck, command: `${run.alias}: restart pre-check (changes nothing)`, result: 'ok', detail: v.text })
    }
    step.endedAt = Date.now()
    if (v.kind === 'safe' || run.override) {
      step.status = 'ok'
      run.current = 'stopMiner'
      run.phase = 'ready'
      run.decision = null
    } else if (waiting && v.kind === 'wait') {
      step.status = 'running'
      run.phase = 'running'
    } else {
      step.status = 'waiting'
      run.phase = 'waiting'
      run.decision = { kind: 'verdict', verdict: v }
    }
    this.save(run)
  }

  async finish(run: RestartRun, result: RunResult): Promise<void> {
    run.decision = null
    run.phase = result.ok ? 'done' : result.aborted ? 'aborted' : 'failed'
    const site = await this.readSiteState(run).catch(() => undefined)
    run.result = { ...result, endedAt: Date.now(), ...(site ? { site } : {}) }
    this.auto.delete(run.id)
    this.save(run)
    const summary = result.ok ? 'restarted' : result.aborted ? `aborted at ${result.failedStep}` : `failed at ${result.failedStep}: ${result.error?.message ?? ''}`
    await this.ctx.audit
      .record({ site: run.siteId, action: 'wizard.restart', command: `${run.alias}: restart ${summary}`, result: result.ok ? 'ok' : 'error', ...(site ? { detail: `site now: ${site.text}` } : {}) })
      .catch(() => undefined)
    await this.ctx.team.release(run.siteId, run.id).catch((err: unknown) => logProblem(`${run.siteId}: the restart lock was not released`, err instanceof Error ? err.message : err))
  }

  private async readSiteState(run: RestartRun): Promise<SiteState | undefined> {
    if (!run.repos) return undefined
    const handle = this.ctx.sites.get(run.siteId)
    const procs = await bothProcesses(handle.host, run.repos)
    const [d, m] = await Promise.all([apiAnswers(handle.lotus, 'daemon', { rediscover: true }), apiAnswers(handle.lotus, 'miner', { rediscover: false })])
    const s = { daemon: { running: procs.daemon.length > 0, pids: procs.daemon.map((p) => p.pid), apiUp: d.up }, miner: { running: procs.miner.length > 0, pids: procs.miner.map((p) => p.pid), apiUp: m.up } }
    return { at: Date.now(), ...s, text: siteStateText(s) }
  }

  gateCtx(run: RestartRun, step: RestartStepState, handle: SiteHandle, signal: AbortSignal): GateCtx {
    return {
      run,
      step,
      handle,
      signal,
      opts: this.options(run),
      pollMs: this.pollMs,
      observe: (code, params, tone: ObservationTone, text) => {
        step.observations.push(observation(code, params, tone, text))
        if (step.observations.length > MAX_OBSERVATIONS) {
          // Keep the first ones (what happened at the start) and the latest.
          step.observations.splice(10, step.observations.length - MAX_OBSERVATIONS)
          step.droppedObservations = (step.droppedObservations ?? 0) + 1
        }
        this.save(run)
      },
      changed: () => this.save(run, true)
    }
  }

  options(run: RestartRun): EffectiveOptions {
    const r = this.ctx.sites.get(run.siteId).config.restart ?? {}
    const o = run.options
    return {
      stopTimeoutSec: o.stopTimeoutSec ?? r.stopTimeoutSec ?? DEFAULTS.stopTimeoutSec,
      termWaitSec: o.termWaitSec ?? r.termWaitSec ?? DEFAULTS.termWaitSec,
      syncTimeoutSec: o.syncTimeoutSec ?? r.syncTimeoutSec ?? DEFAULTS.syncTimeoutSec,
      warmupTimeoutSec: o.warmupTimeoutSec ?? r.warmupTimeoutSec ?? DEFAULTS.warmupTimeoutSec,
      postcheckTimeoutSec: o.postcheckTimeoutSec ?? r.postcheckTimeoutSec ?? DEFAULTS.postcheckTimeoutSec,
      ...(o.expectMinerVersion ? { expectMinerVersion: o.expectMinerVersion } : {}),
      ...(o.expectDaemonVersion ? { expectDaemonVersion: o.expectDaemonVersion } : {})
    }
  }

  stepOf(run: RestartRun, id: RestartStepId): RestartStepState {
    const s = run.steps.find((x) => x.id === id)
    if (!s) throw new MinerDeskError({ code: 'internal', message: `run ${run.id} has no step ${id}` })
    return s
  }

  /** The run, if this process drives it (an interrupted run must be resumed first). */
  mine(id: string): RestartRun {
    const run = this.live.get(id)
    if (run && !isFinished(run)) return run
    const disk = run ?? this.store.readRun(id)
    if (!disk) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(disk)) throw this.conflict(disk, `this restart is ${disk.phase}`)
    if (ownerAlive(disk.owner) && !ownedByMe(disk.owner)) throw this.conflict(disk, `this restart is being driven by another MinerDesk (${disk.owner?.via}, pid ${disk.owner?.pid})`)
    throw this.conflict(disk, `this restart ${disk.phase === 'interrupted' ? 'was interrupted' : 'was left by a MinerDesk that ended'}: resume it first (MinerDesk re-reads the site before going on)`)
  }

  conflict(run: RestartRun, message: string): MinerDeskError {
    return new MinerDeskError({ code: 'conflict', message: `${run.siteId}: ${message}`, params: { run: run.id, phase: run.phase } })
  }

  /**
   * Writes the run to its file. A write that fails (a full disk) keeps the previous file whole
   * (RunStore) and is said on the run itself (`stateNotSaved`, shown in the window and the CLI)
   * until a later write succeeds; the run goes on in memory meanwhile.
   */
  persist(run: RestartRun): void {
    try {
      if (run.stateNotSaved) {
        const { stateNotSaved: _was, ...rest } = run
        this.store.saveRun(rest)
        delete run.stateNotSaved
      } else this.store.saveRun(run)
    } catch (err) {
      const first = !run.stateNotSaved
      run.stateNotSaved = { at: Date.now(), file: this.store.runFile(run.id), error: errorMessage(err) }
      if (first) logProblem(`restart ${run.id} on ${run.siteId}: its state could not be saved`, err)
    }
  }

  /** Saves now (state changes) or within half a second (progress). */
  save(run: RestartRun, soon = false): void {
    run.updatedAt = Date.now()
    const flush = () => {
      this.saveTimers.delete(run.id)
      this.persist(run)
      this.ctx.events.emit('restart:update', run)
    }
    if (soon) {
      if (!this.saveTimers.has(run.id)) this.saveTimers.set(run.id, setTimeout(flush, 500))
      return
    }
    const t = this.saveTimers.get(run.id)
    if (t) clearTimeout(t)
    flush()
  }

  /** Writes the progress still waiting for its timer (at close). */
  flushSaves(): void {
    for (const [id, t] of this.saveTimers) {
      clearTimeout(t)
      const r = this.live.get(id)
      if (r) this.persist(r)
    }
    this.saveTimers.clear()
  }
}

/** A run read from disk, as shown to a window: whether another live MinerDesk drives it. */
export function markElsewhere(r: RestartRun): RestartRun {
  return !isFinished(r) && r.owner !== null && ownerAlive(r.owner) && !ownedByMe(r.owner) ? { ...r, elsewhere: true } : r
}

/** The step's main command (the last one shown; signals are not counted). */
export function mainCommand(step: RestartStepState): CommandRecord | undefined {
  const cmds = step.commands.filter((c) => c.kind === 'command')
  return cmds[cmds.length - 1]
}

export function siteStateText(s: { daemon: { running: boolean; pids: number[]; apiUp: boolean }; miner: { running: boolean; pids: number[]; apiUp: boolean } }): string {
  const one = (name: string, x: { running: boolean; pids: number[]; apiUp: boolean }) =>
    x.running ? `${name} running (pid ${x.pids.join(' ')}${x.apiUp ? '' : ', API not answering'})` : x.apiUp ? `${name} API answers (process not found)` : `${name} stopped`
  return `${one('daemon', s.daemon)}; ${one('miner', s.miner)}`
}
