import { chownSync, existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { readSiteConfig, type Scenario } from '../common/siteConfig'
import { resolveSimDir } from './down'
import { SimUsageError } from './errors'
import { writeJsonPretty } from './state'

/**
 * `scenario --set a,b`: replaces a site's scenarios in sim.json. Processes read sim.json at start,
 * so the change takes effect at the next start of each process (as a config change on a real site).
 */
export function setScenarios(dir: string, site: string, scenarios: Scenario[]): { simJson: string; before: Scenario[]; after: Scenario[] } {
  const real = resolveSimDir(dir)
  const root = join(real, site)
  const simJson = join(root, 'sim.json')
  if (!existsSync(simJson)) throw new SimUsageError(`${real} has no ${site}`)
  const before = readSiteConfig(root).scenarios
  // Edit the raw object so fields this version of the schema does not know survive.
  const raw = JSON.parse(readFileSync(simJson, 'utf8')) as Record<string, unknown>
  const st = statSync(simJson)
  writeJsonPretty(simJson, { ...raw, scenarios })
  // Keep the site account's ownership when root rewrites the file.
  if (typeof process.getuid === 'function' && process.getuid() === 0) chownSync(simJson, st.uid, st.gid)
  return { simJson, before, after: scenarios }
}
