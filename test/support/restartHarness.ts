import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AuditEntry, ChannelArgs, ChannelName, ChannelResult, SitePatch } from '../../preload/contract'
import type { RestartRun } from '../../preload/contract/restart'
import { findSiteProcs, type SiteProc } from '../../electron/sim/front/procs'
import { callDirect } from '../../electron/core/runtime/dispatch'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { SettingsStore } from '../../electron/core/settings/store'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SimSites } from './simSites'

/**
 * Test harness of the restart wizard's integration tests: a MINERDESK_HOME with the simulated
 * sites configured in it (so per-site settings such as the expected environment apply), a core
 * over it called through the validating dispatcher, the real CLI bundle run as a child process,
 * and the site's real processes read from /proc (never through MinerDesk).
 */

const ROOT = resolve(__dirname, '../..')

/** A fresh MINERDESK_HOME (or `home`, e.g. on a small disk) whose settings list the simulated sites (ids = aliases). */
export function homeWithSites(sim: SimSites, patches: Record<string, SitePatch> = {}, home = mkdtempSync(join(tmpdir(), 'md-wizard-home-'))): string {
  const store = new SettingsStore({ home })
  store.updateSettings({ sshConfigPath: sim.sshConfigPath })
  for (const s of sim.sites) {
    const site = store.addSite({ alias: s.alias })
    store.updateSite(site.id, { pollIntervalSec: 5, ...(patches[s.alias] ?? {}) })
  }
  return home
}

export function setSite(home: string, id: string, patch: SitePatch): void {
  new SettingsStore({ home }).updateSite(id, patch)
}

export interface TestCore {
  core: AppCore
  call<C extends ChannelName>(channel: C, ...args: ChannelArgs<C>): Promise<ChannelResult<C>>
  close(): Promise<void>
}

/** A core over `home` as the app would have it (web host), without pollers. */
export function testCore(home: string, via: 'web' | 'cli' = 'web'): TestCore {
  const core = createAppCore({ host: via === 'cli' ? 'cli' : 'web', version: 'test', secrets: createMemoryOnlySecretStore(), poll: false, home })
  return {
    core,
    call: (channel, ...args) => callDirect(core.handlers, channel, args, { via }) as Promise<ChannelResult<typeof channel>>,
    close: () => core.close()
  }
}

/** The site's lotus daemon and lotus-miner processes, read locally from /proc (the sim runs here). */
export function siteProcs(sim: SimSites, alias: string): { daemon: SiteProc[]; miner: SiteProc[] } {
  const dir = sim.site(alias).siteDir
  const all = findSiteProcs(dir).filter((p) => p.site === dir)
  // The simulated programs set their title (`lotus daemon`, `lotus-miner run`): a shell running a
  // start script that merely mentions them is not one of them.
  return { daemon: all.filter((p) => p.role === 'daemon' && p.cmdline.startsWith('lotus daemon')), miner: all.filter((p) => p.role === 'miner' && p.cmdline.startsWith('lotus-miner run')) }
}

export async function waitFor<T>(what: string, f: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 30_000, everyMs = 100): Promise<T> {
  const t0 = Date.now()
  for (;;) {
    const v = await f()
    if (v) return v
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** The audit entries of a site, oldest first. */
export async function auditOf(core: AppCore, site: string): Promise<AuditEntry[]> {
  return (await core.audit.list({ site, limit: 5000 })).reverse()
}

/** How many times each wizard command was started, by action (e.g. { 'wizard.stop-miner': 1 }). */
export function startedCount(entries: readonly AuditEntry[], since = ''): Record<string, number> {
  const out: Record<string, number> = {}
  for (const e of entries) if (e.result === 'started' && e.time >= since && e.action.startsWith('wizard.')) out[e.action] = (out[e.action] ?? 0) + 1
  return out
}

/* ------------------------------------------------------------------ the CLI */

export async function cliBundle(): Promise<string> {
  const mod = (await import(pathToFileURL(join(ROOT, 'electron/tools/bundle.mjs')).href)) as { ensureBundle(name: string): Promise<string> }
  return mod.ensureBundle('cli')
}

export interface CliRun {
  child: ChildProcess
  /** stdout lines so far (JSON events with --json). */
  lines: string[]
  events: Array<Record<string, unknown>>
  stderr(): string
  done: Promise<number | null>
  /** Resolves with the first event matching, or rejects when the CLI ends first. */
  waitEvent(match: (e: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>
  kill(signal?: NodeJS.Signals): void
}

export function runCli(bundle: string, home: string, args: string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, MINERDESK_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const events: Array<Record<string, unknown>> = []
  let err = ''
  let partial = ''
  const listeners = new Set<() => void>()
  child.stdout!.on('data', (b: Buffer) => {
    const parts = (partial + b.toString('utf8')).split('\n')
    partial = parts.pop() ?? ''
    for (const l of parts) {
      lines.push(l)
      try {
        const e = JSON.parse(l) as Record<string, unknown>
        if (e && typeof e === 'object') events.push(e)
      } catch {
        /* a human line */
      }
    }
    for (const f of listeners) f()
  })
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')))
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return {
    child,
    lines,
    events,
    stderr: () => err,
    done,
    waitEvent: (match, timeoutMs = 60_000) =>
      new Promise((resolveEvent, reject) => {
        const check = (): boolean => {
          const e = events.find(match)
          if (e) {
            cleanup()
            resolveEvent(e)
            return true
          }
          return false
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new Error(`no such event within ${timeoutMs} ms; output:\n${lines.join('\n')}\n${err}`))
        }, timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          listeners.delete(listener)
        }
        const listener = (): void => void check()
        listeners.add(listener)
        void done.then(() => {
          if (!check()) {
            cleanup()
            reject(new Error(`the CLI ended before the event; output:\n${lines.join('\n')}\n${err}`))
          }
        })
        check()
      }),
    kill: (signal = 'SIGKILL') => child.kill(signal)
  }
}

/** The final report object of `restart … --json`. */
export function reportOf(run: CliRun): { ok: boolean; exitCode: number; sites: Array<{ site: string; exitCode: number; message: string; run: RestartRun | null }> } {
  const r = run.events.find((e) => e.type === 'report')
  if (!r) throw new Error(`no report line; output:\n${run.lines.join('\n')}\n${run.stderr()}`)
  return r as unknown as ReturnType<typeof reportOf>
}

export function cleanupHome(home: string): void {
  rmSync(home, { recursive: true, force: true })
}
