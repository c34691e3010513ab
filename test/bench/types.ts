/**
 * `npm run bench`: the speed and memory figures of MinerDesk, measured on this machine against
 * simulated sites. Each bench returns its metrics with the target it is held to.
 */
export interface Metric {
  name: string
  value: number
  unit: 'ms' | 's' | 'MB' | 'x' | 'count'
  /** Human target, e.g. "< 2000 ms". */
  target?: string
  /** Whether the target was met (undefined: informational). */
  ok?: boolean
}

export interface BenchResult {
  name: string
  metrics: Metric[]
  notes?: string[]
}

export interface Bench {
  name: string
  /** Rough duration, shown before it runs. */
  estimate: string
  /** Runs only when named (`--only NAME`): too long for every `npm run bench`. */
  onRequest?: boolean
  /** `minutes`: the length of a bench's long (memory) phase, when given (`--minutes N`). */
  run(opts: { quick: boolean; minutes?: number }): Promise<BenchResult>
}
