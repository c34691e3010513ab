import { MinerDeskError, toErrorInfo, type AuditEntry, type CommandRecord, type RestartRun, type RestartStepId } from '../../../preload/contract'
import { RESTART_STEP_ACTION } from '../../../preload/contract/restart'
import { shortDuration } from '../overview/format'
import type { ServiceContext } from '../runtime/context'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { signalProcesses } from '../remote/processes'
import { errorMessage } from '../ssh/errors'
import { daemonGate, GateFailure, keepExcerpt, minerGate, observation, stepT0, stopGate } from './gates'
import type { Drivers } from './driver'
import { alivePids, apiAnswers, commandText, logPaths, readLog, roleProcesses, startLine, stopCommand, type Role } from './remote'
import { mainCommand, type Runs } from './runs'
import { redactSecrets } from '../util/redact'
import { clockText } from './verdict'

/** How long a resumed restart waits for a stop that may be in flight before asking whether to send it again. */
const STOP_IN_FLIGHT_GRACE_SEC = 20

/**
 * The restart's command steps (stop the miner, stop the daemon, start the daemon, start the
 * miner): each command is a mutation through ctx.ops (preview with the exact command line →
 * confirmed → audited → run once), followed by its gate. A process already in the wanted state is
 * not stopped or started again; a command that may have been sent before MinerDesk stopped is
 * put to the operator when the site does not show its effect.
 */

export const COMMAND_STEPS = ['stopMiner', 'stopDaemon', 'startDaemon', 'startMiner'] as const
export type CommandStep = (typeof COMMAND_STEPS)[number]
const ROLE: Record<CommandStep, Role> = { stopMiner: 'miner', stopDaemon: 'daemon', startDaemon: 'daemon', startMiner: 'miner' }
export const KIND: Record<CommandStep, 'stop' | 'start'> = { stopMiner: 'stop', stopDaemon: 'stop', startDaemon: 'start', startMiner: 'start' }
export const ROLE_NAME: Record<Role, string> = { daemon: 'lotus daemon', miner: 'lotus-miner' }

export const isCommandStep = (s: RestartStepId): s is CommandStep => (COMMAND_STEPS as readonly string[]).includes(s)

export class CommandSteps {
  constructor(
    private readonly runs: Runs,
    private readonly drivers: Drivers
  ) {}

  private get ctx(): ServiceContext {
    return this.runs.ctx
  }

  commandFor(run: RestartRun, handle: SiteHandle, step: CommandStep): { text: string; send: () => Promise<{ code: number | null; output: string }> } {
    const role = ROLE[step]
    if (KIND[step] === 'stop') {
      const cmd = stopCommand(role, run.repos!)
      return {
        text: commandText(cmd),
        send: async () => {
          const r = await handle.host.exec(cmd, { timeoutMs: this.runs.options(run).stopTimeoutSec * 1000 })
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
  async run(run: RestartRun, stepId: CommandStep, handle: SiteHandle, signal: AbortSignal): Promise<boolean> {
    const step = this.runs.stepOf(run, stepId)
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
        this.runs.save(run)
        return true
      }
      if (kind === 'start' && running) {
        // Which process, since when: a process the restart did not expect (started by someone else) is told apart.
        const seen = procs.map((p) => `${p.pid} ${redactSecrets(p.argv.join(' ')).slice(0, 80)} @${clockText(p.startedAt)}`).join('; ') || '?'
        step.observations.push(observation('already-running', { role: ROLE_NAME[role], pids: seen }, 'ok', `${ROLE_NAME[role]} is already running (pid ${seen}): not starting it twice`))
        this.runs.save(run)
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
      throw new GateFailure('start-failed', `the start command failed: ${cmd.error?.message ?? cmd.output ?? ''}`, { hintKey: 'start-failed' }, cmd.output, 'check the site\'s start command (Settings → site)')
    }
    const g = this.runs.gateCtx(run, step, handle, signal)
    if (kind === 'stop') {
      const until = step.gateUntil ?? stepT0(step) + this.runs.options(run).stopTimeoutSec * 1000
      const r = await stopGate(g, role, until)
      if (!r.stopped) {
        const waited = Math.round((Date.now() - stepT0(step)) / 1000)
        step.observations.push(observation('timeout', { role: ROLE_NAME[role], sec: waited, pids: r.pids.join(' ') }, 'warning', `${ROLE_NAME[role]} did not stop within ${shortDuration(waited)} (pid ${r.pids.join(' ')})`))
        if (this.runs.auto.has(run.id) && run.options.allowKill) {
          await this.prepareKill(run, stepId, r.pids)
          return !run.decision && this.runs.stepOf(run, stepId).status !== 'failed' ? this.run(run, stepId, handle, signal) : false
        }
        run.decision = { kind: 'stop-timeout', step: stepId, role, pids: r.pids, waitedSec: waited }
        run.phase = 'waiting'
        step.status = 'waiting'
        this.runs.save(run)
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
    this.runs.save(run)
    return true
  }

  /**
   * The step's command as a preview; confirmed by the operator (step by step) or by the wizard
   * itself after "run all". The log's size is taken first: the gate reads what is written after.
   */
  private async offerCommand(run: RestartRun, stepId: CommandStep, handle: SiteHandle): Promise<void> {
    const step = this.runs.stepOf(run, stepId)
    const role = ROLE[stepId]
    const { text, send } = this.commandFor(run, handle, stepId)
    // The gate must read only what is written after the command: without the log's size, nothing is sent.
    step.logOffset = await logSize(handle, logPaths(handle.config)[role])
    const record: CommandRecord = { previewId: '', kind: 'command', host: handle.config.alias, text, status: 'previewed', at: Date.now() }
    const start = KIND[stepId] === 'start'
    const warnings = start ? [{ key: 'start-command', params: { dir: handle.config.workDir }, text: `Runs the site's start command in ${handle.config.workDir} as configured (Settings → site).` }] : []
    const preview = this.ctx.ops.preview({
      site: run.siteId,
      action: RESTART_STEP_ACTION[stepId],
      params: { site: run.siteId },
      steps: [{ kind: 'command', host: handle.config.alias, text }],
      warnings,
      execute: async (s) => {
        const current = this.runs.mine(run.id)
        current.decision = null
        current.phase = 'running'
        record.status = 'sending'
        record.at = Date.now()
        this.runs.save(current)
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
          this.runs.save(current)
          // Step by step: the operator's confirmation carries the step on to its gate.
          if (!this.drivers.has(current.id)) this.drivers.ensure(current)
        }
      }
    })
    record.previewId = preview.id
    step.commands.push(record)
    if (this.runs.auto.has(run.id)) {
      this.runs.save(run)
      await this.ctx.ops.execute(preview.id, null)
      return
    }
    run.decision = { kind: 'confirm', step: stepId, preview }
    run.phase = 'waiting'
    step.status = 'waiting'
    this.runs.save(run)
  }

  /** End the process: TERM, wait, then KILL — of exact PIDs, after the operator confirms. */
  async prepareKill(run: RestartRun, stepId: CommandStep, knownPids?: number[]): Promise<void> {
    const handle = this.ctx.sites.get(run.siteId)
    const role = ROLE[stepId]
    const step = this.runs.stepOf(run, stepId)
    const pids = knownPids ?? (await roleProcesses(handle.host, role, run.repos![role])).map((p) => p.pid)
    if (pids.length === 0) {
      run.decision = null
      run.phase = 'ready'
      step.gateUntil = Date.now() + 5000
      this.runs.save(run)
      if (this.runs.auto.has(run.id)) this.drivers.ensure(run)
      return
    }
    const termWait = this.runs.options(run).termWaitSec
    const list = pids.join(' ')
    const records: CommandRecord[] = ['TERM', 'KILL'].map((sig) => ({ previewId: '', kind: 'signal', host: handle.config.alias, text: `kill -${sig} ${list}`, status: 'previewed', at: Date.now() }))
    const preview = this.ctx.ops.preview({
      site: run.siteId,
      action: `${RESTART_STEP_ACTION[stepId]}.kill`,
      params: { site: run.siteId, pids: list },
      steps: records.map((r) => ({ kind: 'signal' as const, host: r.host, text: r.text })),
      warnings: [
        { key: 'kill', params: { process: ROLE_NAME[role], pids: list, wait: shortDuration(termWait) }, text: `${ROLE_NAME[role]} (pid ${list}) did not stop by itself. kill -TERM asks it to shut down; if it still runs after ${shortDuration(termWait)}, kill -KILL ends it at once.` },
        { key: 'kill-leftovers', params: { process: ROLE_NAME[role] }, text: `A killed ${ROLE_NAME[role]} leaves its api file and repo lock behind; Lotus takes a dead process's lock over at the next start.` }
      ],
      typeToConfirm: String(pids[0]),
      execute: async (s) => {
        const current = this.runs.mine(run.id)
        current.decision = null
        current.phase = 'running'
        this.runs.save(current)
        const mark = (r: CommandRecord, status: CommandRecord['status'], output?: string) => {
          r.status = status
          r.endedAt = Date.now()
          if (output) r.output = output
          this.runs.save(current)
        }
        try {
          records[0]!.status = 'sending'
          records[0]!.at = Date.now()
          this.runs.save(current)
          await s.run(0, async () => {
            const r = await signalProcesses(handle.host, pids, 'TERM')
            mark(records[0]!, r.code === 0 ? 'ok' : 'error', `${r.stdout}${r.stderr}`.trim())
            return `${r.stdout}${r.stderr}`
          })
          const deadline = Date.now() + termWait * 1000
          let alive = await alivePids(handle.host, pids)
          while (alive.size > 0 && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, this.runs.pollMs))
            alive = await alivePids(handle.host, pids)
          }
          if (alive.size === 0) {
            s.skip(1, `ended after TERM`)
            mark(records[1]!, 'skipped', 'ended after TERM')
            step.observations.push(observation('signal', { signal: 'TERM', pids: list }, 'info', `${ROLE_NAME[role]} ended after kill -TERM`))
          } else {
            records[1]!.status = 'sending'
            records[1]!.at = Date.now()
            this.runs.save(current)
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
          this.runs.save(current)
          if (!this.drivers.has(current.id)) this.drivers.ensure(current)
        }
      }
    })
    for (const r of records) r.previewId = preview.id
    step.commands.push(...records)
    if (this.runs.auto.has(run.id) && run.options.allowKill) {
      step.observations.push(observation('kill-allowed', { pids: list }, 'warning', `ending ${ROLE_NAME[role]} (pid ${list}): allowed beforehand (--kill)`))
      this.runs.save(run)
      await this.ctx.ops.execute(preview.id, String(pids[0]))
      return
    }
    run.decision = { kind: 'confirm', step: stepId, preview }
    run.phase = 'waiting'
    step.status = 'waiting'
    this.runs.save(run)
  }

  /**
   * After MinerDesk stopped mid-step: a command that may have been sent and whose effect the site
   * does not show is put to the operator (with the audit log's entries); one whose effect shows is
   * not sent again.
   */
  async evaluateUncertain(run: RestartRun, handle: SiteHandle): Promise<void> {
    const step = this.runs.stepOf(run, run.current)
    if (isCommandStep(run.current) && run.repos) {
      const role = ROLE[run.current]
      const kind = KIND[run.current]
      const cmd = mainCommand(step)
      // A command shown but not confirmed may still have been started (the audit log says so).
      const audit = cmd ? await this.auditOf(run, run.current, cmd) : []
      if (cmd && cmd.status === 'previewed' && audit.some((e) => e.result === 'started')) cmd.status = 'uncertain'
      if (cmd && cmd.status === 'previewed') cmd.status = 'skipped'
      if (cmd && cmd.status === 'uncertain') {
        const repo = run.repos[role]
        const look = async (): Promise<{ procs: Awaited<ReturnType<typeof roleProcesses>>; running: boolean }> => {
          const procs = await roleProcesses(handle.host, role, repo)
          const api = await apiAnswers(handle.lotus, role, { rediscover: true })
          return { procs, running: procs.length > 0 || api.up }
        }
        let { procs, running } = await look()
        // A stop that was sent takes a while to take effect (lotus-miner finishes what it does and
        // closes its repo): give it up to the stop timeout (20 s at most) before asking.
        const graceUntil = Date.now() + Math.min(this.runs.options(run).stopTimeoutSec, STOP_IN_FLIGHT_GRACE_SEC) * 1000
        while (kind === 'stop' && running && Date.now() < graceUntil) {
          await new Promise((r) => setTimeout(r, 1000))
          ;({ procs, running } = await look())
        }
        const effectSeen = kind === 'stop' ? !running : running
        if (!effectSeen) {
          const facts = `${ROLE_NAME[role]} is ${running ? `still running (pid ${procs.map((p) => p.pid).join(' ') || '?'})` : 'not running'}`
          run.decision = { kind: 'resend', step: run.current, command: cmd.text, audit, facts, role, running, pids: procs.map((p) => p.pid) }
          run.phase = 'waiting'
          step.status = 'waiting'
          this.runs.save(run)
          return
        }
        step.observations.push(observation('effect-seen', { role: ROLE_NAME[role], state: running ? 'running' : 'stopped' }, 'ok', `${ROLE_NAME[role]} is ${running ? 'running' : 'stopped'}: the command had its effect; not sending it again`))
      }
    }
    if (step.status === 'waiting') step.status = 'running'
    run.phase = 'ready'
    this.runs.save(run)
    if (this.runs.auto.has(run.id)) this.drivers.ensure(run)
  }

  /** What the audit log says about a step's command since it was shown. */
  private async auditOf(run: RestartRun, stepId: CommandStep, cmd: CommandRecord): Promise<AuditEntry[]> {
    const all = await this.ctx.audit.list({ site: run.siteId, limit: 500 })
    const since = new Date(cmd.at - 2000).toISOString()
    // The audit log holds commands redacted: compare them the same way.
    const command = redactSecrets(`${cmd.host}: ${cmd.text}`)
    return all.filter((e) => e.action === RESTART_STEP_ACTION[stepId] && e.command === command && e.time >= since).reverse()
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
