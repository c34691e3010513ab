import { existsSync, readFileSync } from 'node:fs'

/**
 * The miner's config.toml: Lotus's default miner config (documentation/en/default-lotus-miner-config.toml
 * — every key present, defaults commented out) with the site's own settings uncommented, and a
 * reader for the keys the simulated miner honours (each also settable as `LOTUS_<SECTION>_<KEY>`).
 */

/** Sections and keys of Lotus's default miner config, with their default TOML values. */
const DEFAULTS: [string, [string, string][]][] = [
  ['API', [['ListenAddress', '"/ip4/127.0.0.1/tcp/2345/http"'], ['RemoteListenAddress', '"127.0.0.1:2345"'], ['Timeout', '"30s"']]],
  ['Backup', [['DisableMetadataLog', 'true']]],
  ['Logging', []],
  ['Logging.SubsystemLevels', []],
  [
    'Subsystems',
    [
      ['EnableMining', 'true'], ['EnableSealing', 'true'], ['EnableSectorStorage', 'true'], ['EnableSectorIndexDB', 'false'],
      ['SealerApiInfo', '""'], ['SectorIndexApiInfo', '""'], ['DisableWindowPoSt', 'false'], ['DisableWinningPoSt', 'false']
    ]
  ],
  ['Dealmaking', [['StartEpochSealingBuffer', '480']]],
  [
    'Proving',
    [
      ['ParallelCheckLimit', '32'], ['SingleCheckTimeout', '"10m0s"'], ['PartitionCheckTimeout', '"20m0s"'],
      ['DisableBuiltinWindowPoSt', 'false'], ['DisableBuiltinWinningPoSt', 'false'], ['DisableWDPoStPreChecks', 'false'],
      ['MaxPartitionsPerPoStMessage', '0'], ['MaxPartitionsPerRecoveryMessage', '0'], ['SingleRecoveringPartitionPerPostMessage', 'false']
    ]
  ],
  [
    'Sealing',
    [
      ['MaxWaitDealsSectors', '2'], ['MaxSealingSectors', '0'], ['MaxSealingSectorsForDeals', '0'], ['PreferNewSectorsForDeals', 'false'],
      ['MaxUpgradingSectors', '0'], ['MinUpgradeSectorExpiration', '0'], ['MinTargetUpgradeSectorExpiration', '0'],
      ['CommittedCapacitySectorLifetime', '"12960h0m0s"'], ['WaitDealsDelay', '"6h0m0s"'], ['AlwaysKeepUnsealedCopy', 'true'],
      ['FinalizeEarly', 'false'], ['MakeNewSectorForDeals', 'true'], ['MakeCCSectorsAvailable', 'false'],
      ['CollateralFromMinerBalance', 'false'], ['AvailableBalanceBuffer', '"0 FIL"'], ['DisableCollateralFallback', 'false'],
      ['MaxPreCommitBatch', '256'], ['PreCommitBatchWait', '"24h0m0s"'], ['PreCommitBatchSlack', '"3h0m0s"'], ['MinCommitBatch', '4'],
      ['MaxCommitBatch', '819'], ['CommitBatchWait', '"24h0m0s"'], ['CommitBatchSlack', '"1h0m0s"'],
      ['MaxSectorProveCommitsSubmittedPerEpoch', '20'], ['TerminateBatchMax', '100'], ['TerminateBatchMin', '1'],
      ['TerminateBatchWait', '"5m0s"'], ['UseSyntheticPoRep', 'false'], ['RequireActivationSuccess', 'false'],
      ['RequireActivationSuccessUpdate', 'false'], ['RequireNotificationSuccess', 'false'], ['RequireNotificationSuccessUpdate', 'false']
    ]
  ],
  [
    'Storage',
    [
      ['ParallelFetchLimit', '10'], ['AllowSectorDownload', 'true'], ['AllowAddPiece', 'true'], ['AllowPreCommit1', 'true'],
      ['AllowPreCommit2', 'true'], ['AllowCommit', 'true'], ['AllowUnseal', 'true'], ['AllowReplicaUpdate', 'true'],
      ['AllowProveReplicaUpdate2', 'true'], ['AllowRegenSectorKey', 'true'], ['LocalWorkerName', '""'], ['Assigner', '"utilization"'],
      ['DisallowRemoteFinalize', 'false'], ['ResourceFiltering', '"hardware"']
    ]
  ],
  [
    'Fees',
    [
      ['MaxPreCommitGasFee', '"0.025 FIL"'], ['MaxCommitGasFee', '"0.05 FIL"'], ['MaxTerminateGasFee', '"0.5 FIL"'],
      ['MaxWindowPoStGasFee', '"5 FIL"'], ['MaxPublishDealsFee', '"0.05 FIL"'], ['MaxMarketBalanceAddFee', '"0.007 FIL"'],
      ['MaximizeWindowPoStFeeCap', 'true']
    ]
  ],
  ['Fees.MaxPreCommitBatchGasFee', [['Base', '"0 FIL"'], ['PerSector', '"0.02 FIL"']]],
  ['Fees.MaxCommitBatchGasFee', [['Base', '"0 FIL"'], ['PerSector', '"0.03 FIL"']]],
  [
    'Addresses',
    [
      ['PreCommitControl', '[]'], ['CommitControl', '[]'], ['TerminateControl', '[]'], ['DealPublishControl', '[]'],
      ['DisableOwnerFallback', 'false'], ['DisableWorkerFallback', 'false']
    ]
  ],
  ['HarmonyDB', [['Hosts', '["127.0.0.1"]'], ['Username', '"yugabyte"'], ['Password', '"yugabyte"'], ['Database', '"yugabyte"'], ['Port', '"5433"']]]
]

export function envName(section: string, key: string): string {
  return `LOTUS_${section.replace(/\./g, '_').toUpperCase()}_${key.toUpperCase()}`
}

/** config.toml text: every default key, commented out unless `set` gives it a value. */
export function renderMinerConfig(set: Record<string, Record<string, string>>): string {
  const out: string[] = []
  for (const [section, keys] of DEFAULTS) {
    const indent = '  '.repeat(section.split('.').length)
    out.push(`${'  '.repeat(section.split('.').length - 1)}[${section}]`)
    for (const [key, def] of keys) {
      const v = set[section]?.[key]
      out.push(`${indent}# env var: ${envName(section, key)}`)
      out.push(v !== undefined ? `${indent}${key} = ${v}` : `${indent}#${key} = ${def}`)
      out.push('')
    }
    if (keys.length === 0) out.push('')
  }
  return out.join('\n')
}

/** Values set (uncommented) in a config.toml, by section then key, raw TOML text. */
export function parseToml(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {}
  let section = ''
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const sec = /^\[([^\]]+)\]$/.exec(line)
    if (sec) {
      section = sec[1] as string
      continue
    }
    const kv = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line)
    if (kv) (out[section] ??= {})[kv[1] as string] = kv[2] as string
  }
  return out
}

function unquote(v: string): string {
  const t = v.trim()
  return t.startsWith('"') && t.endsWith('"') ? (JSON.parse(t) as string) : t
}

export interface MinerConfig {
  listenAddress: string
  remoteListenAddress: string
  localWorkerName: string
  allow: { addPiece: boolean; preCommit1: boolean; preCommit2: boolean; commit: boolean; unseal: boolean; sectorDownload: boolean }
  maxSealingSectors: number
  finalizeEarly: boolean
  makeCCSectorsAvailable: boolean
}

function defaultOf(section: string, key: string): string {
  return DEFAULTS.find(([s]) => s === section)?.[1].find(([k]) => k === key)?.[1] ?? '""'
}

/** The config the miner runs with: config.toml, then `LOTUS_<SECTION>_<KEY>` environment overrides. */
export function loadMinerConfig(file: string, env: NodeJS.ProcessEnv = process.env): MinerConfig {
  const set = existsSync(file) ? parseToml(readFileSync(file, 'utf8')) : {}
  const get = (section: string, key: string): string => {
    const e = env[envName(section, key)]
    if (e !== undefined) return e
    return unquote(set[section]?.[key] ?? defaultOf(section, key))
  }
  const bool = (section: string, key: string) => get(section, key) === 'true'
  return {
    listenAddress: get('API', 'ListenAddress'),
    remoteListenAddress: get('API', 'RemoteListenAddress'),
    localWorkerName: get('Storage', 'LocalWorkerName'),
    allow: {
      addPiece: bool('Storage', 'AllowAddPiece'),
      preCommit1: bool('Storage', 'AllowPreCommit1'),
      preCommit2: bool('Storage', 'AllowPreCommit2'),
      commit: bool('Storage', 'AllowCommit'),
      unseal: bool('Storage', 'AllowUnseal'),
      sectorDownload: bool('Storage', 'AllowSectorDownload')
    },
    maxSealingSectors: Number(get('Sealing', 'MaxSealingSectors')) || 0,
    finalizeEarly: bool('Sealing', 'FinalizeEarly'),
    makeCCSectorsAvailable: bool('Sealing', 'MakeCCSectorsAvailable')
  }
}
