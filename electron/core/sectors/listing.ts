import { posix } from 'node:path'
import { SECTOR_FILE_KINDS, type FileEntry, type SectorFileKind } from '../../../preload/contract/sectors'
import type { RemoteCommand } from '../../common/shellQuote'

/**
 * The remote commands that read sector files and storage configuration on a host, and their
 * parsers. Every value (paths, the name pattern) travels as a positional argument of `sh -c`
 * (quoted by shellQuote), never inside the script text. Paths are printed NUL-terminated or
 * base64-encoded so that no byte of a file name can break the framing.
 */

/** A storage path as MinerDesk accepts it from a repo's storage.json: absolute, normalised, no control characters. */
export function cleanStoragePath(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw === '' || raw.length > 1000) return null
  if (!raw.startsWith('/') || [...raw].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return null
  if (raw.split('/').some((seg) => seg === '..' || seg === '.')) return null
  const p = posix.normalize(raw).replace(/\/+$/, '')
  return p === '' ? null : p
}

// $1 = name pattern (a find -name glob), $2 = 1 to list the contents of matching directories, then the storage paths.
const LIST_SCRIPT = [
  'pat=$1; deep=$2; shift 2',
  'for p in "$@"; do',
  '  for k in unsealed sealed cache update update-cache; do',
  '    [ -d "$p/$k" ] || continue',
  '    if [ "$deep" = 1 ]; then',
  '      find "$p/$k" -mindepth 1 -maxdepth 1 -name "$pat" -exec find {} -maxdepth 1 -printf "%y\\t%s\\t%T@\\t%p\\0" ";"',
  '    else',
  '      find "$p/$k" -mindepth 1 -maxdepth 1 -name "$pat" -printf "%y\\t%s\\t%T@\\t%p\\0"',
  '    fi',
  '  done',
  'done'
].join('\n')

/**
 * Lists sector entries named like `pattern` under the kind directories of each storage path;
 * with `deep`, also the files inside matching cache directories.
 */
export function listCommand(paths: readonly string[], pattern: string, deep: boolean): RemoteCommand {
  return { argv: ['sh', '-c', LIST_SCRIPT, 'sh', pattern, deep ? '1' : '0', ...paths] }
}

const KINDS = new Set<string>(SECTOR_FILE_KINDS)

export interface ListedEntry extends FileEntry {
  /** The storage path the entry is under. */
  storagePath: string
}

/** Parses the list output: each record `type\tsize\tmtime\tpath\0`, attributed to the longest matching storage path. */
export function parseListing(stdout: string, paths: readonly string[]): ListedEntry[] {
  const sorted = [...paths].sort((a, b) => b.length - a.length)
  const out: ListedEntry[] = []
  for (const rec of stdout.split('\0')) {
    if (rec === '') continue
    const parts = rec.split('\t')
    if (parts.length < 4) continue
    const [y, size, mtime] = parts as [string, string, string]
    const full = parts.slice(3).join('\t')
    const base = sorted.find((p) => full.startsWith(`${p}/`))
    if (!base) continue
    const segs = full.slice(base.length + 1).split('/')
    const [kind, name, ...rest] = segs
    if (!kind || !KINDS.has(kind) || !name) continue
    out.push({
      storagePath: base,
      kind: kind as SectorFileKind,
      name,
      rel: rest.join('/'),
      type: y === 'f' ? 'file' : y === 'd' ? 'dir' : 'other',
      size: Number(size) || 0,
      mtime: Math.round(Number(mtime) * 1000) || 0
    })
  }
  return out
}

// Prints `R <b64 path> <b64 file or ->` for each argument path's FILE.
const READ_SCRIPT = [
  'f=$1; shift',
  'for r in "$@"; do',
  '  printf "R\\t%s\\t" "$(printf %s "$r" | base64 | tr -d "\\n")"',
  '  if [ -f "$r/$f" ] && [ -r "$r/$f" ]; then head -c 1048576 "$r/$f" | base64 | tr -d "\\n"; else printf %s -; fi',
  '  printf "\\n"',
  'done'
].join('\n')

/** Reads `file` (storage.json, sectorstore.json) from each directory, at most 1 MiB each. */
export function readFilesCommand(dirs: readonly string[], file: 'storage.json' | 'sectorstore.json'): RemoteCommand {
  return { argv: ['sh', '-c', READ_SCRIPT, 'sh', file, ...dirs] }
}

/** Directory → file content (null when absent or unreadable). */
export function parseReadFiles(stdout: string): Map<string, string | null> {
  const out = new Map<string, string | null>()
  for (const line of stdout.split('\n')) {
    const [tag, dir, body] = line.split('\t')
    if (tag !== 'R' || dir === undefined || body === undefined) continue
    const d = Buffer.from(dir, 'base64').toString('utf8')
    out.set(d, body === '-' ? null : Buffer.from(body, 'base64').toString('utf8'))
  }
  return out
}

/** The `Path`s of a repo's storage.json (`{"StoragePaths":[{"Path":"/data"}]}`), cleaned; bad entries dropped. */
export function parseStorageJson(text: string | null): string[] {
  if (!text) return []
  try {
    const v = JSON.parse(text) as { StoragePaths?: { Path?: unknown }[] | null }
    return (v.StoragePaths ?? []).map((p) => cleanStoragePath(p?.Path)).filter((p): p is string => p !== null)
  } catch {
    return []
  }
}

export interface StorageMeta {
  id: string
  canSeal: boolean
  canStore: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** sectorstore.json (LocalStorageMeta): its ID and roles; null when missing or malformed. */
export function parseSectorStoreJson(text: string | null): StorageMeta | null {
  if (!text) return null
  try {
    const v = JSON.parse(text) as { ID?: unknown; CanSeal?: unknown; CanStore?: unknown }
    if (typeof v.ID !== 'string' || !UUID.test(v.ID)) return null
    return { id: v.ID.toLowerCase(), canSeal: v.CanSeal === true, canStore: v.CanStore === true }
  } catch {
    return null
  }
}

/** The port a `lotus-worker run` listens on (`--listen host:port`; Lotus's default is 0.0.0.0:3456). */
export function workerListenPort(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const v = a === '--listen' ? argv[i + 1] : a.startsWith('--listen=') ? a.slice('--listen='.length) : undefined
    if (v !== undefined) {
      const m = /:(\d{1,5})$/.exec(v)
      if (m) return Number(m[1])
    }
  }
  return 3456
}

/** `--name` of a worker process, if given. */
export function workerName(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--name') return argv[i + 1] ?? null
    if (a.startsWith('--name=')) return a.slice('--name='.length)
  }
  return null
}

/** Host part of a storage URL (`http://10.0.0.5:3456/remote` → `10.0.0.5`; IPv6 brackets removed). */
export function urlHost(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '')
  } catch {
    return null
  }
}

export function urlPort(url: string): number | null {
  try {
    const u = new URL(url)
    return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80
  } catch {
    return null
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '0.0.0.0' || host === '::'
}
