import { createHash } from 'node:crypto'
import {
  closeSync,
  cpSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { dirname, join } from 'node:path'
import { sectorFileName, type StorageInfo } from '../../../preload/contract/lotus/types'

/**
 * Sector files as Lotus lays them out in a storage path (docs/lotus.md "Sector files"):
 * `unsealed/s-t0<miner>-<n>`, `sealed/s-t0<miner>-<n>`, `cache/s-t0<miner>-<n>/…`. Big files are
 * sparse (ftruncate to their real size), p_aux/t_aux have small real contents.
 */

export const SDR_LAYERS = 11
export const TREE_FILES = 8

export type FileKind = 'unsealed' | 'sealed' | 'cache' | 'update' | 'update-cache'
export const FILE_KIND_BITS: Record<FileKind, number> = { unsealed: 1, sealed: 2, cache: 4, update: 8, 'update-cache': 16 }
export const FILE_KINDS: FileKind[] = ['unsealed', 'sealed', 'cache', 'update', 'update-cache']

export function sectorPath(storagePath: string, kind: FileKind, minerId: number, n: number): string {
  return join(storagePath, kind, sectorFileName(minerId, n))
}

export function layerName(i: number): string {
  return `sc-02-data-layer-${i}.dat`
}
export const TREE_D = 'sc-02-data-tree-d.dat'
export function treeCName(i: number): string {
  return `sc-02-data-tree-c-${i}.dat`
}
export function treeRLastName(i: number): string {
  return `sc-02-data-tree-r-last-${i}.dat`
}

/** A sparse file of `size` bytes (instant; `ls -l` shows the real size). */
export function sparseFile(file: string, size: number, createDir = true): void {
  if (createDir) mkdirSync(dirname(file), { recursive: true })
  // A task writing into a sector's cache that was deleted under it (the sector removed while the
  // worker kept computing) fails like rust-fil-proofs does; it never brings the directory back.
  else if (!existsSync(dirname(file))) throw new Error(`${file}: No such file or directory (os error 2)`)
  const fd = openSync(file, 'w')
  try {
    ftruncateSync(fd, size)
  } finally {
    closeSync(fd)
  }
}

/** tree-c files are ~4.6 GiB each for 32 GiB sectors; tree-r-last < 10 MB. */
export function treeCSize(sectorSize: number): number {
  return Math.round((sectorSize / 32) * 4.6)
}
export function treeRLastSize(sectorSize: number): number {
  return Math.round((sectorSize / 34359738368) * 9586980)
}

/** p_aux: comm_c ‖ comm_r_last (64 bytes), derived from the sector's CommR. */
export function pAuxContent(commR: string): Buffer {
  return Buffer.concat([createHash('sha256').update(`comm_c:${commR}`).digest(), createHash('sha256').update(`comm_r_last:${commR}`).digest()])
}

export function tAuxContent(sectorSize: number): Buffer {
  const cfg = (id: string, size: number) => ({ path: '', id, size, rows_to_discard: 0 })
  return Buffer.from(
    JSON.stringify({
      labels: { labels: Array.from({ length: SDR_LAYERS }, (_, i) => cfg(`layer-${i + 1}`, sectorSize / 32)), _h: null },
      tree_d_config: cfg('tree-d', (sectorSize / 32) * 2 - 1),
      tree_r_last_config: cfg('tree-r-last', 73),
      tree_c_config: cfg('tree-c', 73),
      _h: null
    })
  )
}

/** AddPiece: the unsealed file of a CC sector (all zeroes, sparse). */
export function writeUnsealed(path: string, minerId: number, n: number, sectorSize: number): void {
  sparseFile(sectorPath(path, 'unsealed', minerId, n), sectorSize)
}

/** PC1 writes layer `i` (1-based); tree-d comes after the last layer. */
export function writeLayer(path: string, minerId: number, n: number, i: number, sectorSize: number): void {
  sparseFile(join(sectorPath(path, 'cache', minerId, n), layerName(i)), sectorSize, false)
}

/** The sector's cache directory, made as PC1 starts (ffiwrapper's SealPreCommit1 does so before the first layer). */
export function makeCache(path: string, minerId: number, n: number): void {
  mkdirSync(sectorPath(path, 'cache', minerId, n), { recursive: true })
}

export function writeTreeD(path: string, minerId: number, n: number, sectorSize: number): void {
  sparseFile(join(sectorPath(path, 'cache', minerId, n), TREE_D), sectorSize * 2, false)
}

/** PC2: tree-c, tree-r-last, p_aux, t_aux and the sealed replica. `step` 0..TREE_FILES-1 writes one of each tree. */
export function writePC2Step(path: string, minerId: number, n: number, step: number, sectorSize: number): void {
  const cache = sectorPath(path, 'cache', minerId, n)
  sparseFile(join(cache, treeCName(step)), treeCSize(sectorSize), false)
  sparseFile(join(cache, treeRLastName(step)), treeRLastSize(sectorSize), false)
}

export function writePC2Final(path: string, minerId: number, n: number, commR: string, sectorSize: number): void {
  const cache = sectorPath(path, 'cache', minerId, n)
  mkdirSync(cache, { recursive: true })
  writeFileSync(join(cache, 'p_aux'), pAuxContent(commR))
  writeFileSync(join(cache, 't_aux'), tAuxContent(sectorSize))
  sparseFile(sectorPath(path, 'sealed', minerId, n), sectorSize)
}

/** Whether a cache directory's p_aux matches the CommR (a C1 with a wrong one fails). */
export function pAuxValid(path: string, minerId: number, n: number, commR: string): 'ok' | 'missing' | 'invalid' {
  const f = join(sectorPath(path, 'cache', minerId, n), 'p_aux')
  if (!existsSync(f)) return 'missing'
  return readFileSync(f).equals(pAuxContent(commR)) ? 'ok' : 'invalid'
}

/** What the scenario does to a cache to make C1 fail: p_aux no longer matches the sealed data. */
export function corruptPAux(path: string, minerId: number, n: number): void {
  const f = join(sectorPath(path, 'cache', minerId, n), 'p_aux')
  if (existsSync(f)) writeFileSync(f, Buffer.alloc(64))
}

/** FinalizeSector (ClearCache): keep p_aux, t_aux and tree-r-last only. */
export function clearCache(path: string, minerId: number, n: number): void {
  const cache = sectorPath(path, 'cache', minerId, n)
  if (!existsSync(cache)) return
  for (const f of readdirSync(cache)) {
    if (f === 'p_aux' || f === 't_aux' || f.startsWith('sc-02-data-tree-r-last')) continue
    rmSync(join(cache, f), { force: true, recursive: true })
  }
}

/** Moves a sector file or cache directory between storage paths (rename; copy when across filesystems). */
export function moveSectorFile(from: string, to: string): void {
  if (!existsSync(from)) return
  mkdirSync(dirname(to), { recursive: true })
  rmSync(to, { recursive: true, force: true })
  try {
    renameSync(from, to)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e
    copySparse(from, to)
    rmSync(from, { recursive: true, force: true })
  }
}

function copySparse(from: string, to: string): void {
  const st = statSync(from)
  if (st.isDirectory()) {
    mkdirSync(to, { recursive: true })
    for (const f of readdirSync(from)) copySparse(join(from, f), join(to, f))
  } else if (st.size > 1 << 20) sparseFile(to, st.size)
  else cpSync(from, to)
}

export function removeSectorFiles(path: string, minerId: number, n: number, kinds: FileKind[] = FILE_KINDS): void {
  for (const k of kinds) rmSync(sectorPath(path, k, minerId, n), { recursive: true, force: true })
}

/** Which file kinds of a sector a storage path holds. */
export function sectorKindsIn(path: string, minerId: number, n: number): FileKind[] {
  return FILE_KINDS.filter((k) => existsSync(sectorPath(path, k, minerId, n)))
}

const NAME_RE = /^s-t0(\d+)-(\d+)$/

/** Every sector file in a storage path: number → file-type bits. */
export function scanPath(path: string, minerId: number): Map<number, number> {
  const out = new Map<number, number>()
  for (const k of FILE_KINDS) {
    let names: string[]
    try {
      names = readdirSync(join(path, k))
    } catch {
      continue
    }
    for (const name of names) {
      const m = NAME_RE.exec(name)
      if (!m || Number(m[1]) !== minerId) continue
      const n = Number(m[2])
      out.set(n, (out.get(n) ?? 0) | FILE_KIND_BITS[k])
    }
  }
  return out
}

/** LocalStorageMeta (sectorstore.json), written with 2-space indent as `storage attach --init` does. */
export type LocalStorageMeta = Omit<StorageInfo, 'URLs'>

export function storageMeta(id: string, canSeal: boolean, canStore: boolean, weight = 10): LocalStorageMeta {
  return {
    ID: id,
    Weight: weight,
    CanSeal: canSeal,
    CanStore: canStore,
    MaxStorage: 0,
    Groups: null,
    AllowTo: null,
    AllowTypes: null,
    DenyTypes: null,
    AllowMiners: null,
    DenyMiners: null
  }
}

export function writeStorageMeta(path: string, meta: LocalStorageMeta): void {
  mkdirSync(path, { recursive: true })
  writeFileSync(join(path, 'sectorstore.json'), JSON.stringify(meta, null, 2))
}

export function readStorageMeta(path: string): LocalStorageMeta | null {
  try {
    return JSON.parse(readFileSync(join(path, 'sectorstore.json'), 'utf8')) as LocalStorageMeta
  } catch {
    return null
  }
}
