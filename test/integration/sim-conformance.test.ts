import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSectorState } from '../../preload/contract/lotus/states'
import { TASK_TYPES } from '../../preload/contract/lotus/tasks'
import { newPeerId } from '../../electron/sim/front/identity'
import { startSimSites, type RpcTarget, type SimSites } from '../support/simSites'

/**
 * Every example of ../shared/lotus-conformance/ (miner.*, full.*, worker.*) against the sim's
 * answer over real SSH + JSON-RPC (`ssh -L` forwards, tokens read over SSH). Values differ
 * (the docs use placeholders); every key path and the JSON type at it must match, in both
 * directions. Maps keyed by ids (worker UUIDs, storage IDs, task types, state names) are
 * compared by the shape of their values, with their keys checked against what they must be.
 * Methods that return nothing (params-only examples) are called with parameters of the
 * example's shape and must answer `null`.
 */

import { CONFORMANCE_DIR } from '../support/lotus/conformance'
const load = (name: string): unknown => JSON.parse(readFileSync(join(CONFORMANCE_DIR, name), 'utf8'))

// ---- shape comparison -------------------------------------------------------------------

type Kind = 'null' | 'number' | 'string' | 'boolean' | 'array' | 'object'
function kindOf(v: unknown): Kind {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v as Kind
}

interface ShapeRules {
  /** Normalized paths of objects that are maps (keys are ids), with the pattern their keys follow. */
  maps?: Record<string, RegExp | ((k: string) => boolean)>
  /** Paths where Lotus itself may answer null (Go nil pointer/slice/map) although the example has a value. */
  nullable?: string[]
  /** Paths that may be absent (Go `omitempty`). */
  optional?: string[]
  /** Example paths that a correct answer may legitimately not exercise (e.g. deal info of CC sectors). */
  mayBeUncovered?: string[]
}

interface ShapeReport {
  mismatches: string[]
  uncovered: string[]
}

/** Every normalized path of the example (`.Key`, `[]`, `{*}`), leaves and containers. */
function examplePaths(v: unknown, path: string, rules: ShapeRules, out: Set<string>): void {
  out.add(path)
  if (Array.isArray(v)) {
    if (v.length > 0) examplePaths(v[0], `${path}[]`, rules, out)
  } else if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
    if (rules.maps?.[path] !== undefined) {
      if (entries.length > 0) examplePaths(entries[0]?.[1], `${path}{*}`, rules, out)
    } else for (const [k, x] of entries) examplePaths(x, `${path}.${k}`, rules, out)
  }
}

function keyOk(pattern: RegExp | ((k: string) => boolean), k: string): boolean {
  return typeof pattern === 'function' ? pattern(k) : pattern.test(k)
}

function walk(ex: unknown, got: unknown, path: string, rules: ShapeRules, covered: Set<string>, mismatches: string[]): void {
  covered.add(path)
  const ek = kindOf(ex)
  const gk = kindOf(got)
  // The docs print null where Lotus has a type the generator could not fill: any value is fine.
  if (ek === 'null') return
  if (gk === 'null') {
    if (!rules.nullable?.includes(path)) mismatches.push(`${path || '(top)'}: null, expected ${ek}`)
    return
  }
  if (ek !== gk) {
    mismatches.push(`${path || '(top)'}: ${gk}, expected ${ek}`)
    return
  }
  if (ek === 'array') {
    const exArr = ex as unknown[]
    if (exArr.length === 0) return
    for (const item of got as unknown[]) walk(exArr[0], item, `${path}[]`, rules, covered, mismatches)
    return
  }
  if (ek !== 'object') return
  const exObj = ex as Record<string, unknown>
  const gotObj = got as Record<string, unknown>
  const mapKey = rules.maps?.[path]
  if (mapKey !== undefined) {
    const first = Object.values(exObj)[0]
    for (const [k, v] of Object.entries(gotObj)) {
      if (!keyOk(mapKey, k)) mismatches.push(`${path || '(top)'}: map key ${JSON.stringify(k)} is not a valid key here`)
      if (first !== undefined) walk(first, v, `${path}{*}`, rules, covered, mismatches)
    }
    return
  }
  for (const k of Object.keys(exObj)) {
    if (!(k in gotObj)) {
      if (!rules.optional?.includes(`${path}.${k}`)) mismatches.push(`${path}.${k}: missing`)
      continue
    }
    walk(exObj[k], gotObj[k], `${path}.${k}`, rules, covered, mismatches)
  }
  for (const k of Object.keys(gotObj)) if (!(k in exObj)) mismatches.push(`${path}.${k}: not in Lotus's shape`)
}

function compareShape(example: unknown, actual: unknown, rules: ShapeRules = {}): ShapeReport {
  const all = new Set<string>()
  examplePaths(example, '', rules, all)
  const covered = new Set<string>()
  const mismatches: string[] = []
  walk(example, actual, '', rules, covered, mismatches)
  const allowed = rules.mayBeUncovered ?? []
  const uncovered = [...all].filter((p) => !covered.has(p) && !allowed.some((a) => p === a || p.startsWith(a)))
  return { mismatches: [...new Set(mismatches)], uncovered }
}

// ---- what to call and how to compare, per example ----------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const TASK = (k: string): boolean => k in TASK_TYPES
const PROOF = /^(0|[1-9]\d*)$/

const RULES: Record<string, ShapeRules> = {
  'miner.SectorsSummary': { maps: { '': isSectorState } },
  'miner.StorageList': { maps: { '': UUID } },
  'miner.StorageLocal': { maps: { '': UUID } },
  // Hostname is omitempty and set only on ret-wait entries (calls of workers that went away).
  'miner.WorkerJobs': { maps: { '': UUID }, optional: ['{*}[].Hostname'], mayBeUncovered: ['{*}[].Hostname'] },
  'miner.WorkerStats': { maps: { '': UUID, '{*}.Info.Resources.Resources': TASK, '{*}.Info.Resources.Resources{*}': PROOF }, nullable: ['{*}.Info.Resources.GPUs'], mayBeUncovered: ['{*}.Info.Resources.GPUs[]'] },
  'worker.Info': { maps: { '.Resources.Resources': TASK, '.Resources.Resources{*}': PROOF }, nullable: ['.Resources.GPUs'], mayBeUncovered: ['.Resources.GPUs[]'] },
  'worker.TaskTypes': { maps: { '': TASK } },
  'full.NetPubsubScores': { maps: { '[].Score.Topics': /^\/(fil|indexer)\// } },
  // CC sectors carry no deals; a sector without a snap upgrade has no replica-update message.
  'miner.SectorsStatus': { nullable: ['.Pieces[].DealInfo', '.ReplicaUpdateMessage'], mayBeUncovered: ['.Pieces[].DealInfo.', '.ReplicaUpdateMessage.'] },
  // Go nil pointers/slices of a miner without pending changes.
  'full.StateMinerInfo': {
    nullable: ['.PendingOwnerAddress', '.PendingBeneficiaryTerm', '.Multiaddrs'],
    mayBeUncovered: ['.PendingBeneficiaryTerm.', '.Multiaddrs[]']
  },
  'full.StateSectorGetInfo': { nullable: ['.SectorKeyCID'], mayBeUncovered: ['.SectorKeyCID.'] },
  'full.StateMinerActiveSectors': { nullable: ['[].SectorKeyCID'], mayBeUncovered: ['[].SectorKeyCID.'] },
  'full.MpoolGetConfig': { nullable: ['.PriorityAddrs'], mayBeUncovered: ['.PriorityAddrs[]'] },
  // Message.Params is a Go []byte: nil (JSON null) for plain sends (Method 0).
  'full.MpoolPending': { nullable: ['[].Message.Params'] },
  'full.ChainGetMessage': { nullable: ['.Params'] },
  'full.GasEstimateMessageGas': { nullable: ['.Params'] },
  'full.WalletSignMessage': { nullable: ['.Message.Params'] },
  'miner.StorageInfo': {
    nullable: ['.Groups', '.AllowTo', '.AllowTypes', '.DenyTypes', '.AllowMiners', '.DenyMiners'],
    mayBeUncovered: ['.Groups[]', '.AllowTo[]', '.AllowTypes[]', '.DenyTypes[]', '.AllowMiners[]', '.DenyMiners[]']
  },
  'miner.StorageFindSector': {
    nullable: ['[].AllowTypes', '[].DenyTypes', '[].AllowMiners', '[].DenyMiners'],
    mayBeUncovered: ['[].AllowTypes[]', '[].DenyTypes[]', '[].AllowMiners[]', '[].DenyMiners[]']
  }
}

interface Ctx {
  alias: string
  addr: string
  worker: string
  proving: number[]
  storageId: string
  storedSector: number
  deadlineWithSectors: number
  pendingCid: { '/': string } | null
  pendingMsg: Record<string, unknown> | null
  peerId: string
  workerName: string
}

// ---- the test ------------------------------------------------------------------------------

const files = readdirSync(CONFORMANCE_DIR).filter((f) => /^(miner|full|worker)\..+\.(params|response)\.json$/.test(f))
const methods = [...new Set(files.map((f) => f.replace(/\.(params|response)\.json$/, '')))].sort()

describe('the shape comparison itself', () => {
  it('accepts an example against itself and catches renamed, retyped and invented keys', () => {
    const ex = load('miner.SectorsStatus.response.json') as Record<string, unknown>
    expect(compareShape(ex, ex)).toEqual({ mismatches: [], uncovered: [] })
    const bad = { ...ex, SectorId: ex.SectorID, Retries: '3', Extra: 1 } as Record<string, unknown>
    delete bad.SectorID
    expect(compareShape(ex, bad).mismatches).toEqual(['.SectorID: missing', '.Retries: string, expected number', '.SectorId: not in Lotus\'s shape', ".Extra: not in Lotus's shape"])
    expect(compareShape(ex, { ...ex, Log: [] }).uncovered).toContain('.Log[].Kind')
    const jobs = load('miner.WorkerJobs.response.json')
    expect(compareShape(jobs, { 'not-a-uuid': [] }, RULES['miner.WorkerJobs']).mismatches[0]).toMatch(/map key "not-a-uuid"/)
  })
})

describe('sim conformance with Lotus API examples (over SSH + JSON-RPC)', () => {
  let sim: SimSites
  let ctx: Ctx

  const call = <T = unknown>(target: RpcTarget, method: string, params: unknown[] = []): Promise<T> => sim.rpc<T>(ctx.alias, target, method, params)

  beforeAll(async () => {
    sim = await startSimSites({ sites: 1, speed: 60, sectors: 300, scenarios: ['stuck-message'] })
    const alias = 'site-1'
    const cfg = sim.site(alias).config
    const rpc = <T>(t: RpcTarget, m: string, p: unknown[] = []) => sim.rpc<T>(alias, t, m, p)
    const addr = await rpc<string>('miner', 'ActorAddress')
    const proving = await rpc<number[]>('miner', 'SectorsListInStates', [['Proving']])
    const storage = await rpc<Record<string, { Number: number; SectorFileType: number }[]>>('miner', 'StorageList')
    let storageId = ''
    let storedSector = -1
    for (const [id, decls] of Object.entries(storage)) {
      // Lotus ORs the file types a store holds of a sector (sealed|cache = 6).
      const sealed = decls.find((d) => (d.SectorFileType & 2) !== 0 && proving.includes(d.Number))
      if (sealed) {
        storageId = id
        storedSector = sealed.Number
        break
      }
    }
    let deadlineWithSectors = -1
    for (let d = 0; d < 48 && deadlineWithSectors < 0; d++) {
      const parts = await rpc<{ AllSectors: number[] }[]>('daemon', 'StateMinerPartitions', [addr, d, []])
      if (parts.length > 0) deadlineWithSectors = d
    }
    const pending = await rpc<{ Message: Record<string, unknown>; CID: { '/': string } }[]>('daemon', 'MpoolPending', [[]])
    const peers = await rpc<{ ID: string }[]>('daemon', 'NetPeers')
    ctx = {
      alias,
      addr,
      worker: cfg.wallets.worker,
      proving,
      storageId,
      storedSector,
      deadlineWithSectors,
      pendingCid: pending[0]?.CID ?? null,
      pendingMsg: pending[0]?.Message ?? null,
      peerId: peers[0]?.ID ?? '',
      workerName: cfg.workers[0]?.name ?? ''
    }
  }, 180_000)

  afterAll(async () => {
    await sim?.down()
  })

  it('has a site with what the calls need (proving sectors, stored files, a deadline with sectors, a pending message, peers)', () => {
    expect(ctx.proving.length).toBeGreaterThan(100)
    expect(ctx.storageId).toMatch(UUID)
    expect(ctx.storedSector).toBeGreaterThanOrEqual(0)
    expect(ctx.deadlineWithSectors).toBeGreaterThanOrEqual(0)
    expect(ctx.pendingCid).not.toBeNull()
    expect(ctx.peerId).toMatch(/^12D3KooW/)
  })

  /** The sim's answer for an example: [target, method, params]. */
  async function answer(name: string): Promise<unknown> {
    const [api, method] = name.split('.') as [string, string]
    const target: RpcTarget = api === 'miner' ? 'miner' : api === 'full' ? 'daemon' : { worker: ctx.workerName }
    const sector = ctx.proving[0] as number
    const params: Record<string, () => Promise<unknown[]> | unknown[]> = {
      'miner.SectorsListInStates': () => [['Proving']],
      'miner.SectorsStatus': () => [sector, true],
      'miner.StorageFindSector': () => [{ Miner: Number(ctx.addr.slice(2)), Number: ctx.storedSector }, 2, 34359738368, false],
      'miner.StorageInfo': () => [ctx.storageId],
      'miner.StorageStat': () => [ctx.storageId],
      'miner.SectorsUpdate': () => [sector, 'Proving'],
      'miner.SectorTerminate': () => [ctx.proving[ctx.proving.length - 1]],
      'miner.SectorRemove': async () => [(await call<{ Number: number }>('miner', 'PledgeSector')).Number],
      'miner.SealingAbort': async () => {
        const deadline = Date.now() + 60_000
        for (;;) {
          const jobs = await call<Record<string, { ID: { Sector: unknown; ID: string }; RunWait: number }[]>>('miner', 'WorkerJobs')
          const job = Object.values(jobs).flat().find((j) => j.RunWait === 0 && j.ID.ID !== '00000000-0000-0000-0000-000000000000')
          if (job) return [job.ID]
          if (Date.now() > deadline) throw new Error('no running job to abort within 60 s')
          await new Promise((r) => setTimeout(r, 500))
        }
      },
      'miner.SealingRemoveRequest': () => [randomUUID()],
      'full.ChainGetMessage': () => [ctx.pendingCid],
      'full.MpoolGetNonce': () => [ctx.worker],
      'full.MpoolPending': () => [[]],
      'full.NetAgentVersion': () => [ctx.peerId],
      'full.NetBlockAdd': () => [{ Peers: [newPeerId()], IPAddrs: ['192.0.2.1'], IPSubnets: ['192.0.2.0/24'] }],
      'full.NodeStatus': () => [true],
      'full.StateMinerActiveSectors': () => [ctx.addr, []],
      'full.StateMinerDeadlines': () => [ctx.addr, []],
      'full.StateMinerInfo': () => [ctx.addr, []],
      'full.StateMinerPartitions': () => [ctx.addr, ctx.deadlineWithSectors, []],
      'full.StateMinerProvingDeadline': () => [ctx.addr, []],
      'full.StateSectorGetInfo': () => [ctx.addr, sector, []],
      'full.GasEstimateMessageGas': () => [bumped(), { MaxFee: '0' }, []],
      'full.WalletSignMessage': () => [ctx.pendingMsg?.From, bumped()],
      'full.MpoolPush': async () => {
        const msg = await call<Record<string, unknown>>('daemon', 'GasEstimateMessageGas', [bumped(), { MaxFee: '0' }, []])
        return [await call('daemon', 'WalletSignMessage', [msg.From, msg])]
      }
    }
    const p = params[name] ? await params[name]() : []
    return call(target, method, p)
  }

  /** The stuck message with its premium raised past the replace-by-fee rule (what `mpool replace --auto` sends). */
  function bumped(): Record<string, unknown> {
    const m = ctx.pendingMsg ?? {}
    const premium = BigInt(String(m.GasPremium ?? '0'))
    const newPremium = (premium * 125n) / 100n + 1n
    const feeCap = BigInt(String(m.GasFeeCap ?? '0'))
    return { ...m, GasPremium: newPremium.toString(), GasFeeCap: (feeCap > newPremium ? feeCap : newPremium).toString() }
  }

  // Mutating calls run last, in this order (vitest runs a file's tests in order).
  const LAST = ['miner.SealingAbort', 'miner.SealingRemoveRequest', 'miner.SectorsUpdate', 'miner.SectorTerminate', 'miner.SectorRemove', 'full.NetBlockAdd', 'full.NetBlockList', 'full.GasEstimateMessageGas', 'full.WalletSignMessage', 'full.MpoolPush']
  const ordered = [...methods.filter((m) => !LAST.includes(m)), ...LAST.filter((m) => methods.includes(m))]

  for (const name of ordered) {
    const hasResponse = files.includes(`${name}.response.json`)
    it(`${name}${hasResponse ? '' : ' (no return value)'}`, async () => {
      if (name === 'miner.SealingRemoveRequest') {
        // No queued request has this UUID: Lotus answers null or its "not found" error; the call must exist and take a UUID.
        const r = await answer(name).then(
          (v) => ({ v }),
          (e: Error & { code?: number }) => ({ e })
        )
        if ('e' in r) {
          expect(r.e.code, r.e.message).toBe(1)
          expect(r.e.message).toMatch(/not found|no request/i)
        } else expect(r.v).toBeNull()
        return
      }
      const got = await answer(name)
      if (!hasResponse) {
        expect(got).toBeNull()
        return
      }
      const example = load(`${name}.response.json`)
      const rules = RULES[name] ?? {}
      const report = compareShape(example, got, rules)
      expect(report.mismatches, `${name} answered ${JSON.stringify(got)?.slice(0, 2000)}`).toEqual([])
      expect(report.uncovered, `${name}: example paths the answer left unexercised (empty arrays/maps?)`).toEqual([])
    }, 90_000)
  }
})
