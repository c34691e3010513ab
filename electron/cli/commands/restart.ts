import { InvalidArgumentError, type Command } from 'commander'
import { MinerDeskError, type SiteConfig } from '../../../preload/contract'
import { FINISHED_PHASES, RESTART_STEPS, type Precheck, type RestartOptions, type RestartRun, type RestartStepId } from '../../../preload/contract/restart'
import { shortDuration } from '../../core/overview/format'
import type { AppCore } from '../../core/app/appCore'
import { renderTable } from '../../core/util/textTable'
import { outcomeText, renderMarkdown, STEP_TITLE } from '../../core/restart/report'
import { action, call, cliCore, EXIT, globals, notFound, siteOf, type ExitCode } from '../host'

/**
 * `minerdesk restart SITE [SITE…]`: the runbook's restart order through the restart wizard.
 * `--plan` shows the pre-check and the exact commands and changes nothing; `--yes` runs it,
 * printing progress (`--json`: one JSON object per event line, then a final report object); the
 * exit code says success or which step failed. Several sites are restarted one after another,
 * stopping at the first failure. `--resume` takes up a restart MinerDesk was stopped in.
 */

interface RestartFlags {
  plan?: boolean
  yes?: boolean
  resume?: boolean
  resend?: boolean
  kill?: boolean
  waitWindow?: boolean
  overrideUnsafe?: string
  expectVersion?: string
  expectDaemonVersion?: string
  stopTimeout?: number
  termWait?: number
  syncTimeout?: number
  warmupTimeout?: number
  postcheckTimeout?: number
}

const STEP_EXIT: Record<RestartStepId, ExitCode> = {
  precheck: EXIT.restartPrecheck,
  stopMiner: EXIT.restartStopMiner,
  stopDaemon: EXIT.restartStopDaemon,
  startDaemon: EXIT.restartStartDaemon,
  startMiner: EXIT.restartStartMiner,
  postcheck: EXIT.restartPostcheck
}

function secondsArg(v: string): number {
  const n = Number(v)
  if (!/^\d+$/.test(v) || n < 1 || n > 7 * 24 * 3600) throw new InvalidArgumentError('seconds: a whole number from 1 to 604800')
  return n
}

function optionsOf(f: RestartFlags): RestartOptions {
  return {
    ...(f.expectVersion ? { expectMinerVersion: f.expectVersion } : {}),
    ...(f.expectDaemonVersion ? { expectDaemonVersion: f.expectDaemonVersion } : {}),
    ...(f.waitWindow ? { waitForWindow: true } : {}),
    ...(f.kill ? { allowKill: true } : {}),
    ...(f.stopTimeout ? { stopTimeoutSec: f.stopTimeout } : {}),
    ...(f.termWait ? { termWaitSec: f.termWait } : {}),
    ...(f.syncTimeout ? { syncTimeoutSec: f.syncTimeout } : {}),
    ...(f.warmupTimeout ? { warmupTimeoutSec: f.warmupTimeout } : {}),
    ...(f.postcheckTimeout ? { postcheckTimeoutSec: f.postcheckTimeout } : {})
  }
}

/* ------------------------------------------------------------------ output */

class Printer {
  private readonly seen = new Map<string, { steps: Record<string, string>; commands: Record<string, string>; observations: Record<string, number>; sync: number; decision: string; notSaved: boolean }>()

  constructor(private readonly json: boolean) {}

  line(obj: Record<string, unknown>, text: string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(obj)}\n`)
    else process.stdout.write(`${text}\n`)
  }

  precheck(siteId: string, p: Precheck, runId: string | null): void {
    if (this.json) return this.line({ type: 'precheck', site: siteId, run: runId, verdict: p.verdict, precheck: p }, '')
    process.stdout.write(`${planText(siteId, p)}\n`)
  }

  /** Prints what changed in the run since the last update: step states, commands, gate observations, sync progress. */
  update(run: RestartRun): void {
    const s = this.seen.get(run.id) ?? { steps: {}, commands: {}, observations: {}, sync: 0, decision: '', notSaved: false }
    this.seen.set(run.id, s)
    const tag = run.siteId
    if (Boolean(run.stateNotSaved) !== s.notSaved) {
      s.notSaved = Boolean(run.stateNotSaved)
      const n = run.stateNotSaved
      if (n) this.line({ type: 'state-not-saved', site: tag, run: run.id, file: n.file, error: n.error }, `${tag}  WARNING: the restart state could not be saved (${n.error}); ${n.file} still holds an earlier state. The restart goes on; if MinerDesk stops now, resuming starts from that state. Free space in MINERDESK_HOME.`)
      else this.line({ type: 'state-saved', site: tag, run: run.id }, `${tag}  the restart state is saved again`)
    }
    for (const step of run.steps) {
      if (step.id === 'precheck') continue
      const n = RESTART_STEPS.indexOf(step.id)
      const title = `${n} ${STEP_TITLE[step.id].toLowerCase()}`
      step.commands.forEach((c, i) => {
        const key = `${step.id}/${i}`
        if (s.commands[key] === c.status) return
        s.commands[key] = c.status
        if (c.status === 'previewed') return
        const text = c.status === 'sending' ? `$ ${c.text}` : `${c.status === 'ok' ? 'done' : c.status}: ${c.text}${c.error ? ` (${c.error.message})` : ''}`
        this.line({ type: 'command', site: tag, run: run.id, step: step.id, kind: c.kind, host: c.host, text: c.text, status: c.status, ...(c.output ? { output: c.output } : {}), ...(c.error ? { error: c.error } : {}) }, `${tag}  ${title}: ${text}`)
      })
      const base = step.droppedObservations ?? 0
      const printed = s.observations[step.id] ?? 0
      step.observations.forEach((o, i) => {
        const index = i < 10 ? i : i + base
        if (index < printed) return
        this.line({ type: 'observation', site: tag, run: run.id, step: step.id, at: o.at, code: o.code, tone: o.tone, params: o.params, text: o.text }, `${tag}  ${title}: ${o.text}`)
      })
      s.observations[step.id] = Math.max(printed, step.observations.length + (step.observations.length > 10 ? base : 0))
      if (step.sync && step.sync.at !== s.sync && this.json) {
        s.sync = step.sync.at
        this.line({ type: 'sync', site: tag, run: run.id, ...step.sync }, '')
      }
      if (s.steps[step.id] !== step.status) {
        s.steps[step.id] = step.status
        if (step.status === 'ok' || step.status === 'skipped' || step.status === 'failed') {
          const took = step.startedAt && step.endedAt ? ` (${((step.endedAt - step.startedAt) / 1000).toFixed(1)} s)` : ''
          this.line({ type: 'step', site: tag, run: run.id, step: step.id, status: step.status, startedAt: step.startedAt, endedAt: step.endedAt, ...(step.error ? { error: step.error } : {}) }, `${tag}  ${title}: ${step.status.toUpperCase()}${took}${step.error ? ` — ${step.error.message}` : ''}`)
        } else if (step.status === 'running' && step.startedAt) {
          this.line({ type: 'step', site: tag, run: run.id, step: step.id, status: step.status, startedAt: step.startedAt }, `${tag}  ${title} …`)
        }
      }
    }
    const d = run.decision ? JSON.stringify({ k: run.decision.kind, s: 'step' in run.decision ? run.decision.step : '' }) : ''
    if (d !== s.decision) {
      s.decision = d
      if (run.decision && run.decision.kind !== 'confirm') this.line({ type: 'decision', site: tag, run: run.id, decision: run.decision }, `${tag}  needs a decision: ${decisionText(run)}`)
    }
  }
}

function decisionText(run: RestartRun): string {
  const d = run.decision
  if (!d) return ''
  switch (d.kind) {
    case 'verdict':
      return d.verdict.text
    case 'stop-timeout':
      return `${d.role === 'miner' ? 'lotus-miner' : 'lotus daemon'} (pid ${d.pids.join(' ')}) did not stop within ${shortDuration(d.waitedSec)}`
    case 'resend':
      return `"${d.command}" may have been sent before MinerDesk stopped (${d.audit.map((e) => `${e.time} ${e.result}`).join(', ') || 'no audit entry'}); ${d.facts}`
    case 'confirm':
      return `confirm ${d.preview.steps.map((s) => s.text).join(' ; ')}`
  }
}

export function planText(siteId: string, p: Precheck): string {
  const out: string[] = []
  const node = (n: Precheck['daemon'], extra = '') => `${n.up ? 'up  ' : 'DOWN'}  ${n.version ?? '-'}${extra}  pid ${n.pids.join(' ') || '-'}  repo ${n.repo}`
  out.push(`${siteId}: restart pre-check (changes nothing)`)
  out.push(`  daemon    ${node(p.daemon)}`)
  out.push(`  miner     ${node(p.miner, p.miner.actor ? `  ${p.miner.actor}` : '')}`)
  out.push(`  chain     height ${p.chain.height ?? '-'}, ${p.chain.behindEpochs ?? '-'} epoch(s) behind, block time ${p.chain.blockDelay ?? '-'} s`)
  out.push(`  verdict   ${p.verdict.text.toUpperCase().slice(0, 1)}${p.verdict.text.slice(1)}`)
  out.push(`            expected restart ${shortDuration(p.verdict.restartSec)} (${p.verdict.restartSource}), ${p.verdict.restartEpochs} epochs with margin`)
  if (p.proving) {
    out.push('', `  proving: epoch ${p.proving.currentEpoch}, deadline ${p.proving.deadlineIndex}`)
    const time = (ms: number) => new Date(ms).toTimeString().slice(0, 8)
    out.push(
      renderTable(p.proving.deadlines, [
        { header: 'DEADLINE', value: (d) => d.index, align: 'right' },
        { header: 'OPENS', value: (d) => time(d.openAt) },
        { header: 'CHALLENGE', value: (d) => d.challengeEpoch, align: 'right' },
        { header: 'PARTITIONS', value: (d) => d.partitions, align: 'right' },
        { header: 'SECTORS', value: (d) => d.sectors, align: 'right' },
        { header: 'PROVEN', value: (d) => d.proven, align: 'right' },
        { header: '', value: (d) => (d.current ? '(current)' : '') }
      ]).replace(/^/gm, '    ')
    )
  }
  const effect = { continues: 'keeps running on its worker; returned to the miner after the restart', requeued: 'scheduled again after the restart', returns: 'its result waits for the miner (ret-wait)' }
  out.push('', `  sealing jobs: ${p.jobs.length}`)
  if (p.jobs.length > 0) {
    out.push(
      renderTable(p.jobs, [
        { header: 'ID', value: (j) => j.id.slice(0, 8) },
        { header: 'SECTOR', value: (j) => j.sector, align: 'right' },
        { header: 'TASK', value: (j) => j.task },
        { header: 'WORKER', value: (j) => j.hostname },
        { header: 'STATE', value: (j) => j.state },
        { header: 'ON RESTART', value: (j) => effect[j.effect] }
      ]).replace(/^/gm, '    ')
    )
  }
  out.push(`  local pending messages: ${p.messages.length}${p.messages.length ? ` (${p.messages.map((m) => `${m.from}#${m.nonce}`).join(', ')}; kept by the daemon across the restart)` : ''}`)
  out.push(`  workers: ${p.workers.join(', ') || '-'}`)
  if (p.env.rows.length > 0) {
    out.push('  expected environment of the miner:')
    out.push(
      renderTable(p.env.rows, [
        { header: 'VARIABLE', value: (r) => r.name },
        { header: 'EXPECTED', value: (r) => r.expected },
        { header: 'RUNNING MINER NOW', value: (r) => (p.env.readable ? r.actual ?? '(not set)' : '(not readable)') },
        { header: '', value: (r) => (r.ok ? 'ok' : 'DIFFERS') }
      ]).replace(/^/gm, '    ')
    )
  }
  for (const w of p.warnings) out.push(`  note: ${w.text}`)
  out.push('', '  commands, in this order:')
  p.commands.forEach((c, i) => out.push(`    ${i + 1}. ${STEP_TITLE[c.step].padEnd(40)} ${c.host}: ${c.text}`))
  return out.join('\n')
}

/* ------------------------------------------------------------------ running one site */

interface SiteOutcome {
  siteId: string
  run: RestartRun | null
  exit: ExitCode
  message: string
}

function exitOf(run: RestartRun): ExitCode {
  if (run.phase === 'done') return EXIT.ok
  if (run.phase === 'aborted') return EXIT.restartAborted
  if (run.phase === 'failed') return STEP_EXIT[run.result?.failedStep ?? run.current]
  return EXIT.refused
}

async function restartOne(core: AppCore, site: SiteConfig, f: RestartFlags, printer: Printer): Promise<SiteOutcome> {
  const options = optionsOf(f)
  const existing = (await call(core, 'restart:list', site.id)).find((r) => !FINISHED_PHASES.includes(r.phase))
  let run: RestartRun
  if (existing) {
    if (existing.elsewhere) return { siteId: site.id, run: null, exit: EXIT.refused, message: `${site.id} is being restarted by another MinerDesk (${existing.via}); follow it there` }
    if (!f.resume) {
      const r = await call(core, 'restart:get', existing.id)
      return { siteId: site.id, run: r, exit: EXIT.refused, message: `${site.id} has an unfinished restart (run ${existing.id}, ${existing.phase} at "${STEP_TITLE[existing.current]}"). Take it up with: minerdesk restart ${site.id} --resume --yes` }
    }
    run = await call(core, 'restart:resume', existing.id, options)
    printer.line({ type: 'resume', site: site.id, run: run.id, current: run.current, interruptions: run.interruptions }, `${site.id}  taking up the restart interrupted at "${STEP_TITLE[run.current]}" (run ${run.id}); the site was read again first`)
    printer.update(run)
  } else {
    if (f.resume) printer.line({ type: 'note', site: site.id, text: 'nothing to resume: starting a new restart' }, `${site.id}  nothing to resume: starting a new restart`)
    run = await call(core, 'restart:start', site.id, options)
    if (run.precheck) printer.precheck(site.id, run.precheck, run.id)
  }
  if (run.phase === 'failed') return { siteId: site.id, run, exit: exitOf(run), message: outcomeText(run) }

  // Decisions the command line answers up front.
  for (let guard = 0; guard < 5 && run.decision; guard++) {
    const d = run.decision
    if (d.kind === 'verdict') {
      if (f.overrideUnsafe) {
        run = await call(core, 'restart:override', run.id, f.overrideUnsafe)
        printer.line({ type: 'override', site: site.id, run: run.id, verdict: d.verdict.text, note: f.overrideUnsafe }, `${site.id}  pre-check verdict overridden (recorded in the audit log): ${d.verdict.text}`)
        continue
      }
      if (f.waitWindow && d.verdict.kind === 'wait') break
      run = await call(core, 'restart:refuse', run.id)
      return { siteId: site.id, run, exit: EXIT.refused, message: `not restarted: ${d.verdict.text}. Wait for the window (--wait-window), or override with --override-unsafe "why"` }
    }
    if (d.kind === 'resend') {
      if (!f.resend) return { siteId: site.id, run, exit: EXIT.refused, message: `${decisionText(run)}. Send it again with --resend, or abort with: minerdesk restart-abort ${site.id}` }
      run = await call(core, 'restart:decide', run.id, { kind: 'resend' })
      continue
    }
    if (d.kind === 'stop-timeout') {
      if (!f.kill) return { siteId: site.id, run, exit: EXIT.refused, message: `${decisionText(run)}. End it with --resume --kill (TERM, then KILL), or wait longer with --resume` }
      run = await call(core, 'restart:decide', run.id, { kind: 'kill' })
      continue
    }
    break
  }
  if (run.decision?.kind === 'confirm') {
    // A preview left from a resumed step-by-step run: --yes confirms the rest as one sequence instead.
    await call(core, 'ops:cancel', run.decision.preview.id)
  }

  const preview = await call(core, 'restart:previewAll', run.id)
  printer.line({ type: 'confirm', site: site.id, run: run.id, preview }, `${site.id}  confirmed with --yes: ${preview.steps.map((s) => s.text).join(' ; ')}`)
  const outcome = await call(core, 'ops:execute', preview.id, null)
  if (!outcome.ok && outcome.error) throw new MinerDeskError(outcome.error)
  run = await call(core, 'restart:wait', run.id)
  printer.update(run)
  if (run.decision) {
    const d = run.decision
    const hint = d.kind === 'stop-timeout' ? ' End it with: --resume --kill (TERM, then KILL), or wait longer with --resume' : d.kind === 'resend' ? ' Send it again with --resume --resend' : ''
    return { siteId: site.id, run, exit: EXIT.refused, message: `${decisionText(run)}.${hint}` }
  }
  return { siteId: site.id, run, exit: exitOf(run), message: outcomeText(run) }
}

/* ------------------------------------------------------------------ registration */

export function registerRestartCommands(program: Command): void {
  program
    .command('restart <sites...>')
    .description("restart daemon and miner in the runbook's order (stop miner → stop daemon → start daemon, wait for sync → start miner, confirm the warm-up), with a safety pre-check and a gate before each next step")
    .option('--plan', 'show the pre-check and the exact commands; change nothing (exit 3 when the verdict is not "safe now")')
    .option('--yes', 'run it (the whole sequence is confirmed once; each command is still audited on its own)')
    .option('--resume', 'take up a restart that MinerDesk was stopped in (the site is read again first)')
    .option('--resend', 'with --resume: send again a command that may or may not have been sent before MinerDesk stopped')
    .option('--kill', 'end a process that does not stop within the timeout: kill -TERM, then kill -KILL (exact PIDs)')
    .option('--wait-window', 'when a WindowPoSt proof is due, wait for the next safe window instead of refusing')
    .option('--override-unsafe <why>', 'restart although the pre-check says it is not safe (the reason goes to the audit log)')
    .option('--expect-version <v>', "for an upgrade: the miner's version after the restart (default: the same as before)")
    .option('--expect-daemon-version <v>', "for an upgrade: the daemon's version after the restart")
    .option('--stop-timeout <sec>', 'how long a stop may take before asking (default: the site setting, else 120)', secondsArg)
    .option('--term-wait <sec>', 'after kill -TERM, how long to wait before kill -KILL (default 30)', secondsArg)
    .option('--sync-timeout <sec>', 'how long the chain may take to sync (default 3600)', secondsArg)
    .option('--warmup-timeout <sec>', 'how long the miner may take to its warm-up result (default 900)', secondsArg)
    .option('--postcheck-timeout <sec>', 'how long workers may take to register again (default 180)', secondsArg)
    .addHelpText(
      'after',
      `\nExamples:\n  minerdesk restart site-1 --plan\n  minerdesk restart site-1 --yes\n  minerdesk restart site-1 site-2 --yes --wait-window --json\n  minerdesk restart site-1 --resume --yes\n\nRestarts are kept in MINERDESK_HOME/wizard; see them with minerdesk restart-report SITE.`
    )
    .action(
      action(async (cmd, [names]): Promise<ExitCode> => {
        const o = globals(cmd)
        const f = cmd.opts<RestartFlags>()
        const core = cliCore(o)
        const sites = await Promise.all((names as string[]).map((n) => siteOf(core, n)))
        const printer = new Printer(Boolean(o.json))
        if (f.plan) {
          let exit: ExitCode = EXIT.ok
          for (const s of sites) {
            const p = await call(core, 'restart:plan', s.id)
            printer.precheck(s.id, p, null)
            if (p.verdict.kind !== 'safe') exit = EXIT.refused
          }
          return exit
        }
        if (!f.yes) {
          process.stderr.write('minerdesk: restart changes the site: add --yes to run it (or --plan to see what it would do)\n')
          return EXIT.refused
        }
        if (f.resend && !f.resume) throw new MinerDeskError({ code: 'invalid-input', message: '--resend goes with --resume' })
        const off = core.events.on('restart:update', (run) => printer.update(run))
        process.once('SIGINT', () => {
          process.stderr.write('\nminerdesk: stopped. The restart is saved; take it up again with --resume.\n')
          process.exit(130)
        })
        const outcomes: SiteOutcome[] = []
        try {
          for (const s of sites) {
            const r = await restartOne(core, s, f, printer)
            outcomes.push(r)
            if (!o.json) process.stdout.write(`${s.id}  ${r.exit === EXIT.ok ? 'OK' : 'NOT DONE'}: ${r.message}\n`)
            if (r.exit !== EXIT.ok) break
          }
        } finally {
          off()
        }
        const last = outcomes[outcomes.length - 1]
        const exit = last ? last.exit : EXIT.failed
        const skipped = sites.slice(outcomes.length).map((s) => s.id)
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify({ type: 'report', ok: exit === EXIT.ok, exitCode: exit, sites: outcomes.map((x) => ({ site: x.siteId, exitCode: x.exit, message: x.message, run: x.run })), notStarted: skipped })}\n`
          )
        } else if (skipped.length > 0) {
          process.stdout.write(`not restarted (stopped at the first failure): ${skipped.join(', ')}\n`)
        }
        return exit
      })
    )

  program
    .command('restart-report <site-or-run>')
    .description('the report of a site\'s latest restart (or of a run id): every step, what ran, what each gate saw, log excerpts')
    .option('--list', "list the site's restarts instead")
    .action(
      action(async (cmd, [name]): Promise<ExitCode> => {
        const o = globals(cmd)
        const core = cliCore(o)
        const id = String(name)
        let run: RestartRun
        if (/^[0-9a-f-]{36}$/.test(id)) run = await call(core, 'restart:get', id)
        else {
          const site = await siteOf(core, id)
          if (cmd.opts<{ list?: boolean }>().list) {
            const list = await call(core, 'restart:list', site.id)
            if (o.json) process.stdout.write(`${JSON.stringify({ site: site.id, runs: list }, null, 2)}\n`)
            else
              process.stdout.write(
                `${renderTable(list, [
                  { header: 'RUN', value: (r) => r.id },
                  { header: 'STARTED', value: (r) => new Date(r.createdAt).toISOString() },
                  { header: 'VIA', value: (r) => r.via },
                  { header: 'PHASE', value: (r) => r.phase },
                  { header: 'STEP', value: (r) => r.current }
                ])}\n`
              )
            return EXIT.ok
          }
          const latest = await call(core, 'restart:forSite', site.id)
          if (!latest) throw notFound(`${site.id} has no restart yet`)
          run = latest
        }
        process.stdout.write(o.json ? `${JSON.stringify(run, null, 2)}\n` : renderMarkdown(run))
        return EXIT.ok
      })
    )

  program
    .command('restart-abort <site>')
    .description("abort the site's unfinished restart (after the command in flight); the report says what ran and the state the site is in")
    .action(
      action(async (cmd, [name]): Promise<ExitCode> => {
        const o = globals(cmd)
        const core = cliCore(o)
        const site = await siteOf(core, name)
        const open = (await call(core, 'restart:list', site.id)).find((r) => !FINISHED_PHASES.includes(r.phase))
        if (!open) throw notFound(`${site.id} has no unfinished restart`)
        const run = await call(core, 'restart:abort', open.id)
        if (o.json) process.stdout.write(`${JSON.stringify(run)}\n`)
        else process.stdout.write(`${site.id}: ${outcomeText(run)}${run.result?.site ? `\nthe site now: ${run.result.site.text}` : ''}\n`)
        return EXIT.ok
      })
    )
}
