import { MinerDeskError } from '../../../preload/contract'
import { SECTOR_FILE_KINDS, type FindFilesReport, type HostProblem, type PathListing, type SectorFileKind, type SectorFilesReport, type SectorLocation, type StorageFindReport, type StoragePathRef } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import { FILE_TYPES, sectorFileName, type StorageInfoEntry } from '../../../preload/contract/lotus/types'
import type { ServiceContext } from '../runtime/context'
import { checkFiles, fileStage } from './expectations'
import { listCommand, parseListing } from './listing'
import { discoverTopology, unresolvedProblem, type Topology } from './topology'

/**
 * Where a sector's files are: `storage find` (StorageFindSector for each file type, as
 * `lotus-miner storage find` and storagefind.sh do), listings of the sector's entries in every
 * storage path of the site over SSH (findsector.sh), and the check of those files against the
 * sector's stage.
 */

/** Sector size from the seal proof type (abi.RegisteredSealProof). */
export function sectorSizeOf(sealProof: number): number | null {
  const GIB = 1024 ** 3
  const sizes: Record<number, number> = { 0: 2048, 5: 2048, 1: 8 << 20, 6: 8 << 20, 2: 512 << 20, 7: 512 << 20, 3: 32 * GIB, 8: 32 * GIB, 13: 32 * GIB, 4: 64 * GIB, 9: 64 * GIB, 14: 64 * GIB }
  return sizes[sealProof] ?? null
}

const MAX_ENTRIES = 20_000

/** Lists entries named like `pattern` in the given storage paths, one remote command per host. */
export async function listPaths(topo: Topology, paths: readonly StoragePathRef[], pattern: string, deep: boolean, o: { signal?: AbortSignal } = {}): Promise<{ listings: PathListing[]; problems: HostProblem[] }> {
  const byAlias = new Map<string, StoragePathRef[]>()
  for (const p of paths) byAlias.set(p.alias, [...(byAlias.get(p.alias) ?? []), p])
  const problems: HostProblem[] = []
  const listings: PathListing[] = []
  await Promise.all(
    [...byAlias].map(async ([alias, refs]) => {
      const dirs = [...new Set(refs.map((r) => r.path))]
      try {
        const r = await topo.host(alias).exec(listCommand(dirs, pattern, deep), { timeoutMs: 120_000, maxOutputBytes: 64 << 20, ...(o.signal ? { signal: o.signal } : {}) })
        if (r.code !== 0 && r.stdout === '') throw new MinerDeskError({ code: 'ssh/command-failed', message: `listing sector files failed (exit ${r.code})`, details: r.stderr.trim() })
        if (r.code !== 0) problems.push({ alias, kind: 'listing-partial', params: { alias }, detail: r.stderr.trim().split('\n')[0] ?? '', message: `${alias}: some paths could not be read: ${r.stderr.trim().split('\n')[0] ?? ''}` })
        if (r.truncated) problems.push({ alias, kind: 'listing-cut', params: { alias }, message: `${alias}: the listing was too long and was cut` })
        const entries = parseListing(r.stdout, dirs)
        for (const ref of refs) listings.push({ storage: ref, entries: entries.filter((e) => e.storagePath === ref.path).map(({ storagePath: _, ...e }) => e) })
      } catch (err) {
        const e = err instanceof MinerDeskError ? err : new MinerDeskError({ code: 'internal', message: String(err) })
        problems.push({ alias, kind: 'listing-failed', params: { alias, code: e.code }, detail: [e.message, e.details].filter(Boolean).join('\n'), message: `${alias}: ${e.message}` })
      }
    })
  )
  listings.sort((a, b) => a.storage.alias.localeCompare(b.storage.alias) || a.storage.path.localeCompare(b.storage.path))
  return { listings, problems }
}

const KIND_OF_BIT = new Map<number, SectorFileKind>(SECTOR_FILE_KINDS.map((k) => [FILE_TYPES[k], k]))

/** StorageFindSector for each file type (one batch), as `lotus-miner storage find` asks. */
export async function findSectorLocations(ctx: ServiceContext, siteId: string, topo: Topology, sector: number): Promise<{ locations: SectorLocation[]; raw: Map<SectorFileKind, StorageInfoEntry[]>; problems: HostProblem[] }> {
  const { lotus } = ctx.sites.get(siteId)
  const sid = { Miner: topo.minerId, Number: sector }
  const bits = SECTOR_FILE_KINDS.map((k) => FILE_TYPES[k])
  const res = await lotus.miner.batch(bits.map((b) => minerCalls.storageFindSector(sid, b, 0, false)))
  const locations: SectorLocation[] = []
  const raw = new Map<SectorFileKind, StorageInfoEntry[]>()
  const problems: HostProblem[] = []
  const unresolved = new Set<string>()
  res.forEach((r, i) => {
    const kind = KIND_OF_BIT.get(bits[i] as number) as SectorFileKind
    if (!r.ok) throw new MinerDeskError(r.error)
    raw.set(kind, r.value)
    for (const e of r.value) {
      const id = e.ID.toLowerCase()
      const storage = topo.paths.find((p) => p.id === id) ?? null
      if (!storage && !unresolved.has(id)) {
        unresolved.add(id)
        problems.push(unresolvedProblem(topo, id, e.URLs ?? []))
      }
      locations.push({ kind, storageId: id, urls: e.URLs ?? [], primary: e.Primary ?? false, storage })
    }
  })
  return { locations, raw, problems }
}

/** The sector page's files: where Lotus says they are, what is on disk in every storage path, and the stage check. */
export async function sectorFiles(ctx: ServiceContext, siteId: string, sector: number): Promise<SectorFilesReport> {
  const { lotus } = ctx.sites.get(siteId)
  const topo = await discoverTopology(ctx, siteId)
  const [status, found] = await Promise.all([lotus.miner.sectorsStatus(sector, false), findSectorLocations(ctx, siteId, topo, sector)])
  const name = sectorFileName(topo.minerId, sector)
  const listed = await listPaths(topo, topo.paths, name, true)
  const listings = listed.listings.filter((l) => l.entries.length > 0)
  const stage = fileStage(status.State)
  return {
    siteId,
    sector,
    minerId: topo.minerId,
    fileName: name,
    state: status.State,
    locations: found.locations,
    listings,
    check: checkFiles(stage, name, sectorSizeOf(status.SealProof ?? -1), listings),
    problems: [...topo.problems, ...found.problems, ...listed.problems]
  }
}

const TYPE_TITLE: Record<SectorFileKind, string> = { unsealed: 'Unsealed', sealed: 'Sealed', cache: 'Cache', update: 'Update', 'update-cache': 'UpdateCache' }

/** `lotus-miner storage find <n>`: per storage path (sorted by ID), its file types, roles, local path or Remote, URLs. */
export async function storageFind(ctx: ServiceContext, siteId: string, sector: number): Promise<StorageFindReport> {
  const topo = await discoverTopology(ctx, siteId)
  const { raw } = await findSectorLocations(ctx, siteId, topo, sector)
  const { lotus } = ctx.sites.get(siteId)
  const local = await lotus.miner.storageLocal()
  const byId = new Map<string, StorageFindReport['entries'][number]>()
  for (const kind of SECTOR_FILE_KINDS) {
    for (const e of raw.get(kind) ?? []) {
      const id = e.ID.toLowerCase()
      const cur =
        byId.get(id) ??
        ({ id, types: [], canSeal: e.CanSeal, canStore: e.CanStore, primary: false, localPath: local[e.ID] ?? local[id] ?? null, urls: [], storage: topo.paths.find((p) => p.id === id) ?? null } as StorageFindReport['entries'][number])
      cur.types.push(kind)
      cur.primary ||= e.Primary ?? false
      // Lotus prints the URLs of the first answer that named this path (unsealed, sealed, cache… in that order).
      if (!byId.has(id)) cur.urls.push(...(e.URLs ?? []))
      byId.set(id, cur)
    }
  }
  const entries = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id))
  const lines: string[] = []
  for (const e of entries) {
    lines.push(`In ${e.id} (${e.types.map((t) => TYPE_TITLE[t]).join(', ')})`)
    lines.push(`\tSealing: ${e.canSeal}; Storage: ${e.canStore}`)
    lines.push(e.localPath ? `\tLocal (${e.localPath})` : '\tRemote')
    for (const u of e.urls) lines.push(`\tURL: ${u}`)
  }
  return { siteId, sector, entries, text: entries.length ? `${lines.join('\n')}\n` : `sector ${sector} not found in any storage path\n` }
}

/**
 * findsector.sh: sector entries on every worker and storage host of the site. `pattern` is a
 * sector number (resolved to its file name, with the cache contents listed) or an `s-t…` glob.
 */
export async function findFiles(ctx: ServiceContext, siteId: string, pattern: string): Promise<FindFilesReport> {
  const topo = await discoverTopology(ctx, siteId)
  const exactName = /^\d+$/.test(pattern) ? sectorFileName(topo.minerId, Number(pattern)) : pattern
  const deep = !/[*?]/.test(exactName)
  const { listings, problems } = await listPaths(topo, topo.paths, exactName, deep)
  let total = 0
  let truncated = false
  const kept: PathListing[] = []
  for (const l of listings) {
    const tops = l.entries.filter((e) => e.rel === '')
    total += tops.length
    if (total > MAX_ENTRIES) {
      truncated = true
      continue
    }
    if (l.entries.length > 0) kept.push(l)
  }
  return { siteId, pattern: exactName, listings: kept, total, truncated, problems: [...topo.problems, ...problems] }
}
