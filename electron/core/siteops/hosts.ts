import { MinerDeskError, type SiteConfig } from '../../../preload/contract'

/**
 * The hosts of a site MinerDesk may act on: the site's own alias, then every worker or storage
 * host of its settings (`workerHosts`: IP as Lotus reports it → SSH alias), each alias once.
 */
export function siteHosts(config: Pick<SiteConfig, 'alias' | 'workerHosts'>): string[] {
  const out = [config.alias]
  for (const alias of Object.values(config.workerHosts)) if (alias && !out.includes(alias)) out.push(alias)
  return out
}

/** A host the operator chose: it must be one of the site's hosts (never an arbitrary alias). */
export function resolveSiteHost(config: Pick<SiteConfig, 'id' | 'alias' | 'workerHosts'>, alias: string | undefined): string {
  if (alias === undefined) return config.alias
  const hosts = siteHosts(config)
  if (!hosts.includes(alias)) {
    throw new MinerDeskError({
      code: 'invalid-input',
      message: `"${alias}" is not a host of site ${config.id}`,
      hint: `hosts of this site: ${hosts.join(', ')} (worker hosts are set in the site's settings)`
    })
  }
  return alias
}
