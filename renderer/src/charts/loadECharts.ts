/**
 * ECharts is loaded when the first chart is shown (a chunk of its own), so the window opens
 * without it. Everything it needs is bundled: nothing is fetched from elsewhere.
 */
import type * as SetupModule from './echartsSetup'

type Setup = typeof SetupModule

let loading: Promise<Setup> | null = null

export function loadECharts(): Promise<Setup> {
  loading ??= import('./echartsSetup').catch((err: unknown) => {
    loading = null
    throw err
  })
  return loading
}
