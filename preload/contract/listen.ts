import { z } from 'zod'

/** Where the Prometheus exporter listens: `HOST:PORT` (no other contract imports: settings.ts uses it). */

export const DEFAULT_EXPORTER_LISTEN = '127.0.0.1:9720'

const HOST_NAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$/
const IPV4_RE = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const IPV6_RE = /^[0-9A-Fa-f:.]{2,45}$/

export interface ListenAddress {
  host: string
  port: number
}

/** `HOST:PORT`, `[IPV6]:PORT`: where the exporter listens. Null when it is not one. */
export function parseListen(text: string): ListenAddress | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:[\]]+):(\d{1,5})$/.exec(text)
  if (!m) return null
  const host = m[1]!
  const port = Number(m[2])
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null
  const v6 = text.startsWith('[')
  if (v6 ? !IPV6_RE.test(host) || !host.includes(':') : !IPV4_RE.test(host) && !HOST_NAME_RE.test(host)) return null
  return { host, port }
}

export function formatListen(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`
}

export const listenSchema = z
  .string()
  .max(300)
  .refine((s) => parseListen(s) !== null, 'not HOST:PORT (for example 127.0.0.1:9720, [::1]:9720, 0.0.0.0:9720)')

