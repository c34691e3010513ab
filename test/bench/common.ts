import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'

/** Percentile of a list of numbers (nearest rank). */
export function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN
}

export const round = (n: number, d = 0): number => Math.round(n * 10 ** d) / 10 ** d

/** A core like the app's (polling off; benches drive refreshes), with its own MINERDESK_HOME. */
export function benchCore(sshConfigPath: string): { core: AppCore; cleanup(): Promise<void> } {
  const home = mkdtempSync(join(tmpdir(), 'md-bench-home-'))
  const core = createAppCore({
    host: 'web',
    version: 'bench',
    home,
    secrets: createMemoryOnlySecretStore(),
    poll: false,
    sshConfig: { path: sshConfigPath, mode: 'persist' }
  })
  return {
    core,
    async cleanup() {
      await core.close()
      rmSync(home, { recursive: true, force: true })
    }
  }
}

export function mb(bytes: number): number {
  return round(bytes / 2 ** 20, 1)
}
