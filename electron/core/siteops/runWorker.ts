import { MinerDeskError, type MutationPreview, type SiteProcess, type StartKind } from '../../../preload/contract'
import type { ServiceContext } from '../runtime/context'
import { buildShellSnippet } from '../../common/shellQuote'
import { resolveSiteHost } from './hosts'
import { siteHostsOf } from './killWorkers'
import { findSiteProcesses } from './siteProcesses'

/**
 * runworker.sh / runworkerC2.sh: the site's configured start command (`startCommands.worker` or
 * `.workerC2`, e.g. `./runworker.sh`) run with `sh -c` in the site's work directory, on the site
 * host or one of its worker hosts. The preview shows the exact line and the site's worker
 * processes already running there; afterwards MinerDesk looks for the new worker processes.
 */

export const START_WAIT_MS = 20_000
const POLL_MS = 500
const START_TIMEOUT_MS = 60_000

const SCRIPT_NAME: Record<StartKind, string> = { worker: 'runworker.sh', workerC2: 'runworkerC2.sh' }

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

export async function previewRunWorker(ctx: ServiceContext, siteId: string, input: { kind: StartKind; host?: string | undefined }, opts: { waitMs?: number } = {}): Promise<MutationPreview> {
  const { config } = ctx.sites.get(siteId)
  const alias = resolveSiteHost(config, input.host)
  const snippet = config.startCommands[input.kind]
  const line = buildShellSnippet(snippet, config.workDir)
  const { identity, hosts } = await siteHostsOf(ctx, siteId)
  const handle = hosts.find((h) => h.alias === alias)
  if (!handle) throw new MinerDeskError({ code: 'internal', message: `no connection for ${alias}` })
  const workersNow = async (): Promise<SiteProcess[]> => {
    const r = await findSiteProcesses(siteId, 'lotus-worker', [handle], identity)
    const h = r.hosts[0]
    if (h?.error) throw new MinerDeskError(h.error)
    return (h?.processes ?? []).filter((p) => p.role === 'worker')
  }
  const before = await workersNow()
  const running = before.map((p) => `${p.workerName ?? '?'} (pid ${p.pid})`).join(', ')
  const warnings = before.length
    ? [{ key: 'workersAlreadyRunning', params: { count: before.length, host: alias, processes: running }, text: `${before.length} lotus-worker process(es) of this site already run on ${alias}: ${running}. A worker started again with the same repo or port fails to start.` }]
    : []
  const wait = opts.waitMs ?? START_WAIT_MS
  return ctx.ops.preview({
    site: siteId,
    action: input.kind === 'worker' ? 'workers.start' : 'workers.start-c2',
    params: { host: alias, command: snippet, script: SCRIPT_NAME[input.kind] ?? input.kind },
    steps: [{ kind: 'command', host: alias, text: line }],
    warnings,
    execute: async (s) => {
      const known = new Set((await workersNow()).map((p) => `${p.pid}:${p.startedAt}`))
      await s.run(0, async () => {
        const r = await handle.host.exec({ line }, { timeoutMs: START_TIMEOUT_MS })
        const out = `${r.stdout}${r.stderr}`.trim()
        if (r.code !== 0) {
          throw new MinerDeskError({ code: 'ssh/command-failed', message: `${snippet} exited with ${r.code ?? r.signal ?? 'no status'} on ${alias}`, details: out.slice(-4000) })
        }
        // The start scripts background their workers (nohup … &): look for the new processes.
        let started: SiteProcess[] = []
        const until = Date.now() + wait
        while (Date.now() < until) {
          started = (await workersNow()).filter((p) => !known.has(`${p.pid}:${p.startedAt}`))
          if (started.length > 0) {
            // Give the others of the same script a moment to appear too.
            await sleep(POLL_MS * 2)
            started = (await workersNow()).filter((p) => !known.has(`${p.pid}:${p.startedAt}`))
            break
          }
          await sleep(POLL_MS)
        }
        if (started.length === 0) {
          throw new MinerDeskError({
            code: 'ssh/command-failed',
            message: `${snippet} ran, but no new lotus-worker process of this site appeared on ${alias} within ${Math.round(wait / 1000)} s`,
            hint: `look at the worker logs in ${config.workDir} (the workers may have failed to start)`,
            ...(out ? { details: out.slice(-4000) } : {})
          })
        }
        s.data({ started: started.length, pids: started.map((p) => p.pid).join(' ') })
        return [out, ...started.map((p) => `started ${p.workerName ?? 'lotus-worker'} (pid ${p.pid})`)].filter(Boolean).join('\n')
      })
    }
  })
}
