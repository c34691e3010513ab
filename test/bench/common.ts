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

/** RSS samples of a long run: the last one, and the mean of the first and of the last third (growth = late - early). */
export function rssThirds(samples: number[]): { early: number; late: number; final: number } {
  const third = Math.max(1, Math.floor(samples.length / 3))
  const early = samples.slice(0, third).reduce((a, b) => a + b, 0) / third
  const late = samples.slice(-third).reduce((a, b) => a + b, 0) / third
  return { early, late, final: samples[samples.length - 1] ?? 0 }
}
