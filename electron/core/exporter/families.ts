/**
 * Every metric the exporter serves, in the order it serves them. Every series carries `site`
 * (the site id) and `group` (the site's group, '' when none); `labels` lists the others.
 * Names follow Prometheus conventions (base units in the name, `_total` only on counters), so
 * `promtool check metrics` finds nothing to say.
 *
 * `live` families depend on the time of the scrape (ages and countdowns): they are computed when
 * scraped, from the latest snapshot. The others change only when a poll ends, and are rendered
 * then.
 */
export interface Family {
  name: string
  help: string
  type: 'gauge' | 'counter'
  labels: readonly string[]
  live?: true
}

const f = (name: string, help: string, labels: readonly string[] = [], type: Family['type'] = 'gauge'): Family => ({ name, help, type, labels })
const live = (name: string, help: string): Family => ({ name, help, type: 'gauge', labels: [], live: true })

export const FAMILIES = [
  f('minerdesk_site_info', 'A configured site: its SSH alias and display name (value 1).', ['alias', 'name']),
  f('minerdesk_miner_info', 'The miner actor and the Lotus versions the site runs (value 1).', ['actor', 'miner_version', 'daemon_version']),
  f('minerdesk_ssh_up', 'Whether the SSH connection to the site was up at the last poll (1 up, 0 down).'),
  f('minerdesk_daemon_up', 'Whether the lotus daemon API answered at the last poll.'),
  f('minerdesk_miner_up', 'Whether the lotus-miner API answered at the last poll.'),
  f('minerdesk_chain_height', 'Height of the daemon\'s chain head (epochs).'),
  live('minerdesk_chain_head_age_seconds', 'Age of the daemon\'s chain head tipset (seconds), now.'),
  f('minerdesk_sync_lag_epochs', 'How many epochs the daemon is behind (NodeStatus SyncStatus.Behind).'),
  f('minerdesk_peers', 'Connected libp2p peers of the daemon.'),
  f('minerdesk_miner_sector_size_bytes', 'Sector size of the miner actor (bytes).'),
  f('minerdesk_sectors_by_state', 'Sectors in each Lotus sector state (SectorsSummary).', ['state']),
  f('minerdesk_sectors_by_group', 'Sectors by MinerDesk group of states: sealing, failed, proving, removed, other.', ['sector_group']),
  f('minerdesk_sectors_stuck', 'Sectors that have been in their state longer than the site allows (stuck).'),
  f('minerdesk_sectors_faulty', 'Faulty sectors over all deadlines.'),
  f('minerdesk_sectors_recovering', 'Sectors declared recovering over all deadlines.'),
  f('minerdesk_deadline_sectors', 'Live sectors in each WindowPoSt deadline that holds any.', ['deadline']),
  f('minerdesk_deadline_faulty_sectors', 'Faulty sectors in each WindowPoSt deadline that holds any.', ['deadline']),
  f('minerdesk_deadline_recovering_sectors', 'Recovering sectors in each WindowPoSt deadline that holds any.', ['deadline']),
  f('minerdesk_proving_deadline_index', 'Index of the WindowPoSt deadline open now.'),
  live('minerdesk_proving_deadline_close_seconds', 'Seconds until the WindowPoSt deadline open now closes.'),
  f('minerdesk_proving_deadline_unproven_partitions', 'Partitions of the deadline open now that hold sectors and are not proven yet.'),
  f('minerdesk_next_deadline_index', 'Index of the next WindowPoSt deadline with sectors (after the one open now).'),
  live('minerdesk_next_deadline_open_seconds', 'Seconds until the next WindowPoSt deadline with sectors opens.'),
  f('minerdesk_next_deadline_faulty_sectors', 'Faulty sectors in the next WindowPoSt deadline with sectors.'),
  f('minerdesk_jobs', 'Sealing jobs by task (AP, PC1, PC2, C2…) and state (running, prepared, assigned, ret-wait…).', ['task', 'state']),
  f('minerdesk_jobs_overdue', 'Running sealing jobs past the allowed multiple of their expected duration, by task.', ['task']),
  f('minerdesk_workers', 'Sealing workers by state: online, disabled, missing (seen before, gone now).', ['state']),
  f('minerdesk_messages_pending', 'Messages from the node\'s own wallets waiting in its mpool.'),
  live('minerdesk_messages_oldest_age_seconds', 'How long the oldest local pending message has been waiting (seconds), now.'),
  f('minerdesk_findings', 'What MinerDesk judges wrong at the site, by severity and kind.', ['severity', 'kind']),
  f('minerdesk_poll_duration_seconds', 'How long the last poll of the site took (seconds).'),
  f('minerdesk_poll_requests', 'HTTP requests (JSON-RPC batches) the last poll sent to the site\'s Lotus APIs.'),
  f('minerdesk_poll_bytes', 'JSON-RPC bytes the last poll sent and received.'),
  f('minerdesk_last_poll_timestamp_seconds', 'When the last poll of the site ended (Unix time, seconds).'),
  f('minerdesk_polls_total', 'Polls of the site since the exporter started.', [], 'counter'),
  f('minerdesk_poll_errors_total', 'Polls that found a part of the site failing, by part: ssh, daemon, miner, pipeline, jobs, workers, proving, messages.', ['part'], 'counter')
] as const satisfies readonly Family[]

export type FamilyName = (typeof FAMILIES)[number]['name']

export const POLL_ERROR_PARTS = ['ssh', 'daemon', 'miner', 'pipeline', 'jobs', 'workers', 'proving', 'messages'] as const
export type PollErrorPart = (typeof POLL_ERROR_PARTS)[number]

export const SITE_LABELS = ['site', 'group'] as const
