import { randomUUID } from 'node:crypto'
import { MinerDeskError, type MutationPreview, type OpWarning } from '../../../preload/contract'
import {
  RESTART_STEPS,
  type DecisionAnswer,
  type Precheck,
  type RestartOptions,
  type RestartRun,
  type RestartRunSummary
} from '../../../preload/contract/restart'
import type { ServiceContext } from '../runtime/context'
import { CommandSteps, COMMAND_STEPS, isCommandStep, KIND, ROLE_NAME, type CommandStep } from './commandSteps'
import { Drivers } from './driver'
import { aborted, observation } from './gates'
import { runPrecheck } from './precheck'
import { apiAnswers, bothProcesses } from './remote'
import { isFinished, markElsewhere, Runs, siteStateText } from './runs'
import { me, ownedByMe, ownerAlive, type RunStore } from './runStore'

export { DEFAULTS, isFinished, markElsewhere, siteStateText } from './runs'

/**
 * The restart wizard's state machine. A run goes through the runbook's restart steps one gate at
 * a time. Every command is a mutation through ctx.ops (preview with the exact command line →
 * confirmed → audited → run once): step by step, each preview is confirmed by the operator
 * (`ops:execute`); after "run all" (one confirmation of the whole remaining sequence) the wizard
 * confirms each step's own preview itself, so each still writes its own audit entries.
 *
 * The run is saved in MINERDESK_HOME/wizard after every change and belongs to the process that
 * drives it. A run whose process died is "interrupted": it is taken up again only on request
 * (resume), after re-reading the site, and nothing that may already have been sent is sent again
 * without the operator seeing what the audit log says ran.
 *
 * This class is the operator's side of it (what the contract's calls do); the runs and their
 * persistence are in runs.ts, the driver loop in driver.ts, the command steps in commandSteps.ts.
 */

export interface EngineOptions {
  /** Poll interval of the gates' fast checks (ms). */
  pollMs?: number
}

export class RestartEngine {
  private readonly runs: Runs
  private readonly drivers: Drivers
  private readonly steps: CommandSteps

  constructor(ctx: ServiceContext, opts: EngineOptions = {}) {
    this.runs = new Runs(ctx, opts.pollMs ?? 250)
    this.drivers = new Drivers(this.runs, (run, stepId, handle, signal) => this.steps.run(run, stepId, handle, signal))
    this.steps = new CommandSteps(this.runs, this.drivers)
  }

  get store(): RunStore {
    return this.runs.store
  }

  private get ctx(): ServiceContext {
    return this.runs.ctx
  }

  /* ================================================================ reading */

  /**
   * Marks runs whose owner died as interrupted (the host was killed, the CLI died). Nothing is
   * resumed here: that waits for the operator.
   */
  detectInterrupted(): RestartRun[] {
    const found: RestartRun[] = []
    for (const r of this.runs.store.allRuns()) {
      if (isFinished(r) || this.runs.live.has(r.id) || r.owner === null || ownerAlive(r.owner)) continue
      if (r.phase === 'running') {
        // It died while the wizard drove it: a command being sent may or may not have gone out.
        const step = this.runs.stepOf(r, r.current)
        for (const c of step.commands) if (c.status === 'sending') c.status = 'uncertain'
        r.interruptions.push({ at: r.updatedAt, detectedAt: Date.now(), step: r.current })
        r.phase = 'interrupted'
        r.decision = null
        found.push(r)
      } else if (r.decision?.kind === 'confirm') {
        // Left waiting for a confirmation: that preview lived in the process that ended.
        r.decision = null
        r.phase = 'ready'
      }
      r.owner = null
      this.runs.persist(r)
    }
    return found
  }

  get(id: string): RestartRun {
    const mine = this.runs.live.get(id)
    if (mine) return mine
    const r = this.runs.store.readRun(id)
    if (!r) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    return markElsewhere(r)
  }

  list(siteId: string | null): RestartRunSummary[] {
    this.detectInterrupted()
    const all = new Map(this.runs.store.allRuns().map((r) => [r.id, r]))
    for (const r of this.runs.live.values()) all.set(r.id, r)
    return [...all.values()]
      .filter((r) => siteId === null || r.siteId === siteId)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((r) => ({
        id: r.id,
        siteId: r.siteId,
        phase: r.phase,
        current: r.current,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
        via: r.via,
        ok: r.result ? r.result.ok : null,
        ...(r.result?.failedStep ? { failedStep: r.result.failedStep } : {}),
        ...(r.rollingId ? { rollingId: r.rollingId } : {}),
        elsewhere: !isFinished(r) && !this.runs.live.has(r.id) && ownerAlive(r.owner)
      }))
  }

  /** The site's unfinished run, else its latest. */
  forSite(siteId: string): RestartRun | null {
    const list = this.list(siteId)
    const open = list.find((r) => !isFinished(r))
    const pick = open ?? list[0]
    return pick ? this.get(pick.id) : null
  }

  /* ================================================================ creating */

  /** The pre-check alone: what a restart would find and run (creates no run, changes nothing). */
  async plan(siteId: string): Promise<Precheck> {
    return (await runPrecheck(this.ctx.sites.get(siteId), this.runs.store.allRuns())).precheck
  }

  async start(siteId: string, options: RestartOptions, via: RestartRun['via'], rollingId?: string): Promise<RestartRun> {
    const handle = this.ctx.sites.get(siteId)
    const open = this.list(siteId).find((r) => !isFinished(r))
    if (open) {
      throw new MinerDeskError({
        code: 'conflict',
        message: open.elsewhere ? `${siteId} is being restarted by another MinerDesk (${open.via})` : `${siteId} has an unfinished restart (${open.phase}, at ${open.current})`,
        hint: open.elsewhere ? 'follow it there' : 'resume it or abort it first',
        params: { run: open.id }
      })
    }
    // The site's restart lock, for the whole run: another operator's MinerDesk is refused here.
    const id = randomUUID()
    try {
      await this.runs.ctx.team.acquire(siteId, id, via)
    } catch (err) {
      if (err instanceof MinerDeskError && err.code === 'site/locked') {
        await this.runs.ctx.audit.record({ site: siteId, action: 'wizard.restart', command: `${handle.config.alias}: restart`, result: 'refused', detail: err.message }).catch(() => undefined)
      }
      throw err
    }
    const now = Date.now()
    const run: RestartRun = {
      id,
      siteId,
      alias: handle.config.alias,
      via,
      operator: this.runs.ctx.team.identity(),
      createdAt: now,
      updatedAt: now,
      phase: 'running',
      mode: 'step',
      current: 'precheck',
      steps: RESTART_STEPS.map((id) => ({ id, status: 'pending', commands: [], observations: [], excerpts: [] })),
      precheck: null,
      options,
      repos: null,
      before: null,
      decision: null,
      interruptions: [],
      owner: me(via),
      ...(rollingId ? { rollingId } : {})
    }
    const known = this.knownFromEarlierAttempt(siteId)
    if (known) run.knownWorkers = known
    this.runs.live.set(run.id, run)
    this.runs.save(run)
    await this.runs.doPrecheck(run)
    return run
  }

  /**
   * The site's last restart did not succeed: this run is another attempt of the same restart, and
   * the workers to expect back are those registered before the first attempt (kept run to run).
   */
  private knownFromEarlierAttempt(siteId: string): RestartRun['knownWorkers'] | undefined {
    const last = this.list(siteId)[0]
    if (!last || last.ok !== false) return undefined
    const prev = this.get(last.id)
    if (prev.knownWorkers) return prev.knownWorkers
    return prev.before ? { workers: [...prev.before.workers], firstRun: prev.id, at: prev.createdAt } : undefined
  }

  /** The pre-check again (before anything stopped). */
  async precheck(id: string): Promise<RestartRun> {
    const run = this.runs.mine(id)
    if (run.current !== 'precheck' && run.current !== 'stopMiner') throw this.runs.conflict(run, 'the pre-check is behind us: the restart has begun')
    if (this.runs.stepOf(run, 'stopMiner').commands.length > 0) throw this.runs.conflict(run, 'the miner stop was already sent')
    this.runs.stepOf(run, 'stopMiner').status = 'pending'
    run.current = 'precheck'
    await this.runs.doPrecheck(run)
    return run
  }

  async override(id: string, note: string): Promise<RestartRun> {
    const run = this.runs.mine(id)
    if (run.decision?.kind !== 'verdict') throw this.runs.conflict(run, 'there is no unsafe verdict to override')
    const v = run.decision.verdict
    await this.ctx.audit.record({ site: run.siteId, action: 'wizard.override', command: `${run.alias}: restart despite the pre-check verdict: ${v.text}`, result: 'ok', detail: `operator's acknowledgement: ${note}` })
    run.override = { at: Date.now(), verdict: v.text, note }
    const step = this.runs.stepOf(run, 'precheck')
    step.status = 'ok'
    step.observations.push(observation('override', { note }, 'warning', `verdict overridden by the operator: ${note}`))
    run.decision = null
    run.current = 'stopMiner'
    run.phase = 'ready'
    this.runs.save(run)
    return run
  }

  /* ================================================================ going on */

  /** Step by step: previews the next step's command (or runs a step that sends nothing). */
  async next(id: string): Promise<RestartRun> {
    const run = this.runs.mine(id)
    if (run.decision?.kind === 'confirm' && !this.ctx.ops.get(run.decision.preview.id)) {
      run.decision = null
      run.phase = 'ready'
    }
    if (run.phase !== 'ready') throw this.runs.conflict(run, run.decision ? 'decide first what to do about the question shown' : `the restart is ${run.phase}`)
    run.mode = 'step'
    this.drivers.ensure(run)
    // Back to the window once there is something to confirm, or the step is done (gates run on in the background).
    const t0 = Date.now()
    while (this.drivers.has(run.id) && !run.decision && Date.now() - t0 < 15_000) await new Promise((r) => setTimeout(r, 50))
    return run
  }

  /**
   * The remaining sequence as one preview. Confirming it (ops:execute) lets the wizard confirm each
   * step's own preview itself; each still writes its own audit entries.
   */
  previewAll(id: string): MutationPreview {
    const run = this.runs.mine(id)
    if (run.phase !== 'ready' && !(run.phase === 'waiting' && run.decision?.kind === 'verdict' && run.options.waitForWindow)) {
      throw this.runs.conflict(run, run.decision ? 'decide first what to do about the question shown' : `the restart is ${run.phase}`)
    }
    const handle = this.ctx.sites.get(run.siteId)
    const from = RESTART_STEPS.indexOf(run.current)
    const planned = COMMAND_STEPS.filter((s) => RESTART_STEPS.indexOf(s) >= from && this.runs.stepOf(run, s).status !== 'ok' && this.runs.stepOf(run, s).status !== 'skipped').map((s) => ({ s, text: this.steps.commandFor(run, handle, s).text }))
    const warnings: OpWarning[] = [
      { key: 'sequence', params: {}, text: 'Each command runs only when the step before it passed its gate; each is written to the audit log on its own.' },
      ...(run.override ? [{ key: 'overridden', params: { verdict: run.override.verdict }, text: `The pre-check verdict was overridden: ${run.override.verdict}` }] : []),
      ...(run.phase === 'waiting' ? [{ key: 'waits-window', params: {}, text: 'The restart waits for the next safe window first.' }] : [])
    ]
    const steps = planned.length > 0 ? planned.map((p) => ({ kind: 'command' as const, host: handle.config.alias, text: p.text })) : [{ kind: 'api' as const, host: handle.config.alias, text: 'post-check (reads only)' }]
    return this.ctx.ops.preview({
      site: run.siteId,
      action: 'wizard.restart',
      params: { site: run.siteId, steps: planned.length },
      steps,
      warnings,
      execute: async (s) => {
        const current = this.runs.mine(run.id)
        for (let i = 0; i < steps.length; i++) s.skip(i, 'confirmed: runs as its own audited step once the step before it has passed')
        await this.ctx.audit.record({ site: current.siteId, action: 'wizard.restart', command: `${current.alias}: run the restart sequence: ${planned.map((p) => p.text).join(' ; ') || 'post-check'}`, result: 'ok', detail: 'confirmed once for the whole sequence' })
        current.mode = 'auto'
        this.runs.auto.add(current.id)
        if (current.phase === 'waiting' && current.decision?.kind === 'verdict') current.decision = null
        current.phase = 'running'
        this.runs.save(current)
        this.drivers.ensure(current)
      }
    })
  }

  async decide(id: string, answer: DecisionAnswer): Promise<RestartRun> {
    const run = this.runs.mine(id)
    const d = run.decision
    if (!d) throw this.runs.conflict(run, 'nothing to decide')
    if (answer.kind === 'recheck') {
      if (d.kind === 'verdict') {
        run.decision = null
        await this.runs.doPrecheck(run)
        if (run.phase === 'ready' && run.mode === 'auto') this.drivers.ensure(run)
        return run
      }
      if (d.kind === 'resend') {
        run.decision = null
        await this.steps.evaluateUncertain(run, this.ctx.sites.get(run.siteId))
        return run
      }
      if (d.kind === 'stop-timeout') {
        run.decision = null
        run.phase = 'running'
        this.runs.stepOf(run, d.step).gateUntil = Date.now() + this.runs.options(run).stopTimeoutSec * 1000
        this.runs.save(run)
        this.drivers.ensure(run)
        return run
      }
    }
    if (answer.kind === 'wait-longer' && d.kind === 'stop-timeout') {
      const step = this.runs.stepOf(run, d.step)
      step.gateUntil = Date.now() + (answer.seconds ?? this.runs.options(run).stopTimeoutSec) * 1000
      step.observations.push(observation('wait-longer', { sec: answer.seconds ?? this.runs.options(run).stopTimeoutSec }, 'info', `waiting longer for ${ROLE_NAME[d.role]} to stop`))
      run.decision = null
      run.phase = 'running'
      this.runs.save(run)
      this.drivers.ensure(run)
      return run
    }
    if (answer.kind === 'kill' && (d.kind === 'stop-timeout' || (d.kind === 'resend' && isCommandStep(d.step) && KIND[d.step] === 'stop'))) {
      await this.steps.prepareKill(run, d.step as CommandStep)
      return run
    }
    if (answer.kind === 'resend' && d.kind === 'resend') {
      // Approved: the step offers its command again (a new preview, confirmed as usual).
      const step = this.runs.stepOf(run, d.step)
      step.resendApproved = true
      step.gateUntil = undefined
      step.observations.push(observation('resend-approved', { command: d.command }, 'warning', `the operator said to send again: ${d.command}`))
      run.decision = null
      run.phase = 'ready'
      this.runs.save(run)
      if (this.runs.auto.has(run.id)) this.drivers.ensure(run)
      return run
    }
    throw new MinerDeskError({ code: 'invalid-input', message: `"${answer.kind}" does not answer the question shown (${d.kind})` })
  }

  /**
   * Takes up a run no live MinerDesk drives (interrupted, or left waiting by a CLI that ended):
   * re-reads the real state of the site before anything else, and asks again what was asked.
   */
  async resume(id: string, via: RestartRun['via'], options: RestartOptions = {}): Promise<RestartRun> {
    this.detectInterrupted()
    const run = this.runs.live.get(id) ?? this.runs.store.readRun(id)
    if (!run) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(run)) throw this.runs.conflict(run, `this restart is ${run.phase}`)
    if (this.runs.live.has(id) && ownedByMe(run.owner)) return run
    if (ownerAlive(run.owner) && !ownedByMe(run.owner)) throw this.runs.conflict(run, `this restart is being driven by another MinerDesk (${run.owner?.via}, pid ${run.owner?.pid})`)
    // The lock again (still this run's after a crash, unless another operator broke it and restarts).
    await this.runs.ctx.team.acquire(run.siteId, run.id, via)
    run.owner = me(via)
    run.mode = 'step'
    run.options = { ...run.options, ...options }
    this.runs.live.set(run.id, run)
    const interrupted = run.phase === 'interrupted'
    const last = run.interruptions[run.interruptions.length - 1]
    if (interrupted && last) last.resumedAt = Date.now()
    const decision = run.decision
    run.decision = null
    run.phase = 'running'
    this.runs.save(run)
    const handle = this.ctx.sites.get(run.siteId)
    if (run.current === 'precheck' || !run.repos) {
      await this.runs.doPrecheck(run)
      return run
    }
    const step = this.runs.stepOf(run, run.current)
    const procs = await bothProcesses(handle.host, run.repos)
    const [dApi, mApi] = await Promise.all([apiAnswers(handle.lotus, 'daemon', { rediscover: true }), apiAnswers(handle.lotus, 'miner', { rediscover: false })])
    const facts = { daemon: { running: procs.daemon.length > 0, pids: procs.daemon.map((p) => p.pid), apiUp: dApi.up }, miner: { running: procs.miner.length > 0, pids: procs.miner.map((p) => p.pid), apiUp: mApi.up } }
    const state = siteStateText(facts)
    const params = { state, daemonRunning: facts.daemon.running ? 1 : 0, daemonPids: facts.daemon.pids.join(' '), daemonApi: facts.daemon.apiUp ? 1 : 0, minerRunning: facts.miner.running ? 1 : 0, minerPids: facts.miner.pids.join(' '), minerApi: facts.miner.apiUp ? 1 : 0 }
    step.observations.push(observation('resume', params, 'info', `${interrupted ? 'taken up again after MinerDesk stopped' : 'taken up again'}; the site now: ${state}`))
    // A gate that had given up watches again from now.
    if (decision?.kind === 'stop-timeout') step.gateUntil = Date.now() + this.runs.options(run).stopTimeoutSec * 1000
    await this.steps.evaluateUncertain(run, handle)
    return run
  }

  /** The pre-check's verdict said no and the operator did not override it: recorded as refused, then the run ends. */
  async refuse(id: string): Promise<RestartRun> {
    const run = this.runs.mine(id)
    const d = run.decision
    if (d?.kind !== 'verdict') throw this.runs.conflict(run, 'there is no verdict to refuse the restart on')
    await this.ctx.audit.record({ site: run.siteId, action: 'wizard.precheck', command: `${run.alias}: restart refused by the pre-check`, result: 'refused', detail: d.verdict.text })
    return this.abort(id)
  }

  /** Stops the run after the command in flight; reads and records the site's state. */
  async abort(id: string): Promise<RestartRun> {
    const run = this.runs.live.get(id) ?? this.runs.store.readRun(id)
    if (!run) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(run)) return run
    if (!this.runs.live.has(id)) {
      if (ownerAlive(run.owner)) throw this.runs.conflict(run, `this restart is being driven by another MinerDesk (${run.owner?.via}, pid ${run.owner?.pid})`)
      run.owner = me(run.via)
      this.runs.live.set(id, run)
    }
    if (run.decision?.kind === 'confirm') this.ctx.ops.cancel(run.decision.preview.id)
    this.runs.auto.delete(run.id)
    await this.drivers.stop(id)
    if (!isFinished(run)) {
      const step = this.runs.stepOf(run, run.current)
      // A command shown but not confirmed never ran.
      for (const c of step.commands) if (c.status === 'previewed') c.status = 'skipped'
      if (step.status === 'running' || step.status === 'waiting') step.status = 'failed'
      step.endedAt = Date.now()
      step.error = aborted().toInfo()
      await this.runs.finish(run, { ok: false, aborted: true, failedStep: run.current, error: step.error })
    }
    return run
  }

  /** Resolves once no driver runs for the run (it finished, or waits for the operator). */
  settled(id: string): Promise<RestartRun> {
    return this.drivers.settled(id, () => this.get(id))
  }

  /** Lets the CLI confirm the sequence with --yes; the same path as the window's confirmation. */
  async runAll(id: string): Promise<void> {
    const preview = this.previewAll(id)
    const outcome = await this.ctx.ops.execute(preview.id, null)
    if (!outcome.ok && outcome.error) throw new MinerDeskError(outcome.error)
  }

  /** Lets --kill answer a stop timeout without another question. */
  isAuto(id: string): boolean {
    return this.runs.auto.has(id)
  }

  async close(): Promise<void> {
    await this.drivers.close()
    this.runs.flushSaves()
  }
}
