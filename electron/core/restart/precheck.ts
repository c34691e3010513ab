import { MinerDeskError, type SiteSnapshot } from '../../../preload/contract'
import type { PlannedCommand, Precheck, Verdict, VerdictReason, RestartRun } from '../../../preload/contract/restart'
import { shortDuration } from '../overview/format'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { checkEnv, envParams, envProblems, jobEffect } from './checks'
import { lotusRole, repoOf } from '../remote/processes'
import { bothProcesses, commandText, lotusListing, readRepos, startLine, stopCommand, type Repos } from './remote'
import { startConfigProblems } from './startConfig'
import { computeVerdict, provingView, unknownVerdict, type DeadlineLoad } from './verdict'

/**
 * The pre-check (changes nothing): versions of daemon and miner, the proving state and the
 * safety verdict, the running sealing jobs and what a restart does to them, the local pending
 * messages, the miner's environment against the expected one, and the exact commands the
 * sequence will run. Built from one fresh poll of the site plus one /proc listing.
 */

/** Lotus's WPoStChallengeLookback (builtin-actors policy; the same on every network). */
export const CHALLENGE_LOOKBACK = 20
/** Without a site setting or an earlier restart: 30 epochs (15 minutes on mainnet). */
export const DEFAULT_RESTART_EPOCHS = 30

export interface PrecheckResult {
  precheck: Precheck
  repos: Repos
  before: NonNullable<RestartRun['before']>
}

export interface RestartEstimate {
  sec: number
  source: Verdict['restartSource']
}

/** The expected restart time: the site's setting, else the last successful restart × 1.5, else 30 epochs. */
export function restartEstimate(site: SiteHandle['config'], history: readonly RestartRun[], blockDelay: number | null): RestartEstimate {
  if (site.restart?.expectedSec) return { sec: site.restart.expectedSec, source: 'site' }
  const last = history.find((r) => r.siteId === site.id && r.result?.ok && r.steps.find((s) => s.id === 'stopMiner')?.startedAt && r.steps.find((s) => s.id === 'startMiner')?.endedAt)
  if (last) {
    const from = last.steps.find((s) => s.id === 'stopMiner')!.startedAt!
    const to = last.steps.find((s) => s.id === 'startMiner')!.endedAt!
    return { sec: Math.max(1, Math.ceil(((to - from) / 1000) * 1.5)), source: 'measured' }
  }
  return { sec: Math.max(1, Math.round(DEFAULT_RESTART_EPOCHS * (blockDelay ?? 30))), source: 'default' }
}

export function plannedCommands(handle: SiteHandle, repos: Repos): PlannedCommand[] {
  const host = handle.config.alias
  return [
    { step: 'stopMiner', host, text: commandText(stopCommand('miner', repos)) },
    { step: 'stopDaemon', host, text: commandText(stopCommand('daemon', repos)) },
    { step: 'startDaemon', host, text: startLine(handle.config, 'daemon') },
    { step: 'startMiner', host, text: startLine(handle.config, 'miner') }
  ]
}

function verdictOf(snap: SiteSnapshot, estimate: (blockDelay: number | null) => RestartEstimate): { verdict: Verdict; proving: Precheck['proving'] } {
  const p = snap.proving
  const blockDelay = snap.daemon.blockDelay ?? null
  const est = estimate(blockDelay)
  if (!p || !blockDelay || snap.daemon.height === undefined || snap.daemon.headTimestamp === undefined) {
    const why = snap.partErrors?.proving?.message ?? snap.daemon.error?.message ?? (snap.daemon.up ? 'no proving state' : 'the daemon does not answer')
    return { verdict: unknownVerdict(why, est.sec, est.source, blockDelay), proving: null }
  }
  const window = p.close - p.open
  const di = {
    CurrentEpoch: p.currentEpoch,
    PeriodStart: p.periodStart,
    Index: p.deadlineIndex,
    Open: p.open,
    Close: p.close,
    Challenge: p.open - CHALLENGE_LOOKBACK,
    WPoStPeriodDeadlines: p.deadlines.length,
    WPoStProvingPeriod: p.deadlines.length * window,
    WPoStChallengeWindow: window,
    WPoStChallengeLookback: CHALLENGE_LOOKBACK
  }
  const loads: DeadlineLoad[] = p.deadlines.map((d) => ({ index: d.index, partitions: d.partitions, sectors: d.sectors, proven: d.proven }))
  const clock = { height: snap.daemon.height, timestamp: snap.daemon.headTimestamp, blockDelay }
  return {
    verdict: computeVerdict({ di, loads, clock, restartSec: est.sec, restartSource: est.source }),
    proving: provingView(di, loads, clock)
  }
}

/**
 * A start configuration that cannot pass the restart's own gates makes the verdict "unsafe"
 * whatever the deadlines say (waiting for a window fixes nothing); what to fix comes first.
 */
export function withStartProblems(v: Verdict, problems: readonly VerdictReason[]): Verdict {
  if (problems.length === 0) return v
  const reasons = [...problems, ...v.reasons]
  return {
    kind: 'unsafe',
    reasons,
    restartSec: v.restartSec,
    restartSource: v.restartSource,
    restartEpochs: v.restartEpochs,
    text: `unsafe, because ${reasons.map((r) => r.text).join('; ')}`
  }
}

export async function runPrecheck(handle: SiteHandle, history: readonly RestartRun[], signal?: AbortSignal): Promise<PrecheckResult> {
  const [snap, repos, startProblems] = await Promise.all([handle.poller.refresh(), readRepos(handle.host, signal), startConfigProblems(handle.host, handle.config, signal)])
  if (snap.connection.state !== 'connected' && !snap.daemon.up && !snap.miner.up) {
    throw new MinerDeskError({ code: 'ssh/unreachable', message: `${handle.config.alias} cannot be reached: ${snap.connection.detail ?? snap.connection.state}` })
  }
  const procs = await bothProcesses(handle.host, repos, signal)
  const minerProc = procs.miner[0]
  const env = checkEnv(handle.config.expectedEnv, minerProc ? minerProc.env : null)
  const timing = verdictOf(snap, (bd) => restartEstimate(handle.config, history, bd))
  const verdict = withStartProblems(timing.verdict, startProblems)
  const proving = timing.proving
  const warnings: Precheck['warnings'] = []
  const warn = (code: string, params: Record<string, string | number>, text: string) => warnings.push({ code, params, text })
  if (!snap.daemon.up) warn('daemon-down', {}, 'the daemon is not answering: the restart starts it')
  if (!snap.miner.up) warn('miner-down', {}, 'the miner is not answering: the restart starts it')
  if (snap.daemon.behindEpochs !== undefined && snap.daemon.behindEpochs > 5) warn('sync-behind', { epochs: snap.daemon.behindEpochs }, `the daemon is ${snap.daemon.behindEpochs} epochs behind already`)
  if ((snap.proving?.faults ?? 0) > 0) warn('faults', { faults: snap.proving!.faults }, `${snap.proving!.faults} faulty sector(s) before the restart`)
  if (minerProc && !env.ok) warn('env-now', envParams(env), `the running miner's environment already differs from the expected one: ${envProblems(env)}`)
  // Lotus's default start command with an expected environment is refused by startConfigProblems.
  if (Object.keys(handle.config.expectedEnv).length === 0) warn('env-none', {}, 'no expected environment is configured for this site: the environment check has nothing to compare')
  // The site's process not found, but one of another repo runs: the SSH login may not see the repo
  // the start script sets (LOTUS_MINER_PATH exported in runminer.sh only). Stopping "nothing" would be wrong.
  if (procs.miner.length === 0 || procs.daemon.length === 0) {
    const all = (await lotusListing(handle.host, [], signal)).processes
    for (const role of ['miner', 'daemon'] as const) {
      if (procs[role].length > 0) continue
      const others = all.filter((p) => lotusRole(p) === role && repoOf(p, role) !== repos[role])
      if (others.length > 0) {
        const list = others.map((p) => `${p.pid} (${repoOf(p, role) ?? '?'})`).join(', ')
        warn('other-repo', { role: role === 'miner' ? 'lotus-miner' : 'lotus daemon', repo: repos[role], procs: list }, `no ${role === 'miner' ? 'lotus-miner' : 'lotus daemon'} process uses ${repos[role]}, but others run on this host: pid ${list}; if one of them is this site's, set ${role === 'miner' ? 'LOTUS_MINER_PATH' : 'LOTUS_PATH'} for the SSH login`)
      }
    }
  }
  if (procs.miner.length > 1) warn('miner-many', { pids: procs.miner.map((p) => p.pid).join(' ') }, `more than one lotus-miner process uses ${repos.miner}`)
  if (verdict.restartSource === 'default') warn('restart-default', { restart: shortDuration(verdict.restartSec) }, `expected restart time ${shortDuration(verdict.restartSec)} is MinerDesk's default; set it for the site if restarts take longer`)

  const workers = (snap.workers?.list ?? []).filter((w) => !w.missing).map((w) => w.hostname).sort()
  const precheck: Precheck = {
    at: Date.now(),
    daemon: {
      up: snap.daemon.up,
      ...(snap.daemon.version ? { version: snap.daemon.version } : {}),
      ...(snap.daemon.error ? { error: snap.daemon.error } : {}),
      pids: procs.daemon.map((p) => p.pid),
      repo: repos.daemon
    },
    miner: {
      up: snap.miner.up,
      ...(snap.miner.version ? { version: snap.miner.version } : {}),
      ...(snap.miner.error ? { error: snap.miner.error } : {}),
      ...(snap.miner.session ? { session: snap.miner.session } : {}),
      ...(snap.miner.actor ? { actor: snap.miner.actor } : {}),
      pids: procs.miner.map((p) => p.pid),
      repo: repos.miner
    },
    chain: { height: snap.daemon.height ?? null, behindEpochs: snap.daemon.behindEpochs ?? null, blockDelay: snap.daemon.blockDelay ?? null },
    proving,
    verdict,
    jobs: (snap.jobs?.list ?? []).map((j) => ({ id: j.id, sector: j.sector, task: j.task, hostname: j.hostname, state: j.state, effect: jobEffect(j) })),
    messages: (snap.messages?.list ?? []).map((m) => ({ cid: m.cid, from: m.from, nonce: m.nonce, method: m.method, ageSec: m.ageSec })),
    workers,
    env,
    commands: plannedCommands(handle, repos),
    warnings
  }
  return {
    precheck,
    repos,
    before: {
      daemonVersion: snap.daemon.version ?? null,
      minerVersion: snap.miner.version ?? null,
      minerSession: snap.miner.session ?? null,
      workers: snap.miner.up && snap.workers ? workers : []
    }
  }
}
