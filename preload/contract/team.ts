import { z } from 'zod'
import { ch, returns, siteIdSchema } from './define'
import type { MutationPreview } from './ops'

/**
 * Several operators on one site, from different laptops: who restarts it now (the restart lock
 * on the site host, under the login's ~/.minerdesk/), and who did what there (the site's own
 * ~/.minerdesk/audit.log). Channels and events are merged into channels.ts.
 */

/** Who holds a site's restart lock, as the lock on the site host says. */
export interface SiteLock {
  operator: string
  /** The machine MinerDesk runs on (its hostname). */
  machine: string
  pid: number
  /** The restart run holding it. */
  run: string
  /** The holder's own name for the site. */
  site: string
  via: string
  /** When it was taken and its last heartbeat (ms since epoch, the site host's clock). */
  since: number
  heartbeat: number
  /** The heartbeat is older than STALE_LOCK_SEC: its holder stopped; it can be broken explicitly. */
  stale: boolean
  /** Held by this MinerDesk process (one of its own runs). */
  mine: boolean
}

/** A lock whose heartbeat is older than this (seconds) can be broken by another operator. */
export const STALE_LOCK_SEC = 300
/** How often a held lock is refreshed (seconds). */
export const LOCK_HEARTBEAT_SEC = 30

/** One line of the site's own audit log (what every operator's MinerDesk did there). */
export interface SiteAuditEntry {
  time: string
  operator: string
  machine: string
  via: string
  /** The writer's name for the site. */
  site: string
  action: string
  command: string
  result: string
  detail?: string
  /** Written by this operator on this machine. */
  mine: boolean
}

export interface SiteTeamState {
  siteId: string
  /** null: nobody restarts the site now. */
  lock: SiteLock | null
  /** Newest first; what the site's log holds last (every operator's). */
  recent: SiteAuditEntry[]
  /** When it was read (ms) and why it could not be (SSH down…). */
  readAt: number
  error?: string
}

export const teamChannels = {
  /** The restart lock and the latest entries of the site's own audit log, read now. */
  'team:site': ch(z.tuple([siteIdSchema]), returns<SiteTeamState>()),
  /** What MinerDesk knows of every site's lock (kept fresh in the background). */
  'team:locks': ch(z.tuple([]), returns<Record<string, SiteTeamState>>()),
  /** Breaking a stale restart lock: a preview (ops:execute runs it, audited). */
  'team:previewBreakLock': ch(z.tuple([siteIdSchema]), returns<MutationPreview>())
} as const

export const teamEvents = {
  'team:site': returns<SiteTeamState>()
} as const
