import type { FileCheck, FileEntry, FileStage, PathListing, SectorFileKind } from '../../../preload/contract/sectors'

/**
 * Which files a sector must have at its stage (docs/lotus.md "Sector files") and the
 * check of a listing against it: missing, extra (files a stage should no longer have, or names
 * Lotus never writes) and empty files, and sector entries held in more than one place.
 *
 *   after AddPiece:     unsealed/s-t0M-N
 *   after PreCommit1:   cache/…/sc-02-data-layer-1..11.dat, sc-02-data-tree-d.dat
 *   after PreCommit2:   cache/…/sc-02-data-tree-c-0..7.dat, sc-02-data-tree-r-last-0..7.dat, p_aux, t_aux,
 *                       sealed/s-t0M-N   (32 GiB; 16 tree files for 64 GiB)
 *   after Finalize:     sealed + cache/{p_aux, t_aux, tree-r-last-*}; unsealed only if deals keep it
 */

const GIB = 1024 ** 3

/** The stage whose files a sector must have in a state; snap-deal and termination states are not checked. */
export function fileStage(state: string): FileStage {
  switch (state) {
    case 'GetTicket':
    case 'PreCommit1':
    case 'SealPreCommit1Failed':
      return 'unsealed'
    case 'PreCommit2':
    case 'SealPreCommit2Failed':
      return 'pc1'
    case 'PreCommitting':
    case 'SubmitPreCommitBatch':
    case 'PreCommitBatchWait':
    case 'PreCommitWait':
    case 'PreCommitFailed':
    case 'WaitSeed':
    case 'Committing':
    case 'ComputeProofFailed':
    case 'RemoteCommitFailed':
    case 'CommitFailed':
    case 'SubmitCommit':
    case 'SubmitCommitAggregate':
    case 'CommitAggregateWait':
    case 'CommitWait':
      return 'pc2'
    case 'CommitFinalize':
    case 'CommitFinalizeFailed':
    case 'FinalizeSector':
    case 'FinalizeFailed':
      return 'finalizing'
    case 'Proving':
    case 'Available':
    case 'Faulty':
    case 'FaultReported':
    case 'FaultedFinal':
      return 'finalized'
    case 'Removed':
      return 'removed'
    case 'Empty':
    case 'WaitDeals':
    case 'AddPiece':
    case 'Packing':
      return 'none'
    default:
      return 'unknown'
  }
}

/** SDR layers: 11 for 32/64 GiB sectors, 2 for the small test sizes. */
export function layerCount(sectorSize: number | null): number {
  return sectorSize !== null && sectorSize < 32 * GIB ? 2 : 11
}

/** tree-c / tree-r-last files: 8 for 32 GiB, 16 for 64 GiB; null = not known for this size (any count). */
export function treeCount(sectorSize: number | null): number | null {
  if (sectorSize === 32 * GIB) return 8
  if (sectorSize === 64 * GIB) return 16
  return null
}

interface Requirement {
  kind: SectorFileKind
  /** Shown in `missing`, e.g. `cache/sc-02-data-layer-3.dat`. */
  label: string
  test: (rel: string) => boolean
}

const LAYER = /^sc-02-data-layer-(\d+)\.dat$/
const TREE_D = 'sc-02-data-tree-d.dat'
const TREE_C = /^sc-02-data-tree-c(-\d+)?\.dat$/
const TREE_R = /^sc-02-data-tree-r-last(-\d+)?\.dat$/
const AUX = new Set(['p_aux', 't_aux'])
/** Written during sealing and cleared at finalize; synthetic PoRep proofs. */
const KNOWN_OTHER = /^(syn-porep-vanilla-proofs\.dat|sc-02-data-tree-d\.dat\.tmp)$/

function exact(kind: SectorFileKind, name: string): Requirement {
  return { kind, label: `${kind}/${name}`, test: (rel) => rel === name }
}

function trees(prefix: 'tree-c' | 'tree-r-last', n: number | null): Requirement[] {
  const re = prefix === 'tree-c' ? TREE_C : TREE_R
  if (n === null) return [{ kind: 'cache', label: `cache/sc-02-data-${prefix}-*.dat`, test: (rel) => re.test(rel) }]
  return Array.from({ length: n }, (_, i) => exact('cache', `sc-02-data-${prefix}-${i}.dat`))
}

/** What must exist at a stage, for a sector file name and size. */
export function requirements(stage: FileStage, name: string, sectorSize: number | null): Requirement[] {
  const unsealed = exact('unsealed', '')
  unsealed.label = `unsealed/${name}`
  const sealed = exact('sealed', '')
  sealed.label = `sealed/${name}`
  const layers = Array.from({ length: layerCount(sectorSize) }, (_, i) => exact('cache', `sc-02-data-layer-${i + 1}.dat`))
  const n = treeCount(sectorSize)
  const finalKept = [sealed, exact('cache', 'p_aux'), exact('cache', 't_aux'), ...trees('tree-r-last', n)]
  switch (stage) {
    case 'unsealed':
      return [unsealed]
    case 'pc1':
      return [unsealed, ...layers, exact('cache', TREE_D)]
    case 'pc2':
      return [unsealed, ...layers, exact('cache', TREE_D), ...trees('tree-c', n), ...finalKept]
    case 'finalizing':
    case 'finalized':
      return finalKept
    default:
      return []
  }
}

/** Cache files FinalizeSector removes: present after it, they are extra. */
function clearedAtFinalize(rel: string): boolean {
  return LAYER.test(rel) || rel === TREE_D || TREE_C.test(rel)
}

function knownCacheFile(rel: string, sectorSize: number | null): boolean {
  const layer = LAYER.exec(rel)
  if (layer) {
    const i = Number(layer[1])
    return i >= 1 && i <= layerCount(sectorSize)
  }
  const n = treeCount(sectorSize)
  const tree = TREE_C.exec(rel) ?? TREE_R.exec(rel)
  if (tree) {
    if (n === null) return true
    if (tree[1] === undefined) return false
    return Number(tree[1].slice(1)) < n
  }
  return rel === TREE_D || AUX.has(rel) || KNOWN_OTHER.test(rel)
}

function where(l: PathListing): string {
  return `${l.storage.alias}:${l.storage.path}`
}

/** Checks the sector's entries in every listed path against its stage. */
export function checkFiles(stage: FileStage, name: string, sectorSize: number | null, listings: readonly PathListing[]): FileCheck {
  const all: { e: FileEntry; l: PathListing }[] = []
  for (const l of listings) for (const e of l.entries) if (e.name === name) all.push({ e, l })
  const present = (r: Requirement) => all.some(({ e }) => e.kind === r.kind && (r.kind === 'cache' ? e.rel !== '' && r.test(e.rel) : e.rel === ''))

  const missing = requirements(stage, name, sectorSize)
    .filter((r) => !present(r))
    .map((r) => r.label)

  const extra: string[] = []
  const empty: string[] = []
  for (const { e, l } of all) {
    const label = e.rel ? `${e.kind}/${name}/${e.rel}` : `${e.kind}/${name}`
    if (e.type === 'file' && e.size === 0) empty.push(`${label} (${where(l)})`)
    if (stage === 'removed') {
      if (e.rel === '') extra.push(`${label} (${where(l)})`)
      continue
    }
    if (e.kind === 'cache' && e.rel !== '') {
      if (!knownCacheFile(e.rel, sectorSize)) extra.push(`${label} (${where(l)})`)
      else if (stage === 'finalized' && clearedAtFinalize(e.rel)) extra.push(`${label} (${where(l)})`)
    }
    if (e.rel === '' && e.kind !== 'cache' && e.type === 'dir') extra.push(`${label} (${where(l)}: a directory)`)
  }

  const byEntry = new Map<string, string[]>()
  for (const { e, l } of all) {
    if (e.rel !== '') continue
    const key = `${e.kind}/${name}`
    byEntry.set(key, [...(byEntry.get(key) ?? []), where(l)])
  }
  const copies = [...byEntry].filter(([, places]) => places.length > 1).map(([key, places]) => `${key} in ${places.length} places: ${places.join(', ')}`)

  return { stage, missing, extra, empty, copies, ok: missing.length === 0 && extra.length === 0 && empty.length === 0 }
}
