import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { dirLayout } from './layout'

/** `DIR/sim-state.json`: what `up` started (pids, ports), read by `down`, `status` and tests. */
export const siteStateSchema = z.object({
  alias: z.string(),
  siteDir: z.string(),
  sshPort: z.number().int(),
  ports: z.object({ daemon: z.number().int(), miner: z.number().int(), workers: z.record(z.string(), z.number().int()) }),
  pids: z.object({
    daemon: z.number().int().nullable(),
    miner: z.number().int().nullable(),
    workers: z.record(z.string(), z.number().int()),
    sshd: z.number().int().nullable()
  })
})
export type SiteState = z.infer<typeof siteStateSchema>

export const simStateSchema = z.object({
  version: z.literal(1),
  dir: z.string(),
  status: z.enum(['starting', 'running', 'stopped', 'failed']),
  createdAt: z.string(),
  updatedAt: z.string(),
  user: z.string(),
  ssh: z.object({
    mode: z.enum(['openssh', 'ssh2']),
    /** Process serving the in-process ssh2 servers (the foreground `up`, or the app). */
    hostPid: z.number().int().nullable()
  }),
  sshConfigPath: z.string(),
  knownHostsPath: z.string(),
  keyPath: z.string(),
  sites: z.array(siteStateSchema)
})
export type SimState = z.infer<typeof simStateSchema>

export function readSimState(dir: string): SimState | null {
  const path = dirLayout(dir).state
  if (!existsSync(path)) return null
  try {
    return simStateSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
  } catch {
    return null
  }
}

/** Pretty JSON written atomically (temp file + rename): operators read and edit these files. */
export function writeJsonPretty(path: string, value: unknown, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode })
  renameSync(tmp, path)
}

export function writeSimState(state: SimState): void {
  writeJsonPretty(dirLayout(state.dir).state, { ...state, updatedAt: new Date().toISOString() })
}
