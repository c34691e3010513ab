import { randomUUID } from 'node:crypto'
import { MinerDeskError, toErrorInfo, type AuditEntry, type ErrorInfo, type MutationPreview } from '../../../preload/contract'
import {
  FINISHED_PHASES,
  RESTART_STEP_ACTION,
  RESTART_STEPS,
  type CommandRecord,
  type DecisionAnswer,
  type ObservationTone,
  type Precheck,
  type SiteState,
  type RestartOptions,
  type RestartRun,
  type RestartRunSummary,
  type RestartStepId,
  type RestartStepState
} from '../../../preload/contract/restart'
import { osOperator } from '../audit/auditLog'
import { shortDuration } from '../overview/format'
import type { ServiceContext } from '../runtime/context'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { signalProcesses } from '../remote/processes'
import { errorMessage } from '../ssh/errors'
import { aborted, daemonGate, GateFailure, keepExcerpt, minerGate, observation, postcheckGate, sleep, stepT0, stopGate, type EffectiveOptions, type GateCtx } from './gates'
import { runPrecheck } from './precheck'
import { alivePids, apiAnswers, bothProcesses, commandText, logPaths, readLog, roleProcesses, startLine, stopCommand, type Role } from './remote'
import { me, ownedByMe, ownerAlive, RunStore } from './runStore'
import { clockText } from './verdict'
import { logProblem } from '../util/log'
import { redactSecrets } from '../util/redact'

/**
 * The restart wizard's state machine. A run goes through the runbook's steps (§6) one gate at
 * a time. Every command is a mutation through ctx.ops (preview with the exact command line →
 * confirmed → audited → run once): step by step, each preview is confirmed by the operator
 * (`ops:execute`); after "run all" (one confirmation of the whole remaining sequence) the wizard
 * confirms each step's own preview itself, so each still writes its own audit entries.
 *
 * The run is saved in MINERDESK_HOME/wizard after every change and belongs to the process that
 * drives it. A run whose process died is "interrupted": it is taken up again only on request
 * (resume), after re-reading the site, and nothing that may already have been sent is sent again
 * without the operator seeing what the audit log says ran.
 */

const COMMAND_STEPS = ['stopMiner', 'stopDaemon', 'startDaemon', 'startMiner'] as const
type CommandStep = (typeof COMMAND_STEPS)[number]
const ROLE: Record<CommandStep, Role> = { stopMiner: 'miner', stopDaemon: 'daemon', startDaemon: 'daemon', startMiner: 'miner' }
const KIND: Record<CommandStep, 'stop' | 'start'> = { stopMiner: 'stop', stopDaemon: 'stop', startDaemon: 'start', startMiner: 'start' }
const ROLE_NAME: Record<Role, string> = { daemon: 'lotus daemon', miner: 'lotus-miner' }
const MAX_OBSERVATIONS = 80

const isCommandStep = (s: RestartStepId): s is CommandStep => (COMMAND_STEPS as readonly string[]).includes(s)
export const isFinished = (r: Pick<RestartRun, 'phase'>): boolean => FINISHED_PHASES.includes(r.phase)

export const DEFAULTS = { stopTimeoutSec: 120, termWaitSec: 30, syncTimeoutSec: 3600, warmupTimeoutSec: 900, postcheckTimeoutSec: 180 }

export interface EngineOptions {
  /** Poll interval of the gates' fast checks (ms). */
  pollMs?: number
}

interface Driver {
  abort: AbortController
  done: Promise<void>
}

export class RestartEngine {
  readonly store: RunStore
  private readonly runs = new Map<string, RestartRun>()
  private readonly drivers = new Map<string, Driver>()
  /** Runs whose remaining sequence the operator confirmed at once ("run all", --yes). */
  private readonly auto = new Set<string>()
  private readonly settledWaiters = new Map<string, Array<() => void>>()
  private readonly saveTimers = new Map<string, NodeJS.Timeout>()
  private readonly pollMs: number

  constructor(
    private readonly ctx: ServiceContext,
    opts: EngineOptions = {}
  ) {
    this.store = new RunStore(ctx.home)
    this.pollMs = opts.pollMs ?? 250
  }

  /* ================================================================ reading */

  /**
   * Marks runs whose owner died as interrupted (the host was killed, the CLI died). Nothing is
   * resumed here: that waits for the operator.
   */
  detectInterrupted(): RestartRun[] {
    const found: RestartRun[] = []
    for (const r of this.store.allRuns()) {
      if (isFinished(r) || this.runs.has(r.id) || r.owner === null || ownerAlive(r.owner)) continue
      if (r.phase === 'running') {
        // It died while the wizard drove it: a command being sent may or may not have gone out.
        const step = this.stepOf(r, r.current)
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
      this.persist(r)
    }
    return found
  }

  get(id: string): RestartRun {
    const mine = this.runs.get(id)
    if (mine) return mine
    const r = this.store.readRun(id)
    if (!r) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    return markElsewhere(r)
  }

  list(siteId: string | null): RestartRunSummary[] {
    this.detectInterrupted()
    const all = new Map(this.store.allRuns().map((r) => [r.id, r]))
    for (const r of this.runs.values()) all.set(r.id, r)
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
        elsewhere: !isFinished(r) && !this.runs.has(r.id) && ownerAlive(r.owner)
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
    return (await runPrecheck(this.ctx.sites.get(siteId), this.store.allRuns())).precheck
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
    const now = Date.now()
    const run: RestartRun = {
      id: randomUUID(),
      siteId,
      alias: handle.config.alias,
      via,
      operator: osOperator(),
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
    this.runs.set(run.id, run)
    this.save(run)
    await this.doPrecheck(run)
    return run
  }

  /** `waiting`: re-checking while the run waits for a safe window (a "wait" verdict keeps it going). */
  private async doPrecheck(run: RestartRun, waiting = false): Promise<void> {
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

  /** The pre-check again (before anything stopped). */
  async precheck(id: string): Promise<RestartRun> {
    const run = this.mine(id)
    if (run.current !== 'precheck' && run.current !== 'stopMiner') throw this.conflict(run, 'the pre-check is behind us: the restart has begun')
    if (this.stepOf(run, 'stopMiner').commands.length > 0) throw this.conflict(run, 'the miner stop was already sent')
    this.stepOf(run, 'stopMiner').status = 'pending'
    run.current = 'precheck'
    await this.doPrecheck(run)
    return run
  }

  async override(id: string, note: string): Promise<RestartRun> {
    const run = this.mine(id)
    if (run.decision?.kind !== 'verdict') throw this.conflict(run, 'there is no unsafe verdict to override')
    const v = run.decision.verdict
    await this.ctx.audit.record({ site: run.siteId, action: 'wizard.override', command: `${run.alias}: restart despite the pre-check verdict: ${v.text}`, result: 'ok', detail: `operator's acknowledgement: ${note}` })
    run.override = { at: Date.now(), verdict: v.text, note }
    const step = this.stepOf(run, 'precheck')
    step.status = 'ok'
    step.observations.push(observation('override', { note }, 'warning', `verdict overridden by the operator: ${note}`))
    run.decision = null
    run.current = 'stopMiner'
    run.phase = 'ready'
    this.save(run)
    return run
  }

  /* ================================================================ going on */

  /** Step by step: previews the next step's command (or runs a step that sends nothing). */
  async next(id: string): Promise<RestartRun> {
    const run = this.mine(id)
    if (run.decision?.kind === 'confirm' && !this.ctx.ops.get(run.decision.preview.id)) {
      run.decision = null
      run.phase = 'ready'
    }
    if (run.phase !== 'ready') throw this.conflict(run, run.decision ? 'decide first what to do about the question shown' : `the restart is ${run.phase}`)
    run.mode = 'step'
    this.ensureDriver(run)
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
    const run = this.mine(id)
    if (run.phase !== 'ready' && !(run.phase === 'waiting' && run.decision?.kind === 'verdict' && run.options.waitForWindow)) {
      throw this.conflict(run, run.decision ? 'decide first what to do about the question shown' : `the restart is ${run.phase}`)
    }
    const handle = this.ctx.sites.get(run.siteId)
    const from = RESTART_STEPS.indexOf(run.current)
    const planned = COMMAND_STEPS.filter((s) => RESTART_STEPS.indexOf(s) >= from && this.stepOf(run, s).status !== 'ok' && this.stepOf(run, s).status !== 'skipped').map((s) => ({ s, text: this.commandFor(run, handle, s).text }))
    const warnings = [
      'Each command runs only when the step before it passed its gate; each is written to the audit log on its own.',
      ...(run.override ? [`The pre-check verdict was overridden: ${run.override.verdict}`] : []),
      ...(run.phase === 'waiting' ? ['The restart waits for the next safe window first.'] : [])
    ]
    const warningKeys = ['sequence', ...(run.override ? ['overridden'] : []), ...(run.phase === 'waiting' ? ['waits-window'] : [])]
    const steps = planned.length > 0 ? planned.map((p) => ({ kind: 'command' as const, host: handle.config.alias, text: p.text })) : [{ kind: 'api' as const, host: handle.config.alias, text: 'post-check (reads only)' }]
    return this.ctx.ops.preview({
      site: run.siteId,
      action: 'wizard.restart',
      params: { site: run.siteId, steps: planned.length },
      steps,
      warnings,
      warningKeys,
      execute: async (s) => {
        const current = this.mine(run.id)
        for (let i = 0; i < steps.length; i++) s.skip(i, 'confirmed: runs as its own audited step once the step before it has passed')
        await this.ctx.audit.record({ site: current.siteId, action: 'wizard.restart', command: `${current.alias}: run the restart sequence: ${planned.map((p) => p.text).join(' ; ') || 'post-check'}`, result: 'ok', detail: 'confirmed once for the whole sequence' })
        current.mode = 'auto'
        this.auto.add(current.id)
        if (current.phase === 'waiting' && current.decision?.kind === 'verdict') current.decision = null
        current.phase = 'running'
        this.save(current)
        this.ensureDriver(current)
      }
    })
  }

  async decide(id: string, answer: DecisionAnswer): Promise<RestartRun> {
    const run = this.mine(id)
    const d = run.decision
    if (!d) throw this.conflict(run, 'nothing to decide')
    if (answer.kind === 'recheck') {
      if (d.kind === 'verdict') {
        run.decision = null
        await this.doPrecheck(run)
        if (run.phase === 'ready' && run.mode === 'auto') this.ensureDriver(run)
        return run
      }
      if (d.kind === 'resend') {
        run.decision = null
        await this.evaluateUncertain(run, this.ctx.sites.get(run.siteId))
        return run
      }
      if (d.kind === 'stop-timeout') {
        run.decision = null
        run.phase = 'running'
        this.stepOf(run, d.step).gateUntil = Date.now() + this.options(run).stopTimeoutSec * 1000
        this.save(run)
        this.ensureDriver(run)
        return run
      }
    }
    if (answer.kind === 'wait-longer' && d.kind === 'stop-timeout') {
      const step = this.stepOf(run, d.step)
      step.gateUntil = Date.now() + (answer.seconds ?? this.options(run).stopTimeoutSec) * 1000
      step.observations.push(observation('wait-longer', { sec: answer.seconds ?? this.options(run).stopTimeoutSec }, 'info', `waiting longer for ${ROLE_NAME[d.role]} to stop`))
      run.decision = null
      run.phase = 'running'
      this.save(run)
      this.ensureDriver(run)
      return run
    }
    if (answer.kind === 'kill' && (d.kind === 'stop-timeout' || (d.kind === 'resend' && isCommandStep(d.step) && KIND[d.step] === 'stop'))) {
      await this.prepareKill(run, d.step as CommandStep)
      return run
    }
    if (answer.kind === 'resend' && d.kind === 'resend') {
      // Approved: the step offers its command again (a new preview, confirmed as usual).
      const step = this.stepOf(run, d.step)
      step.resendApproved = true
      step.gateUntil = undefined
      step.observations.push(observation('resend-approved', { command: d.command }, 'warning', `the operator said to send again: ${d.command}`))
      run.decision = null
      run.phase = 'ready'
      this.save(run)
      if (this.auto.has(run.id)) this.ensureDriver(run)
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
    const run = this.runs.get(id) ?? this.store.readRun(id)
    if (!run) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(run)) throw this.conflict(run, `this restart is ${run.phase}`)
    if (this.runs.has(id) && ownedByMe(run.owner)) return run
    if (ownerAlive(run.owner) && !ownedByMe(run.owner)) throw this.conflict(run, `this restart is being driven by another MinerDesk (${run.owner?.via}, pid ${run.owner?.pid})`)
    run.owner = me(via)
    run.mode = 'step'
    run.options = { ...run.options, ...options }
    this.runs.set(run.id, run)
    const interrupted = run.phase === 'interrupted'
    const last = run.interruptions[run.interruptions.length - 1]
    if (interrupted && last) last.resumedAt = Date.now()
    const decision = run.decision
    run.decision = null
    run.phase = 'running'
    this.save(run)
    const handle = this.ctx.sites.get(run.siteId)
    if (run.current === 'precheck' || !run.repos) {
      await this.doPrecheck(run)
      return run
    }
    const step = this.stepOf(run, run.current)
    const procs = await bothProcesses(handle.host, run.repos)
    const [dApi, mApi] = await Promise.all([apiAnswers(handle.lotus, 'daemon', { rediscover: true }), apiAnswers(handle.lotus, 'miner', { rediscover: false })])
    const facts = { daemon: { running: procs.daemon.length > 0, pids: procs.daemon.map((p) => p.pid), apiUp: dApi.up }, miner: { running: procs.miner.length > 0, pids: procs.miner.map((p) => p.pid), apiUp: mApi.up } }
    const state = siteStateText(facts)
    const params = { state, daemonRunning: facts.daemon.running ? 1 : 0, daemonPids: facts.daemon.pids.join(' '), daemonApi: facts.daemon.apiUp ? 1 : 0, minerRunning: facts.miner.running ? 1 : 0, minerPids: facts.miner.pids.join(' '), minerApi: facts.miner.apiUp ? 1 : 0 }
    step.observations.push(observation('resume', params, 'info', `${interrupted ? 'taken up again after MinerDesk stopped' : 'taken up again'}; the site now: ${state}`))
    // A gate that had given up watches again from now.
    if (decision?.kind === 'stop-timeout') step.gateUntil = Date.now() + this.options(run).stopTimeoutSec * 1000
    await this.evaluateUncertain(run, handle)
    return run
  }

  /**
   * After MinerDesk stopped mid-step: a command that may have been sent and whose effect the site
   * does not show is put to the operator (with the audit log's entries); one whose effect shows is
   * not sent again.
   */
  private async evaluateUncertain(run: RestartRun, handle: SiteHandle): Promise<void> {
    const step = this.stepOf(run, run.current)
    if (isCommandStep(run.current) && run.repos) {
      const role = ROLE[run.current]
      const kind = KIND[run.current]
      const cmd = mainCommand(step)
      // A command shown but not confirmed may still have been started (the audit log says so).
      const audit = cmd ? await this.auditOf(run, run.current, cmd) : []
      if (cmd && cmd.status === 'previewed' && audit.some((e) => e.result === 'started')) cmd.status = 'uncertain'
      if (cmd && cmd.status === 'previewed') cmd.status = 'skipped'
      if (cmd && cmd.status === 'uncertain') {
        const procs = await roleProcesses(handle.host, role, run.repos[role])
        const api = await apiAnswers(handle.lotus, role, { rediscover: true })
        const running = procs.length > 0 || api.up
        const effectSeen = kind === 'stop' ? !running : running
        if (!effectSeen) {
          const facts = `${ROLE_NAME[role]} is ${running ? `still running (pid ${procs.map((p) => p.pid).join(' ') || '?'})` : 'not running'}`
          run.decision = { kind: 'resend', step: run.current, command: cmd.text, audit, facts, role, running, pids: procs.map((p) => p.pid) }
          run.phase = 'waiting'
          step.status = 'waiting'
          this.save(run)
          return
        }
        step.observations.push(observation('effect-seen', { role: ROLE_NAME[role], state: running ? 'running' : 'stopped' }, 'ok', `${ROLE_NAME[role]} is ${running ? 'running' : 'stopped'}: the command had its effect; not sending it again`))
      }
    }
    if (step.status === 'waiting') step.status = 'running'
    run.phase = 'ready'
    this.save(run)
    if (this.auto.has(run.id)) this.ensureDriver(run)
  }

  /** Stops the run after the command in flight; reads and records the site's state. */
  async abort(id: string): Promise<RestartRun> {
    const run = this.runs.get(id) ?? this.store.readRun(id)
    if (!run) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(run)) return run
    if (!this.runs.has(id)) {
      if (ownerAlive(run.owner)) throw this.conflict(run, `this restart is being driven by another MinerDesk (${run.owner?.via}, pid ${run.owner?.pid})`)
      run.owner = me(run.via)
      this.runs.set(id, run)
    }
    if (run.decision?.kind === 'confirm') this.ctx.ops.cancel(run.decision.preview.id)
    this.auto.delete(run.id)
    const driver = this.drivers.get(id)
    if (driver) {
      driver.abort.abort()
      await driver.done
    }
    if (!isFinished(run)) {
      const step = this.stepOf(run, run.current)
      // A command shown but not confirmed never ran.
      for (const c of step.commands) if (c.status === 'previewed') c.status = 'skipped'
      if (step.status === 'running' || step.status === 'waiting') step.status = 'failed'
      step.endedAt = Date.now()
      step.error = aborted().toInfo()
      await this.finish(run, { ok: false, aborted: true, failedStep: run.current, error: step.error })
    }
    return run
  }

  /** Resolves once no driver runs for the run (it finished, or waits for the operator). */
  settled(id: string): Promise<RestartRun> {
    const run = this.runs.get(id)
    if (!run || !this.drivers.has(id)) return Promise.resolve(this.get(id))
    return new Promise((resolve) => {
      const list = this.settledWaiters.get(id) ?? []
      list.push(() => resolve(this.get(id)))
      this.settledWaiters.set(id, list)
    })
  }

  /** Lets the CLI confirm the sequence with --yes; the same path as the window's confirmation. */
  async runAll(id: string): Promise<void> {
    const preview = this.previewAll(id)
    const outcome = await this.ctx.ops.execute(preview.id, null)
    if (!outcome.ok && outcome.error) throw new MinerDeskError(outcome.error)
  }

  /** Lets --kill answer a stop timeout without another question. */
  isAuto(id: string): boolean {
    return this.auto.has(id)
  }

  /* ================================================================ the driver */

  private ensureDriver(run: RestartRun): void {
    if (this.drivers.has(run.id)) return
    const abort = new AbortController()
    const done = this.drive(run, abort.signal)
      .catch(async (err: unknown) => {
        if (abort.signal.aborted) return
        const step = this.stepOf(run, run.current)
        step.status = 'failed'
        step.endedAt = Date.now()
        step.error = toErrorInfo(err)
        if (err instanceof GateFailure) step.observations.push(observation('failed', { message: err.message }, 'critical', err.message))
        await this.finish(run, { ok: false, failedStep: run.current, error: step.error })
      })
      .finally(() => {
        this.drivers.delete(run.id)
        this.save(run)
        for (const w of this.settledWaiters.get(run.id) ?? []) w()
        this.settledWaiters.delete(run.id)
      })
    this.drivers.set(run.id, { abort, done })
  }

  private async drive(run: RestartRun, signal: AbortSignal): Promise<void> {
    const handle = this.ctx.sites.get(run.siteId)
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
          this.stepOf(run, 'precheck').status = 'waiting'
          this.save(run)
        }
        return
      }
      run.phase = 'running'
      const step = this.stepOf(run, stepId)
      if (step.status === 'pending') {
        step.status = 'running'
        step.startedAt = Date.now()
      }
      this.save(run)
      if (stepId === 'postcheck') {
        await postcheckGate(this.gateCtx(run, step, handle, signal))
        step.status = 'ok'
        step.endedAt = Date.now()
        await this.finish(run, { ok: true })
        return
      }
      const done = await this.commandStep(run, stepId as CommandStep, handle, signal)
      if (!done) return
      this.advance(run)
      if (run.mode === 'step') {
        run.phase = 'ready'
        this.save(run)
        return
      }
    }
  }

  private advance(run: RestartRun): void {
    const i = RESTART_STEPS.indexOf(run.current)
    const step = this.stepOf(run, run.current)
    if (step.status !== 'skipped') step.status = 'ok'
    step.endedAt ??= Date.now()
    run.current = RESTART_STEPS[Math.min(i + 1, RESTART_STEPS.length - 1)]!
    this.save(run)
  }

  /** Waits for the next safe window, re-checking as the chain moves. */
  private async waitForWindow(run: RestartRun, signal: AbortSignal): Promise<void> {
    const v = run.precheck!.verdict
    const step = this.stepOf(run, 'precheck')
    step.observations.push(observation('window-wait', { until: v.waitUntil ? clockText(v.waitUntil) : '-' }, 'info', `waiting for the next safe window (${v.waitUntil ? clockText(v.waitUntil) : 'after the proof lands'})`))
    this.save(run)
    const blockDelay = run.precheck?.chain.blockDelay ?? 30
    // Re-check every epoch (at most every 30 s), or right at the expected time when that is sooner.
    const pause = Math.min(30_000, Math.max(1000, blockDelay * 1000), v.waitUntil ? Math.max(250, v.waitUntil - Date.now() + 200) : Infinity)
    await sleep(pause, signal)
    await this.doPrecheck(run, true)
  }

  /* ================================================================ command steps */

  private commandFor(run: RestartRun, handle: SiteHandle, step: CommandStep): { text: string; send: () => Promise<{ code: number | null; output: string }> } {
    const role = ROLE[step]
    if (KIND[step] === 'stop') {
      const cmd = stopCommand(role, run.repos!)
      return {
        text: commandText(cmd),
        send: async () => {
          const r = await handle.host.exec(cmd, { timeoutMs: this.options(run).stopTimeoutSec * 1000 })
          return { code: r.code, output: `${r.stdout}${r.stderr}`.trim() }
        }
      }
    }
    const line = startLine(handle.config, role)
    return {
      text: line,
      send: async () => {
        const r = await handle.host.exec({ line }, { timeoutMs: 60_000 })
        return { code: r.code, output: `${r.stdout}${r.stderr}`.trim() }
      }
    }
  }

  /** Runs a command step up to its gate. false: waiting for the operator. */
  private async commandStep(run: RestartRun, stepId: CommandStep, handle: SiteHandle, signal: AbortSignal): Promise<boolean> {
    const step = this.stepOf(run, stepId)
    const role = ROLE[stepId]
    const kind = KIND[stepId]
    let cmd = mainCommand(step)
    // A preview that is gone (expired, cancelled, or from a process that ended) was never confirmed.
    if (cmd && cmd.status === 'previewed' && !this.ctx.ops.get(cmd.previewId)) cmd.status = 'skipped'
    const again = cmd?.status === 'uncertain' && step.resendApproved === true
    if (again) {
      step.resendApproved = false
      await this.offerCommand(run, stepId, handle)
      if (run.decision) return false
      cmd = mainCommand(step)
    } else if (!cmd || cmd.status === 'skipped') {
      // Before sending anything: is it needed? A stopped process is not stopped again, a running one not started twice.
      const procs = await roleProcesses(handle.host, role, run.repos![role], signal)
      const api = await apiAnswers(handle.lotus, role, { rediscover: kind === 'start', signal })
      const running = procs.length > 0 || api.up
      if (kind === 'stop' && !running) {
        step.observations.push(observation('already-stopped', { role: ROLE_NAME[role] }, 'ok', `${ROLE_NAME[role]} is not running: nothing to stop`))
        step.status = 'skipped'
        step.endedAt = Date.now()
        this.save(run)
        return true
      }
      if (kind === 'start' && running) {
        step.observations.push(observation('already-running', { role: ROLE_NAME[role], pids: procs.map((p) => p.pid).join(' ') }, 'ok', `${ROLE_NAME[role]} is already running (pid ${procs.map((p) => p.pid).join(' ') || '?'}): not starting it twice`))
        this.save(run)
      } else {
        await this.offerCommand(run, stepId, handle)
        if (run.decision) return false
        cmd = mainCommand(step)
      }
    } else if (cmd.status === 'previewed') {
      return false
    }
    cmd = mainCommand(step)
    if (cmd && cmd.status === 'error' && cmd.error?.code === 'audit/write-failed') {
      throw new GateFailure('not-sent', `not sent: ${cmd.error.message}`, {}, undefined, cmd.error.hint)
    }
    if (cmd && kind === 'start' && cmd.status === 'error' && cmd.error?.code !== 'ssh/timeout') {
      throw new GateFailure('start-failed', `the start command failed: ${cmd.error?.message ?? cmd.output ?? ''}`, {}, cmd.output, 'check the site\'s start command (Settings → site)')
    }
    const g = this.gateCtx(run, step, handle, signal)
    if (kind === 'stop') {
      const until = step.gateUntil ?? stepT0(step) + this.options(run).stopTimeoutSec * 1000
      const r = await stopGate(g, role, until)
      if (!r.stopped) {
        const waited = Math.round((Date.now() - stepT0(step)) / 1000)
        step.observations.push(observation('timeout', { role: ROLE_NAME[role], sec: waited, pids: r.pids.join(' ') }, 'warning', `${ROLE_NAME[role]} did not stop within ${shortDuration(waited)} (pid ${r.pids.join(' ')})`))
        if (this.auto.has(run.id) && run.options.allowKill) {
          await this.prepareKill(run, stepId, r.pids)
          return !run.decision && this.stepOf(run, stepId).status !== 'failed' ? this.commandStep(run, stepId, handle, signal) : false
        }
        run.decision = { kind: 'stop-timeout', step: stepId, role, pids: r.pids, waitedSec: waited }
        run.phase = 'waiting'
        step.status = 'waiting'
        this.save(run)
        return false
      }
      await keepExcerpt(g, role, 8)
    } else if (role === 'daemon') {
      await daemonGate(g)
      await keepExcerpt(g, role, 8)
    } else {
      await minerGate(g)
    }
    step.status = 'ok'
    step.endedAt = Date.now()
    step.gateUntil = undefined
    this.save(run)
    return true
  }

  /**
   * The step's command as a preview; confirmed by the operator (step by step) or by the wizard
   * itself after "run all". The log's size is taken first: the gate reads what is written after.
   */
  private async offerCommand(run: RestartRun, stepId: CommandStep, handle: SiteHandle): Promise<void> {
    const step = this.stepOf(run, stepId)
    const role = ROLE[stepId]
    const { text, send } = this.commandFor(run, handle, stepId)
    // The gate must read only what is written after the command: without the log's size, nothing is sent.
    step.logOffset = await logSize(handle, logPaths(handle.config)[role])
    const record: CommandRecord = { previewId: '', kind: 'command', host: handle.config.alias, text, status: 'previewed', at: Date.now() }
    const start = KIND[stepId] === 'start'
    const warnings = start ? [`Runs the site's start command in ${handle.config.workDir} as configured (Settings → site).`] : []
    const preview = this.ctx.ops.preview({
      site: run.siteId,
      action: RESTART_STEP_ACTION[stepId],
      params: { site: run.siteId },
      steps: [{ kind: 'command', host: handle.config.alias, text }],
      warnings,
      ...(start ? { warningKeys: ['start-command'] } : {}),
      execute: async (s) => {
        const current = this.mine(run.id)
        current.decision = null
        current.phase = 'running'
        record.status = 'sending'
        record.at = Date.now()
        this.save(current)
        let sent = false
        try {
          const out = await s.run(0, async () => {
            sent = true
            let r
            try {
              r = await send()
            } catch (err) {
              record.status = 'error'
              record.error = toErrorInfo(err)
              throw err
            }
            record.output = r.output.slice(0, 4000)
            if (r.code !== 0) {
              record.status = 'error'
              const e = new MinerDeskError({ code: 'ssh/command-failed', message: `exit code ${r.code ?? 'none'}`, ...(r.output ? { details: r.output.slice(0, 4000) } : {}) })
              record.error = e.toInfo()
              throw e
            }
            record.status = 'ok'
            return r.output
          })
          void out
        } catch (err) {
          // Refused before it was sent (the audit log could not announce it): certainly not run.
          if (!sent) {
            record.status = 'error'
            record.error = toErrorInfo(err)
          }
          throw err
        } finally {
          record.endedAt = Date.now()
          this.save(current)
          // Step by step: the operator's confirmation carries the step on to its gate.
          if (!this.drivers.has(current.id)) this.ensureDriver(current)
        }
      }
    })
    record.previewId = preview.id
    step.commands.push(record)
    if (this.auto.has(run.id)) {
      this.save(run)
      await this.ctx.ops.execute(preview.id, null)
      return
    }
    run.decision = { kind: 'confirm', step: stepId, preview }
    run.phase = 'waiting'
    step.status = 'waiting'
    this.save(run)
  }

  /** End the process: TERM, wait, then KILL — of exact PIDs, after the operator confirms. */
  private async prepareKill(run: RestartRun, stepId: CommandStep, knownPids?: number[]): Promise<void> {
    const handle = this.ctx.sites.get(run.siteId)
    const role = ROLE[stepId]
    const step = this.stepOf(run, stepId)
    const pids = knownPids ?? (await roleProcesses(handle.host, role, run.repos![role])).map((p) => p.pid)
    if (pids.length === 0) {
      run.decision = null
      run.phase = 'ready'
      step.gateUntil = Date.now() + 5000
      this.save(run)
      if (this.auto.has(run.id)) this.ensureDriver(run)
      return
    }
    const termWait = this.options(run).termWaitSec
    const list = pids.join(' ')
    const records: CommandRecord[] = ['TERM', 'KILL'].map((sig) => ({ previewId: '', kind: 'signal', host: handle.config.alias, text: `kill -${sig} ${list}`, status: 'previewed', at: Date.now() }))
    const preview = this.ctx.ops.preview({
      site: run.siteId,
      action: `${RESTART_STEP_ACTION[stepId]}.kill`,
      params: { site: run.siteId, pids: list },
      steps: records.map((r) => ({ kind: 'signal' as const, host: r.host, text: r.text })),
      warnings: [
        `${ROLE_NAME[role]} (pid ${list}) did not stop by itself. kill -TERM asks it to shut down; if it still runs after ${shortDuration(termWait)}, kill -KILL ends it at once.`,
        `A killed ${ROLE_NAME[role]} leaves its api file and repo lock behind; Lotus takes a dead process's lock over at the next start.`
      ],
      warningKeys: ['kill', 'kill-leftovers'],
      typeToConfirm: String(pids[0]),
      execute: async (s) => {
        const current = this.mine(run.id)
        current.decision = null
        current.phase = 'running'
        this.save(current)
        const mark = (r: CommandRecord, status: CommandRecord['status'], output?: string) => {
          r.status = status
          r.endedAt = Date.now()
          if (output) r.output = output
          this.save(current)
        }
        try {
          records[0]!.status = 'sending'
          records[0]!.at = Date.now()
          this.save(current)
          await s.run(0, async () => {
            const r = await signalProcesses(handle.host, pids, 'TERM')
            mark(records[0]!, r.code === 0 ? 'ok' : 'error', `${r.stdout}${r.stderr}`.trim())
            return `${r.stdout}${r.stderr}`
          })
          const deadline = Date.now() + termWait * 1000
          let alive = await alivePids(handle.host, pids)
          while (alive.size > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, this.pollMs))
            alive = await alivePids(handle.host, pids)
          }
          if (alive.size === 0) {
            s.skip(1, `ended after TERM`)
            mark(records[1]!, 'skipped', 'ended after TERM')
            step.observations.push(observation('signal', { signal: 'TERM', pids: list }, 'info', `${ROLE_NAME[role]} ended after kill -TERM`))
          } else {
            records[1]!.status = 'sending'
            records[1]!.at = Date.now()
            this.save(current)
            await s.run(1, async () => {
              const r = await signalProcesses(handle.host, [...alive.keys()], 'KILL')
              mark(records[1]!, r.code === 0 ? 'ok' : 'error', `${r.stdout}${r.stderr}`.trim())
              return `${r.stdout}${r.stderr}`
            })
            step.observations.push(observation('signal', { signal: 'KILL', pids: [...alive.keys()].join(' ') }, 'warning', `${ROLE_NAME[role]} still ran ${shortDuration(termWait)} after kill -TERM: kill -KILL sent`))
          }
        } catch (err) {
          // Said on the step as well as in the result: what was not sent stays "previewed", and
          // the gate (still watching) offers the decision again.
          const message = `ending ${ROLE_NAME[role]} (pid ${list}) stopped: ${errorMessage(err)}`
          step.observations.push(observation('failed', { message }, 'critical', message))
          throw err
        } finally {
          step.gateUntil = Date.now() + 15_000
          this.save(current)
          if (!this.drivers.has(current.id)) this.ensureDriver(current)
        }
      }
    })
    for (const r of records) r.previewId = preview.id
    step.commands.push(...records)
    if (this.auto.has(run.id) && run.options.allowKill) {
      step.observations.push(observation('kill-allowed', { pids: list }, 'warning', `ending ${ROLE_NAME[role]} (pid ${list}): allowed beforehand (--kill)`))
      this.save(run)
      await this.ctx.ops.execute(preview.id, String(pids[0]))
      return
    }
    run.decision = { kind: 'confirm', step: stepId, preview }
    run.phase = 'waiting'
    step.status = 'waiting'
    this.save(run)
  }

  /* ================================================================ finishing */

  private async finish(run: RestartRun, result: { ok: boolean; failedStep?: RestartStepId; aborted?: boolean; error?: ErrorInfo }): Promise<void> {
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
  }

  private async readSiteState(run: RestartRun): Promise<SiteState | undefined> {
    if (!run.repos) return undefined
    const handle = this.ctx.sites.get(run.siteId)
    const procs = await bothProcesses(handle.host, run.repos)
    const [d, m] = await Promise.all([apiAnswers(handle.lotus, 'daemon', { rediscover: true }), apiAnswers(handle.lotus, 'miner', { rediscover: false })])
    const s = { daemon: { running: procs.daemon.length > 0, pids: procs.daemon.map((p) => p.pid), apiUp: d.up }, miner: { running: procs.miner.length > 0, pids: procs.miner.map((p) => p.pid), apiUp: m.up } }
    return { at: Date.now(), ...s, text: siteStateText(s) }
  }

  /* ================================================================ helpers */

  private gateCtx(run: RestartRun, step: RestartStepState, handle: SiteHandle, signal: AbortSignal): GateCtx {
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
  private mine(id: string): RestartRun {
    const run = this.runs.get(id)
    if (run && !isFinished(run)) return run
    const disk = run ?? this.store.readRun(id)
    if (!disk) throw new MinerDeskError({ code: 'not-found', message: `no restart run ${id}` })
    if (isFinished(disk)) throw this.conflict(disk, `this restart is ${disk.phase}`)
    if (ownerAlive(disk.owner) && !ownedByMe(disk.owner)) throw this.conflict(disk, `this restart is being driven by another MinerDesk (${disk.owner?.via}, pid ${disk.owner?.pid})`)
    throw this.conflict(disk, `this restart ${disk.phase === 'interrupted' ? 'was interrupted' : 'was left by a MinerDesk that ended'}: resume it first (MinerDesk re-reads the site before going on)`)
  }

  private conflict(run: RestartRun, message: string): MinerDeskError {
    return new MinerDeskError({ code: 'conflict', message: `${run.siteId}: ${message}`, params: { run: run.id, phase: run.phase } })
  }

  /** What the audit log says about a step's command since it was shown. */
  private async auditOf(run: RestartRun, stepId: CommandStep, cmd: CommandRecord): Promise<AuditEntry[]> {
    const all = await this.ctx.audit.list({ site: run.siteId, limit: 500 })
    const since = new Date(cmd.at - 2000).toISOString()
    // The audit log holds commands redacted: compare them the same way.
    const command = redactSecrets(`${cmd.host}: ${cmd.text}`)
    return all.filter((e) => e.action === RESTART_STEP_ACTION[stepId] && e.command === command && e.time >= since).reverse()
  }

  /**
   * Writes the run to its file. A write that fails (a full disk) keeps the previous file whole
   * (RunStore) and is said on the run itself (`stateNotSaved`, shown in the window and the CLI)
   * until a later write succeeds; the run goes on in memory meanwhile.
   */
  private persist(run: RestartRun): void {
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
  private save(run: RestartRun, soon = false): void {
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

  async close(): Promise<void> {
    for (const d of this.drivers.values()) d.abort.abort()
    await Promise.all([...this.drivers.values()].map((d) => d.done.catch(() => undefined)))
    for (const [id, t] of this.saveTimers) {
      clearTimeout(t)
      const r = this.runs.get(id)
      if (r) this.persist(r)
    }
    this.saveTimers.clear()
  }
}

/** The size of a site log before a command (a read: tried again on a transient SSH failure). */
async function logSize(handle: SiteHandle, file: string): Promise<number> {
  let last: unknown
  for (let i = 0; i < 3; i++) {
    try {
      return (await readLog(handle.host, handle.config.workDir, file, 0, 0)).size
    } catch (err) {
      last = err
    }
  }
  throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not read the size of ${file} before the command; nothing was sent`, details: last instanceof Error ? last.message : String(last), hint: 'check the SSH connection and the site\'s working directory, then go on again' })
}

/** A run read from disk, as shown to a window: whether another live MinerDesk drives it. */
export function markElsewhere(r: RestartRun): RestartRun {
  return !isFinished(r) && r.owner !== null && ownerAlive(r.owner) && !ownedByMe(r.owner) ? { ...r, elsewhere: true } : r
}

function mainCommand(step: RestartStepState): CommandRecord | undefined {
  const cmds = step.commands.filter((c) => c.kind === 'command')
  return cmds[cmds.length - 1]
}

export function siteStateText(s: { daemon: { running: boolean; pids: number[]; apiUp: boolean }; miner: { running: boolean; pids: number[]; apiUp: boolean } }): string {
  const one = (name: string, x: { running: boolean; pids: number[]; apiUp: boolean }) =>
    x.running ? `${name} running (pid ${x.pids.join(' ')}${x.apiUp ? '' : ', API not answering'})` : x.apiUp ? `${name} API answers (process not found)` : `${name} stopped`
  return `${one('daemon', s.daemon)}; ${one('miner', s.miner)}`
}
