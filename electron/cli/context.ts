import type { Command } from 'commander'
import { MinerDeskError, toErrorInfo, type ErrorInfo } from '../../preload/contract'
import { createAppCore, type AppCore } from '../core/app/appCore'
import { createMemoryOnlySecretStore } from '../core/ssh/secrets'
import { APP_VERSION } from '../core/version'
import { EXIT, exitCodeFor, type ExitCode } from './exitCodes'
import { terminalPrompts } from './prompts'

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
export function cliCore(o: GlobalOptions, opts: { poll?: boolean } = {}): AppCore {
  if (!core) {
    core = createAppCore({
      host: 'cli',
      version: APP_VERSION,
      secrets: createMemoryOnlySecretStore(),
      poll: opts.poll ?? false,
      prompts: terminalPrompts(),
      ...(o.sshConfig ? { sshConfig: { path: o.sshConfig, mode: 'ephemeral' as const } } : {})
    })
  }
  return core
}

export async function closeCore(): Promise<void> {
  const c = core
  core = null
  await c?.close()
}

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

export function notFound(message: string, hint?: string): MinerDeskError {
  return new MinerDeskError({ code: 'not-found', message, ...(hint ? { hint } : {}) })
}
