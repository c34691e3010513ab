import { MinerDeskError } from '../../../preload/contract'
import { type HostProblem, type StoragePathRef } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import { parseApiInfo, parseMultiaddr } from '../lotus/apiInfo'
import { listProcesses, lotusRole, repoOf, type RemoteProcess } from '../remote/processes'
import type { ServiceContext } from '../runtime/context'
import type { SshHost } from '../ssh/types'
import {
  cleanStoragePath,
  isLoopback,
  parseReadFiles,
  parseSectorStoreJson,
  parseStorageJson,
  readFilesCommand,
  urlHost,
  workerListenPort,
  workerName
} from './listing'

/**
 * Where a site's storage paths are: the miner's own (StorageLocal, on the site's host) and each
 * worker's, found the way an operator would — the `lotus-worker run` processes on the site's
 * host and its worker hosts (remote/processes.ts), their repo's storage.json, and each path's
 * sectorstore.json for its storage ID. A worker belongs to the site when the miner knows one of
 * its storage IDs (StorageInfo answers) or its MINER_API_INFO names the miner's port; several
 * simulated sites share one host and login, so nothing is matched by name.
 *
 * Storage URLs' IPs map to SSH aliases with SiteConfig.workerHosts; loopback and the miner's own
 * addresses are the site's host.
 */

export interface WorkerProcess {
  alias: string
  pid: number
  port: number
  name: string | null
  repo: string
}

export interface Topology {
  siteId: string
  minerId: number
  siteAlias: string
  paths: StoragePathRef[]
  workers: WorkerProcess[]
  problems: HostProblem[]
  /** SSH alias of the host a storage URL points at, or null when its IP is not mapped. */
  aliasForUrl(url: string): string | null
  host(alias: string): SshHost
}

/** `f01000` / `t01000` → 1000. */
export function minerIdOf(actor: string): number {
  const m = /^[ft]0(\d+)$/.exec(actor)
  if (!m) throw new MinerDeskError({ code: 'lotus/bad-response', message: `the miner's actor address is not an ID address: ${actor}` })
  return Number(m[1])
}

async function readFiles(host: SshHost, dirs: string[], file: 'storage.json' | 'sectorstore.json'): Promise<Map<string, string | null>> {
  if (dirs.length === 0) return new Map()
  const r = await host.exec(readFilesCommand(dirs, file), { timeoutMs: 20_000 })
  if (r.code !== 0) throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not read ${file} on ${host.alias} (exit ${r.code})`, details: r.stderr.trim() })
  return parseReadFiles(r.stdout)
}

interface HostScan {
  alias: string
  workers: { proc: RemoteProcess; port: number; repo: string; paths: { path: string; id: string; canSeal: boolean; canStore: boolean }[] }[]
}

/** The worker processes of one host with their storage paths and IDs (three remote commands). */
async function scanHost(host: SshHost, alias: string): Promise<HostScan> {
  const procs = (await listProcesses(host, { match: 'lotus-worker' })).filter((p) => lotusRole(p) === 'worker' && p.state !== 'Z')
  const withRepo = procs.map((proc) => ({ proc, repo: repoOf(proc, 'worker') })).filter((w): w is { proc: RemoteProcess; repo: string } => w.repo !== null)
  const configs = await readFiles(host, [...new Set(withRepo.map((w) => w.repo))], 'storage.json')
  const pathsOf = new Map(withRepo.map((w) => [w.repo, parseStorageJson(configs.get(w.repo) ?? null)]))
  const allPaths = [...new Set([...pathsOf.values()].flat())]
  const metas = await readFiles(host, allPaths, 'sectorstore.json')
  return {
    alias,
    workers: withRepo.map(({ proc, repo }) => ({
      proc,
      repo,
      port: workerListenPort(proc.argv),
      paths: (pathsOf.get(repo) ?? []).flatMap((path) => {
        const meta = parseSectorStoreJson(metas.get(path) ?? null)
        return meta ? [{ path, ...meta }] : []
      })
    }))
  }
}

/** Port of the miner API a worker was pointed at (MINER_API_INFO=token:/ip4/…/tcp/PORT/http). */
function minerPortOf(proc: RemoteProcess): number | null {
  const info = proc.env?.['MINER_API_INFO']
  if (!info) return null
  try {
    return parseMultiaddr(parseApiInfo(info).addr).port
  } catch {
    return null
  }
}

export async function discoverTopology(ctx: ServiceContext, siteId: string, o: { signal?: AbortSignal } = {}): Promise<Topology> {
  const site = ctx.sites.get(siteId)
  const { lotus, config } = site
  const d = await lotus.ensureEndpoints(o)
  if (!d.miner.ok) throw new MinerDeskError(d.miner.error)
  const minerEp = d.miner.endpoint
  const [actor, local] = await lotus.miner.batch([minerCalls.actorAddress(), minerCalls.storageLocal()] as const, o)
  if (!actor.ok) throw new MinerDeskError(actor.error)
  if (!local.ok) throw new MinerDeskError(local.error)
  const minerId = minerIdOf(actor.value)

  const problems: HostProblem[] = []
  const aliases = [...new Set([config.alias, ...Object.values(config.workerHosts)])]
  const hostOf = (alias: string): SshHost => (alias === config.alias ? site.host : ctx.sites.hostFor(alias, siteId))
  const scans = await Promise.all(
    aliases.map(async (alias) => {
      try {
        return await scanHost(hostOf(alias), alias)
      } catch (err) {
        const e = err instanceof MinerDeskError ? err : new MinerDeskError({ code: 'internal', message: String(err) })
        problems.push({ alias, kind: 'unreachable', params: { alias, code: e.code }, detail: [e.message, e.details?.split('\n')[0]].filter(Boolean).join('\n'), message: `${alias}: ${e.message}${e.details ? ` (${e.details.split('\n')[0]})` : ''}` })
        return { alias, workers: [] } as HostScan
      }
    })
  )

  // Which storage IDs the miner knows, and their URLs (one batch for the worker paths and the miner's own).
  const localIds = Object.keys(local.value).map((id) => id.toLowerCase())
  const workerIds = [...new Set(scans.flatMap((s) => s.workers.flatMap((w) => w.paths.map((p) => p.id))))]
  const ids = [...new Set([...localIds, ...workerIds])]
  const infos = ids.length ? await lotus.miner.batch(ids.map((id) => minerCalls.storageInfo(id)), o) : []
  const known = new Map<string, { urls: string[]; canSeal: boolean; canStore: boolean }>()
  ids.forEach((id, i) => {
    const r = infos[i]
    if (r?.ok) known.set(id, { urls: r.value.URLs ?? [], canSeal: r.value.CanSeal, canStore: r.value.CanStore })
  })

  const ownHosts = new Set<string>([minerEp.host])
  for (const id of localIds) for (const u of known.get(id)?.urls ?? []) {
    const h = urlHost(u)
    if (h) ownHosts.add(h)
  }

  const paths: StoragePathRef[] = []
  for (const [id, raw] of Object.entries(local.value)) {
    const path = cleanStoragePath(raw)
    if (!path) {
      problems.push({ alias: config.alias, kind: 'unresolved-storage', params: { id, path: JSON.stringify(raw).slice(0, 100) }, message: `the miner's storage ${id} has an unusable path ${JSON.stringify(raw).slice(0, 100)}` })
      continue
    }
    const k = known.get(id.toLowerCase())
    paths.push({ id: id.toLowerCase(), alias: config.alias, path, owner: 'miner', port: null, canSeal: k?.canSeal ?? false, canStore: k?.canStore ?? false, attached: true })
  }
  const workers: WorkerProcess[] = []
  for (const scan of scans) {
    for (const w of scan.workers) {
      const attached = w.paths.some((p) => known.has(p.id))
      if (!attached && minerPortOf(w.proc) !== minerEp.port) continue
      workers.push({ alias: scan.alias, pid: w.proc.pid, port: w.port, name: workerName(w.proc.argv), repo: w.repo })
      for (const p of w.paths) {
        if (paths.some((x) => x.id === p.id && x.alias === scan.alias && x.path === p.path)) continue
        paths.push({ id: p.id, alias: scan.alias, path: p.path, owner: 'worker', port: w.port, canSeal: p.canSeal, canStore: p.canStore, attached: known.has(p.id) })
      }
    }
  }

  const aliasForUrl = (url: string): string | null => {
    const h = urlHost(url)
    if (!h) return null
    if (isLoopback(h) || ownHosts.has(h)) return config.alias
    return config.workerHosts[h] ?? null
  }
  return { siteId, minerId, siteAlias: config.alias, paths, workers, problems, aliasForUrl, host: hostOf }
}

/** Problems for storage IDs Lotus reported that MinerDesk could not place on a host. */
export function unresolvedProblem(topo: Topology, id: string, urls: readonly string[]): HostProblem {
  const url = urls[0] ?? ''
  const h = urlHost(url)
  const alias = url ? topo.aliasForUrl(url) : null
  if (!alias) {
    return {
      alias: null,
      kind: 'unmapped-ip',
      params: { id, url: url || '—', host: h ?? '—' },
      message: `storage ${id} is at ${url || 'no URL'}: ${h ?? 'its host'} is not one of the site's worker hosts — add it in the site's settings (worker hosts: IP → SSH alias)`
    }
  }
  return { alias, kind: 'no-worker', params: { id, url, alias }, message: `storage ${id} is at ${url} (${alias}), but no running lotus-worker there has it in its storage.json` }
}
