import { CommanderError, type Command } from 'commander'
import {
  MinerDeskError,
  SITE_ID_RE,
  sshAliasSchema,
  toErrorInfo,
  type ChannelInput,
  type ChannelName,
  type ChannelResult,
  type ErrorCode,
  type ErrorInfo,
  type Language,
  type MutationOutcome,
  type MutationPreview,
  type SiteConfig,
  type SiteSnapshot
} from '../../preload/contract'
import { createAppCore, type AppCore } from '../core/app/appCore'
import { callDirect } from '../core/runtime/dispatch'
import { createMemoryOnlySecretStore } from '../core/ssh/secrets'
import { APP_VERSION } from '../core/version'
import { terminalPrompts } from './prompts'

/**
 * The CLI as a host, like the window: every command reaches the core through the contract's
 * channels and `dispatch` (validated arguments, the same handlers, redacted answers), so the same
 * question gets the same answer in both. This module is what every command shares: the core,
 * calls, site lookup, preview → confirm → run, printing, and exit codes.
 */

/* ------------------------------------------------------------------ exit codes */

/**
 * Exit codes scripts can rely on (also printed by `minerdesk --help`):
 * 0 success · 1 a site or the operation failed · 2 bad usage or invalid input ·
 * 3 refused (not confirmed with --yes, or a safety check said no) · 4 not found.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  notFound: 4,
  /** The action RAN, but the audit log could not record it (a full disk): never run it again. */
  ranUnaudited: 5,
  /** `minerdesk restart`: the step that failed (10 pre-check … 15 post-check), 16 aborted. */
  restartPrecheck: 10,
  restartStopMiner: 11,
  restartStopDaemon: 12,
  restartStartDaemon: 13,
  restartStartMiner: 14,
  restartPostcheck: 15,
  restartAborted: 16
} as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export function exitCodeFor(code: ErrorCode): ExitCode {
  if (code === 'invalid-input') return EXIT.usage
  if (code === 'not-found') return EXIT.notFound
  if (code === 'mutation/not-confirmed' || code === 'mutation/refused' || code === 'ssh/host-key-rejected' || code === 'site/locked' || code === 'site/read-only') return EXIT.refused
  return EXIT.failed
}

/** The exit code of an executed change: 5 whenever a step ran without its end in the audit log. */
export function outcomeExitCode(o: Pick<MutationOutcome, 'ok' | 'error' | 'auditFailure'>): ExitCode {
  if (o.auditFailure) return EXIT.ranUnaudited
  if (o.ok) return EXIT.ok
  return o.error ? exitCodeFor(o.error.code) : EXIT.failed
}

export const EXIT_HELP = `Exit codes: 0 success, 1 a site or the operation failed, 2 bad usage or invalid input,
3 refused (needs --yes, a safety check said no, another operator restarts the site, or the site is read-only), 4 not found,
5 the action ran but the audit log could not record it (disk full?): do not run it again.
restart: 10 the pre-check failed, 11 stopping the miner failed, 12 stopping the daemon failed,
13 starting the daemon / sync failed, 14 starting the miner failed (warm-up, environment, version),
15 the post-check failed, 16 aborted; 3 also when the restart waits for an operator decision.`

/* ------------------------------------------------------------------ the core and calls */

/** Global options every subcommand sees. */
export interface GlobalOptions {
  sshConfig?: string
  json?: boolean
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>()
}

let core: AppCore | null = null

/**
 * The CLI's core: same services as the app, prompts on the terminal; no pollers, except for
 * long-running commands (`exporter`) that poll like the app.
 */
export function cliCore(o: GlobalOptions, opts: { poll?: boolean; readOnly?: boolean } = {}): AppCore {
  if (!core) {
    core = createAppCore({
      host: 'cli',
      version: APP_VERSION,
      secrets: createMemoryOnlySecretStore(),
      poll: opts.poll ?? false,
      ...(opts.readOnly ? { readOnly: true } : {}),
      prompts: terminalPrompts(),
      ...(o.sshConfig ? { sshConfig: { path: o.sshConfig, mode: 'ephemeral' as const } } : {})
    })
    warnAboutTrust(core)
  }
  return core
}

/**
 * What every command says on stderr, until the operator deals with it: an unusable settings.json
 * kept aside ("No sites" alone would hide that the settings were lost), and a site reached
 * through a host whose SSH config turns host-key checking off.
 */
function warnAboutTrust(c: AppCore): void {
  const bad = c.store.loadProblem
  if (bad) {
    process.stderr.write(
      `minerdesk: WARNING: ${bad.file} could not be used (${bad.reason}); it is kept as ${bad.movedTo}.\n` +
        `  MinerDesk runs without those settings (sites, start commands, expected environment).\n` +
        `  Fix it and move it back (mv '${bad.movedTo}' '${bad.file}'), or delete it to start afresh.\n`
    )
  }
  const warned = new Set<string>()
  c.events.on('ssh:connection', (info) => {
    if (!info.hostKeyCheckingOff?.length || warned.has(info.siteId)) return
    warned.add(info.siteId)
    process.stderr.write(
      `minerdesk: WARNING: ${info.siteId}: StrictHostKeyChecking no for ${info.hostKeyCheckingOff.join(', ')} in your SSH config: a new host key is accepted without asking.\n` +
        `  MinerDesk records it in known_hosts (as OpenSSH does) and still refuses a changed key; set StrictHostKeyChecking accept-new or ask to be asked.\n`
    )
  })
}

export async function closeCore(): Promise<void> {
  const c = core
  core = null
  await c?.close()
}

/**
 * A contract call, as the window makes it: through `dispatch` (the arguments as typed on the
 * command line, validated by the channel's schema), throwing the call's error.
 */
export function call<C extends ChannelName>(core: AppCore, channel: C, ...args: ChannelInput<C>): Promise<ChannelResult<C>> {
  return callDirect(core.handlers, channel, args, { via: 'cli' }) as Promise<ChannelResult<C>>
}

/**
 * Runs a command body with the core, maps failures to exit codes, always closes connections.
 * The body gets the command and its positional arguments as commander parsed them.
 */
export function action(body: (cmd: Command, positional: unknown[]) => Promise<ExitCode | void>) {
  return async (...raw: unknown[]): Promise<void> => {
    const cmd = raw[raw.length - 1] as Command
    const o = globals(cmd)
    let code: ExitCode = EXIT.ok
    try {
      code = (await body(cmd, raw.slice(0, -2))) ?? EXIT.ok
    } catch (err) {
      code = printError(err, Boolean(o.json))
    } finally {
      await closeCore().catch(() => undefined)
    }
    process.exitCode = code
  }
}

export function invalid(message: string, hint?: string): MinerDeskError {
  return new MinerDeskError({ code: 'invalid-input', message, ...(hint ? { hint } : {}) })
}

export function notFound(message: string, hint?: string): MinerDeskError {
  return new MinerDeskError({ code: 'not-found', message, ...(hint ? { hint } : {}) })
}

/* ------------------------------------------------------------------ sites */

const isSiteName = (v: string): boolean => SITE_ID_RE.test(v) || sshAliasSchema.safeParse(v).success

/** A site by id or alias (a name that is neither shape is invalid input, before any lookup). */
export async function siteOf(core: AppCore, name: unknown): Promise<SiteConfig> {
  const n = String(name)
  if (!isSiteName(n)) throw invalid(`not a site id or SSH alias: ${JSON.stringify(n).slice(0, 60)}`, 'minerdesk sites lists the sites')
  const sites = await call(core, 'sites:list')
  const s = sites.find((x) => x.id === n) ?? sites.find((x) => x.alias === n)
  if (!s) throw notFound(`no site "${n}"`, sites.length ? `known sites: ${sites.map((x) => x.id).join(', ')}` : 'add sites in the app, or pass --ssh-config FILE to use every alias in it')
  return s
}

/** The CLI speaks Chinese when the settings and the terminal's locale both say so, else English. */
export async function cliLanguage(core: AppCore): Promise<Language> {
  return (await call(core, 'settings:get')).language === 'zh-CN' && (process.env.LC_ALL || process.env.LANG || '').startsWith('zh') ? 'zh-CN' : 'en'
}

/** Polls the site once and returns its snapshot, as the window sees it after a refresh. */
export async function snapshotOf(core: AppCore, siteId: string): Promise<SiteSnapshot> {
  await call(core, 'overview:refresh', siteId)
  const snap = (await call(core, 'overview:get')).snapshots[siteId]
  if (!snap) throw new MinerDeskError({ code: 'internal', message: `${siteId}: no snapshot after a refresh` })
  return snap
}

/** Argument names that name a site (or a site's run) in any subcommand's usage line. */
const SITE_ARGUMENTS = new Set(['site', 'sites', 'site-or-run'])

/**
 * The CLI's guard for site names, for EVERY subcommand (it hooks the program): a `<site>`
 * argument must be a site id or an SSH alias before any command looks it up, so
 * `minerdesk jobs '$(id)'` is invalid input (exit 2), like every other malformed value, rather
 * than an unknown site (exit 4).
 */
export function guardSiteArguments(program: Command): void {
  program.hook('preAction', (_root, cmd) => {
    const names = cmd.registeredArguments.map((a) => a.name())
    cmd.processedArgs.forEach((value: unknown, i) => {
      if (!SITE_ARGUMENTS.has(names[i] ?? '')) return
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string' || isSiteName(v)) continue
        const err = invalid(`not a site id or SSH alias: ${JSON.stringify(v).slice(0, 60)}`, 'minerdesk sites lists the sites')
        printError(err, Boolean(globals(cmd).json))
        throw new CommanderError(EXIT.usage, 'minerdesk.invalidInput', err.message)
      }
    })
  })
}

/* ------------------------------------------------------------------ preview → confirm → run */

export function printPreview(p: MutationPreview): void {
  const lines = [`${p.action} on ${p.site}:`]
  p.steps.forEach((s, i) => lines.push(`  ${i + 1}. [${s.kind}] ${s.host}: ${s.text}`))
  if (p.warnings.length) {
    lines.push('Warnings:')
    for (const w of p.warnings) lines.push(`  ! ${w.text}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

/** What the CLI prints when a step ran but the audit log could not record its end. */
export function auditFailureText(o: Pick<MutationOutcome, 'auditFailure' | 'steps'>): string[] {
  if (!o.auditFailure) return []
  const s = o.steps[o.auditFailure.step]
  return [
    `RAN, NOT AUDITED: step ${o.auditFailure.step + 1} (${s ? `${s.step.host}: ${s.step.text}` : '?'}) was sent to the site, but the audit log could not record how it ended: ${o.auditFailure.error.message}`,
    '  Do NOT run it again: check the site to see its effect. Nothing after it was started.',
    ...(o.auditFailure.error.hint ? [`  ${o.auditFailure.error.hint}`] : [])
  ]
}

export function printOutcome(o: MutationOutcome): void {
  const lines: string[] = []
  o.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.status.toUpperCase().padEnd(7)} ${s.step.host}: ${s.step.text}`)
    if (s.output) lines.push(...s.output.split('\n').map((l) => `       ${l}`))
    if (s.error) lines.push(`       ${s.error.message}${s.error.details ? `\n       ${s.error.details.split('\n').join('\n       ')}` : ''}`)
  })
  for (const [k, v] of Object.entries(o.data ?? {})) lines.push(`  ${k}: ${String(v)}`)
  lines.push(...auditFailureText(o))
  if (!o.auditFailure) {
    lines.push(o.ok ? 'Done.' : `Failed: ${o.error?.message ?? 'a step failed'}`)
    if (o.error?.hint) lines.push(`  ${o.error.hint}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
}

/**
 * Shows a preview, and runs it once through `ops:execute` when --yes was given (for a typed
 * confirmation, the value the operator already typed on the command line stands for it).
 * Without --yes: the preview is cancelled, nothing ran, exit 3. With it: the outcome's exit code
 * (1 a step failed, 5 it ran but the audit log could not record it).
 */
export async function previewThenRun(core: AppCore, cmd: Command, preview: MutationPreview): Promise<ExitCode> {
  const o = globals(cmd)
  if (cmd.opts<{ yes?: boolean }>().yes !== true) {
    await call(core, 'ops:cancel', preview.id)
    if (o.json) printJson({ preview, executed: false })
    else {
      printPreview(preview)
      const what = preview.confirm.kind === 'type' ? ` (it asks you to confirm ${preview.confirm.expected})` : ''
      process.stdout.write(`Not run. Add --yes to run it${what}.\n`)
    }
    return EXIT.refused
  }
  if (!o.json) printPreview(preview)
  const typed = preview.confirm.kind === 'type' ? preview.confirm.expected : null
  const outcome = await call(core, 'ops:execute', preview.id, typed)
  if (o.json) printJson({ preview, executed: true, outcome })
  else printOutcome(outcome)
  return outcomeExitCode(outcome)
}

/* ------------------------------------------------------------------ printing */

/** Prints JSON (one document) for scripts. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`)
}

export function printError(err: unknown, json: boolean): ExitCode {
  const info: ErrorInfo = toErrorInfo(err)
  if (json) {
    process.stdout.write(`${JSON.stringify({ error: info })}\n`)
  } else {
    process.stderr.write(`minerdesk: ${info.message}\n`)
    if (info.hint) process.stderr.write(`  ${info.hint}\n`)
    if (info.details) process.stderr.write(`  ${info.details.split('\n').join('\n  ')}\n`)
  }
  return exitCodeFor(info.code)
}
