import { z } from 'zod'
import { SITE_ID_RE } from './settings'

/** Building blocks of the contract's channel tables (channels.ts and the per-domain files). */

/** Phantom marker carrying a result type. */
export interface Returns<T> {
  readonly __returns?: T
}
export function returns<T>(): Returns<T> {
  return {}
}

export interface ChannelDef<A extends z.ZodTypeAny, R> {
  args: A
  result: Returns<R>
}
export function ch<A extends z.ZodTypeAny, R>(args: A, result: Returns<R>): ChannelDef<A, R> {
  return { args, result }
}

export const siteIdSchema = z.string().regex(SITE_ID_RE, 'not a site id')
