import type { FsStat, StorageDecl, StorageInfo, StorageInfoEntry } from '../../../../preload/contract/lotus/types'
import { goDurationTruncated, sizeStr } from '../../miner/gofmt'
import { incorrectNumArgs, type Command } from './cmd'
import { minerApi, minerIdOf, parseUint } from './common'

/** `lotus-miner storage find` / `storage list` (cli/miner/storage.go). */

const TYPES: [number, string][] = [
  [1, 'Unsealed'],
  [2, 'Sealed'],
  [4, 'Cache'],
  [8, 'Update'],
  [16, 'UpdateCache']
]

/** `storage find` text from the five StorageFindSector answers and StorageLocal. */
export function formatFind(found: Record<number, StorageInfoEntry[]>, local: Record<string, string>): string {
  const byId = new Map<string, { info: StorageInfoEntry; bits: number }>()
  for (const [bit] of TYPES) {
    for (const info of found[bit] ?? []) {
      const e = byId.get(info.ID) ?? { info, bits: 0 }
      e.bits |= bit
      byId.set(info.ID, e)
    }
  }
  let s = ''
  for (const [id, e] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const types = TYPES.filter(([b]) => (e.bits & b) !== 0)
      .map(([, n]) => n)
      .join(', ')
    s += `In ${id} (${types})\n`
    s += `\tSealing: ${e.info.CanSeal}; Storage: ${e.info.CanStore}\n`
    s += local[id] !== undefined ? `\tLocal (${local[id]})\n` : '\tRemote\n'
    for (const u of e.info.URLs) s += `\tURL: ${u}\n`
  }
  return s
}

export const storageCmd: Command = {
  name: 'storage',
  usage: 'manage sector storage',
  category: 'STORAGE',
  description: `Sectors can be stored across many filesystem paths. These
commands provide ways to manage the storage the miner will used to store sectors
long term for proving (references as 'store') as well as how sectors will be
stored while moving through the sealing pipeline (references as 'seal').`,
  subcommands: [
    {
      name: 'list',
      usage: 'list local storage paths',
      action: async (ctx) => {
        const api = minerApi(ctx)
        const st = await api.call<Record<string, StorageDecl[]>>('StorageList')
        const local = await api.call<Record<string, string>>('StorageLocal')
        const sorted: { id: string; decls: StorageDecl[]; stat: FsStat | null }[] = []
        for (const [id, decls] of Object.entries(st)) {
          const stat = await api.call<FsStat>('StorageStat', [id]).catch(() => null)
          sorted.push({ id, decls: decls ?? [], stat })
        }
        sorted.sort((a, b) => ((b.stat?.Capacity ?? 0) !== (a.stat?.Capacity ?? 0) ? (b.stat?.Capacity ?? 0) - (a.stat?.Capacity ?? 0) : a.id < b.id ? -1 : 1))
        let s = ''
        for (const p of sorted) {
          const cnt = [0, 0, 0, 0, 0]
          for (const d of p.decls) for (let i = 0; i < 5; i++) if ((d.SectorFileType & (1 << i)) !== 0) cnt[i]!++
          s += `${p.id}:\n`
          const t0 = Date.now()
          let stat: FsStat
          try {
            stat = await api.call<FsStat>('StorageStat', [p.id])
          } catch (e) {
            s += `\tError: ${(e as Error).message}:\n`
            continue
          }
          const ping = Date.now() - t0
          const cols = 50
          const rep = (c: string, n: number) => (n < 0 ? '' : c.repeat(n))
          {
            const usedPercent = Math.floor(((stat.Capacity - stat.FSAvailable) * 100) / stat.Capacity)
            const set = Math.floor(((stat.Capacity - stat.FSAvailable) * cols) / stat.Capacity)
            const used = Math.floor(((stat.Capacity - (stat.FSAvailable + stat.Reserved)) * cols) / stat.Capacity)
            const bar = rep('#', used) + rep('*', set - used) + rep(' ', cols - set)
            s += `\t[${bar}] ${sizeStr(stat.Capacity - stat.FSAvailable)}/${sizeStr(stat.Capacity)} ${usedPercent}%${stat.Max > 0 ? ' (filesystem)' : ''}\n`
          }
          if (stat.Max > 0) {
            const usedPercent = Math.floor((stat.Used * 100) / stat.Max)
            const set = Math.floor((stat.Used * cols) / stat.Max)
            const used = Math.floor(((stat.Used + stat.Reserved) * cols) / stat.Max)
            const bar = rep('#', used) + rep('*', set - used) + rep(' ', cols - set)
            s += `\t[${bar}] ${sizeStr(stat.Used)}/${sizeStr(stat.Max)} ${usedPercent}% (limit)\n`
          }
          s += `\tUnsealed: ${cnt[0]}; Sealed: ${cnt[1]}; Caches: ${cnt[2]}; Updated: ${cnt[3]}; Update-caches: ${cnt[4]}; Reserved: ${sizeStr(stat.Reserved)}\n`
          const si = await api.call<StorageInfo>('StorageInfo', [p.id])
          s += '\t'
          if (si.CanSeal || si.CanStore) {
            s += `Weight: ${si.Weight}; Use: `
            if (si.CanSeal) s += 'Seal '
            if (si.CanStore) s += 'Store'
          } else s += 'Use: ReadOnly'
          s += '\n'
          if (si.Groups && si.Groups.length > 0) s += `\tGroups: ${si.Groups.join(', ')}\n`
          if (si.AllowTo && si.AllowTo.length > 0) s += `\tAllowTo: ${si.AllowTo.join(', ')}\n`
          if (local[p.id] !== undefined) s += `\tLocal: ${local[p.id]}\n`
          si.URLs.forEach((u, i) => {
            const rtt = local[p.id] === undefined && i === 0 ? ` (latency: ${goDurationTruncated(ping, 0.1)})` : ''
            s += `\tURL: ${u}${rtt}\n`
          })
          s += '\n'
        }
        ctx.write(s)
      }
    },
    {
      name: 'find',
      usage: 'find sector in the storage system',
      argsUsage: '[sector number]',
      action: async (ctx) => {
        const api = minerApi(ctx)
        if (ctx.args.length !== 1) throw incorrectNumArgs(ctx)
        const ma = await api.call<string>('ActorAddress')
        const mid = minerIdOf(ma)
        const n = parseUint(ctx.args[0] as string)
        const sid = { Miner: mid, Number: n }
        const found: Record<number, StorageInfoEntry[]> = {}
        const labels: Record<number, string> = { 1: 'finding unsealed', 2: 'finding sealed', 4: 'finding cache', 8: 'finding sealed', 16: 'finding cache' }
        for (const [bit] of TYPES) {
          try {
            found[bit] = (await api.call<StorageInfoEntry[] | null>('StorageFindSector', [sid, bit, 0, false])) ?? []
          } catch (e) {
            throw new Error(`${labels[bit]}: ${(e as Error).message}`)
          }
        }
        const local = await api.call<Record<string, string>>('StorageLocal')
        ctx.write(formatFind(found, local))
      }
    }
  ]
}
