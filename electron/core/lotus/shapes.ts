import { z } from 'zod'
import { MinerDeskError, type Result } from '../../../preload/contract'
import type { CallOptions, RpcCall } from './rpc'

/**
 * Runtime checks of the Lotus answers MinerDesk reads: loose (unknown fields pass, Lotus adds
 * fields between releases) but strict on the fields the code relies on, so that a wrong shape
 * becomes a clear `lotus/bad-response` naming the method and field instead of a crash later.
 */

/** What the typed API wrappers need from a connection to one Lotus node. */
export interface RpcTransport {
  call(method: string, params: unknown[], opts?: CallOptions): Promise<unknown>
  batch(calls: readonly RpcCall[], opts?: CallOptions): Promise<Result<unknown>[]>
}

export function checkShape<T>(method: string, schema: z.ZodType, value: unknown): T {
  const r = schema.safeParse(value)
  if (r.success) return r.data as T
  const issue = r.error.issues[0]
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(top level)'
  throw new MinerDeskError({
    code: 'lotus/bad-response',
    message: `Filecoin.${method} answered an unexpected shape at ${where}: ${issue?.message ?? 'invalid'}`,
    params: { method: `Filecoin.${method}` },
    details: JSON.stringify(value)?.slice(0, 500) ?? 'undefined'
  })
}

export async function callChecked<T>(t: RpcTransport, method: string, params: unknown[], schema: z.ZodType, opts?: CallOptions): Promise<T> {
  return checkShape<T>(method, schema, await t.call(method, params, opts))
}

/**
 * One Lotus call described as data (method, params, how to read the answer), so that the same
 * call can run alone or inside a JSON-RPC batch with others.
 */
export interface CallSpec<T> {
  readonly method: string
  readonly params: unknown[]
  readonly parse: (value: unknown) => T
}

export function spec<T>(method: string, params: unknown[], schema: z.ZodType, post?: (checked: never) => T): CallSpec<T> {
  return {
    method,
    params,
    parse: (value) => {
      const checked = checkShape<never>(method, schema, value)
      return post ? post(checked) : (checked as T)
    }
  }
}

export async function runSpec<T>(t: RpcTransport, s: CallSpec<T>, opts?: CallOptions): Promise<T> {
  return s.parse(await t.call(s.method, s.params, opts))
}

type SpecValue<S> = S extends CallSpec<infer T> ? T : never
export type BatchResults<S extends readonly CallSpec<unknown>[]> = { -readonly [K in keyof S]: Result<SpecValue<S[K]>> }

/** Several calls in one JSON-RPC batch (one HTTP request); each gets its own result or error. */
export async function runBatch<const S extends readonly CallSpec<unknown>[]>(t: RpcTransport, specs: S, opts?: CallOptions): Promise<BatchResults<S>> {
  const results = await t.batch(
    specs.map((s) => ({ method: s.method, params: s.params })),
    opts
  )
  return results.map((r, i): Result<unknown> => {
    if (!r.ok) return r
    try {
      return { ok: true, value: specs[i]!.parse(r.value) }
    } catch (err) {
      return { ok: false, error: err instanceof MinerDeskError ? err.toInfo() : { code: 'internal', message: String(err) } }
    }
  }) as BatchResults<S>
}

const num = z.number()
const int = z.number().int()
const str = z.string()
/**
 * A list of integers checked in one loop: a SectorsList of a large miner holds a million of
 * them, which a per-element schema takes a noticeable fraction of a second to walk.
 */
const intList = (min: number) =>
  z.custom<number[]>(
    (v) => {
      if (!Array.isArray(v)) return false
      for (const x of v as unknown[]) if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min) return false
      return true
    },
    { message: min >= 0 ? 'expected a list of non-negative integers' : 'expected a list of integers' }
  )
/** Go nil slices and maps are JSON null; wrappers hand out [] / {} instead. */
export function orEmptyArray<T>(v: T[] | null | undefined): T[] {
  return v ?? []
}
export function orEmptyRecord<T>(v: Record<string, T> | null | undefined): Record<string, T> {
  return v ?? {}
}

export const S = {
  nothing: z.union([z.null(), z.undefined(), z.looseObject({})]),
  string: str,
  strings: z.array(str).nullable(),
  number: num,
  numbers: intList(-Infinity).nullable(),
  cid: z.looseObject({ '/': str }),
  bitfield: intList(0),
  version: z.looseObject({ Version: str, APIVersion: int, BlockDelay: num }),
  tipSet: z.looseObject({
    Cids: z.array(z.looseObject({ '/': str })),
    Blocks: z.array(z.looseObject({ Height: int, Timestamp: num, Miner: str })).min(1),
    Height: int
  }),
  syncState: z.looseObject({
    ActiveSyncs: z
      .array(
        z.looseObject({
          WorkerID: num,
          Stage: int,
          Height: int,
          Base: z.looseObject({ Height: int }).nullable(),
          Target: z.looseObject({ Height: int }).nullable(),
          Message: str
        })
      )
      .nullable()
  }),
  nodeStatus: z.looseObject({
    SyncStatus: z.looseObject({ Epoch: int, Behind: int }),
    PeerStatus: z.looseObject({ PeersToPublishMsgs: int, PeersToPublishBlocks: int })
  }),
  peers: z.array(z.looseObject({ ID: str, Addrs: z.array(str).nullable() })).nullable(),
  pubsubScores: z.array(z.looseObject({ ID: str, Score: z.looseObject({ Score: num }) })).nullable(),
  netBlockList: z.looseObject({ Peers: z.array(str).nullable(), IPAddrs: z.array(str).nullable(), IPSubnets: z.array(str).nullable() }),
  message: z.looseObject({ To: str, From: str, Nonce: int, Value: str, GasLimit: int, GasFeeCap: str, GasPremium: str, Method: int }),
  signedMessages: z
    .array(
      z.looseObject({
        Message: z.looseObject({ To: str, From: str, Nonce: int, Value: str, GasLimit: int, GasFeeCap: str, GasPremium: str, Method: int }),
        Signature: z.looseObject({ Type: int }),
        CID: z.looseObject({ '/': str })
      })
    )
    .nullable(),
  signedMessage: z.looseObject({
    Message: z.looseObject({ From: str, Nonce: int }),
    Signature: z.looseObject({ Type: int, Data: str }),
    CID: z.looseObject({ '/': str })
  }),
  mpoolConfig: z.looseObject({ ReplaceByFeeRatio: num }),
  minerInfo: z.looseObject({ Owner: str, Worker: str, SectorSize: int, WindowPoStPartitionSectors: int }),
  deadlineInfo: z.looseObject({
    CurrentEpoch: int,
    PeriodStart: int,
    Index: int,
    Open: int,
    Close: int,
    Challenge: int,
    FaultCutoff: int,
    WPoStPeriodDeadlines: int,
    WPoStProvingPeriod: int,
    WPoStChallengeWindow: int,
    WPoStChallengeLookback: int,
    FaultDeclarationCutoff: int
  }),
  deadlines: z.array(z.looseObject({ PostSubmissions: z.array(int.min(0)) })).nullable(),
  partitions: z
    .array(
      z.looseObject({
        AllSectors: z.array(int.min(0)),
        FaultySectors: z.array(int.min(0)),
        RecoveringSectors: z.array(int.min(0)),
        LiveSectors: z.array(int.min(0)),
        ActiveSectors: z.array(int.min(0))
      })
    )
    .nullable(),
  sectorOnChain: z.looseObject({ SectorNumber: int, Activation: int, Expiration: int }).nullable(),
  /** StateSearchMsg: null while the message is not on chain. */
  msgLookup: z.looseObject({ Receipt: z.looseObject({ ExitCode: int }), Height: int }).nullable(),
  sectorLocation: z.looseObject({ Deadline: int, Partition: int }).nullable(),
  sectorsOnChain: z.array(z.looseObject({ SectorNumber: int, Activation: int, Expiration: int })).nullable(),

  /* miner */
  summary: z.record(str, int).nullable(),
  sectorId: z.looseObject({ Miner: int, Number: int }),
  sectorInfo: z.looseObject({
    SectorID: int,
    State: str,
    LastErr: str,
    Log: z.array(z.looseObject({ Kind: str, Timestamp: num, Trace: str, Message: str })).nullable()
  }),
  workerJobs: z
    .record(
      str,
      z
        .array(
          z.looseObject({
            ID: z.looseObject({ Sector: z.looseObject({ Miner: int, Number: int }), ID: str }),
            Sector: z.looseObject({ Miner: int, Number: int }),
            Task: str,
            RunWait: int,
            Start: str,
            Hostname: str.optional()
          })
        )
        .nullable()
    )
    .nullable(),
  workerStats: z
    .record(
      str,
      z.looseObject({
        Info: z.looseObject({
          Hostname: str,
          Resources: z.looseObject({ MemPhysical: num, MemUsed: num, MemSwap: num, MemSwapUsed: num, CPUs: num, GPUs: z.array(str).nullable() })
        }),
        Tasks: z.array(str).nullable().optional(),
        Enabled: z.boolean().optional(),
        CpuUse: num.optional(),
        GpuUsed: num.optional(),
        TaskCounts: z.record(str, num).nullable().optional()
      })
    )
    .nullable(),
  storageFind: z.array(z.looseObject({ ID: str, URLs: z.array(str).nullable(), CanSeal: z.boolean(), CanStore: z.boolean() })).nullable(),
  storageList: z.record(str, z.array(z.looseObject({ Miner: int, Number: int, SectorFileType: int })).nullable()).nullable(),
  storageLocal: z.record(str, str).nullable(),
  storageInfo: z.looseObject({ ID: str, URLs: z.array(str).nullable(), CanSeal: z.boolean(), CanStore: z.boolean() }),
  fsStat: z.looseObject({ Capacity: num, Available: num, Reserved: num })
} as const
