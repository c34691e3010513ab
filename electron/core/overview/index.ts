/** The overview (plain Node): per-site poller, pure snapshot builder, pure alerts. */
export { SitePoller, type SitePollerOptions, type PollStats } from './poller'
export { collectPoll, type CollectMode, type CollectOptions } from './collect'
export { buildSnapshot, type BuildInput, type BuildOutput } from './snapshot'
export { deriveAlerts, newAlerts, alertKey, DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from './alerts'
export { emptyMemory, emptyRaw, type Got, type PollMemory, type RawPoll } from './raw'
export { shortDuration } from './format'
