import type { DeadlineInfo, Partition, TipSet, WorkerStats } from '../../../../preload/contract/lotus/types'
import { bitfieldCount, bitfieldNumbers } from '../../miner/chain'
import { epochTime, goRFC822, goTimeOnly } from '../../miner/gofmt'
import { incorrectNumArgs, type Command } from './cmd'
import { actorAddress, blockDelaySecs, fullApi, minerApi, minerIdOf, parseUint } from './common'
import { formatWorkers } from './sealing'
import { tabwrite } from './text'

/** `lotus-miner proving …` (cli/spcli/proving.go, cli/miner/proving.go). */

/** deadlineOpenTime: wall-clock open time of a deadline in the current proving period. */
function deadlineOpenTime(head: TipSet, dlIdx: number, di: DeadlineInfo, bd: number): string {
  const gap = (dlIdx - di.Index) * (di.WPoStProvingPeriod / di.WPoStPeriodDeadlines)
  const openHeight = di.Open + gap
  const minTs = Math.min(...head.Blocks.map((b) => b.Timestamp))
  const genesis = minTs - head.Height * bd
  return goTimeOnly(Math.floor(genesis + bd * openHeight))
}

export const provingCmd: Command = {
  name: 'proving',
  usage: 'View proving information',
  category: 'STORAGE',
  subcommands: [
    {
      name: 'info',
      usage: 'View current state information',
      action: async (ctx) => {
        const api = fullApi(ctx)
        const maddr = await actorAddress(ctx)
        let head: TipSet
        try {
          head = await api.call<TipSet>('ChainHead')
        } catch (e) {
          throw new Error(`getting chain head: ${(e as Error).message}`)
        }
        let cd: DeadlineInfo
        try {
          cd = await api.call<DeadlineInfo>('StateMinerProvingDeadline', [maddr, head.Cids])
        } catch (e) {
          throw new Error(`getting miner info: ${(e as Error).message}`)
        }
        const deadlines = await api.call<unknown[]>('StateMinerDeadlines', [maddr, head.Cids])
        let proving = 0
        let faults = 0
        let recovering = 0
        let cur = 0
        for (let dl = 0; dl < deadlines.length; dl++) {
          const parts = (await api.call<Partition[] | null>('StateMinerPartitions', [maddr, dl, head.Cids])) ?? []
          for (const p of parts) {
            const live = bitfieldCount(p.LiveSectors)
            proving += live
            if (dl === cd.Index) cur += live
            faults += bitfieldCount(p.FaultySectors)
            recovering += bitfieldCount(p.RecoveringSectors)
          }
        }
        const faultPerc = proving > 0 ? Math.floor((faults * 100) / proving) : 0
        const bd = blockDelaySecs()
        const minTs = Math.min(...head.Blocks.map((b) => b.Timestamp))
        const tsOf = (e: number) => goRFC822(Math.floor(minTs + (e - head.Height) * bd))
        const epochTimeTs = (curr: number, e: number) => {
          const rel = epochTime(curr, e, bd)
          const inner = rel.slice(rel.indexOf('(') + 1, -1)
          return `${e} (${tsOf(e)}, ${inner})`
        }
        let s = `Miner: ${maddr}\n`
        s += `Current Epoch:           ${cd.CurrentEpoch}\n`
        s += `Proving Period Boundary: ${cd.PeriodStart % cd.WPoStProvingPeriod}\n`
        s += `Proving Period Start:    ${epochTimeTs(cd.CurrentEpoch, cd.PeriodStart)}\n`
        s += `Next Period Start:       ${epochTimeTs(cd.CurrentEpoch, cd.PeriodStart + cd.WPoStProvingPeriod)}\n\n`
        s += `Faults:      ${faults} (${faultPerc.toFixed(2)}%)\n`
        s += `Recovering:  ${recovering}\n`
        s += `Deadline Index:       ${cd.Index}\n`
        s += `Deadline Sectors:     ${cur}\n`
        s += `Deadline Open:        ${epochTime(cd.CurrentEpoch, cd.Open, bd)}\n`
        s += `Deadline Close:       ${epochTime(cd.CurrentEpoch, cd.Close, bd)}\n`
        s += `Deadline Challenge:   ${epochTime(cd.CurrentEpoch, cd.Challenge, bd)}\n`
        s += `Deadline FaultCutoff: ${epochTime(cd.CurrentEpoch, cd.FaultCutoff, bd)}\n`
        ctx.write(s)
      }
    },
    {
      name: 'deadlines',
      usage: 'View the current proving period deadlines information',
      flags: [{ names: ['all', 'a'], kind: 'bool', usage: 'Count all sectors (only live sectors are counted by default)', default: false }],
      action: async (ctx) => {
        const api = fullApi(ctx)
        const maddr = await actorAddress(ctx)
        let deadlines: { PostSubmissions: number[] }[]
        let di: DeadlineInfo
        try {
          deadlines = await api.call('StateMinerDeadlines', [maddr, []])
          di = await api.call('StateMinerProvingDeadline', [maddr, []])
        } catch (e) {
          throw new Error(`getting deadlines: ${(e as Error).message}`)
        }
        const head = await api.call<TipSet>('ChainHead')
        const bd = blockDelaySecs()
        let s = 'deadline\topen\tpartitions\tsectors (faults)\tproven partitions\n'
        for (let dl = 0; dl < deadlines.length; dl++) {
          let parts: Partition[]
          try {
            parts = (await api.call<Partition[] | null>('StateMinerPartitions', [maddr, dl, []])) ?? []
          } catch (e) {
            throw new Error(`getting partitions for deadline ${dl}: ${(e as Error).message}`)
          }
          const proven = bitfieldCount(deadlines[dl]?.PostSubmissions)
          let sectors = 0
          let faults = 0
          let count = 0
          for (const p of parts) {
            if (ctx.flags.all !== true) {
              const sc = bitfieldCount(p.LiveSectors)
              if (sc > 0) count++
              sectors += sc
            } else {
              count++
              sectors += bitfieldCount(p.AllSectors)
            }
            faults += bitfieldCount(p.FaultySectors)
          }
          const cur = di.Index === dl ? '\t(current)' : ''
          s += `${dl}\t${deadlineOpenTime(head, dl, di, bd)}\t${count}\t${sectors} (${faults})\t${proven}${cur}\n`
        }
        ctx.write(`Miner: ${maddr}\n${tabwrite(s)}`)
      }
    },
    {
      name: 'check',
      usage: 'Check sectors provable',
      argsUsage: '<deadlineIdx>',
      flags: [
        { names: ['only-bad'], kind: 'bool', usage: 'print only bad sectors', default: false },
        { names: ['slow'], kind: 'bool', usage: 'run slower checks', default: false },
        { names: ['storage-id'], kind: 'string', usage: 'filter sectors by storage path (path id)' },
        { names: ['faulty'], kind: 'bool', usage: 'only check faulty sectors', default: false }
      ],
      action: async (ctx) => {
        if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
        let dl: number
        try {
          dl = parseUint(ctx.args[0] as string)
        } catch (e) {
          throw new Error(`could not parse deadline index: ${(e as Error).message}`)
        }
        const api = fullApi(ctx, 'v1')
        const mapi = minerApi(ctx)
        const addr = await mapi.call<string>('ActorAddress')
        const mid = minerIdOf(addr)
        const info = await api.call<{ WindowPoStProofType: number }>('StateMinerInfo', [addr, []])
        const parts = (await api.call<Partition[] | null>('StateMinerPartitions', [addr, dl, []])) ?? []
        let filter: Set<number> | null = null
        if (ctx.isSet('storage-id')) {
          const sl = await mapi.call<Record<string, { Number: number }[]>>('StorageList')
          filter = new Set((sl[String(ctx.flags['storage-id'])] ?? []).map((d) => d.Number))
        }
        if (ctx.flags.faulty === true) {
          const faulty = new Set<number>()
          const dls = await api.call<unknown[]>('StateMinerDeadlines', [addr, []])
          for (let d = 0; d < dls.length; d++) {
            for (const p of (await api.call<Partition[] | null>('StateMinerPartitions', [addr, d, []])) ?? []) for (const n of bitfieldNumbers(p.FaultySectors)) faulty.add(n)
          }
          filter = filter ? new Set([...filter].filter((n) => faulty.has(n))) : faulty
        }
        let s = 'deadline\tpartition\tsector\tstatus\n'
        for (let pi = 0; pi < parts.length; pi++) {
          const live = bitfieldNumbers((parts[pi] as Partition).LiveSectors)
          const tocheck = live.filter((n) => !filter || filter.has(n))
          const bad = await mapi.call<Record<string, string>>('CheckProvable', [info.WindowPoStProofType, tocheck.map((n) => ({ ID: { Miner: mid, Number: n }, ProofType: 8 }))])
          // The slow checks read every challenged leaf from disk.
          if (ctx.flags.slow === true) await new Promise((r) => setTimeout(r, Math.min(8000, 1500 + tocheck.length)))
          for (const n of tocheck) {
            const why = bad[String(n)]
            if (why !== undefined) s += `${dl}\t${pi}\t${n}\tbad (${why})\n`
            else if (ctx.flags['only-bad'] !== true) s += `${dl}\t${pi}\t${n}\tgood\n`
          }
        }
        ctx.write(tabwrite(s))
      }
    },
    {
      name: 'workers',
      usage: 'list workers',
      action: async (ctx) => {
        const stats = await minerApi(ctx).call<Record<string, WorkerStats>>('WorkerStats')
        ctx.write(formatWorkers(stats, false))
      }
    }
  ]
}
