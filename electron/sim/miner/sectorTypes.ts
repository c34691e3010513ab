/**
 * A sector as the simulated miner's state machine keeps it: the fields of Lotus's
 * storage/pipeline SectorInfo that the API and CLI show or the handlers need.
 */

export interface LogEntry {
  Kind: string
  /** Unix seconds. */
  Timestamp: number
  Trace: string
  Message: string
}

export interface Piece {
  Size: number
  PieceCID: string
}

export interface SectorRecord {
  n: number
  state: string
  sealProof: number
  pieces: Piece[]
  /** Base64, as SectorInfo.Ticket.Value. */
  ticketValue: string | null
  ticketEpoch: number
  seedValue: string | null
  seedEpoch: number
  commD: string | null
  commR: string | null
  pc1Out: string | null
  proof: string | null
  precommitMsg: string | null
  precommitTipset: string[] | null
  /** Epoch the precommit landed (the sim's stand-in for StateSectorPreCommitInfo.PreCommitEpoch). */
  precommitEpoch: number
  commitMsg: string | null
  /** Commit landed and the sector is active on chain (the sim's knowledge of StateSectorGetInfo). */
  onChain: boolean
  invalidProofs: number
  pc1Fails: number
  pc2Fails: number
  /** ReturnState for RecoverDealIDs. */
  ret: string
  creationTime: number
  terminateMsg: string | null
  terminatedAt: number
  faultReportMsg: string | null
  ccUpdate: boolean
  log: LogEntry[]
  /** Scenario marks: the sector's cache is corrupt (C1 fails) until it is re-sealed from PC1. */
  corrupt?: boolean
}

export function newSectorRecord(n: number, sealProof: number): SectorRecord {
  return {
    n,
    state: '',
    sealProof,
    pieces: [],
    ticketValue: null,
    ticketEpoch: 0,
    seedValue: null,
    seedEpoch: 0,
    commD: null,
    commR: null,
    pc1Out: null,
    proof: null,
    precommitMsg: null,
    precommitTipset: null,
    precommitEpoch: 0,
    commitMsg: null,
    onChain: false,
    invalidProofs: 0,
    pc1Fails: 0,
    pc2Fails: 0,
    ret: '',
    creationTime: 0,
    terminateMsg: null,
    terminatedAt: 0,
    faultReportMsg: null,
    ccUpdate: false,
    log: []
  }
}
