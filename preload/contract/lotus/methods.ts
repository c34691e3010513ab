/**
 * Method numbers of the builtin-actors miner actor (`Method` enum of the miner actor), as
 * messages carry them. Method 0 is a plain Send on every actor. Names are Lotus's, never
 * translated.
 */
export const METHOD_SEND = 0

export const MINER_METHODS = {
  Constructor: 1,
  ControlAddresses: 2,
  ChangeWorkerAddress: 3,
  ChangePeerID: 4,
  SubmitWindowedPoSt: 5,
  PreCommitSector: 6,
  ProveCommitSector: 7,
  ExtendSectorExpiration: 8,
  TerminateSectors: 9,
  DeclareFaults: 10,
  DeclareFaultsRecovered: 11,
  OnDeferredCronEvent: 12,
  CheckSectorProven: 13,
  ApplyRewards: 14,
  ReportConsensusFault: 15,
  WithdrawBalance: 16,
  ChangeMultiaddrs: 18,
  CompactPartitions: 19,
  CompactSectorNumbers: 20,
  ConfirmChangeWorkerAddress: 21,
  RepayDebt: 22,
  ChangeOwnerAddress: 23,
  DisputeWindowedPoSt: 24,
  PreCommitSectorBatch: 25,
  ProveCommitAggregate: 26,
  ProveReplicaUpdates: 27,
  PreCommitSectorBatch2: 28,
  ChangeBeneficiary: 30,
  GetBeneficiary: 31,
  ExtendSectorExpiration2: 32,
  MovePartitions: 33,
  ProveCommitSectors3: 34,
  ProveReplicaUpdates3: 35
} as const

export type MinerMethodName = keyof typeof MINER_METHODS

const MINER_METHOD_NAMES = new Map<number, string>(Object.entries(MINER_METHODS).map(([name, n]) => [n, name]))

/** The name of a miner actor method number, or null for a number it does not have. */
export function minerMethodName(method: number): string | null {
  return MINER_METHOD_NAMES.get(method) ?? null
}
