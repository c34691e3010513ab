import { callRpc, type ApiEndpoint } from '../common/rpcClient'
import type { DeadlineInfo, Partition, SectorOnChainInfo, TipSet } from '../../../preload/contract/lotus/types'
import { MINER_METHODS } from '../../../preload/contract/lotus/methods'

/**
 * The miner's view of its full node (`/rpc/v1`, admin token from FULLNODE_API_INFO or ~/.lotus):
 * the methods of the chain ↔ miner interface, and message helpers with the sim's encoding
 * (Params = base64 of UTF-8 JSON, From = the worker address, To = the miner actor).
 */

export interface MsgLookup {
  Message: { '/': string }
  Receipt: { ExitCode: number; Return: string | null; GasUsed: number; EventsRoot: unknown }
  ReturnDec: unknown
  TipSet: { '/': string }[]
  Height: number
}

/** builtin-actors miner method numbers (the contract's Lotus knowledge). */
export const METHOD = MINER_METHODS

export class ChainApi {
  constructor(
    readonly ep: ApiEndpoint,
    readonly maddr: string,
    private workerAddr: string
  ) {}

  call<T>(method: string, params: unknown[], timeoutMs = 30_000): Promise<T> {
    return callRpc<T>(this.ep, method, params, timeoutMs)
  }

  head(): Promise<TipSet> {
    return this.call('ChainHead', [])
  }

  provingDeadline(): Promise<DeadlineInfo> {
    return this.call('StateMinerProvingDeadline', [this.maddr, []])
  }

  deadlines(): Promise<{ PostSubmissions: number[] }[]> {
    return this.call('StateMinerDeadlines', [this.maddr, []])
  }

  partitions(dl: number): Promise<Partition[]> {
    return this.call('StateMinerPartitions', [this.maddr, dl, []])
  }

  sectorInfo(n: number): Promise<SectorOnChainInfo | null> {
    return this.call('StateSectorGetInfo', [this.maddr, n, []])
  }

  /** StateSectorPreCommitInfo: the precommit on chain (null when there is none). */
  preCommitInfo(n: number): Promise<{ PreCommitEpoch: number; Info: { SealRandEpoch: number } } | null> {
    return this.call('StateSectorPreCommitInfo', [this.maddr, n, []])
  }

  /** MpoolPushMessage from the worker address to the miner actor; returns the message CID. */
  async push(method: number, params: unknown, value = '0', maxFee = '0'): Promise<string> {
    const msg = {
      Version: 0,
      To: this.maddr,
      From: this.workerAddr,
      Nonce: 0,
      Value: value,
      GasLimit: 0,
      GasFeeCap: '0',
      GasPremium: '0',
      Method: method,
      Params: Buffer.from(JSON.stringify(params)).toString('base64')
    }
    const sm = await this.call<{ CID: { '/': string } }>('MpoolPushMessage', [msg, { MaxFee: maxFee, MsgUuid: '00000000-0000-0000-0000-000000000000', MaximizeFeeCap: false }])
    return sm.CID['/']
  }

  searchMsg(cid: string): Promise<MsgLookup | null> {
    return this.call('StateSearchMsg', [[], { '/': cid }, -1, true])
  }

  /** Polls until the message is on chain (StateWaitMsg with the sim's block time). */
  async waitMsg(cid: string, pollMs: number, signal?: AbortSignal): Promise<MsgLookup> {
    for (;;) {
      if (signal?.aborted) throw new Error('context canceled')
      try {
        const r = await this.searchMsg(cid)
        if (r) return r
      } catch {
        // The node may be restarting; keep waiting as StateWaitMsg would.
      }
      await new Promise((res) => setTimeout(res, pollMs))
    }
  }
}

/** Bitfield run-lengths → sector numbers. */
export function bitfieldNumbers(rle: number[] | null | undefined): number[] {
  const out: number[] = []
  if (!rle) return out
  let pos = 0
  rle.forEach((run, i) => {
    if (i % 2 === 1) for (let k = 0; k < run; k++) out.push(pos + k)
    pos += run
  })
  return out
}

export function bitfieldCount(rle: number[] | null | undefined): number {
  if (!rle) return 0
  let c = 0
  rle.forEach((run, i) => {
    if (i % 2 === 1) c += run
  })
  return c
}

export function bitfieldFirst(rle: number[] | null | undefined): number | null {
  if (!rle || rle.length < 2) return null
  return rle[0] as number
}
