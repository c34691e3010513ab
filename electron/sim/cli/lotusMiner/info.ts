import type { MinerInfo, TipSet, WorkerStats } from '../../../../preload/contract/lotus/types'
import { deciStr, filShort, goDurationMs, goTimeString, sizeStr } from '../../miner/gofmt'
import type { Command, Ctx } from './cmd'
import { actorAddress, blockDelaySecs, fullApi, minerApi } from './common'

/** `lotus-miner info` (cli/miner/info.go). */

/** spcli.StateList order of `Sectors:` buckets. */
const STATE_ORDER = [
  'Total', 'Proving', 'Available', 'UpdateActivating', 'ReceiveSector', 'Empty', 'WaitDeals', 'AddPiece', 'SnapDealsWaitDeals',
  'SnapDealsAddPiece', '', 'Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'PreCommitting', 'PreCommitWait', 'SubmitPreCommitBatch',
  'PreCommitBatchWait', 'WaitSeed', 'Committing', 'CommitFinalize', 'SubmitCommit', 'CommitWait', 'SubmitCommitAggregate',
  'CommitAggregateWait', 'FinalizeSector', 'SnapDealsPacking', 'UpdateReplica', 'ProveReplicaUpdate', 'SubmitReplicaUpdate',
  'ReplicaUpdateWait', 'WaitMutable', 'FinalizeReplicaUpdate', 'ReleaseSectorKey', 'Terminating', 'TerminateWait', 'TerminateFinality',
  'TerminateFailed', 'Removing', 'Removed', 'AbortUpgrade', 'FailedUnrecoverable', 'AddPieceFailed', 'SealPreCommit1Failed',
  'SealPreCommit2Failed', 'PreCommitFailed', 'ComputeProofFailed', 'RemoteCommitFailed', 'CommitFailed', 'CommitFinalizeFailed',
  'PackingFailed', 'FinalizeFailed', 'Faulty', 'FaultReported', 'FaultedFinal', 'RemoveFailed', 'DealsExpired', 'RecoverDealIDs',
  'SnapDealsAddPieceFailed', 'SnapDealsDealsExpired', 'SnapDealsRecoverDealIDs', 'ReplicaUpdateFailed', 'ReleaseSectorKeyFailed',
  'FinalizeReplicaUpdateFailed'
]

export function formatSectorsInfo(summary: Record<string, number>): string {
  const buckets: [string, number][] = Object.entries(summary)
  buckets.push(['Total', buckets.reduce((a, [, c]) => a + c, 0)])
  const rank = (s: string) => {
    const i = STATE_ORDER.indexOf(s)
    return i < 0 ? 0 : i
  }
  buckets.sort((a, b) => rank(a[0]) - rank(b[0]))
  return buckets.map(([s, c]) => `\t${s}: ${c}\n`).join('')
}

async function optional<T>(p: Promise<T>, fallback: T): Promise<T> {
  try {
    return await p
  } catch {
    return fallback
  }
}

async function infoAction(ctx: Ctx): Promise<void> {
  const full = fullApi(ctx, 'v1')
  let s = ''
  const mapi = ctx.globalIsSet('actor') ? null : minerApi(ctx)
  if (mapi) {
    const subsystems = await mapi.call<string[]>('RuntimeSubsystems')
    s += `Enabled subsystems: [${subsystems.join(' ')}]\n`
    const start = Date.parse(await mapi.call<string>('StartTime'))
    s += `StartTime: ${goDurationMs(Math.floor((Date.now() - start) / 1000) * 1000)} (started at ${goTimeString(Math.floor(start / 1000))})\n`
  }
  const head = await full.call<TipSet>('ChainHead')
  const bd = blockDelaySecs()
  const minTs = Math.min(...head.Blocks.map((b) => b.Timestamp))
  const behind = Date.now() / 1000 - minTs
  s += 'Chain: '
  // Lotus's BlockDelaySecs is whole seconds; the sim's fast epochs count as at least one.
  const blockSecs = Math.max(1, bd)
  if (behind < blockSecs * 1.5) s += '[sync ok]'
  else if (behind < blockSecs * 5) s += `[sync slow (${goDurationMs(Math.floor(behind) * 1000)} behind)]`
  else s += `[sync behind! (${goDurationMs(Math.floor(behind) * 1000)} behind)]`
  const baseFee = head.Blocks[0]?.ParentBaseFee ?? '0'
  s += ` [basefee ${filShort(baseFee)}]\n`
  const maddr = await actorAddress(ctx)
  const mi = await full.call<MinerInfo>('StateMinerInfo', [maddr, []])
  s += `Miner: ${maddr} (${sizeStr(mi.SectorSize)} sectors)\n`
  type Power = { MinerPower: { RawBytePower: string; QualityAdjPower: string }; TotalPower: { RawBytePower: string; QualityAdjPower: string }; HasMinPower: boolean }
  const pow = await full.call<Power>('StateMinerPower', [maddr, []])
  const pct = (a: string, b: string) => (Number(BigInt(a) * 100000000n / (BigInt(b) || 1n)) / 1e6).toFixed(4)
  s += `Power: ${deciStr(BigInt(pow.MinerPower.QualityAdjPower))} / ${deciStr(BigInt(pow.TotalPower.QualityAdjPower))} (${pct(pow.MinerPower.QualityAdjPower, pow.TotalPower.QualityAdjPower)}%)\n`
  s += `\tRaw: ${sizeStr(BigInt(pow.MinerPower.RawBytePower))} / ${sizeStr(BigInt(pow.TotalPower.RawBytePower))} (${pct(pow.MinerPower.RawBytePower, pow.TotalPower.RawBytePower)}%)\n`
  const sc = await full.call<{ Live: number; Active: number; Faulty: number }>('StateMinerSectorCount', [maddr, []])
  const proving = sc.Active + sc.Faulty
  s += `\tCommitted: ${sizeStr(sc.Live * mi.SectorSize)}\n`
  if (sc.Faulty === 0) s += `\tProving: ${sizeStr(proving * mi.SectorSize)}\n`
  else s += `\tProving: ${sizeStr(proving * mi.SectorSize)} (${sizeStr(sc.Faulty * mi.SectorSize)} Faulty, ${((100 * sc.Faulty) / (sc.Live || 1)).toFixed(2)}%)\n`
  if (!pow.HasMinPower) s += 'Below minimum power threshold, no blocks will be won'
  else {
    const ratio = Number(BigInt(pow.MinerPower.QualityAdjPower) * 5n * 1_000_000_000n / (BigInt(pow.TotalPower.QualityAdjPower) || 1n)) / 1e9
    if (ratio > 0) {
      const win = -Math.expm1(-ratio)
      const weekly = win * 7 * 2880
      const avg = Math.floor(30 / win)
      s += `Projected average block win rate: ${weekly.toFixed(2)}/week (every ${goDurationMs(avg * 1000)})\n`
      s += `Projected block win with 99.9% probability every ${goDurationMs(Math.floor((30 * Math.log(1 - 0.999)) / Math.log(1 - win)) * 1000)}\n`
      s += '(projections DO NOT account for future network and miner growth)\n'
    }
  }
  s += '\n'
  const actor = await optional(full.call<{ Balance: string }>('StateGetActor', [maddr, []]), { Balance: '0' })
  const avail = await optional(full.call<string>('StateMinerAvailableBalance', [maddr, []]), '0')
  const locked = BigInt(actor.Balance) - BigInt(avail)
  s += `Miner Balance:    ${filShort(actor.Balance)}\n`
  s += `      PreCommit:  ${filShort(0n)}\n`
  s += `      Pledge:     ${filShort(locked > 0n ? locked : 0n)}\n`
  s += `      Vesting:    ${filShort(0n)}\n`
  s += `      Available:  ${filShort(avail)}\n`
  const mb = await optional(full.call<{ Escrow: string; Locked: string }>('StateMarketBalance', [maddr, []]), { Escrow: '0', Locked: '0' })
  s += `Market Balance:   ${filShort(mb.Escrow)}\n`
  s += `       Locked:    ${filShort(mb.Locked)}\n`
  s += `       Available: ${filShort(BigInt(mb.Escrow) - BigInt(mb.Locked))}\n`
  const wb = await optional(full.call<string>('WalletBalance', [mi.Worker]), '0')
  let spendable = BigInt(avail) + BigInt(mb.Escrow) - BigInt(mb.Locked) + BigInt(wb)
  s += `Worker Balance:   ${filShort(wb)}\n`
  if (mi.ControlAddresses && mi.ControlAddresses.length > 0) {
    let sum = 0n
    for (const a of mi.ControlAddresses) sum += BigInt(await optional(full.call<string>('WalletBalance', [a]), '0'))
    spendable += sum
    s += `       Control:   ${filShort(sum)}\n`
  }
  s += `Total Spendable:  ${filShort(spendable)}\n`
  if (mi.Beneficiary) s += `\nBeneficiary:\t${mi.Beneficiary}\n`
  s += '\n'
  if (mapi && ctx.flags['hide-sectors-info'] !== true) {
    s += 'Sectors:\n'
    s += formatSectorsInfo(await mapi.call<Record<string, number>>('SectorsSummary'))
  }
  s += '\n'
  if (mapi) {
    const ws = await mapi.call<Record<string, WorkerStats>>('WorkerStats')
    const byType = { Sealing: 0, WdPoSt: 0, WinPost: 0 }
    for (const st of Object.values(ws)) {
      if (!st.Enabled) continue
      const post = (st.Tasks ?? []).find((t) => t.startsWith('post/'))
      if (post === 'post/v0/windowproof') byType.WdPoSt++
      else if (post === 'post/v0/winningproof') byType.WinPost++
      else byType.Sealing++
    }
    s += `Workers: Seal(${byType.Sealing}) WdPoSt(${byType.WdPoSt}) WinPoSt(${byType.WinPost})\n`
  }
  ctx.write(s)
}

export const infoCmd: Command = {
  name: 'info',
  usage: 'Print miner info',
  category: 'CHAIN',
  flags: [
    { names: ['hide-sectors-info'], kind: 'bool', usage: 'hide sectors info', default: false },
    { names: ['blocks'], kind: 'int', usage: 'Log of produced <blocks> newest blocks and rewards(Miner Fee excluded)' }
  ],
  action: infoAction
}
