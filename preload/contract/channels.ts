import { z } from 'zod'
import { ch, returns, siteIdSchema, type Returns } from './define'
import { restartChannels, restartEvents } from './restart'
import { sectorsChannels, sectorsEvents } from './sectors'
import { siteopsChannels, siteopsEvents } from './siteops'
import { historyChannels, historyEvents } from './history'
import { exporterChannels, exporterEvents } from './exporter'
import { teamChannels, teamEvents } from './team'
import type { AppInfo, AuditEntry, AuditVerifyResult, DemoStatus } from './app'
import type { ConnectionInfo, HostKeyPrompt, PassphrasePrompt } from './connection'
import type { OverviewState, SiteSnapshot } from './snapshot'
import { healthChannels, healthEvents } from './health'
import { previewIdSchema, typedConfirmationSchema, type MutationOutcome, type MutationProgress } from './ops'
import {
  newSiteSchema,
  settingsPatchSchema,
  sitePatchSchema,
  type AppSettings,
  type SiteConfig,
  type SshConfigListing
} from './settings'

/**
 * The one contract between the main side and the renderer. Each channel is `domain:method`,
 * with a zod schema for its argument tuple (main validates every call against it before acting)
 * and a phantom type for its result. Events are pushed from main to the renderer.
 * The Electron preload exposes these as named functions (`api.sites.add(...)`); the browser
 * host serves the same channels over a WebSocket.
 */

const noArgs = z.tuple([])
/** A time as ISO 8601 (what the audit log writes), e.g. `2026-12-07T05:00:00.000Z`. */
const isoTimeSchema = z.string().max(40).refine((s) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)), 'not an ISO 8601 time')

const baseChannels = {
  'app:info': ch(noArgs, returns<AppInfo>()),

  'settings:get': ch(noArgs, returns<AppSettings>()),
  'settings:update': ch(z.tuple([settingsPatchSchema]), returns<AppSettings>()),

  'sshConfig:list': ch(noArgs, returns<SshConfigListing>()),

  'sites:list': ch(noArgs, returns<SiteConfig[]>()),
  'sites:add': ch(z.tuple([newSiteSchema]), returns<SiteConfig>()),
  'sites:update': ch(z.tuple([siteIdSchema, sitePatchSchema]), returns<SiteConfig>()),
  'sites:remove': ch(z.tuple([siteIdSchema]), returns<null>()),
  'sites:reorder': ch(z.tuple([z.array(siteIdSchema).max(1000)]), returns<SiteConfig[]>()),

  'overview:get': ch(noArgs, returns<OverviewState>()),
  'overview:refresh': ch(z.tuple([siteIdSchema.nullable()]), returns<null>()),

  'ssh:answerHostKey': ch(
    z.tuple([z.string().uuid(), z.enum(['reject', 'accept-once', 'accept-save'])]),
    returns<null>()
  ),
  /** Questions still waiting for an answer (a page that (re)connects missed their events). */
  'ssh:pendingPrompts': ch(noArgs, returns<PendingPrompts>()),
  'ssh:answerPassphrase': ch(
    z.tuple([z.string().uuid(), z.string().max(4096).nullable(), z.boolean()]),
    returns<null>()
  ),

  'demo:status': ch(noArgs, returns<DemoStatus>()),
  'demo:start': ch(noArgs, returns<DemoStatus>()),
  'demo:stop': ch(noArgs, returns<DemoStatus>()),

  /** Runs a preview made by one of the `…:preview…` calls, exactly once (see ops.ts). */
  'ops:execute': ch(z.tuple([previewIdSchema, typedConfirmationSchema]), returns<MutationOutcome>()),
  'ops:cancel': ch(z.tuple([previewIdSchema]), returns<null>()),

  'audit:list': ch(
    z.tuple([z.object({ site: siteIdSchema.optional(), limit: z.number().int().min(1).max(5000).optional(), since: isoTimeSchema.optional(), until: isoTimeSchema.optional() })]),
    returns<AuditEntry[]>()
  ),
  /** Checks the audit log's hash chain and names the first entry that breaks it. */
  'audit:verify': ch(noArgs, returns<AuditVerifyResult>())
} as const

export const channels = { ...baseChannels, ...healthChannels, ...restartChannels, ...sectorsChannels, ...siteopsChannels, ...exporterChannels, ...historyChannels, ...teamChannels } as const

export interface PendingPrompts {
  hostKeys: HostKeyPrompt[]
  passphrases: PassphrasePrompt[]
}

const baseEvents = {
  'overview:snapshot': returns<SiteSnapshot>(),
  'sites:changed': returns<SiteConfig[]>(),
  'settings:changed': returns<AppSettings>(),
  'ssh:connection': returns<ConnectionInfo>(),
  'ssh:hostKeyPrompt': returns<HostKeyPrompt>(),
  'ssh:passphrasePrompt': returns<PassphrasePrompt>(),
  'demo:status': returns<DemoStatus>(),
  'ops:progress': returns<MutationProgress>()
} as const

export const events = { ...baseEvents, ...healthEvents, ...restartEvents, ...sectorsEvents, ...siteopsEvents, ...exporterEvents, ...historyEvents, ...teamEvents } as const

export type Channels = typeof channels
export type ChannelName = keyof Channels
export type ChannelArgs<C extends ChannelName> = z.infer<Channels[C]['args']>
/** A channel's arguments as a caller may pass them, before validation (e.g. a sector number as typed). */
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['args']>
export type ChannelResult<C extends ChannelName> = Channels[C]['result'] extends Returns<infer R> ? R : never

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = Events[E] extends Returns<infer P> ? P : never

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[]
export const EVENT_NAMES = Object.keys(events) as EventName[]

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name)
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name)
}
