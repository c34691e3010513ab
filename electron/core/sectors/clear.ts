import { posix } from 'node:path'
import { MinerDeskError, type MutationStep, type OpWarning } from '../../../preload/contract'
import { SECTOR_FILE_KINDS, type ClearPlanItem, type ClearPreview, type PathListing, type SectorFileKind, type SectorLocation } from '../../../preload/contract/sectors'
import { sectorFileName } from '../../../preload/contract/lotus/types'
import type { ServiceContext } from '../runtime/context'
import { buildCommandLine } from '../../common/shellQuote'
import { findSectorLocations, listPaths } from './files'
import { cleanStoragePath } from './listing'
import { discoverTopology, type Topology } from './topology'

/**
 * clearsector.sh <n> <reservePort>: deletes the sector's stale copies on every host except the
 * worker on the reserved port. MinerDesk lists first and deletes only after confirmation, never
 * the copy Lotus reports as the sector's current storage (StorageFindSector, checked again right
 * before deleting), and only paths it built itself: `<known storage path>/<kind>/s-t0<miner>-<n>`.
 */

const KINDS = new Set<string>(SECTOR_FILE_KINDS)

/** The one path a plan may delete, rebuilt from its parts and checked; throws on anything else. */
export function deletionTarget(storagePath: string, kind: string, name: string, minerId: number, sector: number): string {
  const base = cleanStoragePath(storagePath)
  if (!base || base !== storagePath || base === '/') throw new MinerDeskError({ code: 'mutation/refused', message: `refusing to delete under ${JSON.stringify(storagePath)}: not a clean absolute storage path` })
  if (!KINDS.has(kind)) throw new MinerDeskError({ code: 'mutation/refused', message: `refusing to delete ${kind}: not a sector file kind` })
  const expected = sectorFileName(minerId, sector)
  if (name !== expected || !/^s-t0\d+-\d+$/.test(name)) throw new MinerDeskError({ code: 'mutation/refused', message: `refusing to delete ${name}: not ${expected}` })
  const target = posix.join(base, kind, name)
  if (posix.dirname(posix.dirname(target)) !== base) throw new MinerDeskError({ code: 'mutation/refused', message: `refusing to delete ${target}: outside ${base}` })
  return target
}

export interface PlanInput {
  minerId: number
  sector: number
  /** The sector is Removed: Lotus holds no current copy of it. */
  removed: boolean
  locations: readonly SectorLocation[]
  listings: readonly PathListing[]
  reservePort: number | null
}

/** What to delete and what to keep (pure). Only the sector's own top-level entries are considered. */
export function planClear(input: PlanInput): ClearPlanItem[] {
  const name = sectorFileName(input.minerId, input.sector)
  const current = new Set(input.removed ? [] : input.locations.map((l) => `${l.storageId}|${l.kind}`))
  const currentIds = new Set(input.removed ? [] : input.locations.map((l) => l.storageId))
  const items: ClearPlanItem[] = []
  for (const l of input.listings) {
    for (const e of l.entries) {
      if (e.name !== name || e.rel !== '') continue
      const path = deletionTarget(l.storage.path, e.kind, e.name, input.minerId, input.sector)
      let reason: ClearPlanItem['reason'] = 'stale'
      if (input.reservePort !== null && l.storage.owner === 'worker' && l.storage.port === input.reservePort) reason = 'reserved'
      // A kind Lotus reports in this storage ID is current; so is anything in a storage ID Lotus reports
      // for the sector when the same ID shows up twice (a cloned sectorstore.json): keep rather than guess.
      else if (current.has(`${l.storage.id}|${e.kind}`)) reason = 'current'
      items.push({ storage: l.storage, kind: e.kind as SectorFileKind, name, path, size: e.size, action: reason === 'stale' ? 'delete' : 'keep', reason })
    }
  }
  // A storage ID reported as current on two hosts: keep both copies of that kind.
  for (const it of items) {
    if (it.action === 'delete' && currentIds.has(it.storage.id) && items.some((o) => o !== it && o.reason === 'current' && o.storage.id === it.storage.id && o.kind === it.kind)) {
      it.action = 'keep'
      it.reason = 'current'
    }
  }
  return items.sort((a, b) => a.storage.alias.localeCompare(b.storage.alias) || a.path.localeCompare(b.path))
}

/** One `rm -rf -- …` per host, with the exact paths of the plan. */
export function clearSteps(plan: readonly ClearPlanItem[]): { step: MutationStep; alias: string; argv: string[] }[] {
  const byAlias = new Map<string, string[]>()
  for (const it of plan) if (it.action === 'delete') byAlias.set(it.storage.alias, [...(byAlias.get(it.storage.alias) ?? []), it.path])
  return [...byAlias].map(([alias, paths]) => {
    const argv = ['rm', '-rf', '--', ...paths]
    return { alias, argv, step: { kind: 'command', host: alias, text: buildCommandLine({ argv }) } }
  })
}

async function sectorIsRemoved(ctx: ServiceContext, siteId: string, sector: number): Promise<boolean> {
  const { lotus } = ctx.sites.get(siteId)
  try {
    return (await lotus.miner.sectorsStatus(sector, false)).State === 'Removed'
  } catch (err) {
    // An unknown sector is not Removed: whatever Lotus's index reports for it stays protected.
    if (err instanceof MinerDeskError && err.code === 'lotus/rpc') return false
    throw err
  }
}

async function gather(ctx: ServiceContext, siteId: string, sector: number, reservePort: number | null): Promise<{ topo: Topology; plan: ClearPlanItem[]; problems: ClearPreview['problems'] }> {
  const topo = await discoverTopology(ctx, siteId)
  if (reservePort !== null && !topo.workers.some((w) => w.port === reservePort)) {
    const known = topo.workers.map((w) => `${w.name ?? `pid ${w.pid}`} on ${w.alias}:${w.port}`).join(', ')
    throw new MinerDeskError({
      code: 'invalid-input',
      message: `no lotus-worker of this site listens on port ${reservePort}`,
      hint: known ? `workers found: ${known}` : 'no running worker of this site was found on its hosts',
      params: { port: reservePort }
    })
  }
  const [removed, found] = await Promise.all([sectorIsRemoved(ctx, siteId, sector), findSectorLocations(ctx, siteId, topo, sector)])
  const listed = await listPaths(topo, topo.paths, sectorFileName(topo.minerId, sector), false)
  const plan = planClear({ minerId: topo.minerId, sector, removed, locations: found.locations, listings: listed.listings, reservePort })
  return { topo, plan, problems: [...topo.problems, ...found.problems, ...listed.problems] }
}

export async function previewClear(ctx: ServiceContext, siteId: string, sector: number, reservePort: number | null): Promise<ClearPreview> {
  const { topo, plan, problems } = await gather(ctx, siteId, sector, reservePort)
  const steps = clearSteps(plan)
  if (steps.length === 0) return { plan, problems, preview: null }
  const kept = plan.filter((p) => p.action === 'keep')
  const warnings: OpWarning[] = [
    ...kept.map((k): OpWarning =>
      k.reason === 'current'
        ? { key: 'clearKeepsCurrent', params: { host: k.storage.alias, path: k.path }, text: `kept (Lotus's current storage): ${k.storage.alias}:${k.path}` }
        : { key: 'clearKeepsReserve', params: { host: k.storage.alias, path: k.path, port: reservePort ?? '' }, text: `kept (worker on port ${reservePort}): ${k.storage.alias}:${k.path}` }
    ),
    ...problems.map((p): OpWarning => ({ key: `sectors.fileProblem.${p.kind}`, params: { ...p.params, alias: p.alias ?? '—' }, text: `not searched: ${p.message}` }))
  ]
  const preview = ctx.ops.preview({
    site: siteId,
    action: 'sector.clear-files',
    params: { sector, port: reservePort ?? '-' },
    steps: steps.map((s) => s.step),
    warnings,
    typeToConfirm: String(sector),
    execute: async (runner) => {
      // Lotus may have moved the sector since the list was made: never delete what it now reports as current.
      const fresh = await gather(ctx, siteId, sector, reservePort)
      const nowCurrent = new Set(fresh.plan.filter((p) => p.reason === 'current').map((p) => `${p.storage.alias}|${p.path}`))
      for (const [i, s] of steps.entries()) {
        const clash = s.argv.slice(3).filter((p) => nowCurrent.has(`${s.alias}|${p}`))
        if (clash.length > 0) {
          await runner.run(i, async () => {
            throw new MinerDeskError({ code: 'mutation/refused', message: `Lotus now reports ${clash.join(', ')} as the sector's current storage: nothing deleted on ${s.alias}`, hint: 'list the files again' })
          })
          continue
        }
        await runner.run(i, async () => {
          const r = await topo.host(s.alias).exec({ argv: s.argv }, { timeoutMs: 300_000 })
          if (r.code !== 0) throw new MinerDeskError({ code: 'ssh/command-failed', message: `rm failed on ${s.alias} (exit ${r.code})`, details: r.stderr.trim() })
          return `deleted ${s.argv.length - 3} path(s)`
        })
      }
      runner.data({ deleted: plan.filter((p) => p.action === 'delete').length, kept: kept.length })
    }
  })
  return { plan, problems, preview }
}
