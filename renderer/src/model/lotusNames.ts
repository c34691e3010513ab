/**
 * Lotus names shown as Lotus prints them (never translated): miner actor method numbers
 * (builtin-actors miner `Method` enum) and the order sealing tasks are listed in.
 */
const MINER_METHODS: Record<number, string> = {
  1: 'Constructor',
  2: 'ControlAddresses',
  3: 'ChangeWorkerAddress',
  4: 'ChangePeerID',
  5: 'SubmitWindowedPoSt',
  6: 'PreCommitSector',
  7: 'ProveCommitSector',
  8: 'ExtendSectorExpiration',
  9: 'TerminateSectors',
  10: 'DeclareFaults',
  11: 'DeclareFaultsRecovered',
  12: 'OnDeferredCronEvent',
  13: 'CheckSectorProven',
  14: 'ApplyRewards',
  15: 'ReportConsensusFault',
  16: 'WithdrawBalance',
  18: 'ChangeMultiaddrs',
  19: 'CompactPartitions',
  20: 'CompactSectorNumbers',
  21: 'ConfirmChangeWorkerAddress',
  22: 'RepayDebt',
  23: 'ChangeOwnerAddress',
  24: 'DisputeWindowedPoSt',
  25: 'PreCommitSectorBatch',
  26: 'ProveCommitAggregate',
  27: 'ProveReplicaUpdates',
  28: 'PreCommitSectorBatch2',
  30: 'ChangeBeneficiary',
  31: 'GetBeneficiary',
  32: 'ExtendSectorExpiration2',
  33: 'MovePartitions',
  34: 'ProveCommitSectors3',
  35: 'ProveReplicaUpdates3'
}

/**
 * A message's method as the operator knows it. Method numbers only mean something per actor:
 * names are given for messages to the site's own miner actor, and 0 is always a plain Send.
 */
export function methodName(method: number, to: string, minerActor: string | undefined): string | null {
  if (method === 0) return 'Send'
  if (minerActor && sameActor(to, minerActor)) return MINER_METHODS[method] ?? null
  return null
}

/** f01234 and t01234 name the same actor (mainnet vs test network prefix). */
function sameActor(a: string, b: string): boolean {
  return a.slice(1) === b.slice(1)
}

/** Sealing tasks in pipeline order, then the rest (short names as `lotus-miner sealing jobs` prints them). */
export const TASK_ORDER = ['AP', 'PC1', 'PC2', 'C1', 'C2', 'FIN', 'GET', 'FUS', 'UNS', 'DC', 'RU', 'PR1', 'PR2', 'GSK', 'FRU', 'DL', 'WDP', 'WNP', 'UNK']

export function compareTasks(a: string, b: string): number {
  const ia = TASK_ORDER.indexOf(a)
  const ib = TASK_ORDER.indexOf(b)
  return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib) || a.localeCompare(b)
}

/** `sealing jobs` State column: `assigned(N)` carries the scheduler position (RunWait − 1). */
export function jobStateLabel(state: string, runWait: number): string {
  return state === 'assigned' ? `assigned(${Math.max(1, runWait - 1)})` : state
}
