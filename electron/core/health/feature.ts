import { siteHealth, type healthChannels, type LogReadReport, type SiteFindings } from '../../../preload/contract'
import type { ServiceContext } from '../runtime/context'
import type { Feature } from '../runtime/feature'
import { readSiteLogs, sourceReport } from './logRead'

/**
 * The health model as a core feature: findings of the sites (a poll now, as `minerdesk findings`
 * and the Overview's refresh want them) and the on-demand read of a site's logs, after which the
 * site is judged again with what the logs revealed.
 */
export function createHealthFeature(ctx: ServiceContext): Feature<keyof typeof healthChannels> {
  return {
    handlers: {
      'health:findings': async ([ids]) => {
        const wanted = ids.length > 0 ? ids : ctx.sites.ids()
        return Promise.all(
          wanted.map(async (id): Promise<SiteFindings> => {
            const { poller } = ctx.sites.get(id)
            const snap = await poller.refresh()
            return { siteId: id, connection: snap.connection.state, health: siteHealth(snap, snap.connection), takenAt: snap.takenAt, findings: snap.findings }
          })
        )
      },
      'health:readLogs': async ([site]): Promise<LogReadReport> => {
        const { poller } = ctx.sites.get(site)
        const facts = await readSiteLogs(ctx, site, Date.now())
        ctx.health.setLogs(site, facts)
        const snap = await poller.refresh()
        return { siteId: site, readAt: facts.readAt, sources: facts.sources.map(sourceReport), events: facts.events.length, findings: snap.findings }
      }
    }
  }
}
