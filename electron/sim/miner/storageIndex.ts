import { statfsSync } from 'node:fs'
import { goError } from '../common/rpcServer'
import type { FsStat, StorageDecl, StorageInfo, StorageInfoEntry } from '../../../preload/contract/lotus/types'
import { sectorFileName } from '../../../preload/contract/lotus/types'
import { FILE_KIND_BITS, FILE_KINDS, scanPath, type FileKind, type LocalStorageMeta } from '../worker/files'

/**
 * The miner's sector index (Lotus's paths.MemIndex): the storage paths of the miner and of the
 * connected workers, and which sector files each holds. Files are found on disk (the sim's
 * processes share the host); untouched Proving sectors of the initial bulk are declared in the
 * first long-term store path without files on disk (1M+ files for 100k sectors otherwise).
 */

export interface StoragePathEntry {
  meta: LocalStorageMeta
  localPath: string
  urls: string[]
  /** 'miner' for the miner's own paths, else the base URL (`http://ip:port`) of the worker serving it. */
  owner: string
}

export interface SectorLocation {
  id: string
  localPath: string
  owner: string
  bits: number
  canSeal: boolean
  canStore: boolean
}

const SCAN_TTL_MS = 300

export class StorageIndex {
  private paths = new Map<string, StoragePathEntry>()
  private scans = new Map<string, { at: number; decls: Map<number, number> }>()

  constructor(
    private minerId: number,
    /** Whether a sector number is an untouched bulk Proving sector (declared virtually). */
    private isBulk: (n: number) => boolean,
    private bulkNumbers: () => number[]
  ) {}

  attach(entry: StoragePathEntry): void {
    this.paths.set(entry.meta.ID, entry)
    this.scans.delete(entry.meta.ID)
  }

  detachPath(id: string): void {
    this.paths.delete(id)
    this.scans.delete(id)
  }

  all(): StoragePathEntry[] {
    return [...this.paths.values()]
  }

  /** The long-term path that holds the bulk sectors and receives finalized ones. */
  primaryStore(): StoragePathEntry | undefined {
    return this.all().find((p) => p.owner === 'miner' && p.meta.CanStore)
  }

  /** Forget cached scans (after files changed). */
  invalidate(): void {
    this.scans.clear()
  }

  private decls(p: StoragePathEntry): Map<number, number> {
    const c = this.scans.get(p.meta.ID)
    const now = Date.now()
    if (c && now - c.at < SCAN_TTL_MS) return c.decls
    const decls = scanPath(p.localPath, this.minerId)
    this.scans.set(p.meta.ID, { at: now, decls })
    return decls
  }

  /** Where a sector's files are: one entry per path holding any of them. */
  locate(n: number): SectorLocation[] {
    const out: SectorLocation[] = []
    const store = this.primaryStore()
    for (const p of this.paths.values()) {
      let bits = this.decls(p).get(n) ?? 0
      if (p === store && this.isBulk(n)) bits |= FILE_KIND_BITS.sealed | FILE_KIND_BITS.cache
      if (bits) out.push({ id: p.meta.ID, localPath: p.localPath, owner: p.owner, bits, canSeal: p.meta.CanSeal, canStore: p.meta.CanStore })
    }
    return out
  }

  /** Paths holding a given file kind of a sector. */
  holding(n: number, kind: FileKind): SectorLocation[] {
    return this.locate(n).filter((l) => (l.bits & FILE_KIND_BITS[kind]) !== 0)
  }

  findSector(n: number, ft: number, allowFetch: boolean): StorageInfoEntry[] {
    const out: StorageInfoEntry[] = []
    const seen = new Set<string>()
    const name = sectorFileName(this.minerId, n)
    const typeName = FILE_KINDS.find((k) => FILE_KIND_BITS[k] === ft) ?? fileTypeString(ft)
    for (const loc of this.locate(n)) {
      const matched = FILE_KINDS.filter((k) => (ft & FILE_KIND_BITS[k]) !== 0 && (loc.bits & FILE_KIND_BITS[k]) !== 0).length
      if (matched === 0) continue
      const p = this.paths.get(loc.id) as StoragePathEntry
      seen.add(loc.id)
      out.push(this.entry(p, typeName, name, p.meta.Weight * matched, true))
    }
    if (allowFetch) {
      for (const p of this.paths.values()) {
        if (!p.meta.CanSeal || seen.has(p.meta.ID)) continue
        out.push(this.entry(p, typeName, name, p.meta.Weight * 0, false))
      }
    }
    return out
  }

  private entry(p: StoragePathEntry, typeName: string, name: string, weight: number, primary: boolean): StorageInfoEntry {
    return {
      ID: p.meta.ID,
      URLs: p.urls.map((u) => `${u.replace(/\/$/, '')}/${typeName}/${name}`),
      BaseURLs: [...p.urls],
      Weight: weight,
      CanSeal: p.meta.CanSeal,
      CanStore: p.meta.CanStore,
      Primary: primary,
      AllowTypes: p.meta.AllowTypes,
      DenyTypes: p.meta.DenyTypes,
      AllowMiners: p.meta.AllowMiners,
      DenyMiners: p.meta.DenyMiners
    }
  }

  list(): Record<string, StorageDecl[]> {
    const out: Record<string, StorageDecl[]> = {}
    const store = this.primaryStore()
    for (const p of this.paths.values()) {
      const decls = new Map(this.decls(p))
      if (p === store) for (const n of this.bulkNumbers()) decls.set(n, (decls.get(n) ?? 0) | FILE_KIND_BITS.sealed | FILE_KIND_BITS.cache)
      out[p.meta.ID] = [...decls].map(([n, bits]) => ({ Miner: this.minerId, Number: n, SectorFileType: bits }))
    }
    return out
  }

  /** StorageLocal: the miner's own paths. */
  local(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const p of this.paths.values()) if (p.owner === 'miner') out[p.meta.ID] = p.localPath
    return out
  }

  info(id: string): StorageInfo {
    const p = this.paths.get(id)
    if (!p) throw goError('sector store not found')
    return {
      ID: p.meta.ID,
      URLs: [...p.urls],
      Weight: p.meta.Weight,
      MaxStorage: p.meta.MaxStorage,
      CanSeal: p.meta.CanSeal,
      CanStore: p.meta.CanStore,
      Groups: p.meta.Groups,
      AllowTo: p.meta.AllowTo,
      AllowTypes: p.meta.AllowTypes,
      DenyTypes: p.meta.DenyTypes,
      AllowMiners: p.meta.AllowMiners,
      DenyMiners: p.meta.DenyMiners
    }
  }

  stat(id: string): FsStat {
    const p = this.paths.get(id)
    if (!p) throw goError('getting remote storage info: sector store not found')
    let capacity = 0
    let avail = 0
    try {
      const s = statfsSync(p.localPath)
      capacity = Number(s.blocks) * Number(s.bsize)
      avail = Number(s.bavail) * Number(s.bsize)
    } catch (e) {
      throw goError(`fsstat: ${(e as Error).message}`)
    }
    return { Capacity: capacity, Available: avail, FSAvailable: avail, Reserved: 0, Max: p.meta.MaxStorage, Used: 0 }
  }
}

/** SectorFileType.String() for combined bits (`sealed|cache`). */
export function fileTypeString(bits: number): string {
  return FILE_KINDS.filter((k) => (bits & FILE_KIND_BITS[k]) !== 0).join('|')
}
