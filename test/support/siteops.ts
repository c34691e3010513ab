import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditEntry, ChannelName, ErrorInfo, MutationOutcome, MutationPreview, Result } from '../../preload/contract'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { dispatch } from '../../electron/core/runtime/dispatch'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import type { SimSites } from './simSites'

/**
 * Shared by the siteops integration tests: a real core (temp MINERDESK_HOME, the sims' OpenSSH
 * config, every alias a site) called the way the browser host calls it — through `dispatch`,
 * which validates every argument with the contract's schemas.
 */

export interface TestCore {
  core: AppCore
  home: string
  /** A contract call; resolves with the result envelope. */
  call(channel: ChannelName, args: unknown[]): Promise<Result<unknown>>
  /** A contract call that must succeed. */
  ok<T>(channel: ChannelName, args: unknown[]): Promise<T>
  /** A contract call that must fail; resolves with its error. */
  fails(channel: ChannelName, args: unknown[]): Promise<ErrorInfo>
  /** preview → ops:execute with the confirmation it asks for. */
  run(channel: ChannelName, args: unknown[]): Promise<{ preview: MutationPreview; outcome: MutationOutcome }>
  audit(): AuditEntry[]
  close(): Promise<void>
}

export function startCore(sim: SimSites): TestCore {
  const home = mkdtempSync(join(tmpdir(), 'md-siteops-home-'))
  const core = createAppCore({
    host: 'web',
    version: 'test',
    secrets: createMemoryOnlySecretStore(),
    poll: false,
    home,
    sshConfig: { path: sim.sshConfigPath, mode: 'ephemeral' }
  })
  const call = (channel: ChannelName, args: unknown[]): Promise<Result<unknown>> => dispatch(core.handlers, channel, args, { via: 'web' })
  const ok = async <T>(channel: ChannelName, args: unknown[]): Promise<T> => {
    const r = await call(channel, args)
    if (!r.ok) throw new Error(`${channel} failed: ${r.error.code}: ${r.error.message}${r.error.details ? `\n${r.error.details}` : ''}`)
    return r.value as T
  }
  return {
    core,
    home,
    call,
    ok,
    async fails(channel, args) {
      const r = await call(channel, args)
      if (r.ok) throw new Error(`${channel} should have failed but answered ${JSON.stringify(r.value).slice(0, 300)}`)
      return r.error
    },
    async run(channel, args) {
      const preview = await ok<MutationPreview>(channel, args)
      const typed = preview.confirm.kind === 'type' ? preview.confirm.expected : null
      const outcome = await ok<MutationOutcome>('ops:execute', [preview.id, typed])
      // The assertions check `ok`; this says why it is not.
      if (!outcome.ok) console.error(`${channel} ${JSON.stringify(args)}: outcome not ok: ${JSON.stringify(outcome, null, 1).slice(0, 4000)}`)
      return { preview, outcome }
    },
    audit() {
      const file = join(home, 'audit.log')
      if (!existsSync(file)) return []
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as AuditEntry)
    },
    async close() {
      await core.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, everyMs = 250): Promise<T> {
  const t0 = Date.now()
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** PIDs of the `lotus-worker run` processes of one simulated site (by its HOME), read locally from /proc. */
export function simWorkerPids(home: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ')
      const m = /lotus-worker run --name (\S+)/.exec(cmd)
      if (!m) continue
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0')
      if (!env.includes(`HOME=${home}`)) continue
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue
      out.set(m[1]!, Number(name))
    } catch {
      // gone meanwhile
    }
  }
  return out
}
