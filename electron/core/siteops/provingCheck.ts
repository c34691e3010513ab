import { randomUUID } from 'node:crypto'
import { MinerDeskError, toErrorInfo, type ProvingCheckRow, type ProvingCheckState } from '../../../preload/contract'
import { count } from '../lotus/bitfield'
import type { Discovery } from '../lotus/discover'
import type { ServiceContext } from '../runtime/context'
import type { ExecStream } from '../ssh/types'
import { buildCommandLine, type RemoteCommand } from '../../common/shellQuote'
import { LineSplitter, parseCheckLine } from './provingCheckParse'

/**
 * `lotus-miner proving check --slow <deadline>` run on the site host with a live stream: rows are
 * parsed as they arrive and pushed as `siteops:provingCheck` events (at most every 200 ms), the
 * operator can cancel, and the last checks of each site stay readable for a reopened page.
 * A check reads sector data from disk and changes nothing, so it needs no confirmation; one
 * check at a time per site, because each one reads every challenged sector.
 */

const KEEP_PER_SITE = 10
const EMIT_EVERY_MS = 200
const MAX_STDERR = 64 * 1024
/** A check of a full deadline reads a lot; past this it is surely stuck. */
const MAX_RUN_MS = 4 * 3600_000

interface Entry {
  state: ProvingCheckState
  stream: ExecStream | null
  pending: ProvingCheckRow[]
  timer: NodeJS.Timeout | null
  cancelled: boolean
}

/** The command, pinned to the repos MinerDesk discovered (so it asks the same miner the API does). */
export function provingCheckCommand(deadline: number, d: Discovery | null): RemoteCommand {
  const env: Record<string, string> = {}
  if (d?.miner.ok && d.miner.endpoint.source === 'repo') env.LOTUS_MINER_PATH = d.miner.endpoint.repoPath
  if (d?.daemon.ok && d.daemon.endpoint.source === 'repo') env.LOTUS_PATH = d.daemon.endpoint.repoPath
  return { argv: ['lotus-miner', 'proving', 'check', '--slow', String(deadline)], ...(Object.keys(env).length ? { env } : {}) }
}

export class ProvingChecks {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly ctx: ServiceContext) {}

  list(siteId: string): ProvingCheckState[] {
    return [...this.entries.values()].filter((e) => e.state.siteId === siteId).map((e) => this.copy(e.state)).sort((a, b) => b.startedAt - a.startedAt)
  }

  get(id: string): ProvingCheckState {
    const e = this.entries.get(id)
    if (!e) throw new MinerDeskError({ code: 'not-found', message: `no proving check ${id}`, hint: 'MinerDesk keeps the last checks of each site until it restarts' })
    return this.copy(e.state)
  }

  cancel(id: string): void {
    const e = this.entries.get(id)
    if (!e) throw new MinerDeskError({ code: 'not-found', message: `no proving check ${id}` })
    if (e.state.status !== 'running') return
    e.cancelled = true
    e.stream?.kill()
  }

  async start(siteId: string, deadline: number): Promise<ProvingCheckState> {
    const running = [...this.entries.values()].find((e) => e.state.siteId === siteId && e.state.status === 'running')
    if (running) {
      throw new MinerDeskError({
        code: 'conflict',
        message: `a proving check of deadline ${running.state.deadline} is still running on ${siteId}`,
        hint: 'wait for it or cancel it first: each check reads every sector of its deadline'
      })
    }
    const { lotus, host, config } = this.ctx.sites.get(siteId)
    const d = await lotus.ensureEndpoints()
    if (!d.miner.ok) throw new MinerDeskError(d.miner.error)
    // What Lotus will check: the live sectors of the deadline's partitions.
    const actor = await lotus.miner.actorAddress()
    const parts = await lotus.full.stateMinerPartitions(actor, deadline)
    const cmd = provingCheckCommand(deadline, d)
    const state: ProvingCheckState = {
      id: randomUUID(),
      siteId,
      deadline,
      status: 'running',
      command: buildCommandLine(cmd),
      host: config.alias,
      startedAt: Date.now(),
      endedAt: null,
      expectedSectors: parts.reduce((n, p) => n + count(p.LiveSectors), 0),
      partitions: parts.length,
      checked: 0,
      bad: 0,
      rows: [],
      stderr: ''
    }
    const entry: Entry = { state, stream: null, pending: [], timer: null, cancelled: false }
    this.entries.set(state.id, entry)
    this.prune(siteId)
    const stream = await host.execStream(cmd).catch((err: unknown) => {
      this.finish(entry, 'failed', toErrorInfo(err))
      throw err
    })
    entry.stream = stream
    this.follow(entry, stream)
    return this.copy(state)
  }

  private follow(e: Entry, stream: ExecStream): void {
    const lines = new LineSplitter()
    const take = (text: string[]): void => {
      for (const line of text) {
        const row = parseCheckLine(line)
        if (!row) continue
        e.state.rows.push(row)
        e.pending.push(row)
        e.state.checked++
        if (!row.ok) e.state.bad++
      }
      this.schedule(e)
    }
    stream.stdout.setEncoding('utf8')
    stream.stderr.setEncoding('utf8')
    stream.stdout.on('data', (chunk: string) => take(lines.push(chunk)))
    stream.stderr.on('data', (chunk: string) => {
      if (e.state.stderr.length < MAX_STDERR) e.state.stderr = (e.state.stderr + chunk).slice(0, MAX_STDERR)
    })
    const guard = setTimeout(() => {
      e.cancelled = true
      stream.kill()
    }, MAX_RUN_MS)
    guard.unref()
    stream.done.then(
      (r) => {
        clearTimeout(guard)
        take(lines.end())
        if (e.cancelled) return this.finish(e, 'cancelled')
        if (r.code === 0) return this.finish(e, 'done')
        const last = e.state.stderr.trim().split('\n').pop() ?? ''
        this.finish(e, 'failed', {
          code: 'ssh/command-failed',
          message: `lotus-miner proving check exited with ${r.code ?? r.signal ?? 'no status'}${last ? `: ${last}` : ''}`,
          details: e.state.stderr.trim().slice(-4000)
        })
      },
      (err: unknown) => {
        clearTimeout(guard)
        this.finish(e, e.cancelled ? 'cancelled' : 'failed', e.cancelled ? undefined : toErrorInfo(err))
      }
    )
  }

  private schedule(e: Entry): void {
    if (e.timer) return
    e.timer = setTimeout(() => {
      e.timer = null
      this.emit(e)
    }, EMIT_EVERY_MS)
  }

  private emit(e: Entry): void {
    const { rows: _rows, ...rest } = e.state
    const newRows = e.pending
    e.pending = []
    this.ctx.events.emit('siteops:provingCheck', { ...rest, newRows })
  }

  private finish(e: Entry, status: ProvingCheckState['status'], error?: ProvingCheckState['error']): void {
    if (e.state.status !== 'running') return
    e.state.status = status
    e.state.endedAt = Date.now()
    if (error) e.state.error = error
    if (e.timer) clearTimeout(e.timer)
    e.timer = null
    e.stream = null
    this.emit(e)
  }

  private prune(siteId: string): void {
    const done = [...this.entries.values()].filter((e) => e.state.siteId === siteId && e.state.status !== 'running').sort((a, b) => b.state.startedAt - a.state.startedAt)
    for (const e of done.slice(KEEP_PER_SITE - 1)) this.entries.delete(e.state.id)
  }

  private copy(s: ProvingCheckState): ProvingCheckState {
    return { ...s, rows: [...s.rows] }
  }

  /** Ends every running check (the host is shutting down). */
  close(): void {
    for (const e of this.entries.values()) if (e.state.status === 'running') this.cancel(e.state.id)
  }
}

/** Waits for a check to end (CLI, tests), feeding each update to `onUpdate`. */
export function waitForCheck(ctx: ServiceContext, checks: ProvingChecks, id: string, onUpdate?: (rows: ProvingCheckRow[], state: Omit<ProvingCheckState, 'rows'>) => void): Promise<ProvingCheckState> {
  return new Promise((resolve) => {
    const off = ctx.events.on('siteops:provingCheck', (u) => {
      if (u.id !== id) return
      const { newRows, ...state } = u
      onUpdate?.(newRows, state)
      if (u.status !== 'running') {
        off()
        resolve(checks.get(id))
      }
    })
    const now = checks.get(id)
    if (now.status !== 'running') {
      off()
      resolve(now)
    }
  })
}
