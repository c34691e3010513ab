import { toErrorInfo, RESTART_STEPS, type RestartRun } from '../../../preload/contract'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { aborted, GateFailure, observation, postcheckGate, sleep } from './gates'
import { isFinished, type Runs } from './runs'
import { clockText } from './verdict'
import type { CommandStep } from './commandSteps'

/**
 * The driver loop of a restart run: one at a time per run, it goes from gate to gate until the
 * run is finished or waits for the operator (a confirmation, a decision), and then ends; the
 * operator's answer starts it again. Step by step, it stops after each step; after "run all" it
 * goes on. A failure of a gate fails the run at its step.
 */

/** Runs a command step up to its gate; false: waiting for the operator (commandSteps.ts). */
export type RunCommandStep = (run: RestartRun, stepId: CommandStep, handle: SiteHandle, signal: AbortSignal) => Promise<boolean>

interface Driver {
  abort: AbortController
  done: Promise<void>
}

export class Drivers {
  private readonly drivers = new Map<string, Driver>()
  private readonly settledWaiters = new Map<string, Array<() => void>>()

  constructor(
    private readonly runs: Runs,
    private readonly commandStep: RunCommandStep
  ) {}

  has(id: string): boolean {
    return this.drivers.has(id)
  }

  ensure(run: RestartRun): void {
    if (this.drivers.has(run.id)) return
    const abort = new AbortController()
    const done = this.drive(run, abort.signal)
      .catch(async (err: unknown) => {
        if (abort.signal.aborted) return
        const step = this.runs.stepOf(run, run.current)
        step.status = 'failed'
        step.endedAt = Date.now()
        step.error = toErrorInfo(err)
        if (err instanceof GateFailure) step.observations.push(observation('failed', { message: err.message }, 'critical', err.message))
        await this.runs.finish(run, { ok: false, failedStep: run.current, error: step.error })
      })
      .finally(() => {
        this.drivers.delete(run.id)
        this.runs.save(run)
        for (const w of this.settledWaiters.get(run.id) ?? []) w()
        this.settledWaiters.delete(run.id)
      })
    this.drivers.set(run.id, { abort, done })
  }

  /** Stops the run's driver (after the command in flight) and waits until it has ended. */
  async stop(id: string): Promise<void> {
    const driver = this.drivers.get(id)
    if (driver) {
      driver.abort.abort()
      await driver.done
    }
  }

  /** Resolves once no driver runs for the run (it finished, or waits for the operator). */
  settled<T>(id: string, read: () => T): Promise<T> {
    if (!this.runs.live.has(id) || !this.drivers.has(id)) return Promise.resolve(read())
    return new Promise((resolve) => {
      const list = this.settledWaiters.get(id) ?? []
      list.push(() => resolve(read()))
      this.settledWaiters.set(id, list)
    })
  }

  async close(): Promise<void> {
    for (const d of this.drivers.values()) d.abort.abort()
    await Promise.all([...this.drivers.values()].map((d) => d.done.catch(() => undefined)))
  }

  private async drive(run: RestartRun, signal: AbortSignal): Promise<void> {
    const runs = this.runs
    const handle = runs.ctx.sites.get(run.siteId)
    for (;;) {
      if (signal.aborted) throw aborted()
      if (isFinished(run)) return
      if (run.decision && !(run.decision.kind === 'verdict' && run.options.waitForWindow && run.decision.verdict.kind === 'wait')) return
      const stepId = run.current
      if (stepId === 'precheck') {
        if (run.precheck && (run.precheck.verdict.kind === 'safe' || run.override)) {
          this.advance(run)
          continue
        }
        if (run.options.waitForWindow && run.precheck && run.precheck.verdict.kind === 'wait') {
          run.decision = null
          run.phase = 'running'
          await this.waitForWindow(run, signal)
          continue
        }
        if (run.precheck) {
          run.decision = { kind: 'verdict', verdict: run.precheck.verdict }
          run.phase = 'waiting'
          runs.stepOf(run, 'precheck').status = 'waiting'
          runs.save(run)
        }
        return
      }
      run.phase = 'running'
      const step = runs.stepOf(run, stepId)
      if (step.status === 'pending') {
        step.status = 'running'
        step.startedAt = Date.now()
      }
      runs.save(run)
      if (stepId === 'postcheck') {
        await postcheckGate(runs.gateCtx(run, step, handle, signal))
        step.status = 'ok'
        step.endedAt = Date.now()
        await runs.finish(run, { ok: true })
        return
      }
      const done = await this.commandStep(run, stepId as CommandStep, handle, signal)
      if (!done) return
      this.advance(run)
      if (run.mode === 'step') {
        run.phase = 'ready'
        runs.save(run)
        return
      }
    }
  }

  private advance(run: RestartRun): void {
    const i = RESTART_STEPS.indexOf(run.current)
    const step = this.runs.stepOf(run, run.current)
    if (step.status !== 'skipped') step.status = 'ok'
    step.endedAt ??= Date.now()
    run.current = RESTART_STEPS[Math.min(i + 1, RESTART_STEPS.length - 1)]!
    this.runs.save(run)
  }

  /** Waits for the next safe window, re-checking as the chain moves. */
  private async waitForWindow(run: RestartRun, signal: AbortSignal): Promise<void> {
    const v = run.precheck!.verdict
    const step = this.runs.stepOf(run, 'precheck')
    step.observations.push(observation('window-wait', { until: v.waitUntil ? clockText(v.waitUntil) : '-' }, 'info', `waiting for the next safe window (${v.waitUntil ? clockText(v.waitUntil) : 'after the proof lands'})`))
    this.runs.save(run)
    const blockDelay = run.precheck?.chain.blockDelay ?? 30
    // Re-check every epoch (at most every 30 s), or right at the expected time when that is sooner.
    const pause = Math.min(30_000, Math.max(1000, blockDelay * 1000), v.waitUntil ? Math.max(250, v.waitUntil - Date.now() + 200) : Infinity)
    await sleep(pause, signal)
    await this.runs.doPrecheck(run, true)
  }
}
