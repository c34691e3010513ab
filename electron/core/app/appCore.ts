import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  MinerDeskError,
  newSiteSchema,
  type AppInfo,
  type HostKind,
  type SiteConfig,
  type SshConfigListing
} from '../../../preload/contract'
import type { AuditLog } from '../audit/auditLog'
import { ensureHome, minerdeskHome } from '../settings/paths'
import { applyAudited } from '../settings/audited'
import { newSiteConfig, SettingsStore } from '../settings/store'
import { createSshPool, defaultSshConfigPath, type ManagedSshPool, type SshPoolInternals } from '../ssh/pool'
import { listAliases } from '../ssh/config'
import type { SecretStore, SshPrompts } from '../ssh/types'
import { noDemo, type Demo, type DemoFactory } from '../runtime/demo'
import { EventBus } from '../runtime/eventBus'
import type { Handlers } from '../runtime/handlers'
import { PromptBroker } from '../runtime/promptBroker'
import { SitesRuntime, type SiteSource } from '../runtime/sitesRuntime'
import { OpsRegistry } from '../runtime/ops'
import type { ServiceContext } from '../runtime/context'
import { createRestartFeature } from '../restart/feature'
import { createSectorsFeature } from '../sectors/feature'
import { createSiteOpsFeature } from '../siteops/feature'
import { createHistoryFeature } from '../history/feature'
import { createHealthFeature } from '../health/feature'
import { HealthInputs } from '../health/inputs'
import { MetricsExporter } from '../exporter/exporter'
import { logProblem } from '../util/log'
import { MirroredAuditLog, TeamService } from '../team/service'
import { createTeamFeature } from '../team/feature'
import { operatorIdentity } from '../team/identity'
import { guardReadOnlySites } from './readOnlyGuard'

/**
 * MinerDesk's main side, assembled once per host (Electron window, browser host, CLI): settings,
 * the SSH pool, the live sites (Lotus clients and pollers), the operator prompts, the audit log
 * and the demo — and the contract handlers over them. Hosts only carry calls and events.
 */
export interface AppCoreOptions {
  host: HostKind | 'cli'
  version: string
  secrets: SecretStore
  /** MINERDESK_HOME (default: env or ~/.minerdesk). */
  home?: string
  /**
   * `--ssh-config FILE`. 'persist' (the app): becomes the SSH config setting, and when no sites
   * are configured every alias in it is added as a site. 'ephemeral' (the CLI): used for this
   * run only, and with no sites configured every alias counts as a site for this run.
   */
  sshConfig?: { path: string; mode: 'persist' | 'ephemeral' }
  /** Start pollers (the app) or poll on demand (the CLI). */
  poll: boolean
  /** The demo of a host that can run the simulator (electron/demo); none where it is not offered. */
  demo?: DemoFactory
  /** Refuse every change to every site (the `minerdesk exporter` process only watches). */
  readOnly?: boolean
  /** The CLI answers prompts on its terminal instead of through events. */
  prompts?: SshPrompts
  sshInternals?: SshPoolInternals
}

export interface AppCore {
  readonly handlers: Handlers
  readonly events: EventBus
  readonly home: string
  readonly store: SettingsStore
  readonly sites: SitesRuntime
  readonly audit: AuditLog
  readonly pool: ManagedSshPool
  readonly prompts: PromptBroker
  readonly demo: Demo
  readonly ops: OpsRegistry
  readonly context: ServiceContext
  /** The Prometheus exporter over the same pollers (serving only when asked). */
  readonly exporter: MetricsExporter
  readonly team: TeamService
  /** Starts polling and resumes the demo (app hosts). */
  start(): Promise<void>
  close(): Promise<void>
}

class EphemeralSites implements SiteSource {
  constructor(
    private readonly sites: SiteConfig[],
    private readonly store: SettingsStore
  ) {}
  listSites(): SiteConfig[] {
    return this.sites
  }
  getSite(id: string): SiteConfig | undefined {
    return this.sites.find((s) => s.id === id)
  }
  getSettings() {
    return this.store.getSettings()
  }
  onSitesChanged(): () => void {
    return () => undefined
  }
}

export function createAppCore(opts: AppCoreOptions): AppCore {
  const home = opts.home ?? minerdeskHome()
  ensureHome(home)
  const events = new EventBus()
  const store = new SettingsStore({ home })
  const audit = new MirroredAuditLog({ home, via: opts.host, operator: () => operatorIdentity(store.getSettings()) })
  const broker = new PromptBroker(events, opts.secrets)
  const override = opts.sshConfig?.mode === 'ephemeral' ? resolve(opts.sshConfig.path) : null
  if (opts.sshConfig?.mode === 'persist') store.updateSettings({ sshConfigPath: resolve(opts.sshConfig.path) })
  const configPath = (): string => override ?? store.getSettings().sshConfigPath ?? defaultSshConfigPath()
  const pool = createSshPool({ configPath: configPath(), prompts: opts.prompts ?? broker, secrets: opts.secrets }, opts.sshInternals)

  const aliasSites = (): SiteConfig[] => {
    const listing = listAliases(configPath())
    const taken: SiteConfig[] = []
    for (const a of listing.aliases) {
      if (!newSiteSchema.safeParse({ alias: a.alias }).success) {
        logProblem(`skipping SSH alias ${JSON.stringify(a.alias)}: not usable as a site name`)
        continue
      }
      taken.push(newSiteConfig({ alias: a.alias }, taken, store.getSettings()))
    }
    return taken
  }
  let source: SiteSource = store
  if (opts.sshConfig && store.listSites().length === 0) {
    if (opts.sshConfig.mode === 'persist') for (const s of aliasSites()) store.addSite({ alias: s.alias })
    else source = new EphemeralSites(aliasSites(), store)
  }
  const health = new HealthInputs()
  const sites = new SitesRuntime(source, pool, events, { poll: opts.poll, health, home })
  const demo = opts.demo ? opts.demo({ home, store, events, onSshConfig: () => pool.setConfigPath(configPath()) }) : noDemo()

  store.onSettingsChanged((s) => {
    events.emit('settings:changed', s)
    if (pool.configPath !== configPath()) pool.setConfigPath(configPath())
  })
  store.onSitesChanged((list) => events.emit('sites:changed', list))

  const exporter = new MetricsExporter(sites, events)
  /** The app serves the metrics while its setting says so (the CLI's `exporter` command serves them itself). */
  const applyExporter = async (): Promise<void> => {
    const e = store.getSettings().exporter
    await exporter.serve(e.enabled ? e.listen : null).catch((err: unknown) => logProblem('exporter', err instanceof Error ? err.message : err))
  }
  let serving = false
  store.onSettingsChanged(() => {
    if (serving) void applyExporter()
  })

  const team = new TeamService(sites, store, events, { readOnlyAll: opts.readOnly === true })
  audit.mirror = (e) => team.mirror(e)
  const ops = new OpsRegistry(audit, events)
  ops.setGuard(team)
  const context: ServiceContext = { home, store, sites, audit, pool, events, ops, team, health }
  const siteops = createSiteOpsFeature(context)
  health.setProvingChecks((id) => siteops.provingChecks.list(id))
  const features = [createRestartFeature(context), createSectorsFeature(context), siteops, createHistoryFeature(context, { record: opts.poll }), createHealthFeature(context)] as const

  const all: Handlers = {
    ...features[0].handlers,
    ...features[1].handlers,
    ...features[2].handlers,
    ...features[3].handlers,
    ...features[4].handlers,
    ...createTeamFeature(context, team).handlers,
    'app:info': async (): Promise<AppInfo> => ({
      version: opts.version,
      host: opts.host === 'cli' ? 'web' : opts.host,
      platform: process.platform,
      home,
      operator: team.identity(),
      secretProtection: opts.secrets.protection,
      language: store.getSettings().language,
      ...(store.loadProblem ? { settingsProblem: store.loadProblem } : {})
    }),
    'settings:get': async () => store.getSettings(),
    'settings:update': async ([patch]) => {
      if (patch.sshConfigPath && !existsSync(patch.sshConfigPath)) {
        throw new MinerDeskError({ code: 'invalid-input', message: `no such file: ${patch.sshConfigPath}`, hint: 'choose an existing OpenSSH config file' })
      }
      await applyAudited(store, audit, store.planSettings(patch))
      return store.getSettings()
    },
    'sshConfig:list': async (): Promise<SshConfigListing> => {
      const path = configPath()
      const added = new Set(source.listSites().map((s) => s.alias))
      try {
        const { aliases, warnings } = listAliases(path)
        return {
          path,
          aliases: aliases.map((a) => ({ ...a, added: added.has(a.alias) })),
          ...(warnings.length > 0 ? { error: warnings.join('\n') } : {})
        }
      } catch (err) {
        return { path, aliases: [], error: err instanceof Error ? err.message : String(err) }
      }
    },
    'sites:list': async () => source.listSites(),
    'sites:add': async ([input]) => {
      await applyAudited(store, audit, store.planAddSite(input))
      return store.listSites().find((s) => s.alias === input.alias)!
    },
    'sites:update': async ([id, patch]) => {
      await applyAudited(store, audit, store.planUpdateSite(id, patch))
      return store.getSite(id)!
    },
    'sites:remove': async ([id]) => {
      await applyAudited(store, audit, store.planRemoveSite(id))
      return null
    },
    'sites:reorder': async ([ids]) => store.reorderSites(ids),
    'overview:get': async () => sites.overview(),
    'overview:refresh': async ([id]) => {
      await sites.refresh(id)
      return null
    },
    'ssh:answerHostKey': async ([promptId, decision]) => {
      broker.answerHostKey(promptId, decision)
      return null
    },
    'ssh:pendingPrompts': async () => broker.pending(),
    'ssh:answerPassphrase': async ([promptId, passphrase, remember]) => {
      broker.answerPassphrase(promptId, passphrase, remember)
      return null
    },
    'demo:status': async () => demo.current(),
    'demo:start': async () => demo.start(),
    'demo:stop': async () => demo.stop(),
    'audit:list': async ([filter]) => audit.list(filter),
    'audit:verify': async () => audit.verify(),
    'ops:execute': async ([id, typed]) => ops.execute(id, typed),
    'ops:cancel': async ([id]) => {
      ops.cancel(id)
      return null
    },
    'exporter:status': async () => exporter.status()
  }

  const handlers = guardReadOnlySites(all, team, (runId) => {
    try {
      return features[0].engine.get(runId).siteId
    } catch {
      return null
    }
  })

  return {
    handlers,
    events,
    home,
    store,
    sites,
    audit,
    pool,
    prompts: broker,
    demo,
    ops,
    context,
    exporter,
    team,
    async start() {
      sites.startPolling()
      team.startWatching()
      serving = true
      await applyExporter()
      for (const f of features) await f.start?.()
      await demo.resume().catch((err: unknown) => logProblem('could not resume the demo', err))
    },
    async close() {
      for (const f of features) await f.close?.().catch(() => undefined)
      broker.cancelAll()
      serving = false
      team.close()
      await exporter.close()
      await sites.close()
      await pool.closeAll()
      // The demo's sites run while the host that runs them does (they come back at its next start).
      await demo.suspend().catch((err: unknown) => console.error('minerdesk: could not stop the demo sites:', err))
    }
  }
}
