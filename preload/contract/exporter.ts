import { z } from 'zod'
import { ch, returns } from './define'
import type { ErrorInfo } from './errors'
export { DEFAULT_EXPORTER_LISTEN, formatListen, parseListen, listenSchema, type ListenAddress } from './listen'

/**
 * The Prometheus exporter: the latest polled snapshot of every site as `minerdesk_*` metrics on
 * `http://HOST:PORT/metrics`, run by `minerdesk exporter` or inside the app (a setting).
 */

export interface ExporterStatus {
  enabled: boolean
  listen: string
  /** `http://HOST:PORT/metrics` while serving. */
  url: string | null
  /** Why it does not serve (the port is taken…). */
  error: ErrorInfo | null
  /** Scrapes answered since it started. */
  scrapes: number
}

export const exporterChannels = {
  'exporter:status': ch(z.tuple([]), returns<ExporterStatus>())
} as const

export const exporterEvents = {
  'exporter:status': returns<ExporterStatus>()
} as const
