/** The overview (plain Node): per-site poller and the pure snapshot builder (findings by the health model). */
export { SitePoller, type SitePollerOptions, type PollStats } from './poller'
export { collectPoll, type CollectMode, type CollectOptions } from './collect'
export { buildSnapshot, type BuildInput, type BuildOutput } from './snapshot'
export { emptyMemory, emptyRaw, type Got, type PollMemory, type RawPoll } from './raw'
export { shortDuration } from './format'
