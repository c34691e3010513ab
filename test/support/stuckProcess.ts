import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

/**
 * What a process that stopped making progress is doing, for a test's failure message: for it and
 * every descendant, the state, the kernel wait channel, the system call it is in, the kernel stack
 * (root only), the files it has open and what each thread waits on; and, for a Node process started
 * with `--report-on-signal`, the JavaScript stack and libuv handles from a diagnostic report.
 * Linux only (/proc); elsewhere it says so.
 */

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

function statFields(pid: string): { comm: string; state: string; ppid: number } | null {
  const stat = read(`/proc/${pid}/stat`)
  if (!stat) return null
  const close = stat.lastIndexOf(')')
  const rest = stat.slice(close + 2).split(' ')
  return { comm: stat.slice(stat.indexOf('(') + 1, close), state: rest[0] ?? '?', ppid: Number(rest[1]) }
}

function descendants(root: number): number[] {
  const children = new Map<number, number[]>()
  for (const pid of safeList('/proc').filter((n) => /^\d+$/.test(n))) {
    const f = statFields(pid)
    if (!f) continue
    const list = children.get(f.ppid) ?? []
    list.push(Number(pid))
    children.set(f.ppid, list)
  }
  const out: number[] = []
  const walk = (pid: number): void => {
    out.push(pid)
    for (const c of children.get(pid) ?? []) walk(c)
  }
  walk(root)
  return out
}

function openFiles(pid: number): string[] {
  const out: string[] = []
  for (const fd of safeList(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (!target.startsWith('anon_inode:') && target !== '/dev/null') out.push(`${fd}=${target}`)
    } catch {
      // closed meanwhile
    }
  }
  return out
}

function threads(pid: number): string[] {
  return safeList(`/proc/${pid}/task`).map((tid) => {
    const comm = read(`/proc/${pid}/task/${tid}/comm`)?.trim() ?? '?'
    const state = statFields(`${pid}/task/${tid}`)?.state ?? '?'
    const wchan = read(`/proc/${pid}/task/${tid}/wchan`)?.trim() || '-'
    return `${tid} ${comm} ${state} ${wchan}`
  })
}

function describeOne(pid: number): string {
  const f = statFields(String(pid))
  if (!f) return `pid ${pid}: gone`
  const cmdline = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean).join(' ')
  const lines = [
    `pid ${pid} (${f.comm}) state ${f.state} ppid ${f.ppid}: ${cmdline.slice(0, 300)}`,
    `  wchan ${read(`/proc/${pid}/wchan`)?.trim() || '-'}; syscall ${read(`/proc/${pid}/syscall`)?.trim() ?? '?'}`
  ]
  const stack = read(`/proc/${pid}/stack`)?.trim()
  if (stack) lines.push(`  kernel stack: ${stack.split('\n').slice(0, 8).join(' | ')}`)
  lines.push(`  open files: ${openFiles(pid).join(' ') || '-'}`)
  lines.push(`  threads: ${threads(pid).join('; ')}`)
  return lines.join('\n')
}

/** The process tree under `pid`, described. */
export function describeProcessTree(pid: number): string {
  if (process.platform !== 'linux') return `(no /proc on ${process.platform})`
  return descendants(pid).map(describeOne).join('\n')
}

interface NodeReport {
  javascriptStack?: { message?: string; stack?: string[] }
  libuv?: Array<{ type?: string; is_active?: boolean; is_referenced?: boolean; localEndpoint?: unknown; remoteEndpoint?: unknown; filename?: string }>
}

/**
 * Asks a Node process started with `--report-on-signal --report-directory=DIR` for a diagnostic
 * report (SIGUSR2) and summarises it; a process blocked in a system call cannot answer, which the
 * result says.
 */
export async function nodeReport(pid: number, dir: string, waitMs = 3000): Promise<string> {
  const before = new Set(safeList(dir))
  try {
    process.kill(pid, 'SIGUSR2')
  } catch {
    return 'node report: process gone'
  }
  const deadline = Date.now() + waitMs
  while (Date.now() < deadline) {
    const file = safeList(dir).find((n) => n.startsWith('report.') && n.endsWith('.json') && !before.has(n))
    const text = file ? read(join(dir, file)) : null
    if (text) {
      try {
        const r = JSON.parse(text) as NodeReport
        const js = [r.javascriptStack?.message ?? '', ...(r.javascriptStack?.stack ?? [])].filter(Boolean).join(' | ')
        const handles = (r.libuv ?? [])
          .filter((h) => h.is_active)
          .map((h) => `${h.type}${h.is_referenced ? '' : '(unref)'}${h.filename ? ` ${h.filename}` : ''}`)
        return `node report: JS ${js || '(idle)'}\n  active libuv handles: ${handles.join(', ') || '-'}`
      } catch {
        // still being written
      }
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return `node report: none within ${waitMs} ms (its main thread is blocked: a system call or a long synchronous step)`
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}
