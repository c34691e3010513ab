import { homedir } from 'node:os'
import { join } from 'node:path'
import { defaultResolveEnv, resolveRoute, type ResolveEnv } from './config'
import { clampKeepalive, createSshHost, DEFAULT_KEEPALIVE_MS, type ManagedSshHost, type SshHostOptions } from './connection'
import { HostKeyMemory } from './hostVerify'
import { KeyRing } from './keyring'
import type { SshHost, SshPool, SshPoolOptions } from './types'

/**
 * One SshHost per alias, shared by every caller. The config is re-read at each connection
 * attempt; `setConfigPath` re-resolves at once and drops connections whose route changed.
 */

export function defaultSshConfigPath(): string {
  return join(homedir(), '.ssh', 'config')
}

/** Knobs beyond the public options, for tests and the simulator (short timings, a fixed home). */
export interface SshPoolInternals {
  env?: ResolveEnv
  /** Passed to every host as is (not clamped): tests use sub-second keepalives. */
  hostOptions?: Partial<Pick<SshHostOptions, 'keepaliveIntervalMs' | 'deadAfterMs' | 'connectTimeoutMs' | 'backoff' | 'agentSocket'>>
}

export interface ManagedSshPool extends SshPool {
  host(alias: string, siteId: string): ManagedSshHost
  readonly configPath: string
}

export function createSshPool(opts: SshPoolOptions, internals: SshPoolInternals = {}): ManagedSshPool {
  let configPath = opts.configPath
  const env = internals.env ?? defaultResolveEnv()
  const keyring = new KeyRing(opts.prompts, opts.secrets)
  const hostKeys = new HostKeyMemory()
  const hosts = new Map<string, ManagedSshHost>()
  const keepalive = clampKeepalive(opts.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS)

  return {
    get configPath() {
      return configPath
    },
    host(alias, siteId) {
      let h = hosts.get(alias)
      if (!h) {
        h = createSshHost({
          alias,
          siteId,
          resolve: () => resolveRoute(configPath, alias, env),
          prompts: opts.prompts,
          keyring,
          hostKeys,
          ...(opts.maxChannels !== undefined ? { maxChannels: opts.maxChannels } : {}),
          ...(opts.maxForwards !== undefined ? { maxForwards: opts.maxForwards } : {}),
          keepaliveIntervalMs: keepalive,
          ...internals.hostOptions
        })
        hosts.set(alias, h)
      }
      return h
    },
    setConfigPath(path) {
      configPath = path
      for (const h of hosts.values()) h.reconfigure()
    },
    async closeAll() {
      const all = [...hosts.values()]
      hosts.clear()
      await Promise.all(all.map((h) => h.close()))
    }
  }
}

export type { SshHost }
