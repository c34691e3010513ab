import { MinerDeskError, type MutationPreview, type MutationStep, type OpWarning, type SiteProcess, type WpsResult } from '../../../preload/contract'
import { listProcesses, signalProcesses } from '../remote/processes'
import type { ServiceContext } from '../runtime/context'
import type { StepRunner } from '../runtime/ops'
import type { SshHost } from '../ssh/types'
import { taskShort } from '../../../preload/contract/lotus/tasks'
import { siteHosts } from './hosts'
import { findSiteProcesses, requireSomeHost, sameProcess, siteIdentity, type HostHandle, type SiteIdentity } from './siteProcesses'

/**
 * killw.sh: end the site's `lotus-worker` processes whose command line contains a flag (e.g.
 * `PC1:1`), on every host of the site. The preview names the exact PIDs; executing sends TERM
 * to those that are still the same processes, waits, and sends KILL only to the ones still
 * running. Daemon and miner processes are never targets, whatever the flag.
 */

export const TERM_GRACE_MS = 10_000
const POLL_MS = 500

export interface SiteHosts {
  identity: SiteIdentity
  hosts: HostHandle[]
}

/** The site's identity (repos, miner port) and an SshHost for each of its hosts. */
export async function siteHostsOf(ctx: ServiceContext, siteId: string): Promise<SiteHosts> {
  const h = ctx.sites.get(siteId)
  const d = await h.lotus.ensureEndpoints()
  const hosts = siteHosts(h.config).map((alias) => ({ alias, host: alias === h.config.alias ? h.host : ctx.sites.hostFor(alias, siteId) }))
  return { identity: siteIdentity(h.config.alias, d), hosts }
}

export async function wps(ctx: ServiceContext, siteId: string, flag: string): Promise<WpsResult> {
  const { identity, hosts } = await siteHostsOf(ctx, siteId)
  const result = await findSiteProcesses(siteId, flag, hosts, identity)
  requireSomeHost(result)
  return result
}

function describe(p: SiteProcess): string {
  return `${p.workerName ?? 'lotus-worker'} (pid ${p.pid})`
}

/** What each targeted worker is running now, by worker name = Hostname in WorkerStats (best effort). */
async function runningJobs(ctx: ServiceContext, siteId: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  try {
    const { lotus } = ctx.sites.get(siteId)
    const [jobs, stats] = await Promise.all([lotus.miner.workerJobs(), lotus.miner.workerStats()])
    for (const [wid, list] of Object.entries(jobs)) {
      const host = stats[wid]?.Info.Hostname
      if (!host) continue
      for (const j of list) if (j.RunWait === 0 || j.RunWait === 1) out.set(host, [...(out.get(host) ?? []), `${taskShort(j.Task)} of sector ${j.Sector.Number}`])
    }
  } catch {
    // The miner may be down: then there is nothing to lose but the processes.
  }
  return out
}

async function stillRunning(host: SshHost, flag: string, targets: readonly SiteProcess[]): Promise<SiteProcess[]> {
  const now = await listProcesses(host, { match: flag })
  return targets.filter((t) => now.some((p) => sameProcess(t, p) && p.state !== 'Z'))
}

/** kill(1) fails for a PID that ended between the listing and the signal: that one needs nothing more. */
function signalFailed(r: { code: number | null; stderr: string }): boolean {
  if (r.code === 0) return false
  const lines = r.stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return lines.length === 0 || !lines.every((l) => /no such process/i.test(l))
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

export async function previewKillWorkers(ctx: ServiceContext, siteId: string, flag: string, opts: { graceMs?: number } = {}): Promise<MutationPreview> {
  const grace = opts.graceMs ?? TERM_GRACE_MS
  const { identity, hosts } = await siteHostsOf(ctx, siteId)
  const found = await findSiteProcesses(siteId, flag, hosts, identity)
  requireSomeHost(found)
  const targets = found.hosts
    .map((h) => ({ alias: h.host, host: hosts.find((x) => x.alias === h.host)!.host, procs: h.processes.filter((p) => p.role === 'worker') }))
    .filter((t) => t.procs.length > 0)
  if (targets.length === 0) {
    throw new MinerDeskError({
      code: 'not-found',
      message: `no lotus-worker process of site ${siteId} has "${flag}" in its command line`,
      hint: 'list them first (wps); the flag is any part of the command line, e.g. PC1:1 or a worker name'
    })
  }
  const steps: MutationStep[] = []
  const plan: Array<{ alias: string; host: SshHost; procs: SiteProcess[]; term: number; kill: number }> = []
  for (const t of targets) {
    const pids = t.procs.map((p) => p.pid).join(' ')
    plan.push({ ...t, term: steps.length, kill: steps.length + 1 })
    steps.push({ kind: 'signal', host: t.alias, text: `kill -TERM ${pids}` })
    steps.push({ kind: 'signal', host: t.alias, text: `kill -KILL ${pids}   (only those still running ${Math.round(grace / 1000)} s after TERM)` })
  }
  const jobs = await runningJobs(ctx, siteId)
  const warnings: OpWarning[] = []
  for (const t of targets) {
    for (const p of t.procs) {
      const running = p.workerName ? jobs.get(p.workerName) : undefined
      warnings.push(
        running?.length
          ? { key: 'killLosesWork', params: { host: t.alias, process: describe(p), jobs: running.join(', ') }, text: `${t.alias}: ${describe(p)} is running ${running.join(', ')}: that work is lost and the sector retries it` }
          : { key: 'killProcess', params: { host: t.alias, process: describe(p) }, text: `${t.alias}: ${describe(p)}` }
      )
    }
  }
  for (const h of found.hosts) if (h.error) warnings.push({ key: 'hostNotSearched', params: { host: h.host, detail: h.error.message }, text: `${h.host} could not be searched: ${h.error.message}` })
  const total = targets.reduce((n, t) => n + t.procs.length, 0)
  return ctx.ops.preview({
    site: siteId,
    action: 'workers.kill',
    params: { flag, processes: total, hosts: targets.map((t) => t.alias).join(', ') },
    steps,
    warnings,
    typeToConfirm: flag,
    execute: async (s) => {
      let ended = 0
      for (const p of plan) ended += await killOnHost(s, p, flag, grace)
      s.data({ ended })
    }
  })
}

async function killOnHost(s: StepRunner, p: { alias: string; host: SshHost; procs: SiteProcess[]; term: number; kill: number }, flag: string, grace: number): Promise<number> {
  // Only the very processes of the preview: one that ended (and whose PID may be reused) is left alone.
  const alive = await stillRunning(p.host, flag, p.procs)
  if (alive.length === 0) {
    s.skip(p.term, 'already ended')
    s.skip(p.kill, 'already ended')
    return 0
  }
  await s.run(p.term, async () => {
    const r = await signalProcesses(p.host, alive.map((x) => x.pid), 'TERM')
    if (signalFailed(r)) throw new MinerDeskError({ code: 'ssh/command-failed', message: `kill -TERM failed on ${p.alias} (exit ${r.code})`, details: r.stderr.trim() })
    return `TERM sent to ${alive.map(describe).join(', ')}`
  })
  let left = alive
  const until = Date.now() + grace
  while (left.length > 0 && Date.now() < until) {
    await sleep(POLL_MS)
    left = await stillRunning(p.host, flag, left)
  }
  if (left.length === 0) {
    s.skip(p.kill, `all ended after TERM`)
    return alive.length
  }
  await s.run(p.kill, async () => {
    const r = await signalProcesses(p.host, left.map((x) => x.pid), 'KILL')
    if (signalFailed(r)) throw new MinerDeskError({ code: 'ssh/command-failed', message: `kill -KILL failed on ${p.alias} (exit ${r.code})`, details: r.stderr.trim() })
    await sleep(POLL_MS)
    const stuck = await stillRunning(p.host, flag, left)
    if (stuck.length > 0) throw new MinerDeskError({ code: 'ssh/command-failed', message: `still running after KILL on ${p.alias}: ${stuck.map(describe).join(', ')}`, hint: 'a process in disk sleep (D) ends only when its I/O returns' })
    return `KILL sent to ${left.map(describe).join(', ')}`
  })
  return alive.length
}
