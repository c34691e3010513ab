import type { SectorInfo, SectorOnChainInfo, TipSet } from '../../../../preload/contract/lotus/types'
import { SECTOR_STATES } from '../../../../preload/contract/lotus/states'
import { epochTime, filShort, filString, goTimeString, hexOfBase64, goDurationMs } from '../../miner/gofmt'
import { incorrectNumArgs, type Command, type Ctx } from './cmd'
import { actorAddress, blockDelaySecs, fullApi, minerApi, minerIdOf, parseUint } from './common'
import { TableWriter } from './text'

/** `lotus-miner sectors …` (cli/miner/sectors.go, cli/spcli/sectors.go). */

const cidStr = (c: { '/': string } | null | undefined) => (c ? c['/'] : '<nil>')

/** The text of `sectors status` for a SectorInfo (flags: log, proof). */
export function formatSectorStatus(st: SectorInfo, opts: { log: boolean; proof: boolean }): string {
  let s = ''
  s += `SectorID:\t${st.SectorID}\n`
  s += `Status:\t\t${st.State}\n`
  s += `CIDcommD:\t${cidStr(st.CommD)}\n`
  s += `CIDcommR:\t${cidStr(st.CommR)}\n`
  s += `Ticket:\t\t${hexOfBase64(st.Ticket.Value)}\n`
  s += `TicketH:\t${st.Ticket.Epoch}\n`
  s += `Seed:\t\t${hexOfBase64(st.Seed.Value)}\n`
  s += `SeedH:\t\t${st.Seed.Epoch}\n`
  s += `Precommit:\t${cidStr(st.PreCommitMsg)}\n`
  s += `Commit:\t\t${cidStr(st.CommitMsg)}\n`
  if (opts.proof) s += `Proof:\t\t${hexOfBase64(st.Proof)}\n`
  s += `Deals:\t\t[${(st.Deals ?? []).join(' ')}]\n`
  s += `Retries:\t${st.Retries}\n`
  if (st.LastErr !== '') s += `Last Error:\t\t${st.LastErr}\n`
  s += `\nExpiration Info\n`
  s += `OnTime:\t\t${st.OnTime}\n`
  s += `Early:\t\t${st.Early}\n`
  return s
}

export function formatEventLog(st: SectorInfo): string {
  let s = '--------\nEvent Log:\n'
  ;(st.Log ?? []).forEach((l, i) => {
    s += `${i}.\t${goTimeString(l.Timestamp)}:\t[${l.Kind}]\t${l.Message}\n`
    if (l.Trace !== '') s += `\t${l.Trace}\n`
  })
  return s
}

const reallyDoIt = { names: ['really-do-it'], kind: 'bool' as const, usage: 'pass this flag if you know what you are doing', default: false }

function parseSectorNum(s: string): number {
  try {
    return parseUint(s)
  } catch (e) {
    throw new Error(`could not parse sector number: ${(e as Error).message}`)
  }
}

async function statusAction(ctx: Ctx): Promise<void> {
  if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
  const id = parseUint(ctx.args[0] as string)
  const onChain = ctx.flags['on-chain-info'] === true
  const st = await minerApi(ctx).call<SectorInfo>('SectorsStatus', [id, onChain])
  ctx.write(formatSectorStatus(st, { log: ctx.flags.log === true, proof: ctx.flags.proof === true }))
  const maddr = await actorAddress(ctx)
  if (onChain) {
    const api = fullApi(ctx)
    let head: TipSet
    try {
      head = await api.call<TipSet>('ChainHead')
    } catch (e) {
      throw new Error(`getting chain head: ${(e as Error).message}`)
    }
    const info = await api.call<SectorOnChainInfo | null>('StateSectorGetInfo', [maddr, id, head.Cids])
    if (!info) {
      ctx.out('Sector status not found on chain')
      return
    }
    const bd = blockDelaySecs()
    let s = '\nSector On Chain Info\n'
    s += `SealProof:\t\t${info.SealProof.toString(16)}\n`
    s += `Activation:\t\t${epochTime(head.Height, info.Activation, bd)}\n`
    s += `Expiration:\t\t${epochTime(head.Height, info.Expiration, bd)}\n`
    s += `DealWeight:\t\t${info.DealWeight}\n`
    s += `VerifiedDealWeight:\t\t${info.VerifiedDealWeight}\n`
    s += `InitialPledge:\t\t${filString(info.InitialPledge)}\n`
    s += `SectorID:\t\t{Miner: ${minerIdOf(maddr)}, Number: ${info.SectorNumber}}\n`
    ctx.write(s)
  }
  if (ctx.flags['partition-info'] === true) {
    const api = fullApi(ctx)
    const loc = await api.call<{ Deadline: number; Partition: number } | null>('StateSectorPartition', [maddr, id, []]).catch(() => null)
    if (!loc) ctx.out('\nNot found in any partition')
    else {
      const parts = await api.call<{ AllSectors: number[]; LiveSectors: number[]; ActiveSectors: number[]; FaultySectors: number[]; RecoveringSectors: number[] }[]>(
        'StateMinerPartitions',
        [maddr, loc.Deadline, []]
      )
      const p = parts[loc.Partition]
      const has = (rle: number[] | undefined) => {
        let pos = 0
        let set = false
        ;(rle ?? []).forEach((run, i) => {
          if (i % 2 === 1 && id >= pos && id < pos + run) set = true
          pos += run
        })
        return set ? 'yes' : 'no'
      }
      let s = `\nDeadline:\t${loc.Deadline}\nPartition:\t${loc.Partition}\n`
      const unproven = p ? (has(p.LiveSectors) === 'yes' && has(p.ActiveSectors) === 'no' ? 'yes' : 'no') : 'no'
      s += `Unproven:   \t${unproven}\nLive:   \t${has(p?.LiveSectors)}\nActive:   \t${has(p?.ActiveSectors)}\nFaulty:   \t${has(p?.FaultySectors)}\nRecovering:   \t${has(p?.RecoveringSectors)}\n`
      ctx.write(s)
    }
  }
  if (ctx.flags.log === true) ctx.write(formatEventLog(st))
}

async function listAction(ctx: Ctx): Promise<void> {
  const mapi = minerApi(ctx, 'http')
  const api = fullApi(ctx)
  let showRemoved = ctx.flags['show-removed'] === true
  let states: string[] = []
  if (ctx.isSet('states') && ctx.isSet('unproven')) throw new Error('only one of --states or --unproven can be specified at once')
  if (ctx.isSet('states')) {
    showRemoved = true
    states = String(ctx.flags.states).split(',')
  }
  if (ctx.flags.unproven === true) states = SECTOR_STATES.filter((s) => s !== 'Proving' && s !== 'Available')
  const list = (states.length === 0 ? await mapi.call<number[]>('SectorsList') : await mapi.call<number[] | null>('SectorsListInStates', [states])) ?? []
  const maddr = await mapi.call<string>('ActorAddress')
  const head = await api.call<TipSet>('ChainHead')
  const active = await api.call<SectorOnChainInfo[] | null>('StateMinerActiveSectors', [maddr, head.Cids])
  const activeIds = new Set((active ?? []).map((a) => a.SectorNumber))
  let committed: Set<number>
  try {
    const sset = await api.call<SectorOnChainInfo[] | null>('StateMinerSectors', [maddr, null, head.Cids])
    committed = new Set((sset ?? []).map((a) => a.SectorNumber))
  } catch (e) {
    if (!/method 'Filecoin.StateMinerSectors' not found/.test((e as Error).message)) throw e
    committed = activeIds
  }
  list.sort((a, b) => a - b)
  const fast = ctx.flags.fast === true
  const tw = new TableWriter([
    { name: 'ID' },
    { name: 'State' },
    { name: 'OnChain' },
    { name: 'Active' },
    { name: 'Expiration' },
    { name: 'SealTime' },
    { name: 'Events' },
    { name: 'Deals' },
    { name: 'DealWeight' },
    { name: 'VerifiedPower' },
    { name: 'Pledge' },
    { name: 'Error', separateLine: true },
    { name: 'RecoveryTimeout', separateLine: true }
  ])
  const parallel = Math.max(1, Number(ctx.flags['check-parallelism'] ?? 300))
  const results: ({ ok: true; st: SectorInfo } | { ok: false; n: number })[] = new Array(list.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(parallel, list.length) }, async () => {
      while (next < list.length) {
        const i = next++
        const n = list[i] as number
        try {
          results[i] = { ok: true, st: await mapi.call<SectorInfo>('SectorsStatus', [n, !fast]) }
        } catch {
          results[i] = { ok: false, n }
        }
      }
    })
  )
  const bd = blockDelaySecs()
  for (const r of results) {
    if (!r.ok) {
      tw.write({ ID: r.n, Error: '<nil>' })
      continue
    }
    const st = r.st
    if (!showRemoved && st.State === 'Removed') continue
    const m: Record<string, unknown> = { ID: st.SectorID, State: st.State, OnChain: committed.has(st.SectorID) ? 'YES' : 'NO', Active: activeIds.has(st.SectorID) ? 'YES' : 'NO' }
    const deals = (st.Deals ?? []).filter((d) => d !== 0).length
    m.Deals = deals > 0 ? String(deals) : 'CC'
    let exp = st.Expiration
    if (st.OnTime > 0 && st.OnTime < exp) exp = st.OnTime
    if (!fast) {
      if (!committed.has(st.SectorID)) m.Expiration = 'n/a'
      else {
        m.Expiration = epochTime(head.Height, exp, bd)
        if (st.Early > 0) m.RecoveryTimeout = epochTime(head.Height, st.Early, bd)
      }
      if (committed.has(st.SectorID) && ctx.flags['initial-pledge'] === true) m.Pledge = filShort(st.InitialPledge)
    }
    if (ctx.flags.events === true) {
      const events = (st.Log ?? []).filter((l) => l.Kind.startsWith('event') && l.Kind !== 'event;sealing.SectorRestart').length
      m.Events = String(events)
    }
    if (ctx.flags['seal-time'] === true && (st.Log ?? []).length > 1) {
      const log = st.Log ?? []
      const start = (log[0] as { Timestamp: number }).Timestamp
      const proving = log.find((l) => l.Kind === 'event;sealing.SectorProving')
      if (proving) m.SealTime = goDurationMs((proving.Timestamp - start) * 1000)
    }
    tw.write(m)
  }
  ctx.write(tw.flush())
}

export const sectorsCmd: Command = {
  name: 'sectors',
  usage: 'interact with sector store',
  category: 'STORAGE',
  subcommands: [
    {
      name: 'status',
      usage: 'Get the seal status of a sector by its number',
      argsUsage: '<sectorNum>',
      flags: [
        { names: ['log', 'l'], kind: 'bool', usage: 'display event log', default: false },
        { names: ['on-chain-info', 'c'], kind: 'bool', usage: 'show sector on chain info', default: false },
        { names: ['partition-info', 'p'], kind: 'bool', usage: 'show partition related info', default: false },
        { names: ['proof'], kind: 'bool', usage: 'print snark proof bytes as hex', default: false }
      ],
      action: statusAction
    },
    {
      name: 'list',
      usage: 'List sectors',
      flags: [
        { names: ['show-removed', 'r'], kind: 'bool', usage: 'show removed sectors', default: false },
        { names: ['fast', 'f'], kind: 'bool', usage: "don't show on-chain info for better performance", default: false },
        { names: ['events', 'e'], kind: 'bool', usage: 'display number of events the sector has received', default: false },
        { names: ['initial-pledge', 'p'], kind: 'bool', usage: 'display initial pledge', default: false },
        { names: ['seal-time', 't'], kind: 'bool', usage: 'display how long it took for the sector to be sealed', default: false },
        { names: ['states'], kind: 'string', usage: 'filter sectors by a comma-separated list of states' },
        { names: ['unproven', 'u'], kind: 'bool', usage: "only show sectors which aren't in the 'Proving' state", default: false },
        { names: ['check-parallelism'], kind: 'int', usage: 'number of parallel requests to make for checking sector states', default: '300' }
      ],
      action: listAction
    },
    {
      name: 'update-state',
      usage: 'ADVANCED: manually update the state of a sector, this may aid in error recovery',
      argsUsage: '<sectorNum> <newState>',
      flags: [reallyDoIt],
      action: async (ctx) => {
        if (ctx.flags['really-do-it'] !== true) throw new Error('this is a command for advanced users, only use it if you are sure of what you are doing')
        const api = minerApi(ctx)
        if (ctx.args.length !== 2) throw incorrectNumArgs(ctx)
        const id = parseSectorNum(ctx.args[0] as string)
        try {
          await api.call('SectorsStatus', [id, false])
        } catch (e) {
          if ((e as Error).message.startsWith('cannot dial')) throw e
          throw new Error(`sector ${id} not found, could not change state`)
        }
        const state = ctx.args[1] as string
        if (!SECTOR_STATES.includes(state)) {
          // Go prints ExistSectorStateList's keys in map (random) order.
          const shuffled = [...SECTOR_STATES].sort(() => Math.random() - 0.5)
          ctx.write(` "${state}" is not a valid state. Possible states for sectors are: \n${shuffled.map((s) => `${s}\n`).join('')}`)
          return
        }
        await api.call('SectorsUpdate', [id, state])
      }
    },
    {
      name: 'pledge',
      usage: 'store random data in a sector',
      action: async (ctx) => {
        const id = await minerApi(ctx).call<{ Miner: number; Number: number }>('PledgeSector')
        ctx.out(`Created CC sector:  ${id.Number}`)
      }
    },
    {
      name: 'terminate',
      usage: 'Terminate sector on-chain then remove (WARNING: This means losing power and collateral for the removed sector)',
      argsUsage: '<sectorNum>',
      flags: [reallyDoIt],
      subcommands: [
        {
          name: 'flush',
          usage: 'Send a terminate message if there are sectors queued for termination',
          action: async (ctx) => {
            const api = minerApi(ctx)
            const pending = await api.call<unknown[]>('SectorTerminatePending')
            if (!pending || pending.length === 0) throw new Error('no sectors were queued for termination')
            await api.call('SectorTerminateFlush')
          }
        },
        {
          name: 'pending',
          usage: 'List sector numbers of sectors pending termination',
          action: async (ctx) => {
            const pending = (await minerApi(ctx).call<{ Number: number }[] | null>('SectorTerminatePending')) ?? []
            for (const p of pending) ctx.out(String(p.Number))
          }
        }
      ],
      action: async (ctx) => {
        const api = minerApi(ctx)
        if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
        if (ctx.flags['really-do-it'] !== true) throw new Error('pass --really-do-it to confirm this action')
        const id = parseSectorNum(ctx.args[0] as string)
        await api.call('SectorTerminate', [id])
      }
    },
    {
      name: 'remove',
      usage: "Forcefully remove a sector (WARNING: This means losing power and collateral for the removed sector (use 'terminate' for lower penalty))",
      argsUsage: '<sectorNum>',
      flags: [reallyDoIt],
      action: async (ctx) => {
        if (ctx.flags['really-do-it'] !== true) throw new Error('this is a command for advanced users, only use it if you are sure of what you are doing')
        const api = minerApi(ctx)
        if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
        const id = parseSectorNum(ctx.args[0] as string)
        try {
          await api.call('SectorsStatus', [id, false])
        } catch (e) {
          if ((e as Error).message.startsWith('cannot dial')) throw e
          throw new Error(`sectorID ${id} has not been created yet: ${(e as Error).message}`)
        }
        await api.call('SectorRemove', [id])
      }
    }
  ]
}
