import { toErrorInfo, type LogSourceReport } from '../../../preload/contract'
import { listProcesses, lotusRole, type RemoteProcess } from '../remote/processes'
import type { ServiceContext } from '../runtime/context'
import { pickSiteProcesses, workerName } from '../siteops/siteProcesses'
import { siteHostsOf } from '../siteops/killWorkers'
import type { SshHost } from '../ssh/types'
import type { LogFacts } from './facts'
import { logEvents, type LogEvent, type LogRole, type LogSource } from './logEvents'

/**
 * Reads the logs of a site's running Lotus processes over SSH for the findings only logs reveal.
 * Each process's log is the file its stderr (else stdout) goes to — `/proc/<pid>/fd/2`, whatever
 * name the start script gave it (`nohup lotus-miner run >> miner.log`) — or its GOLOG_FILE. Only the
 * lines the health model reads are sent back (grep over the last 64 MiB, at most 5000 lines per
 * file), in either of go-log's encodings.
 */

/** The messages logEvents.ts looks for (a regular expression for grep -E). */
export const LOG_PATTERN = [
  'running window post',
  'computing window post',
  'submitting window PoSt',
  'starting PoSt cycle',
  'generate window post skipped sectors',
  'mined new block',
  'CAUTION: block production took',
  'mined block in the past',
  '"lateStart": ?true',
  'LOTUS-MINER CONNECTION LOST',
  'heartbeat: checking remote session failed',
  'Worker registered successfully',
  'CheckProvable Sector FAULT',
  'truncating sector log',
  'simulating CommitBatch',
  'CommitBatcher processBatch error'
].join('|')

const TAIL_BYTES = 64 * 1024 * 1024
const MAX_LINES = 5000

// $1 = bytes, $2 = lines, $3 = pattern, then pairs of (pid, GOLOG_FILE or -). Prints per process
// `F\t<pid>\t<b64 path>\t<b64 matching lines>` (or `E\t<pid>\t<b64 reason>` when it has no readable log file).
const SCRIPT = [
  'bytes=$1; lines=$2; pat=$3; shift 3',
  'while [ $# -ge 2 ]; do',
  '  p=$1; f=$2; shift 2',
  '  if [ "$f" = - ]; then',
  '    f=$(readlink "/proc/$p/fd/2" 2>/dev/null)',
  '    [ -f "$f" ] || f=$(readlink "/proc/$p/fd/1" 2>/dev/null)',
  '  fi',
  '  if [ -z "$f" ] || [ ! -f "$f" ] || [ ! -r "$f" ]; then',
  '    printf "E\\t%s\\t%s\\n" "$p" "$(printf %s "${f:-no log file (stderr is not a file)}" | base64 | tr -d "\\n")"',
  '    continue',
  '  fi',
  '  printf "F\\t%s\\t%s\\t" "$p" "$(printf %s "$f" | base64 | tr -d "\\n")"',
  '  tail -c "$bytes" -- "$f" | grep -aE -- "$pat" | tail -n "$lines" | base64 | tr -d "\\n"',
  '  printf "\\n"',
  'done'
].join('\n')

export interface ProcessLog {
  pid: number
  file: string | null
  lines: string[]
  error?: string
}

export function parseLogRead(stdout: string): ProcessLog[] {
  const out: ProcessLog[] = []
  const d = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString('utf8')
  for (const line of stdout.split('\n')) {
    const [tag, pid, a, b] = line.split('\t')
    if (tag === 'F') out.push({ pid: Number(pid), file: d(a), lines: d(b).split('\n').filter((l) => l !== '') })
    else if (tag === 'E') out.push({ pid: Number(pid), file: null, lines: [], error: d(a) })
  }
  return out
}

export async function readProcessLogs(host: SshHost, procs: readonly RemoteProcess[]): Promise<ProcessLog[]> {
  if (procs.length === 0) return []
  const args = procs.flatMap((p) => [String(p.pid), p.env?.GOLOG_FILE || '-'])
  const r = await host.exec({ argv: ['sh', '-c', SCRIPT, 'sh', String(TAIL_BYTES), String(MAX_LINES), LOG_PATTERN, ...args] }, { timeoutMs: 60_000 })
  if (r.code !== 0) throw new Error(`reading logs on ${host.alias} failed (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`)
  return parseLogRead(r.stdout)
}

/** Reads the logs of every miner, daemon and worker process of the site, on every host of the site. */
export async function readSiteLogs(ctx: ServiceContext, siteId: string, now: number): Promise<LogFacts> {
  const { identity, hosts } = await siteHostsOf(ctx, siteId)
  const sources: LogFacts['sources'] = []
  const events: LogEvent[] = []
  await Promise.all(
    hosts.map(async ({ alias, host }) => {
      try {
        const { mine } = pickSiteProcesses(await listProcesses(host, { match: 'lotus' }), alias, identity)
        const logs = await readProcessLogs(host, mine)
        for (const log of logs) {
          const p = mine.find((x) => x.pid === log.pid)
          const role = (p ? lotusRole(p) : null) as LogRole | null
          if (!p || !role) continue
          const name = role === 'worker' ? (workerName(p) ?? undefined) : undefined
          const source: LogSource = { host: alias, file: log.file ?? `/proc/${log.pid}/fd/2`, role, ...(name ? { worker: name } : {}) }
          sources.push({ ...source, lines: log.lines.length, ...(log.error ? { error: log.error } : {}) })
          events.push(...logEvents(log.lines, source))
        }
      } catch (err) {
        sources.push({ host: alias, file: '', role: 'miner', lines: 0, error: toErrorInfo(err).message })
      }
    })
  )
  events.sort((a, b) => (a.at ?? 0) - (b.at ?? 0))
  return { readAt: now, sources, events }
}

export function sourceReport(s: LogFacts['sources'][number]): LogSourceReport {
  return { host: s.host, file: s.file, role: s.role, ...(s.worker ? { worker: s.worker } : {}), lines: s.lines, ...(s.error ? { error: s.error } : {}) }
}
