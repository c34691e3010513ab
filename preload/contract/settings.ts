import { z } from 'zod'
import { DEFAULT_EXPORTER_LISTEN, listenSchema } from './listen'
import { SSH_ALIAS_RE, sshAliasSchema } from './validators'

/**
 * Expected durations (seconds) of sealing tasks and waits, from the runbook §0: AP 2 min, PC1
 * 3 h 10 min, PC2 1 h, WaitSeed 1 h 15 min, C1 10 s, C2 15 min. FIN and GET have no figure in the
 * runbook; MinerDesk assumes 10 and 30 minutes. Every value is editable per site.
 */
export const DURATION_KEYS = ['AP', 'PC1', 'PC2', 'WaitSeed', 'C1', 'C2', 'FIN', 'GET'] as const
export type DurationKey = (typeof DURATION_KEYS)[number]
export type Durations = Record<DurationKey, number>

export const RUNBOOK_DURATIONS: Durations = {
  AP: 2 * 60,
  PC1: 3 * 3600 + 10 * 60,
  PC2: 3600,
  WaitSeed: 75 * 60,
  C1: 10,
  C2: 15 * 60,
  FIN: 10 * 60,
  GET: 30 * 60
}

const seconds = z.number().int().min(1).max(30 * 24 * 3600)
export const durationsSchema = z.object(Object.fromEntries(DURATION_KEYS.map((k) => [k, seconds])) as Record<DurationKey, typeof seconds>)
export const partialDurationsSchema = durationsSchema.partial()

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const THEMES = ['light', 'dark', 'system'] as const
export type Theme = (typeof THEMES)[number]

export const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/
const envName = z.string().max(255).regex(ENV_NAME_RE, 'not a valid environment variable name')
const shellSnippet = z.string().min(1).max(4000).refine((s) => !s.includes('\0'), 'contains a NUL byte')

/** Commands that start the site's processes, as the operator runs them (runbook §5, §6). */
export const startCommandsSchema = z.object({
  daemon: shellSnippet,
  miner: shellSnippet,
  worker: shellSnippet,
  workerC2: shellSnippet
})
export type StartCommands = z.infer<typeof startCommandsSchema>

export const DEFAULT_START_COMMANDS: StartCommands = {
  daemon: 'nohup lotus daemon >> daemon.log 2>&1 < /dev/null &',
  miner: 'nohup lotus-miner run >> miner.log 2>&1 < /dev/null &',
  worker: './runworker.sh',
  workerC2: './runworkerC2.sh'
}

export const SITE_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/

/**
 * A worker or storage host as Lotus reports it in storage URLs (`http://<ip>:<port>/remote`): an
 * IPv4/IPv6 address or a host name. MinerDesk connects to its SSH alias, never to this text.
 */
export const workerAddressSchema = z.string().regex(/^[A-Za-z0-9_:[][A-Za-z0-9_.:[\]%-]{0,254}$/, 'not an IP address or host name')

const restartSeconds = z.number().int().min(1).max(7 * 24 * 3600)
// Never starting with '-': the log is read with tail, which would take it for an option.
const logPath = z.string().min(1).max(1000).refine((s) => !s.startsWith('-') && !s.includes('\0') && !s.includes('\n'), 'not a file path (no NUL or newline, not starting with -)')
/**
 * Per-site restart wizard settings: the expected restart time (the pre-check's safety margin
 * against WindowPoSt deadlines), the gates' time limits, and where the start commands log.
 */
export const siteRestartSchema = z
  .object({
    expectedSec: restartSeconds.optional(),
    stopTimeoutSec: restartSeconds.optional(),
    termWaitSec: restartSeconds.optional(),
    syncTimeoutSec: restartSeconds.optional(),
    warmupTimeoutSec: restartSeconds.optional(),
    postcheckTimeoutSec: restartSeconds.optional(),
    /** Relative to workDir, or absolute. Defaults: daemon.log, miner.log. */
    daemonLog: logPath.optional(),
    minerLog: logPath.optional()
  })
  .strict()
export type SiteRestartSettings = z.infer<typeof siteRestartSchema>

export const siteConfigSchema = z.object({
  /** Stable id (slug), used in URLs, the audit log and the CLI. */
  id: z.string().regex(SITE_ID_RE),
  /** The OpenSSH config `Host` alias the site is reached by. */
  alias: z.string().min(1).max(255),
  name: z.string().min(1).max(100),
  group: z.string().max(100),
  order: z.number().int().min(0),
  pollIntervalSec: z.number().int().min(5).max(3600),
  durations: partialDurationsSchema,
  /** Directory the start commands run in and the logs live in (`~` = the login's home). */
  workDir: z
    .string()
    .min(1)
    .max(1000)
    .refine((d) => !d.startsWith('-') && !/[\0\n]/.test(d), 'a directory (not starting with -, no NUL or newline)'),
  startCommands: startCommandsSchema,
  /** Environment the running miner must have (name → value; `*` = must be set, any value). */
  expectedEnv: z.record(envName, z.string().max(4000)),
  /** Worker or storage hosts: IP address as Lotus reports it → SSH alias that reaches it. */
  workerHosts: z.record(workerAddressSchema, sshAliasSchema),
  /** Restart wizard settings; every field optional, defaults in the wizard. */
  restart: siteRestartSchema.optional(),
  /** Monitoring only: MinerDesk refuses every change to this site (window, CLI, exporter). */
  readOnly: z.boolean().optional()
})
export type SiteConfig = z.infer<typeof siteConfigSchema>

export const newSiteSchema = z.object({
  alias: z.string().regex(SSH_ALIAS_RE, 'not an SSH host alias (letters, digits and . _ @ : -, not starting with - or .)'),
  name: z.string().min(1).max(100).optional(),
  group: z.string().max(100).optional()
})
export type NewSite = z.infer<typeof newSiteSchema>

export const sitePatchSchema = siteConfigSchema.omit({ id: true, alias: true, order: true }).partial().strict()
export type SitePatch = z.infer<typeof sitePatchSchema>

/** An operator's name as written into audit entries, restart locks and reports (`user@host` by default). */
export const operatorNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}0-9][\p{L}0-9 ._@+-]*$/u, 'letters, digits 0-9, space and . _ @ + - (starting with a letter or digit)')
  // Full-width letters, ligatures and decomposed accents would let one name pass for another in the audit.
  .refine((v) => v === v.normalize('NFKC'), 'written in Unicode normal form (no full-width or compatibility characters)')

export const OVERVIEW_LAYOUTS = ['auto', 'cards', 'table'] as const
export type OverviewLayout = (typeof OVERVIEW_LAYOUTS)[number]
/** Up to this many sites, `auto` shows cards. */
export const OVERVIEW_CARDS_UP_TO = 6

export const appSettingsSchema = z.object({
  language: z.enum(LANGUAGES),
  theme: z.enum(THEMES),
  /** OpenSSH config file; null = ~/.ssh/config. */
  sshConfigPath: z.string().min(1).max(4096).nullable(),
  defaultPollIntervalSec: z.number().int().min(5).max(3600),
  defaultDurations: durationsSchema,
  /** A job or sector counts as stuck once it has taken this many times its expected duration. */
  stuckMultiple: z.number().min(1).max(100),
  notifications: z.boolean(),
  /** The Prometheus exporter inside the app (`minerdesk exporter` runs it on its own). */
  exporter: z.object({ enabled: z.boolean(), listen: listenSchema }).strict(),
  /** The operator's name in audit entries, restart locks and reports; null = user@host. */
  operatorName: operatorNameSchema.nullable(),
  /** The Overview as cards, as one table row per site, or `auto` (cards for a few sites, the table for more). */
  overviewLayout: z.enum(OVERVIEW_LAYOUTS)
})
export type AppSettings = z.infer<typeof appSettingsSchema>
export const settingsPatchSchema = appSettingsSchema.partial().strict()
export type SettingsPatch = z.infer<typeof settingsPatchSchema>

export const DEFAULT_SETTINGS: AppSettings = {
  language: 'zh-CN',
  theme: 'light',
  sshConfigPath: null,
  defaultPollIntervalSec: 15,
  defaultDurations: RUNBOOK_DURATIONS,
  stuckMultiple: 2,
  notifications: true,
  exporter: { enabled: false, listen: DEFAULT_EXPORTER_LISTEN },
  operatorName: null,
  overviewLayout: 'auto'
}

/** A `Host` entry of the operator's OpenSSH config, resolved. */
export interface SshAliasInfo {
  alias: string
  hostName: string
  port: number
  user: string | null
  proxyJump: string[]
  identityFiles: string[]
  /** Already added as a site. */
  added: boolean
}

export interface SshConfigListing {
  path: string
  aliases: SshAliasInfo[]
  /** Set when the file could not be read or parsed. */
  error?: string
}

/**
 * settings.json could not be used (not JSON, not valid, not a regular file): it was moved aside
 * to `movedTo` and MinerDesk runs without those settings until the operator restores or
 * removes that copy.
 */
export interface SettingsLoadProblem {
  file: string
  /** Where the unusable file now is. */
  movedTo: string
  reason: string
}
