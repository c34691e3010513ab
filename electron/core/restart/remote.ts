import { MinerDeskError, type SiteConfig } from '../../../preload/contract'
import { discoverCommand, parseDiscoverOutput } from '../lotus/discover'
import type { SiteLotus } from '../lotus/siteLotus'
import { parseProcessList, parseRepoOwner, PROCESS_LINE, siteProcesses, type LotusRole, type RemoteProcess } from '../remote/processes'
import type { ExecResult, SshHost } from '../ssh/types'
import { buildCommandLine, buildShellSnippet, type RemoteCommand } from '../../common/shellQuote'

/**
 * What the wizard reads from and sends to a site over SSH: the repos (as Lotus finds them), the
 * site's own daemon and miner processes (by repo: simulated sites share one login), whether an
 * API answers, the exact stop and start commands, and the logs the start commands write.
 */

export type Role = Extract<LotusRole, 'daemon' | 'miner'>

export interface Repos {
  daemon: string
  miner: string
  home: string | null
}

/** The repos the site's Lotus uses, as `lotus` / `lotus-miner` resolve them for the SSH login (env, else ~/.lotus, ~/.lotusminer). */
export async function readRepos(host: SshHost, signal?: AbortSignal): Promise<Repos> {
  const r = await host.exec(discoverCommand(), { timeoutMs: 20_000, maxOutputBytes: 256 * 1024, ...(signal ? { signal } : {}) })
  let facts
  try {
    facts = parseDiscoverOutput(r.stdout)
  } catch (err) {
    throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not read the Lotus repos on ${host.alias}`, details: `${(err as Error).message}\n${r.stderr.slice(0, 2000)}` })
  }
  return { daemon: facts.daemon.path.replace(/\/+$/, ''), miner: facts.miner.path.replace(/\/+$/, ''), home: facts.env.HOME ?? null }
}

const REPO_VAR: Record<Role, string> = { daemon: 'LOTUS_PATH', miner: 'LOTUS_MINER_PATH' }
const DEFAULT_REPO: Record<Role, string> = { daemon: '.lotus', miner: '.lotusminer' }

/**
 * `lotus-miner stop` / `lotus daemon stop` (both call Shutdown on the node's API), addressed to
 * the site's own repo: the repo variable is passed explicitly when it is not the login's default.
 */
export function stopCommand(role: Role, repos: Repos): RemoteCommand {
  const argv = role === 'miner' ? ['lotus-miner', 'stop'] : ['lotus', 'daemon', 'stop']
  const repo = repos[role]
  const isDefault = repos.home !== null && repo === `${repos.home.replace(/\/+$/, '')}/${DEFAULT_REPO[role]}`
  return isDefault ? { argv } : { argv, env: { [REPO_VAR[role]]: repo } }
}

/** The site's start command (an operator-configured shell snippet), run in its working directory. */
export function startLine(site: SiteConfig, role: Role): string {
  return buildShellSnippet(site.startCommands[role], site.workDir)
}

export function commandText(cmd: RemoteCommand | { line: string }): string {
  return 'line' in cmd ? cmd.line : buildCommandLine(cmd)
}

/*
 * The Lotus processes of the host in the format of remote/processes.ts (parsed by its
 * parseProcessList, matched by its siteProcesses), but found with ONE `grep -l` over the
 * command lines first: the gates list processes every few seconds, and reading every
 * process's files with a fork each takes half a second on a busy host.
 */
const LOTUS_PROCS_SCRIPT = [
  'h=$(printf %s "$HOME" | base64 | tr -d "\\n")',
  'printf "B\\t%s\\t%s\\t%s\\n" "$(sed -n "s/^btime //p" /proc/stat)" "$(getconf CLK_TCK)" "$h"',
  // The owner of the repo asked about: a process of another user is the site's only if it owns it.
  'if [ -n "$1" ]; then o=$(stat -c %u "$1" 2>/dev/null) && printf "O\\t%s\\n" "$o"; fi',
  'for f in $(grep -l -s -F -e lotus /proc/[0-9]*/cmdline 2>/dev/null); do',
  '  d=${f%/cmdline}',
  // Another site's process (its environment readable and naming neither this repo nor this HOME) is skipped early.
  '  if [ -n "$1" ] && [ -r "$d/environ" ] && ! grep -q -s -F -e "$1" -e "$2" "$d/environ" "$d/cmdline"; then continue; fi',
  '  c=$(tr "\\000" "\\001" < "$d/cmdline" 2>/dev/null) || continue',
  '  [ -n "$c" ] || continue',
  ...PROCESS_LINE,
  'done'
].join('\n')

/**
 * `near`: only processes whose environment or command line names one of these (a repo, the HOME),
 * or whose environment is unreadable; with the owner (uid) of `near[0]`, the repo asked about.
 */
export async function lotusListing(host: SshHost, near: readonly string[], signal?: AbortSignal): Promise<{ processes: RemoteProcess[]; repoOwner: number | null }> {
  const [a = '', b = a] = near.filter((x) => x !== '')
  const r = await host.exec({ argv: ['sh', '-c', LOTUS_PROCS_SCRIPT, 'sh', a, b] }, { timeoutMs: 20_000, ...(signal ? { signal } : {}) })
  if (r.code !== 0) throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not list processes on ${host.alias} (exit ${r.code})`, details: r.stderr.trim() })
  return { processes: parseProcessList(r.stdout), repoOwner: parseRepoOwner(r.stdout) }
}

function parentDir(path: string): string {
  const i = path.lastIndexOf('/')
  return i > 0 ? path.slice(0, i) : path
}

/** The site's own processes of a role (matched by repo: sites may share a login). */
export async function roleProcesses(host: SshHost, role: Role, repo: string, signal?: AbortSignal): Promise<RemoteProcess[]> {
  const { processes, repoOwner } = await lotusListing(host, [repo, parentDir(repo)], signal)
  return siteProcesses(processes, role, repo, repoOwner)
}

export async function bothProcesses(host: SshHost, repos: Repos, signal?: AbortSignal): Promise<Record<Role, RemoteProcess[]>> {
  const { processes: all, repoOwner } = await lotusListing(host, [repos.miner, repos.home ?? parentDir(repos.miner)], signal)
  return { daemon: siteProcesses(all, 'daemon', repos.daemon, repoOwner), miner: siteProcesses(all, 'miner', repos.miner, repoOwner) }
}

// Cheap re-check of known PIDs: which still exist (and are not zombies). No /proc scan.
const PID_SCRIPT = 'for p in "$@"; do s=$(cat /proc/$p/stat 2>/dev/null) || continue; echo "$p ${s##*) }"; done'

/** The PIDs (of `pids`) that still run, with their state letter (R, S, T stopped…). */
export async function alivePids(host: SshHost, pids: readonly number[], signal?: AbortSignal): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  if (pids.length === 0) return out
  const r = await host.exec({ argv: ['sh', '-c', PID_SCRIPT, 'sh', ...pids.map(String)] }, { timeoutMs: 10_000, ...(signal ? { signal } : {}) })
  for (const line of r.stdout.split('\n')) {
    const [pid, state] = line.trim().split(' ')
    if (pid && state && state !== 'Z' && state !== 'X') out.set(Number(pid), state)
  }
  return out
}

/** Does the node's API answer (Version)? The endpoints are discovered again first: a start writes a new api file. */
export async function apiAnswers(lotus: SiteLotus, role: Role, opts: { rediscover: boolean; timeoutMs?: number; signal?: AbortSignal }): Promise<{ up: boolean; version?: string; blockDelay?: number; error?: MinerDeskError }> {
  const o = { timeoutMs: opts.timeoutMs ?? 3000, ...(opts.signal ? { signal: opts.signal } : {}) }
  try {
    if (opts.rediscover) await lotus.rediscover(o)
    const v = role === 'daemon' ? await lotus.full.version(o) : await lotus.miner.version(o)
    return { up: true, version: v.Version, blockDelay: v.BlockDelay }
  } catch (err) {
    if (opts.signal?.aborted) throw err
    return { up: false, error: err instanceof MinerDeskError ? err : new MinerDeskError({ code: 'lotus/rpc', message: String(err) }) }
  }
}

/* ------------------------------------------------------------------ logs */

export interface LogChunk {
  /** Size of the file now (0 when missing). */
  size: number
  /** The offset the text starts at (0 when the file was truncated or replaced since `from`). */
  from: number
  /** Whole lines only; `next` is where the next read starts. */
  text: string
  next: number
  missing: boolean
}

// Prints "S <size> <K|R|N>" then up to $3 bytes of the file from offset $2 (from 0 when the file
// shrank below the offset: it was truncated or rotated).
const LOG_SCRIPT = [
  'f=$1; o=$2; m=$3',
  '[ -f "$f" ] || { echo "S 0 N"; exit 0; }',
  's=$(wc -c < "$f" | tr -d " ")',
  'if [ "$o" -gt "$s" ]; then o=0; echo "S $s R"; else echo "S $s K"; fi',
  '[ "$m" -gt 0 ] && tail -c +$((o+1)) -- "$f" | head -c "$m"',
  'exit 0'
].join('\n')

/** Reads a log file of the site from a byte offset (whole lines only), and its current size. */
export async function readLog(host: SshHost, workDir: string, file: string, from: number, maxBytes = 256 * 1024, signal?: AbortSignal): Promise<LogChunk> {
  const cmd: RemoteCommand = { argv: ['sh', '-c', LOG_SCRIPT, 'sh', file, String(Math.max(0, Math.floor(from))), String(maxBytes)], cwd: workDir }
  const r: ExecResult = await host.exec(cmd, { timeoutMs: 15_000, maxOutputBytes: maxBytes + 1024, ...(signal ? { signal } : {}) })
  const nl = r.stdout.indexOf('\n')
  const head = (nl >= 0 ? r.stdout.slice(0, nl) : r.stdout).trim().split(' ')
  if (head[0] !== 'S') throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not read ${file} on ${host.alias}`, details: r.stderr.slice(0, 2000) })
  const size = Number(head[1]) || 0
  const start = head[2] === 'R' ? 0 : Math.max(0, Math.floor(from))
  const body = nl >= 0 ? r.stdout.slice(nl + 1) : ''
  // Consume whole lines only, so a line (or a UTF-8 character) cut by the byte limit is read again next time.
  const last = body.lastIndexOf('\n')
  const text = last >= 0 ? body.slice(0, last + 1) : ''
  return { size, from: start, text, next: start + Buffer.byteLength(text, 'utf8'), missing: head[2] === 'N' }
}

export function logPaths(site: SiteConfig): { daemon: string; miner: string } {
  return { daemon: site.restart?.daemonLog ?? 'daemon.log', miner: site.restart?.minerLog ?? 'miner.log' }
}
