import { MinerDeskError } from '../../../preload/contract'
import type { ExecResult, SshHost } from '../ssh/types'

/**
 * Processes on a remote Linux host, read from /proc in ONE remote command: argv, environment
 * (when readable: same user or root), state, parent and start time. Used to find a site's
 * `lotus daemon`, `lotus-miner run` and `lotus-worker run` processes — matched by the Lotus repo
 * they use, not just by name, because one host (or one login) can run several sites — and to
 * check the running miner's environment (restart wizard), and for wps.sh / killw.sh.
 */
export interface RemoteProcess {
  pid: number
  ppid: number
  /** R running, S sleeping, D disk sleep, T stopped, Z zombie … */
  state: string
  /** Start time (ms since epoch). */
  startedAt: number
  argv: string[]
  /** Null when /proc/PID/environ is not readable by the login. */
  env: Record<string, string> | null
  /** The login's HOME, for resolving `~/.lotus` style defaults. */
  loginHome: string
  /** The user the process runs as (the owner of /proc/PID); null when the listing could not tell. */
  uid: number | null
}

/**
 * The `P` line of one process ($d its /proc directory, $c its command line), shared by both listing
 * scripts. Every field is base64 so that no byte of a command line or environment can break the framing.
 */
export const PROCESS_LINE = [
  '  s=$(cat "$d/stat" 2>/dev/null) || continue',
  '  e=$(tr "\\000" "\\001" < "$d/environ" 2>/dev/null | base64 | tr -d "\\n") || e=-',
  '  u=$(stat -c %u "$d" 2>/dev/null) || u=-',
  '  printf "P\\t%s\\t%s\\t%s\\t%s\\t%s\\n" "${d#/proc/}" "$(printf %s "$s" | base64 | tr -d "\\n")" "$(printf %s "$c" | base64 | tr -d "\\n")" "${e:--}" "${u:--}"'
]

// $1 is a substring the command line must contain ('' = every process).
const SCRIPT = [
  'h=$(printf %s "$HOME" | base64 | tr -d "\\n")',
  'printf "B\\t%s\\t%s\\t%s\\n" "$(sed -n "s/^btime //p" /proc/stat)" "$(getconf CLK_TCK)" "$h"',
  'for d in /proc/[0-9]*; do',
  '  c=$(tr "\\000" "\\001" < "$d/cmdline" 2>/dev/null) || continue',
  '  [ -n "$c" ] || continue',
  '  case "$c" in *"$1"*) ;; *) continue ;; esac',
  ...PROCESS_LINE,
  'done'
].join('\n')

function b64(s: string): string {
  return Buffer.from(s, 'base64').toString('utf8')
}

/**
 * Splits a /proc cmdline (NULs turned into \x01). A process that rewrote its title has one word
 * with spaces, padded with NULs; empty words are dropped.
 */
export function splitCmdline(raw: string): string[] {
  const parts = raw.split('\x01').filter((p) => p !== '')
  if (parts.length === 1 && parts[0]!.includes(' ')) return parts[0]!.split(/ +/).filter(Boolean)
  return parts
}

export function parseEnviron(raw: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const kv of raw.split('\x01')) {
    const i = kv.indexOf('=')
    if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1)
  }
  return env
}

function uidField(f: string | undefined): number | null {
  return f !== undefined && /^\d+$/.test(f) ? Number(f) : null
}

/** The owner of the repo the listing was asked about (the `O` line), when there was one. */
export function parseRepoOwner(stdout: string): number | null {
  const line = stdout.split('\n').find((l) => l.startsWith('O\t'))
  return uidField(line?.split('\t')[1])
}

/** Parses the remote script's output (exported for tests). */
export function parseProcessList(stdout: string): RemoteProcess[] {
  let btime = 0
  let hz = 100
  let home = ''
  const out: RemoteProcess[] = []
  for (const line of stdout.split('\n')) {
    const f = line.split('\t')
    if (f[0] === 'B') {
      btime = Number(f[1]) || 0
      hz = Number(f[2]) || 100
      home = b64(f[3] ?? '')
    } else if (f[0] === 'P' && f.length >= 5) {
      const pid = Number(f[1])
      const stat = b64(f[2] ?? '')
      // comm (field 2) is in parentheses and may hold spaces: parse after the last ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const state = rest[0] ?? '?'
      const ppid = Number(rest[1] ?? 0)
      const startTicks = Number(rest[19] ?? 0)
      out.push({
        pid,
        ppid,
        state,
        startedAt: Math.round((btime + startTicks / hz) * 1000),
        argv: splitCmdline(b64(f[3] ?? '')),
        env: f[4] === '-' || f[4] === undefined ? null : parseEnviron(b64(f[4])),
        loginHome: home,
        uid: uidField(f[5])
      })
    }
  }
  return out.filter((p) => Number.isInteger(p.pid))
}

export async function listProcesses(host: SshHost, opts: { match?: string; signal?: AbortSignal } = {}): Promise<RemoteProcess[]> {
  const r = await host.exec({ argv: ['sh', '-c', SCRIPT, 'sh', opts.match ?? ''] }, { timeoutMs: 20_000, ...(opts.signal ? { signal: opts.signal } : {}) })
  if (r.code !== 0) {
    throw new MinerDeskError({ code: 'ssh/command-failed', message: `could not list processes on ${host.alias} (exit ${r.code})`, details: r.stderr.trim() })
  }
  return parseProcessList(r.stdout)
}

export type LotusRole = 'daemon' | 'miner' | 'worker'

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1)

/** Global flags of the Lotus programs that take a value (`--worker-repo /w run`). */
const VALUE_FLAGS = new Set(['--repo', '--miner-repo', '--storagerepo', '--worker-repo', '--actor', '-a', '--panic-reports'])

/** The first subcommand word after the program, skipping global flags and their values. */
function subcommand(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (!a.startsWith('-')) return a
    if (VALUE_FLAGS.has(a)) i++
  }
  return undefined
}

/** `lotus daemon`, `lotus-miner run`, `lotus-worker run` — the program, wherever it is installed. */
export function lotusRole(p: RemoteProcess): LotusRole | null {
  const a = p.argv
  // Simulated or wrapped programs run as `node <bundle> lotus-miner run`: look for the program word.
  for (let i = 0; i < Math.min(a.length, 4); i++) {
    const prog = base(a[i] ?? '')
    const next = subcommand(a.slice(i + 1))
    if (prog === 'lotus' && next === 'daemon' && !a.includes('stop')) return 'daemon'
    if (prog === 'lotus-miner' && next === 'run') return 'miner'
    if (prog === 'lotus-worker' && next === 'run') return 'worker'
  }
  return null
}

function expandHome(path: string, home: string): string {
  if (path === '~') return home
  if (path.startsWith('~/')) return `${home}/${path.slice(2)}`
  return path
}

/** The repo a Lotus process uses: its flag, its env, else the default under its HOME (as Lotus resolves it). */
export function repoOf(p: RemoteProcess, role: LotusRole): string | null {
  const env = p.env
  const home = env?.HOME ?? p.loginHome
  const flag = (names: string[]): string | null => {
    for (let i = 0; i < p.argv.length; i++) {
      const a = p.argv[i] as string
      for (const n of names) {
        if (a === `--${n}`) return p.argv[i + 1] ?? null
        if (a.startsWith(`--${n}=`)) return a.slice(n.length + 3)
      }
    }
    return null
  }
  let path: string | null
  if (role === 'daemon') path = flag(['repo']) ?? env?.LOTUS_PATH ?? (env ? '~/.lotus' : null)
  else if (role === 'miner') path = flag(['miner-repo', 'storagerepo']) ?? env?.LOTUS_MINER_PATH ?? env?.LOTUS_STORAGE_PATH ?? (env ? '~/.lotusminer' : null)
  else path = flag(['worker-repo']) ?? env?.LOTUS_WORKER_PATH ?? env?.WORKER_PATH ?? (env ? '~/.lotusworker' : null)
  return path === null ? null : expandHome(path, home).replace(/\/+$/, '')
}

/**
 * The site's own Lotus processes of a role: those whose repo is `repo` (from endpoint
 * discovery). When a process's environment is unreadable (another user), it is matched by
 * role alone only if it is the only one on the host and, when `repoOwner` is known, runs as it.
 */
export function siteProcesses(all: readonly RemoteProcess[], role: LotusRole, repo: string, repoOwner: number | null = null): RemoteProcess[] {
  const want = repo.replace(/\/+$/, '')
  const ofRole = all.filter((p) => lotusRole(p) === role && p.state !== 'Z')
  const mine = ofRole.filter((p) => repoOf(p, role) === want)
  if (mine.length > 0) return mine
  // Lotus runs as the owner of the repo it writes: another user's node (a second site, a test)
  // is not taken for the site's stopped one.
  const unknown = ofRole.filter((p) => repoOf(p, role) === null && (repoOwner === null || p.uid === null || p.uid === repoOwner))
  return ofRole.length === 1 && unknown.length === 1 ? unknown : []
}

/** Sends a signal to exact PIDs (`kill -TERM 123 456`). */
export async function signalProcesses(host: SshHost, pids: readonly number[], signal: 'TERM' | 'KILL' | 'INT'): Promise<ExecResult> {
  if (pids.length === 0) throw new MinerDeskError({ code: 'invalid-input', message: 'no process to signal' })
  for (const p of pids) if (!Number.isSafeInteger(p) || p <= 1) throw new MinerDeskError({ code: 'invalid-input', message: `not a process id: ${p}` })
  return host.exec({ argv: ['kill', `-${signal}`, ...pids.map(String)] }, { timeoutMs: 10_000 })
}
