import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeadlineInfo, NodeStatus, Partition, SignedMessage, TipSet } from '../../preload/contract/lotus/types'
import { ChainClock } from '../../electron/sim/common/clock'
import { actorAddress } from '../../electron/sim/common/siteConfig'
import * as R from '../../electron/sim/daemon/rangeSet'
import { sealedCidFor } from '../../electron/sim/daemon/sectorInfo'
import { buildBundle, lotus, makeSite, removeSite, rpc, rpcRaw, startDaemon, waitFor, type TestSite } from '../support/sim/daemon'

/**
 * Messages: the runbook's `mpool replace` on a stuck message, and the chain ↔ miner interface
 * (MpoolPushMessage / StateSearchMsg with the sim's method numbers and params) driving the
 * actor: precommit, WaitSeed, prove-commit into a partition, WindowPoSt, recoveries,
 * terminations, and the insufficient-funds refusal.
 */

interface Lookup {
  Message: { '/': string }
  Receipt: { ExitCode: number; Return: null; GasUsed: number; EventsRoot: null }
  ReturnDec: null
  TipSet: { '/': string }[]
  Height: number
}

const epochNow = (site: TestSite) => ChainClock.of(site.cfg).epochAt()
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')

function message(site: TestSite, method: number, params: unknown) {
  return { Version: 0, To: actorAddress(site.cfg), From: site.cfg.wallets.worker, Nonce: 0, Value: '0', GasLimit: 0, GasFeeCap: '0', GasPremium: '0', Method: method, Params: b64(params) }
}

/** Pushes a message and waits for its receipt; `pushedAt` is the chain clock's epoch once the push was accepted. */
async function pushAndWait(site: TestSite, method: number, params: unknown): Promise<Lookup & { pushedAt: number }> {
  const sm = await rpc<SignedMessage>(site, 'MpoolPushMessage', [message(site, method, params), { MaxFee: '0', MsgUuid: '00000000-0000-0000-0000-000000000000', MaximizeFeeCap: false }])
  const pushedAt = epochNow(site)
  expect(sm.Message.Nonce).toBeGreaterThan(0)
  expect(await rpc(site, 'StateSearchMsg', [[], sm.CID, -1, true])).toBeNull()
  return { ...(await waitFor(`message ${method} on chain`, () => rpc<Lookup | null>(site, 'StateSearchMsg', [[], sm.CID, -1, true]), 15_000)), pushedAt }
}

beforeAll(() => buildBundle(), 60_000)

describe('stuck message and mpool replace (runbook §3)', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await makeSite({ sectors: 100, speed: 300, scenarios: ['stuck-message'] })
    await startDaemon(site)
  }, 30_000)
  afterAll(() => removeSite(site))

  it('the owner message stays pending until replaced; the runbook\'s --max-fee fails, --fee-limit replaces it', async () => {
    const owner = site.cfg.wallets.owner
    const local = () => rpc<SignedMessage[]>(site, 'MpoolPending', [[]]).then((all) => all.filter((m) => m.Message.From === owner))
    const [stuck] = await local()
    expect(stuck?.Message).toMatchObject({ Method: 16, GasPremium: '1012' })
    await new Promise((r) => setTimeout(r, 1500)) // 15 epochs go by
    expect(await local()).toEqual([stuck])
    const nonce = String(stuck?.Message.Nonce)

    const runbook = await lotus(site, ['mpool', 'replace', '--auto', '--max-fee=1000000000000000000', owner, nonce])
    expect(runbook.code).toBe(1)
    expect(runbook.stdout).toMatch(/^Incorrect Usage: flag provided but not defined: -max-fee\n\nNAME:\n {3}lotus mpool replace - replace a message in the mempool\n/)
    expect(runbook.stderr).toBe('ERROR: flag provided but not defined: -max-fee\n\n')

    const low = await lotus(site, ['mpool', 'replace', '--gas-premium', '1100', '--gas-feecap', '200000', owner, nonce])
    expect(low.stderr).toBe(
      `ERROR: failed to push new message to mempool: message from ${owner} with nonce ${nonce} already in mpool, increase GasPremium to 1114 from 1100 to trigger replace by fee: replace by fee has too low GasPremium\n\n`
    )
    expect((await lotus(site, ['mpool', 'replace', '--auto', owner, String(Number(nonce) + 1)])).stderr).toBe(
      `ERROR: no pending message found from ${owner} with nonce ${Number(nonce) + 1}\n\n`
    )

    const ok = await lotus(site, ['mpool', 'replace', '--auto', '--fee-limit', '1', owner, nonce])
    expect(ok.code).toBe(0)
    const cid = /^new message cid: {2}(bafy2bzace[a-z2-7]+)\n$/.exec(ok.stdout)?.[1]
    expect(cid).toBeTruthy()
    // At 300× the replacement may land in the next epoch (0.1 s): read it from the chain then.
    const replaced = (await local())[0]?.Message ?? (await rpc<SignedMessage['Message']>(site, 'ChainGetMessage', [{ '/': cid }]))
    expect(BigInt(replaced.GasPremium)).toBeGreaterThanOrEqual(1266n)
    const lookup = await waitFor('replacement on chain', () => rpc<Lookup | null>(site, 'StateSearchMsg', [[], stuck?.CID, -1, true]))
    expect(lookup.Message['/']).toBe(cid)
    expect(lookup.Receipt.ExitCode).toBe(0)
    expect(await rpc(site, 'StateSearchMsg', [[], stuck?.CID, -1, false])).toBeNull()
    expect(await local()).toEqual([])
    expect((await lotus(site, ['mpool', 'pending', '--local'])).stdout).toBe('')
    // The v0 API has the one-argument StateSearchMsg, following replacements.
    expect((await rpc<Lookup>(site, 'StateSearchMsg', [stuck?.CID], { path: '/rpc/v0' })).Message['/']).toBe(cid)
  })

  it('replace by message CID finds the message with ChainGetMessage', async () => {
    const worker = site.cfg.wallets.worker
    const msg = { ...message(site, 0, null), To: site.cfg.wallets.owner, Params: null, GasPremium: '2000', GasFeeCap: '3000000', GasLimit: 700_000, Nonce: await rpc<number>(site, 'MpoolGetNonce', [worker]) }
    const signed = await rpc<SignedMessage>(site, 'WalletSignMessage', [worker, msg])
    const cid = await rpc<{ '/': string }>(site, 'MpoolPush', [signed])
    const r = await lotus(site, ['mpool', 'replace', '--auto', cid['/']])
    expect(r.stdout).toMatch(/^new message cid: {2}bafy2bzace/)
  })
})

describe('chain ↔ miner interface', () => {
  let site: TestSite
  let maddr: string
  const all48 = Array.from({ length: 48 }, (_, i) => i)

  beforeAll(async () => {
    // One partition in every deadline (112,752 sectors), a few precommitted ones waiting.
    site = await makeSite({ sectors: 48 * 2349 + 3, precommitted: 3, speed: 600, deadlines: all48 })
    maddr = actorAddress(site.cfg)
    await startDaemon(site)
    await waitFor('initial sync', async () => (await rpc<NodeStatus>(site, 'NodeStatus', [false])).SyncStatus.Behind < 5)
  }, 30_000)
  afterAll(() => removeSite(site))

  it('precommit, WaitSeed, prove-commit: the sector becomes active in a mutable deadline', async () => {
    const head = (await rpc<TipSet>(site, 'ChainHead')).Height
    const n = 200_000
    const pc = await pushAndWait(site, 28, {
      Sectors: [{ SealProof: 8, SectorNumber: n, SealedCID: { '/': sealedCidFor(site.cfg.minerId, n) }, SealRandEpoch: head - 5, DealIDs: null, Expiration: head + 540 * 2880, UnsealedCid: null }]
    })
    expect(pc.Receipt).toMatchObject({ ExitCode: 0, Return: null, EventsRoot: null })
    expect(pc.Receipt.GasUsed).toBeGreaterThan(1_000_000)
    expect(pc.TipSet[0]?.['/']).toMatch(/^bafy2bzace/)
    const info = await rpc<{ PreCommitEpoch: number; Info: { SectorNumber: number } }>(site, 'StateSectorPreCommitInfo', [maddr, n, []])
    expect(info.PreCommitEpoch).toBe(pc.Height - 1)
    // Included 1–2 epochs after the push was accepted (receipt one later): chain epochs, so a slow
    // RPC round trip on a busy machine (at 50 ms an epoch) does not count against it.
    expect(pc.Height - pc.pushedAt).toBeLessThanOrEqual(4)
    expect(pc.Height).toBeGreaterThan(head)

    // Too early: the seed is 150 epochs after the precommit landed.
    const early = await rpcRaw(site, 'MpoolPushMessage', [message(site, 26, { SectorNumbers: [n] }), null])
    expect(early.error?.message).toMatch(/^GasEstimateMessageGas error: estimating gas used: message execution failed: exit 18, reason: too early to prove sector/)
    await waitFor('WaitSeed', async () => (await rpc<TipSet>(site, 'ChainHead')).Height > info.PreCommitEpoch + 151, 20_000)
    const commit = await pushAndWait(site, 26, { SectorNumbers: [n] })
    expect(commit.Receipt.ExitCode).toBe(0)
    const onChain = await rpc<{ Activation: number; SealedCID: { '/': string } }>(site, 'StateSectorGetInfo', [maddr, n, []])
    expect(onChain).toMatchObject({ Activation: commit.Height - 1, SealedCID: { '/': sealedCidFor(site.cfg.minerId, n) } })
    const at = await rpc<{ Deadline: number; Partition: number }>(site, 'StateSectorPartition', [maddr, n, []])
    const dl = await rpc<DeadlineInfo>(site, 'StateMinerProvingDeadline', [maddr, []])
    expect(at.Deadline).not.toBe(-1)
    const part = (await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, at.Deadline, []]))[at.Partition] as Partition
    expect(R.has(R.fromRle(part.AllSectors), n)).toBe(true)
    expect(R.has(R.fromRle(part.ActiveSectors), n)).toBe(false) // unproven until its first WindowPoSt
    expect(dl.Index).toBeGreaterThanOrEqual(0)
  }, 60_000)

  it('WindowPoSt for the open deadline sets PostSubmissions; a deadline closing without one turns faulty; recoveries are declared', async () => {
    const dl = await waitFor('a fresh deadline', async () => {
      const d = await rpc<DeadlineInfo>(site, 'StateMinerProvingDeadline', [maddr, []])
      return d.CurrentEpoch - d.Open < 20 ? d : null
    }, 10_000, 50)
    const head = (await rpc<TipSet>(site, 'ChainHead')).Height
    const post = await pushAndWait(site, 5, { Deadline: dl.Index, Partitions: [{ Index: 0, Skipped: [] }], ChainCommitEpoch: head - 1 })
    expect(post.Receipt.ExitCode).toBe(0)
    const deadlines = await rpc<{ PostSubmissions: number[] }[]>(site, 'StateMinerDeadlines', [maddr, []])
    expect(deadlines[dl.Index]?.PostSubmissions).toEqual([0, 1])
    await waitFor('deadline close', async () => (await rpc<TipSet>(site, 'ChainHead')).Height >= dl.Close + 1, 10_000)
    const proven = (await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, dl.Index, []]))[0] as Partition
    expect(proven.FaultySectors).toEqual([0])
    expect((await rpc<{ PostSubmissions: number[] }[]>(site, 'StateMinerDeadlines', [maddr, []]))[dl.Index]?.PostSubmissions).toEqual([0])
    const missedIdx = (dl.Index + 47) % 48
    const missed = (await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, missedIdx, []]))[0] as Partition
    expect(missed.FaultySectors).toEqual(missed.LiveSectors)

    // The missed deadline's next window is a whole period away: recoveries are accepted.
    const sectors = R.toArray(R.fromRle(missed.FaultySectors))
    const rec = await pushAndWait(site, 11, { Recoveries: [{ Deadline: missedIdx, Partition: 0, Sectors: sectors }] })
    expect(rec.Receipt.ExitCode).toBe(0)
    const after = (await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, missedIdx, []]))[0] as Partition
    expect(after.RecoveringSectors).toEqual(after.FaultySectors)
    // …but not for the deadline that is open now (past its FaultCutoff).
    const cur = await rpc<DeadlineInfo>(site, 'StateMinerProvingDeadline', [maddr, []])
    const late = await rpcRaw(site, 'MpoolPushMessage', [message(site, 11, { Recoveries: [{ Deadline: cur.Index, Partition: 0, Sectors: [] }] }), null])
    expect(late.error?.message).toMatch(/^GasEstimateMessageGas error: estimating gas used: message execution failed: exit 16, reason: invalid recovery declaration deadline \d+: late fault declaration/)
  }, 60_000)

  it('terminates sectors', async () => {
    const cur = await rpc<DeadlineInfo>(site, 'StateMinerProvingDeadline', [maddr, []])
    const target = (cur.Index + 10) % 48
    const first = target * 2349
    const term = await pushAndWait(site, 9, { Terminations: [{ Deadline: target, Partition: 0, Sectors: [first, first + 1] }] })
    expect(term.Receipt.ExitCode).toBe(0)
    const part = (await rpc<Partition[]>(site, 'StateMinerPartitions', [maddr, target, []]))[0] as Partition
    expect(R.count(R.fromRle(part.LiveSectors))).toBe(2347)
    expect(await rpc(site, 'StateSectorGetInfo', [maddr, first, []])).toBeNull()
  }, 30_000)

  it('answers 48 StateMinerPartitions quickly, one by one and as one JSON-RPC batch (112,752 sectors)', async () => {
    const seq0 = performance.now()
    for (let d = 0; d < 48; d++) await rpc(site, 'StateMinerPartitions', [maddr, d, []])
    const seqMs = performance.now() - seq0
    const batch = JSON.stringify(Array.from({ length: 48 }, (_, d) => ({ jsonrpc: '2.0', id: d, method: 'Filecoin.StateMinerPartitions', params: [maddr, d, []] })))
    const b0 = performance.now()
    const r = await rpcRaw(site, '', [], { body: batch })
    const batchMs = performance.now() - b0
    const replies = JSON.parse(r.body) as { id: number; result: Partition[] }[]
    expect(replies).toHaveLength(48)
    expect(replies.every((x) => Array.isArray(x.result) && x.result.length >= 1)).toBe(true)
    const a0 = performance.now()
    const active = await rpc<unknown[]>(site, 'StateMinerActiveSectors', [maddr, []])
    const activeMs = performance.now() - a0
    expect(active.length).toBeGreaterThan(50_000)
    console.log(`[perf] 112,752 sectors: 48 × StateMinerPartitions sequential ${seqMs.toFixed(1)} ms, batch ${batchMs.toFixed(1)} ms; StateMinerActiveSectors (${active.length}) ${activeMs.toFixed(0)} ms`)
    // The speed itself is a bench figure; here only a blow-up (ten times the usual) fails.
    expect(batchMs).toBeLessThan(5_000)
    expect(seqMs).toBeLessThan(20_000)
  }, 30_000)
})

describe('precommit-funds scenario', () => {
  let site: TestSite
  beforeAll(async () => {
    site = await makeSite({ sectors: 100, speed: 300, scenarios: ['precommit-funds'] })
    await startDaemon(site)
  }, 30_000)
  afterAll(() => removeSite(site))

  it('MpoolPushMessage of a precommit fails with exit 19 as Lotus words it', async () => {
    const n = 500
    const head = (await rpc<TipSet>(site, 'ChainHead')).Height
    const r = await rpcRaw(site, 'MpoolPushMessage', [
      message(site, 28, { Sectors: [{ SealProof: 8, SectorNumber: n, SealedCID: { '/': sealedCidFor(site.cfg.minerId, n) }, SealRandEpoch: head - 3, DealIDs: null, Expiration: head + 1_555_200, UnsealedCid: null }] }),
      null
    ])
    expect(r.error?.code).toBe(1)
    expect(r.error?.message).toMatch(/^GasEstimateMessageGas error: estimating gas used: message execution failed: exit 19, reason: insufficient funds for pre-commit deposit: \d+ \(RetCode=19\)$/)
  })
})
