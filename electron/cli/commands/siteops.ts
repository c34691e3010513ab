import { CommanderError, type Command } from 'commander'
import {
  attoToFil,
  MinerDeskError,
  SITE_ID_RE,
  sshAliasSchema,
  type ChannelName,
  type MutationOutcome,
  type MutationPreview,
  type PeersInfo,
  type ProvingCheckRow,
  type ProvingCheckState,
  type SchedRequest,
  type SiteConfig,
  type WpsResult
} from '../../../preload/contract'
import type { AppCore } from '../../core/app/appCore'
import { callDirect } from '../../core/runtime/dispatch'
import { renderTable } from '../../core/util/textTable'
import { action, cliCore, globals, notFound, printError, printJson } from '../context'
import { auditFailureText, EXIT, exitCodeFor, outcomeExitCode, type ExitCode } from '../exitCodes'

/**
 * The runbook's jobs/workers/proving/chain scripts as subcommands (issue #5): abort, sched-diag,
 * wps, killw, runworker, runworker-c2, proving-check, net-peers, block-peer, mpool-replace.
 * Every argument goes through the contract's validators (the same checks as the app; invalid
 * input exits 2 before anything reaches a site). Mutations print their preview and run only
 * with --yes, through the same one-shot, audited `ops:execute` as the app.
 */

const cli = { via: 'cli' } as const

function invalid(message: string, hint?: string): MinerDeskError {
  return new MinerDeskError({ code: 'invalid-input', message, ...(hint ? { hint } : {}) })
}

/** A site by id or alias; a name that is neither shape is refused before any lookup. */
function siteOf(core: AppCore, name: string): SiteConfig {
  if (!SITE_ID_RE.test(name) && !sshAliasSchema.safeParse(name).success) throw invalid(`not a site id or SSH alias: ${JSON.stringify(name).slice(0, 60)}`)
  const sites = core.sites.ids().map((id) => core.sites.get(id).config)
  const s = sites.find((x) => x.id === name) ?? sites.find((x) => x.alias === name)
  if (!s) {
    throw notFound(`no site "${name}"`, sites.length ? `known sites: ${sites.map((x) => x.id).join(', ')}` : 'add sites in the app, or pass --ssh-config FILE to use every alias in it')
  }
  return s
}

function call<T>(core: AppCore, channel: ChannelName, args: unknown[]): Promise<T> {
  return callDirect(core.handlers, channel, args, cli) as Promise<T>
}

function printPreview(p: MutationPreview): void {
  const lines = [`${p.action} on ${p.site}:`]
  p.steps.forEach((s, i) => lines.push(`  ${i + 1}. [${s.kind}] ${s.host}: ${s.text}`))
  if (p.warnings.length) {
    lines.push('Warnings:')
    for (const w of p.warnings) lines.push(`  - ${w}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

function printOutcome(o: MutationOutcome): void {
  const lines: string[] = []
  o.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.status.toUpperCase().padEnd(7)} ${s.step.host}: ${s.step.text}`)
    if (s.output) lines.push(...s.output.split('\n').map((l) => `       ${l}`))
    if (s.error) lines.push(`       ${s.error.message}${s.error.details ? `\n       ${s.error.details.split('\n').join('\n       ')}` : ''}`)
  })
  lines.push(...auditFailureText(o))
  if (!o.auditFailure) {
    lines.push(o.ok ? 'Done.' : `Failed: ${o.error?.message ?? 'a step failed'}`)
    if (o.error?.hint) lines.push(`  ${o.error.hint}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

/**
 * Shows a preview, and runs it once when --yes was given (for a typed confirmation, the value the
 * operator already typed on the command line stands for it). Without --yes: exit 3, nothing ran.
 */
async function previewThenRun(core: AppCore, cmd: Command, preview: MutationPreview): Promise<ExitCode> {
  const o = globals(cmd)
  const yes = Boolean(cmd.opts<{ yes?: boolean }>().yes)
  if (!yes) {
    await call(core, 'ops:cancel', [preview.id])
    if (o.json) printJson({ preview, executed: false })
    else {
      printPreview(preview)
      process.stdout.write('Not run: add --yes to run it.\n')
    }
    return EXIT.refused
  }
  if (!o.json) printPreview(preview)
  const typed = preview.confirm.kind === 'type' ? preview.confirm.expected : null
  const outcome = await call<MutationOutcome>(core, 'ops:execute', [preview.id, typed])
  if (o.json) printJson({ preview, executed: true, outcome })
  else printOutcome(outcome)
  return outcomeExitCode(outcome)
}

const ago = (ms: number): string => {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000))
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${s % 60}s` : `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
}

function printWps(r: WpsResult): void {
  const rows = r.hosts.flatMap((h) => h.processes)
  process.stdout.write(
    `${renderTable(rows, [
      { header: 'HOST', value: (p) => p.host },
      { header: 'PID', value: (p) => p.pid, align: 'right' },
      { header: 'ROLE', value: (p) => p.role ?? '-' },
      { header: 'NAME', value: (p) => p.workerName ?? '-' },
      { header: 'STATE', value: (p) => p.state },
      { header: 'UP', value: (p) => ago(p.startedAt), align: 'right' },
      { header: 'COMMAND', value: (p) => p.argv.join(' ') }
    ])}\n`
  )
  for (const h of r.hosts) {
    if (h.error) process.stderr.write(`minerdesk: ${h.host}: ${h.error.message}\n`)
    if (h.othersSkipped > 0) process.stdout.write(`(${h.host}: ${h.othersSkipped} matching Lotus process(es) of other sites or users left out)\n`)
  }
}

function printCheckRows(rows: readonly ProvingCheckRow[]): void {
  for (const r of rows) process.stdout.write(`${String(r.deadline).padEnd(10)}${String(r.partition).padEnd(11)}${String(r.sector).padEnd(8)}${r.ok ? 'good' : `bad (${r.reason ?? ''})`}\n`)
}

/** Argument names that name a site (or a site's run) in any subcommand's usage line. */
const SITE_ARGUMENTS = new Set(['site', 'sites', 'site-or-run'])

/**
 * The CLI's guard for site names, for EVERY subcommand (it hooks the program, not just these
 * commands): a `<site>` argument must be a site id or an SSH alias before any command looks it
 * up, so `minerdesk jobs '$(id)'` is invalid input (exit 2), like every other malformed value,
 * rather than an unknown site (exit 4).
 */
export function guardSiteArguments(program: Command): void {
  program.hook('preAction', (_root, cmd) => {
    const names = cmd.registeredArguments.map((a) => a.name())
    cmd.processedArgs.forEach((value: unknown, i) => {
      if (!SITE_ARGUMENTS.has(names[i] ?? '')) return
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string' || SITE_ID_RE.test(v) || sshAliasSchema.safeParse(v).success) continue
        const err = invalid(`not a site id or SSH alias: ${JSON.stringify(v).slice(0, 60)}`, 'minerdesk sites lists the sites')
        printError(err, Boolean(globals(cmd).json))
        throw new CommanderError(EXIT.usage, 'minerdesk.invalidInput', err.message)
      }
    })
  })
}

export function registerSiteOpsCommands(program: Command): void {
  guardSiteArguments(program)
  program
    .command('abort <site> <job>')
    .description('abort a sealing job (lotus-miner sealing abort): <job> is its call id as `jobs` prints it (8+ hex digits)')
    .option('--sched', 'the id is a scheduler request UUID (see sched-diag): remove that request from the queue')
    .option('--yes', 'run it (without: show what would run)')
    .action(
      action(async (cmd, [site, job]) => {
        const core = cliCore(globals(cmd))
        const s = siteOf(core, site as string)
        const sched = Boolean(cmd.opts<{ sched?: boolean }>().sched)
        const preview = await call<MutationPreview>(core, 'siteops:previewAbort', [s.id, { job, ...(sched ? { sched: true } : {}) }])
        return previewThenRun(core, cmd, preview)
      })
    )

  program
    .command('sched-diag <site>')
    .description('requests waiting in the scheduler queue (lotus-miner sealing sched-diag), for abort --sched')
    .action(
      action(async (cmd, [site]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = siteOf(core, site as string)
        const reqs = await call<SchedRequest[]>(core, 'siteops:schedRequests', [s.id])
        if (o.json) return printJson({ site: s.id, requests: reqs })
        process.stdout.write(
          `${renderTable(reqs, [
            { header: 'SCHED ID', value: (r) => r.schedId },
            { header: 'SECTOR', value: (r) => r.sector, align: 'right' },
            { header: 'TASK', value: (r) => r.task },
            { header: 'PRIORITY', value: (r) => r.priority, align: 'right' }
          ])}\n`
        )
      })
    )

  program
    .command('wps <site> <flag>')
    .description("the site's Lotus processes whose command line contains <flag>, on the site host and its worker hosts (wps.sh)")
    .action(
      action(async (cmd, [site, flag]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = siteOf(core, site as string)
        const r = await call<WpsResult>(core, 'siteops:wps', [s.id, flag])
        if (o.json) return printJson(r)
        printWps(r)
      })
    )

  program
    .command('killw <site> <flag>')
    .description("end the site's lotus-worker processes whose command line contains <flag>, e.g. PC1:1: TERM, then KILL what is still running (killw.sh)")
    .option('--yes', 'run it (without: show the exact processes and signals)')
    .action(
      action(async (cmd, [site, flag]) => {
        const core = cliCore(globals(cmd))
        const s = siteOf(core, site as string)
        return previewThenRun(core, cmd, await call<MutationPreview>(core, 'siteops:previewKillWorkers', [s.id, flag]))
      })
    )

  for (const [name, kind, script] of [
    ['runworker', 'worker', 'runworker.sh'],
    ['runworker-c2', 'workerC2', 'runworkerC2.sh']
  ] as const) {
    program
      .command(`${name} <site>`)
      .description(`start ${kind === 'worker' ? 'a worker' : 'a C2 worker'} with the site's configured command (${script}), in its work directory`)
      .option('--host <alias>', "run it on this worker host of the site (default: the site's host)")
      .option('--yes', 'run it (without: show the exact command line)')
      .action(
        action(async (cmd, [site]) => {
          const core = cliCore(globals(cmd))
          const s = siteOf(core, site as string)
          const host = cmd.opts<{ host?: string }>().host
          return previewThenRun(core, cmd, await call<MutationPreview>(core, 'siteops:previewRunWorker', [s.id, { kind, ...(host !== undefined ? { host } : {}) }]))
        })
      )
  }

  program
    .command('proving-check <site> <deadline>')
    .description('lotus-miner proving check --slow <deadline>: rows as they arrive; exit 1 if a sector is bad. Ctrl-C cancels')
    .action(
      action(async (cmd, [site, deadline]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = siteOf(core, site as string)
        let id = ''
        const rows: ProvingCheckRow[] = []
        let finished: (state: ProvingCheckState) => void = () => undefined
        const ended = new Promise<ProvingCheckState>((r) => (finished = r))
        const off = core.events.on('siteops:provingCheck', (u) => {
          if (u.id !== id) return
          rows.push(...u.newRows)
          if (!o.json) printCheckRows(u.newRows)
          if (u.status !== 'running') void call<ProvingCheckState>(core, 'siteops:provingCheckGet', [id]).then(finished)
        })
        const onSigint = (): void => void call(core, 'siteops:provingCheckCancel', [id]).catch(() => undefined)
        try {
          const started = await call<ProvingCheckState>(core, 'siteops:provingCheckStart', [s.id, deadline])
          id = started.id
          process.once('SIGINT', onSigint)
          if (!o.json) {
            process.stdout.write(`${started.host}: ${started.command}\n`)
            process.stdout.write(`checking ${started.expectedSectors ?? '?'} live sector(s) in ${started.partitions ?? '?'} partition(s) of deadline ${started.deadline}…\n`)
            process.stdout.write('deadline  partition  sector  status\n')
          }
          const final = await ended
          if (o.json) printJson(final)
          else {
            process.stdout.write(`${final.status}: ${final.checked} checked, ${final.bad} bad, in ${Math.round(((final.endedAt ?? Date.now()) - final.startedAt) / 1000)} s\n`)
            if (final.error) process.stderr.write(`minerdesk: ${final.error.message}\n`)
          }
          if (final.status === 'cancelled') return EXIT.refused
          if (final.status === 'failed') return final.error ? exitCodeFor(final.error.code) : EXIT.failed
          return final.bad > 0 ? EXIT.failed : EXIT.ok
        } finally {
          off()
          process.off('SIGINT', onSigint)
        }
      })
    )

  program
    .command('net-peers <site>')
    .description('connected peers with their pubsub scores, and what is blocked (lotus net peers / net scores / net block list)')
    .action(
      action(async (cmd, [site]) => {
        const o = globals(cmd)
        const core = cliCore(o)
        const s = siteOf(core, site as string)
        const info = await call<PeersInfo>(core, 'siteops:peers', [s.id])
        if (o.json) return printJson(info)
        process.stdout.write(
          `${renderTable(info.peers, [
            { header: 'PEER', value: (p) => p.id },
            { header: 'SCORE', value: (p) => (p.score === null ? '-' : p.score.toFixed(6)), align: 'right' },
            { header: 'ADDRESSES', value: (p) => p.addrs.join(' ') }
          ])}\n`
        )
        process.stdout.write(`blocked peers: ${info.blocked.peers.join(' ') || '-'}\n`)
      })
    )

  program
    .command('block-peer <site> <peer>')
    .description('block a peer from connecting (lotus net block add peer <peer>)')
    .option('--yes', 'run it (without: show the exact API call)')
    .action(
      action(async (cmd, [site, peer]) => {
        const core = cliCore(globals(cmd))
        const s = siteOf(core, site as string)
        return previewThenRun(core, cmd, await call<MutationPreview>(core, 'siteops:previewBlockPeer', [s.id, peer]))
      })
    )

  program
    .command('mpool-replace <site> <from> <nonce>')
    .description('replace a stuck local message: lotus mpool replace --auto --fee-limit <FIL> <from> <nonce>')
    .option('--fee-limit <FIL>', 'spend at most this much FIL on gas for the replacement, e.g. 0.5')
    .option('--max-fee <attoFIL>', "the runbook's older spelling, in attoFIL (1000000000000000000 = 1 FIL); converted to --fee-limit")
    .option('--yes', 'run it (without: show the exact command and the fee limit)')
    .action(
      action(async (cmd, [site, from, nonce]) => {
        const opts = cmd.opts<{ feeLimit?: string; maxFee?: string }>()
        let feeLimit = opts.feeLimit
        if (opts.maxFee !== undefined) {
          if (feeLimit !== undefined) throw invalid('give --fee-limit (FIL) or --max-fee (attoFIL), not both')
          if (!/^[0-9]{1,30}$/.test(opts.maxFee)) throw invalid(`--max-fee is a whole number of attoFIL, e.g. 1000000000000000000 (got ${JSON.stringify(opts.maxFee).slice(0, 40)})`)
          feeLimit = attoToFil(opts.maxFee)
        }
        if (feeLimit === undefined) throw invalid('a fee limit is required: --fee-limit <FIL> (or the runbook\'s --max-fee <attoFIL>)', 'e.g. --fee-limit 0.5; Lotus spends at most that much FIL on gas for the new message')
        const core = cliCore(globals(cmd))
        const s = siteOf(core, site as string)
        return previewThenRun(core, cmd, await call<MutationPreview>(core, 'siteops:previewMpoolReplace', [s.id, { from, nonce, feeLimit }]))
      })
    )
}
