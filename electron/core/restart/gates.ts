import { MinerDeskError, type ErrorInfo } from '../../../preload/contract'
import type { Observation, ObservationTone, RestartRun, RestartStepState } from '../../../preload/contract/restart'
import { fullCalls } from '../lotus/fullApi'
import { SYNC_STAGES } from '../../../preload/contract/lotus/types'
import { shortDuration } from '../overview/format'
import type { SiteHandle } from '../runtime/sitesRuntime'
import { checkEnv, envParams, envProblems, versionMatches } from './checks'
import { around, findWarmup, splitLines, WARMUP, type WarmupOutcome } from './logs'
import { alivePids, apiAnswers, logPaths, readLog, roleProcesses, type Role } from './remote'
import { clockText, provingView, type DeadlineLoad } from './verdict'
import { CHALLENGE_LOOKBACK } from './precheck'

/**
 * The gates between the steps: what must be true before the wizard goes on, watched on the site
 * itself. Each gate records what it saw (observations, the sync progress, log excerpts) in the
 * step's state; a gate that cannot pass throws a GateFailure saying why, with the evidence.
 */

export interface EffectiveOptions {
  stopTimeoutSec: number
  termWaitSec: number
  syncTimeoutSec: number
  warmupTimeoutSec: number
  postcheckTimeoutSec: number
  expectMinerVersion?: string
  expectDaemonVersion?: string
}

export interface GateCtx {
  run: RestartRun
  step: RestartStepState
  handle: SiteHandle
  signal: AbortSignal
  opts: EffectiveOptions
  /** Poll interval of fast checks (ms). */
  pollMs: number
  observe(code: string, params: Record<string, string | number>, tone: ObservationTone, text: string): void
  /** The step's state changed (progress): save soon and tell the window. */
  changed(): void
}

/** A gate that cannot pass: `params.gate` names why (i18n `wizard.fail.<gate>`). */
export class GateFailure extends MinerDeskError {
  constructor(gate: string, message: string, params: Record<string, string | number> = {}, details?: string, hint?: string) {
    super({ code: 'conflict', message, params: { gate, ...params }, ...(details ? { details } : {}), ...(hint ? { hint } : {}) })
  }
}

export function aborted(): MinerDeskError {
  return new MinerDeskError({ code: 'cancelled', message: 'the restart was aborted' })
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(aborted())
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(t)
      reject(aborted())
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

const NAME: Record<Role, string> = { daemon: 'lotus daemon', miner: 'lotus-miner' }
const secondsSince = (t: number): number => Math.max(0, Math.round((Date.now() - t) / 100) / 10)

/** When the step's command went out (or the step began, when nothing was sent). */
export function stepT0(step: RestartStepState): number {
  const cmd = step.commands.find((c) => c.kind === 'command' && c.status !== 'previewed' && c.status !== 'skipped')
  return cmd?.at ?? step.startedAt ?? Date.now()
}

/* ------------------------------------------------------------------ stop */

export type StopResult = { stopped: true } | { stopped: false; pids: number[] }

/**
 * The process of `role` has stopped: its API no longer answers and no process of the site's repo
 * remains. Returns the PIDs still there when `until` passes.
 */
export async function stopGate(g: GateCtx, role: Role, until: number): Promise<StopResult> {
  const { host, lotus } = g.handle
  const repo = g.run.repos![role]
  let pids = (await roleProcesses(host, role, repo, g.signal)).map((p) => p.pid)
  let apiSeenDown = false
  let lastNote = 0
  for (;;) {
    // Discovered again on every check: once the api file is gone, the node's client (and its
    // kept-alive streams, which the stopped node closed) is dropped at once.
    const api = await apiAnswers(lotus, role, { rediscover: true, timeoutMs: 2000, signal: g.signal })
    const alive = await alivePids(host, pids, g.signal)
    if (!api.up && !apiSeenDown) {
      apiSeenDown = true
      g.observe('api-down', { role: NAME[role], sec: secondsSince(stepT0(g.step)) }, 'info', `${NAME[role]} API no longer answers`)
    }
    if (!api.up && alive.size === 0) {
      // Confirm with a full listing: no other process of this role uses the site's repo.
      const again = (await roleProcesses(host, role, repo, g.signal)).map((p) => p.pid)
      if (again.length === 0) {
        g.observe('stopped', { role: NAME[role], sec: secondsSince(stepT0(g.step)) }, 'ok', `no ${NAME[role]} process of ${repo} is left`)
        return { stopped: true }
      }
      pids = again
      continue
    }
    const left = alive.size > 0 ? [...alive.keys()] : pids
    if (Date.now() - lastNote > 5000) {
      lastNote = Date.now()
      const states = [...alive.entries()].map(([p, s]) => `${p}(${s})`).join(' ')
      g.observe('still-running', { role: NAME[role], pids: states || left.join(' '), api: api.up ? 'up' : 'down' }, 'info', `${NAME[role]} still running: pid ${states || left.join(' ')}, API ${api.up ? 'answers' : 'does not answer'}`)
    }
    if (Date.now() >= until) return { stopped: false, pids: left }
    await sleep(g.pollMs, g.signal)
  }
}

/* ------------------------------------------------------------------ shared */

async function logTail(g: GateCtx, role: Role, lines = 20): Promise<string[]> {
  const file = logPaths(g.handle.config)[role]
  try {
    const chunk = await readLog(g.handle.host, g.handle.config.workDir, file, g.step.logOffset ?? 0, 512 * 1024, g.signal)
    return splitLines(chunk.text).slice(-lines)
  } catch {
    return []
  }
}

/** Keeps the last lines of the step's log (written since its command) in the report. */
export async function keepExcerpt(g: GateCtx, role: Role, lines = 10): Promise<void> {
  const tail = await logTail(g, role, lines)
  if (tail.length > 0) {
    g.step.excerpts.push({ file: logPaths(g.handle.config)[role], lines: tail })
    g.changed()
  }
}

function checkVersion(g: GateCtx, role: Role, actual: string): void {
  const expected = role === 'miner' ? g.opts.expectMinerVersion : g.opts.expectDaemonVersion
  const before = role === 'miner' ? g.run.before?.minerVersion : g.run.before?.daemonVersion
  const want = expected ?? before ?? null
  if (want === null) {
    g.observe('version-unknown', { role: NAME[role], version: actual }, 'warning', `${NAME[role]} runs ${actual}; its version before the restart is not known`)
    return
  }
  if (versionMatches(actual, want, expected === undefined)) {
    g.observe('version-ok', { role: NAME[role], version: actual }, 'ok', `${NAME[role]} version ${actual}${expected ? ' (as expected)' : ' (as before)'}`)
    return
  }
  throw new GateFailure(
    'version',
    `${NAME[role]} runs ${actual}, ${expected ? `not the expected ${expected}` : `not ${want} as before the restart`}`,
    { role: NAME[role], version: actual, want, hintKey: expected ? 'version-expected' : 'version-upgrade' },
    undefined,
    expected ? 'check which binary the start command runs' : 'for an upgrade, say which version to expect (--expect-version / the pre-check form)'
  )
}

/** Waits until the API of `role` answers (endpoints discovered again: a start writes a new api file and token). */
async function waitApi(g: GateCtx, role: Role, until: number, onLog?: () => Promise<void>): Promise<string> {
  const { host, lotus } = g.handle
  const t0 = stepT0(g.step)
  let lastProcs = 0
  // A start script may take seconds before it execs the program (on a loaded host, or a script that
  // prepares first): the process counts as gone only when two looks 2 s apart, 5 s in, both miss it.
  let misses = 0
  for (;;) {
    const api = await apiAnswers(lotus, role, { rediscover: true, timeoutMs: 3000, signal: g.signal })
    if (api.up && api.version) {
      g.observe('api-up', { role: NAME[role], version: api.version, sec: secondsSince(t0) }, 'ok', `${NAME[role]} API answers (${api.version}) after ${secondsSince(t0)} s`)
      return api.version
    }
    await onLog?.()
    if (Date.now() - lastProcs > 2000 && Date.now() - t0 > 3000) {
      lastProcs = Date.now()
      const procs = await roleProcesses(host, role, g.run.repos![role], g.signal)
      misses = procs.length === 0 ? misses + 1 : 0
      if (misses >= 2 && Date.now() - t0 > 5000) {
        const tail = await logTail(g, role, 30)
        if (tail.length > 0) g.step.excerpts.push({ file: logPaths(g.handle.config)[role], lines: tail })
        throw new GateFailure('process-gone', `${NAME[role]} is not running: it exited, or the start command did not start it`, { role: NAME[role], hintKey: 'process-gone', log: logPaths(g.handle.config)[role], dir: g.handle.config.workDir }, tail.join('\n'), `read ${logPaths(g.handle.config)[role]} in ${g.handle.config.workDir}`)
      }
    }
    if (Date.now() >= until) throw new GateFailure('api-timeout', `${NAME[role]} API did not answer within ${shortDuration((until - t0) / 1000)}`, { role: NAME[role] }, api.error?.message)
    await sleep(g.pollMs, g.signal)
  }
}

/* ------------------------------------------------------------------ start daemon */

/** Synced as `lotus sync wait` decides: the head is at most about one block time (at least 1 s) old. */
export function isSynced(behindEpochs: number, blockDelay: number): boolean {
  return behindEpochs * blockDelay < Math.max(blockDelay, 1) + blockDelay
}

/** The daemon answers, has the version it had before, and is synced — with live progress. */
export async function daemonGate(g: GateCtx): Promise<void> {
  const t0 = stepT0(g.step)
  const until = g.step.gateUntil ?? t0 + g.opts.syncTimeoutSec * 1000
  const version = await waitApi(g, 'daemon', until)
  checkVersion(g, 'daemon', version)
  const { lotus } = g.handle
  const v = await lotus.full.version({ signal: g.signal })
  const blockDelay = v.BlockDelay || 30
  const samples: Array<{ t: number; h: number }> = []
  let lastNote = 0
  let failures = 0
  let lastError: ErrorInfo | undefined
  for (;;) {
    const [ns, ss] = await lotus.full.batch([fullCalls.nodeStatus(false), fullCalls.syncState()], { signal: g.signal, timeoutMs: 5000 }).catch((err: unknown) => {
      const e = err instanceof MinerDeskError ? err.toInfo() : { code: 'lotus/rpc' as const, message: String(err) }
      return [{ ok: false as const, error: e }, { ok: false as const, error: e }] as const
    })
    if (!ns.ok) {
      failures++
      lastError = ns.error
      if (failures >= 20) throw new GateFailure('daemon-lost', 'the daemon stopped answering while it synced', {}, lastError.message)
    } else {
      failures = 0
      const now = Date.now()
      const height = ns.value.SyncStatus.Epoch
      const behind = ns.value.SyncStatus.Behind
      samples.push({ t: now, h: height })
      while (samples.length > 2 && now - samples[0]!.t > 10_000) samples.shift()
      const first = samples[0]!
      const rate = now - first.t >= 1000 ? ((height - first.h) * 1000) / (now - first.t) : null
      // The network adds an epoch every block time: the gap closes at rate − 1/blockDelay.
      const closing = rate !== null ? rate - 1 / blockDelay : null
      const eta = behind > 0 && closing !== null && closing > 0 ? Math.round(behind / closing) : null
      let target: number | null = null
      let stage: string | null = null
      if (ss.ok) {
        const active = ss.value.ActiveSyncs.filter((a) => a.Stage !== 4 && a.Stage !== 0)
        const pick = active[active.length - 1] ?? ss.value.ActiveSyncs[ss.value.ActiveSyncs.length - 1]
        if (pick) {
          target = pick.Target?.Height ?? null
          stage = SYNC_STAGES[pick.Stage] ?? String(pick.Stage)
        }
      }
      g.step.sync = { at: now, height, targetHeight: target, behindEpochs: behind, ratePerSec: rate === null ? null : Math.round(rate * 10) / 10, etaSec: eta, stage }
      g.changed()
      if (isSynced(behind, blockDelay)) {
        g.observe('synced', { height, behind, sec: secondsSince(t0) }, 'ok', `chain synced: head ${height}, ${behind} epoch(s) behind, ${secondsSince(t0)} s after the start`)
        return
      }
      if (now - lastNote > 5000) {
        lastNote = now
        const r = rate === null ? '-' : rate.toFixed(1)
        g.observe('sync-progress', { height, behind, rate: r, eta: eta === null ? '-' : shortDuration(eta), stage: stage ?? '-' }, 'info', `syncing: height ${height}, ${behind} epochs behind, ${r} epochs/s, ETA ${eta === null ? '-' : shortDuration(eta)}`)
      }
    }
    if (Date.now() >= until) {
      throw new GateFailure('sync-timeout', `the chain is not synced after ${shortDuration((Date.now() - t0) / 1000)} (${g.step.sync?.behindEpochs ?? '?'} epochs behind)`, { behind: g.step.sync?.behindEpochs ?? -1 }, lastError?.message, 'wait longer (start the wizard again: a running daemon is not started twice) or check the daemon\'s peers')
    }
    await sleep(g.pollMs, g.signal)
  }
}

/* ------------------------------------------------------------------ start miner */

/**
 * The miner answers; miner.log shows the winning PoSt warm-up finished (or Lotus's "no sectors"
 * line) in lines written after this start; its environment is the expected one; its version is
 * the one before (or the one the operator expects).
 */
export async function minerGate(g: GateCtx): Promise<void> {
  const { host, handle } = { host: g.handle.host, handle: g.handle }
  const t0 = stepT0(g.step)
  const until = g.step.gateUntil ?? t0 + g.opts.warmupTimeoutSec * 1000
  const file = logPaths(handle.config).miner
  let pos = g.step.logOffset ?? 0
  let window: string[] = []
  // Set by readNew (a closure): kept in an object so the compiler does not narrow it away.
  const seen: { outcome: WarmupOutcome } = { outcome: null }
  let started = false
  const readNew = async (): Promise<void> => {
    for (let i = 0; i < 8 && seen.outcome === null; i++) {
      const chunk = await readLog(host, handle.config.workDir, file, pos, 256 * 1024, g.signal)
      if (chunk.from < pos) window = []
      pos = chunk.next
      const lines = splitLines(chunk.text)
      if (lines.length === 0) return
      if (!started && lines.some((l) => l.includes(WARMUP.started))) {
        started = true
        g.observe('warmup-started', {}, 'info', 'winning PoSt warm-up started')
      }
      const all = [...window, ...lines]
      const found = findWarmup(lines)
      if (found) {
        const index = window.length + found.index
        seen.outcome = { ...found, index }
        window = all
        return
      }
      window = all.slice(-400)
      if (chunk.next >= chunk.size) return
    }
  }
  const fail = (o: NonNullable<WarmupOutcome>): never => {
    const lines = around(window, o.index)
    g.step.excerpts.push({ file, lines })
    const error = /\{.*"error":\s*"(.*)"\s*\}/.exec(o.line)?.[1] ?? o.line
    g.observe('warmup-failed', { error }, 'critical', `winning PoSt warm-up failed: ${error}`)
    throw new GateFailure('warmup-failed', 'winning PoSt warmup failed', { error, hintKey: 'warmup-failed' }, lines.join('\n'), 'read the lines around it; fix the cause (proof parameters, storage paths, GPU) before starting the miner again')
  }

  const version = await waitApi(g, 'miner', until, readNew)
  if (seen.outcome?.kind === 'failed') fail(seen.outcome)
  checkVersion(g, 'miner', version)

  const procs = await roleProcesses(host, 'miner', g.run.repos!.miner, g.signal)
  const env = checkEnv(handle.config.expectedEnv, procs[0]?.env ?? null)
  if (!env.ok) {
    g.observe('env-bad', envParams(env), 'critical', `wrong environment: ${envProblems(env)}`)
    throw new GateFailure('env', `the miner's environment is not the expected one: ${envProblems(env)}`, { ...envParams(env), pid: procs[0]?.pid ?? 0, hintKey: 'env' }, env.rows.map((r) => `${r.ok ? 'ok ' : 'BAD'} ${r.name}=${r.actual ?? '(not set)'}  expected ${r.expected}`).join('\n'), "fix the miner's start command (e.g. runminer.sh) or the site's expected environment, then stop the miner and start it again")
  }
  g.observe('env-ok', { n: env.rows.length }, 'ok', env.rows.length > 0 ? `environment as expected (${env.rows.length} variable(s))` : 'no expected environment configured')

  let lastProcs = Date.now()
  while (seen.outcome === null) {
    if (Date.now() >= until) throw new GateFailure('warmup-timeout', `no winning PoSt warm-up result in ${file} within ${shortDuration((until - t0) / 1000)}`, {}, window.slice(-20).join('\n'))
    await sleep(g.pollMs, g.signal)
    await readNew()
    if (seen.outcome === null && Date.now() - lastProcs > 2000) {
      lastProcs = Date.now()
      if ((await alivePids(host, procs.map((p) => p.pid), g.signal)).size === 0) {
        g.step.excerpts.push({ file, lines: window.slice(-30) })
        throw new GateFailure('process-gone', 'lotus-miner exited before its warm-up finished', { role: 'lotus-miner' }, window.slice(-30).join('\n'))
      }
    }
  }
  const o = seen.outcome as NonNullable<WarmupOutcome>
  if (o.kind === 'failed') fail(o)
  const took = /"took":\s*([\d.]+)/.exec(o.line)?.[1]
  if (o.kind === 'ok') g.observe('warmup-ok', { took: took ?? '-' }, 'ok', `winning PoSt warmup successful${took ? ` (took ${took} s)` : ''}`)
  else g.observe('warmup-none', {}, 'ok', 'skipping winning PoSt warmup, no sectors')
  g.step.excerpts.push({ file, lines: around(window, o.index, 6, 2) })
  g.changed()
}

/* ------------------------------------------------------------------ post-check */

/** Workers registered again (the same set as before), jobs, the deadlines table, local messages. */
export async function postcheckGate(g: GateCtx): Promise<void> {
  const t0 = Date.now()
  const until = t0 + g.opts.postcheckTimeoutSec * 1000
  // The workers of this attempt's start, and those of the first attempt when this one follows a failed restart.
  const earlier = g.run.knownWorkers
  const before = [...new Set([...(earlier?.workers ?? []), ...(g.run.before?.workers ?? [])])].sort()
  const lostEarlier = (hosts: string[]) => hosts.filter((w) => !(g.run.before?.workers ?? []).includes(w))
  let toldEarlier = false
  let lastNote = 0
  for (;;) {
    const snap = await g.handle.poller.refresh()
    const now = Date.now()
    if (snap.miner.up && snap.workers) {
      const workers = snap.workers.list.filter((w) => !w.missing).map((w) => w.hostname).sort()
      const jobs = snap.jobs?.list ?? []
      const missing = before.filter((w) => !workers.includes(w))
      // A worker finishing a task re-registers only after it (Lotus: "Making sure no local tasks are running").
      const busy = missing.filter((w) => jobs.some((j) => j.hostname === w && (j.state === 'ret-wait' || j.state === 'running')))
      const gone = missing.filter((w) => !busy.includes(w))
      if (gone.length === 0) {
        const p = snap.proving
        const loads: DeadlineLoad[] = (p?.deadlines ?? []).map((d) => ({ index: d.index, partitions: d.partitions, sectors: d.sectors, proven: d.proven }))
        const proving =
          p && snap.daemon.height !== undefined && snap.daemon.headTimestamp !== undefined && snap.daemon.blockDelay
            ? provingView(
                { CurrentEpoch: p.currentEpoch, PeriodStart: p.periodStart, Index: p.deadlineIndex, Open: p.open, Close: p.close, Challenge: p.open - CHALLENGE_LOOKBACK, WPoStPeriodDeadlines: p.deadlines.length, WPoStProvingPeriod: p.deadlines.length * (p.close - p.open), WPoStChallengeWindow: p.close - p.open, WPoStChallengeLookback: CHALLENGE_LOOKBACK },
                loads,
                { height: snap.daemon.height, timestamp: snap.daemon.headTimestamp, blockDelay: snap.daemon.blockDelay }
              )
            : null
        const count = (s: string) => jobs.filter((j) => j.state === s).length
        g.run.after = {
          at: now,
          workers,
          busyWorkers: busy,
          jobs: { running: count('running'), retWait: count('ret-wait'), queued: count('assigned') + count('prepared') },
          proving,
          faults: p?.faults ?? 0,
          messages: (snap.messages?.list ?? []).map((m) => ({ cid: m.cid, from: m.from, nonce: m.nonce, method: m.method, ageSec: m.ageSec }))
        }
        g.observe('workers-back', { n: workers.length, before: before.length }, 'ok', `${workers.length} worker(s) registered (${before.length} before)`)
        if (busy.length) g.observe('workers-busy', { hosts: busy.join(' ') }, 'info', `still finishing a task, will register after it: ${busy.join(', ')}`)
        g.observe('jobs', { ...g.run.after.jobs }, 'info', `jobs: ${g.run.after.jobs.running} running, ${g.run.after.jobs.retWait} returning (ret-wait), ${g.run.after.jobs.queued} queued`)
        if (g.run.after.faults > 0) g.observe('faults', { faults: g.run.after.faults }, 'warning', `${g.run.after.faults} faulty sector(s)`)
        g.observe('messages', { n: g.run.after.messages.length }, 'info', `${g.run.after.messages.length} local pending message(s)`)
        g.changed()
        return
      }
      const fromEarlier = earlier ? lostEarlier(gone) : []
      if (fromEarlier.length > 0 && !toldEarlier && earlier) {
        toldEarlier = true
        const at = clockText(earlier.at)
        g.observe('workers-lost-earlier', { hosts: fromEarlier.join(' '), run: earlier.firstRun.slice(0, 8), at }, 'warning', `${fromEarlier.join(', ')} ${fromEarlier.length === 1 ? 'was' : 'were'} registered before the first attempt of this restart (run ${earlier.firstRun.slice(0, 8)}, ${at}) and ${fromEarlier.length === 1 ? 'is' : 'are'} gone since`)
      }
      if (now - lastNote > 5000) {
        lastNote = now
        g.observe('workers-missing', { hosts: gone.join(' ') }, 'info', `waiting for worker(s) to register again: ${gone.join(', ')}`)
      }
      if (now >= until) throw new GateFailure('workers-missing', `worker(s) did not register again: ${gone.join(', ')}`, { hosts: gone.join(' '), hintKey: 'workers-missing' }, undefined, 'start them again (runworker.sh / runworkerC2.sh) and check their logs')
    } else if (now >= until) {
      throw new GateFailure('miner-down', 'the miner does not answer after the restart', {}, snap.miner.error?.message)
    }
    await sleep(1000, g.signal)
  }
}

/** An observation with its time. */
export function observation(code: string, params: Record<string, string | number>, tone: ObservationTone, text: string): Observation {
  return { at: Date.now(), code, params, tone, text }
}
