import type { ChannelName } from '../../../preload/contract'
import type { Handlers } from '../runtime/handlers'
import type { TeamService } from '../team/service'

/**
 * Read-only sites: every channel that prepares or starts a change is refused for them before its
 * handler runs, whichever host carried the call (window, browser, CLI, the exporter's process).
 * The ops registry refuses again when a preview is built and when it runs.
 */

/** Channels whose first argument is the site (or, for rolling restarts, the list of sites). */
const SITE_CHANNELS: readonly ChannelName[] = [
  'sectors:previewUpdateState',
  'sectors:previewRemove',
  'sectors:previewPledge',
  'sectors:previewClear',
  'sectors:previewAutopledge',
  'siteops:previewAbort',
  'siteops:previewKillWorkers',
  'siteops:previewRunWorker',
  'siteops:previewBlockPeer',
  'siteops:previewMpoolReplace',
  'restart:start',
  'restart:previewRolling',
  'team:previewBreakLock'
]

/** Channels whose first argument is a restart run. */
const RUN_CHANNELS: readonly ChannelName[] = ['restart:override', 'restart:next', 'restart:previewAll', 'restart:decide', 'restart:resume']

export function guardReadOnlySites(handlers: Handlers, team: TeamService, siteOfRun: (runId: string) => string | null): Handlers {
  const out = { ...handlers } as unknown as Record<string, (args: unknown[], ctx: unknown) => Promise<unknown>>
  const wrap = (channel: ChannelName, sitesOf: (args: unknown[]) => string[]): void => {
    const inner = out[channel]!
    out[channel] = async (args, ctx) => {
      for (const site of sitesOf(args)) team.assertWritable(site, channel)
      return inner(args, ctx)
    }
  }
  for (const c of SITE_CHANNELS) wrap(c, (args) => (Array.isArray(args[0]) ? (args[0] as string[]) : [String(args[0])]))
  for (const c of RUN_CHANNELS)
    wrap(c, (args) => {
      const site = siteOfRun(String(args[0]))
      return site ? [site] : []
    })
  return out as unknown as Handlers
}
