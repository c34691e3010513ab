import { toErrorInfo, type ErrorInfo, type SiteConfig } from '../../../preload/contract'
import type { RestartLogLines, RestartTail } from '../../../preload/contract/restart'
import type { EventBus } from '../runtime/eventBus'
import type { SitesRuntime } from '../runtime/sitesRuntime'
import type { ExecStream } from '../ssh/types'
import { logPaths } from './remote'

/**
 * Lotus log lines the wizard looks for (docs/lotus.md "Processes, environment and start-up logs"), in go-log's console format
 * (`<time>\tINFO\tminer\tminer/warmup.go:87\twinning PoSt warmup successful\t{"took": 4.69}`) or
 * its JSON format (`"msg":"winning PoSt warmup successful"`): the message text is the same.
 */
export const WARMUP = {
  started: 'starting winning PoSt warmup',
  ok: 'winning PoSt warmup successful',
  noSectors: 'skipping winning PoSt warmup, no sectors',
  failed: 'winning PoSt warmup failed'
} as const

export type WarmupOutcome = { kind: 'ok' | 'no-sectors' | 'failed'; index: number; line: string } | null

/** The first warm-up outcome among `lines` (lines written after this start only). */
export function findWarmup(lines: readonly string[]): WarmupOutcome {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!
    if (l.includes(WARMUP.failed)) return { kind: 'failed', index: i, line: l }
    if (l.includes(WARMUP.ok)) return { kind: 'ok', index: i, line: l }
    if (l.includes(WARMUP.noSectors)) return { kind: 'no-sectors', index: i, line: l }
  }
  return null
}

/** Lines around `index`: what the operator needs to see about a failure. */
export function around(lines: readonly string[], index: number, before = 12, after = 4): string[] {
  return lines.slice(Math.max(0, index - before), index + after + 1)
}

/** Removes terminal control sequences (`lotus sync wait` redraws with \r and ESC[2K). */
export function cleanLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/^.*\r(?!$)/, '').replace(/\r$/, '')
}

export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map(cleanLine)
}

/* ------------------------------------------------------------------ live tail */

const KEEP = 200
const LEASE_MS = 60_000
const FLUSH_MS = 200

interface Tail {
  siteId: string
  files: { daemon: string; miner: string }
  lines: { daemon: string[]; miner: string[] }
  stream: ExecStream | null
  error?: ErrorInfo
  leaseUntil: number
  pending: { daemon: string[]; miner: string[] }
  flush: NodeJS.Timeout | null
  expiry: NodeJS.Timeout | null
  stopped: boolean
}

/**
 * `tail -n 200 -F daemon.log miner.log` in the site's working directory, ONE SSH channel per site,
 * pushed to the window as `restart:log` events. It runs while someone holds a lease (the Restart
 * tab renews it every half minute) and stops a minute after the last renewal.
 */
export class LogTails {
  private readonly tails = new Map<string, Tail>()

  constructor(
    private readonly sites: SitesRuntime,
    private readonly events: EventBus
  ) {}

  async lease(site: SiteConfig): Promise<RestartTail> {
    const files = logPaths(site)
    let t = this.tails.get(site.id)
    if (t && (t.files.daemon !== files.daemon || t.files.miner !== files.miner || t.stopped)) {
      this.stop(site.id)
      t = undefined
    }
    if (!t) {
      t = { siteId: site.id, files, lines: { daemon: [], miner: [] }, stream: null, leaseUntil: 0, pending: { daemon: [], miner: [] }, flush: null, expiry: null, stopped: false }
      this.tails.set(site.id, t)
      await this.open(t, site)
    }
    t.leaseUntil = Date.now() + LEASE_MS
    if (t.expiry) clearTimeout(t.expiry)
    const tail = t
    t.expiry = setTimeout(() => this.stop(tail.siteId), LEASE_MS)
    t.expiry.unref()
    return { daemon: [...t.lines.daemon], miner: [...t.lines.miner], files: t.files, ...(t.error ? { error: t.error } : {}) }
  }

  private async open(t: Tail, site: SiteConfig): Promise<void> {
    const { host } = this.sites.get(site.id)
    let stream: ExecStream
    try {
      // `--`: a file name is never taken for an option (the settings refuse names starting with '-' too).
      stream = await host.execStream({ argv: ['tail', '-n', String(KEEP), '-F', '--', t.files.daemon, t.files.miner], cwd: site.workDir })
    } catch (err) {
      t.error = toErrorInfo(err)
      t.stopped = true
      return
    }
    if (t.stopped) {
      stream.kill()
      return
    }
    t.stream = stream
    let current: 'daemon' | 'miner' = 'daemon'
    let partial = ''
    let blank = false
    stream.stdout.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8')
      const parts = text.split('\n')
      partial = parts.pop() ?? ''
      for (const raw of parts) {
        const header = /^==> (.*) <==$/.exec(raw)
        if (header) {
          current = header[1] === t.files.miner ? 'miner' : 'daemon'
          blank = false
          continue
        }
        // tail prints an empty line before each header: hold blank lines until the next line shows what they were.
        if (raw === '') {
          if (blank) this.push(t, current, '')
          blank = true
          continue
        }
        if (blank) this.push(t, current, '')
        blank = false
        this.push(t, current, cleanLine(raw))
      }
    })
    stream.stderr.on('data', () => undefined)
    void stream.done.then(
      () => {
        t.stream = null
        t.stopped = true
      },
      (err: unknown) => {
        t.error = toErrorInfo(err)
        t.stream = null
        t.stopped = true
      }
    )
  }

  private push(t: Tail, file: 'daemon' | 'miner', line: string): void {
    const keep = t.lines[file]
    keep.push(line)
    if (keep.length > KEEP) keep.splice(0, keep.length - KEEP)
    t.pending[file].push(line)
    if (!t.flush) {
      t.flush = setTimeout(() => {
        t.flush = null
        for (const f of ['daemon', 'miner'] as const) {
          if (t.pending[f].length === 0) continue
          const payload: RestartLogLines = { siteId: t.siteId, file: f, lines: t.pending[f] }
          t.pending[f] = []
          this.events.emit('restart:log', payload)
        }
      }, FLUSH_MS)
    }
  }

  stop(siteId: string): void {
    const t = this.tails.get(siteId)
    if (!t) return
    this.tails.delete(siteId)
    t.stopped = true
    if (t.flush) clearTimeout(t.flush)
    if (t.expiry) clearTimeout(t.expiry)
    t.stream?.kill()
  }

  close(): void {
    for (const id of [...this.tails.keys()]) this.stop(id)
  }
}
