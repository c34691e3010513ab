import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { MinerDeskError, type MutationPreview } from '../../../preload/contract'
import { type AutopledgeConfig, type AutopledgeState, type AutopledgeTick } from '../../../preload/contract/sectors'
import { minerCalls } from '../lotus/minerApi'
import { statBucket } from '../../../preload/contract/lotus/states'
import type { ServiceContext } from '../runtime/context'
import { apiStepText } from '../runtime/ops'
import { jobsBySector } from './sectorJobs'
import { readRegularFile, writeDurably } from '../util/durableFile'

/**
 * autopledge.sh: keep N sectors sealing while the workers have room. Off by default. It runs in
 * the MinerDesk process that started it (the app, the browser host, or `minerdesk autopledge` in
 * the foreground) and is stoppable from any of them.
 *
 * Persistence, chosen deliberately: MINERDESK_HOME/autopledge.json records each site's settings
 * and whether a loop runs and in which process. A loop does NOT resume after its process ends —
 * a restarted host finds the record, marks it stopped ("host-restart") and shows that, because a
 * pledging loop that silently comes back spends pre-commit deposits nobody asked for. Another
 * process stops a loop by writing the record; the loop reads it before every tick.
 *
 * Each tick: SectorsSummary (sealing = Lotus's `sealing` stats bucket), WorkerJobs and
 * WorkerStats in one batch; pledge one sector when fewer than `target` are sealing, some enabled
 * worker takes AP and PC1, and no AP/PC1 task waits in the scheduler queue (the workers are full).
 */

const FILE = 'autopledge.json'

interface Record_ {
  target: number
  intervalSec: number
  running: boolean
  startedAt: number | null
  stoppedAt: number | null
  stopReason: AutopledgeState['stopReason']
  /** pid of the process running the loop. */
  pid: number | null
  pledged: number
  last: AutopledgeTick | null
}

type FileContent = { version: 1; sites: Record<string, Record_> }

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The decision of one tick (pure). */
export function decide(input: { sealing: number; target: number; queuedApPc1: number; workersForPc1: number }): 'pledge' | 'enough' | 'no-room' {
  if (input.sealing >= input.target) return 'enough'
  if (input.workersForPc1 === 0 || input.queuedApPc1 > 0) return 'no-room'
  return 'pledge'
}

export class Autopledge {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly busy = new Set<string>()
  private readonly file: string

  constructor(private readonly ctx: ServiceContext) {
    this.file = join(ctx.home, FILE)
  }

  private read(): FileContent {
    try {
      const v = JSON.parse(readRegularFile(this.file) ?? '') as FileContent
      if (v && v.version === 1 && v.sites && typeof v.sites === 'object') return v
    } catch {
      // missing or unreadable: nothing runs
    }
    return { version: 1, sites: {} }
  }

  private write(c: FileContent): void {
    if (!existsSync(this.ctx.home)) mkdirSync(this.ctx.home, { recursive: true })
    writeDurably(this.file, `${JSON.stringify(c, null, 2)}\n`)
  }

  private update(siteId: string, patch: Partial<Record_>): Record_ {
    const c = this.read()
    const cur = c.sites[siteId] ?? { target: 1, intervalSec: 60, running: false, startedAt: null, stoppedAt: null, stopReason: null, pid: null, pledged: 0, last: null }
    const next = { ...cur, ...patch }
    c.sites[siteId] = next
    this.write(c)
    this.ctx.events.emit('sectors:autopledge', this.toState(siteId, next))
    return next
  }

  private toState(siteId: string, r: Record_ | undefined): AutopledgeState {
    if (!r) return { siteId, running: false, target: 1, intervalSec: 60, startedAt: null, stoppedAt: null, stopReason: null, owner: null, pledged: 0, last: null }
    const running = r.running && r.pid !== null && pidAlive(r.pid)
    return {
      siteId,
      running,
      target: r.target,
      intervalSec: r.intervalSec,
      startedAt: r.startedAt,
      stoppedAt: r.stoppedAt,
      stopReason: r.stopReason,
      owner: r.running && r.pid !== null ? (r.pid === process.pid ? `this MinerDesk (pid ${r.pid})` : `another MinerDesk process (pid ${r.pid})`) : null,
      pledged: r.pledged,
      last: r.last
    }
  }

  status(siteId: string | null): AutopledgeState[] {
    const c = this.read()
    const ids = siteId === null ? this.ctx.sites.ids() : [siteId]
    return ids.map((id) => this.toState(id, c.sites[id]))
  }

  /** Host start: loops recorded as running by a process that is gone did not survive it. */
  async recoverAfterRestart(): Promise<void> {
    const c = this.read()
    for (const [id, r] of Object.entries(c.sites)) {
      if (r.running && (r.pid === null || r.pid === process.pid || !pidAlive(r.pid))) {
        this.update(id, { running: false, stoppedAt: Date.now(), stopReason: 'host-restart', pid: null })
        await this.ctx.audit.record({ site: id, action: 'sector.autopledge', command: 'autopledge', result: 'ok', detail: 'stopped: the MinerDesk process running it ended; not resumed (start it again to continue)' })
      }
    }
  }

  preview(siteId: string, cfg: AutopledgeConfig): MutationPreview {
    const { config } = this.ctx.sites.get(siteId)
    this.refuseIfRunning(siteId)
    return this.ctx.ops.preview({
      site: siteId,
      action: 'sector.autopledge',
      params: { target: cfg.target, interval: cfg.intervalSec },
      steps: [
        {
          kind: 'api',
          host: config.alias,
          text: `every ${cfg.intervalSec}s: ${apiStepText('PledgeSector', [])} while fewer than ${cfg.target} sectors are sealing and no AP/PC1 task waits for a worker`
        }
      ],
      warnings: [
        { key: 'pledgeDeposit', params: {}, text: 'each pledged sector costs a pre-commit deposit and gas when it precommits' },
        { key: 'autopledgeInProcess', params: { pid: process.pid }, text: `runs in this MinerDesk process (pid ${process.pid}) until stopped; it is not resumed after MinerDesk restarts` }
      ],
      execute: async (runner) => {
        await runner.run(0, async () => {
          this.start(siteId, cfg)
          return `autopledge started: target ${cfg.target}, every ${cfg.intervalSec}s`
        })
      }
    })
  }

  private refuseIfRunning(siteId: string): void {
    const st = this.toState(siteId, this.read().sites[siteId])
    if (st.running) {
      throw new MinerDeskError({ code: 'conflict', message: `autopledge already runs for ${siteId} in ${st.owner}`, hint: 'stop it first (it keeps its target until then)' })
    }
  }

  start(siteId: string, cfg: AutopledgeConfig): AutopledgeState {
    this.refuseIfRunning(siteId)
    const r = this.update(siteId, { ...cfg, running: true, startedAt: Date.now(), stoppedAt: null, stopReason: null, pid: process.pid, pledged: 0, last: null })
    this.schedule(siteId, 0)
    return this.toState(siteId, r)
  }

  async stop(siteId: string, reason: 'operator' | 'host-closed'): Promise<AutopledgeState> {
    this.ctx.sites.get(siteId)
    const timer = this.timers.get(siteId)
    if (timer) clearTimeout(timer)
    this.timers.delete(siteId)
    const cur = this.read().sites[siteId]
    if (!cur || !cur.running) return this.toState(siteId, cur)
    const r = this.update(siteId, { running: false, stoppedAt: Date.now(), stopReason: reason, pid: null })
    await this.ctx.audit.record({ site: siteId, action: 'sector.autopledge', command: 'autopledge stop', result: 'ok', detail: reason === 'operator' ? `stopped by the operator after ${r.pledged} pledge(s)` : 'stopped: MinerDesk is closing' })
    return this.toState(siteId, r)
  }

  /** Stops this process's loops (host shutdown). */
  async close(): Promise<void> {
    const mine = Object.entries(this.read().sites).filter(([, r]) => r.running && r.pid === process.pid)
    for (const [id] of mine) await this.stop(id, 'host-closed').catch(() => undefined)
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
  }

  private schedule(siteId: string, delayMs: number): void {
    const t = setTimeout(() => void this.tick(siteId), delayMs)
    t.unref?.()
    this.timers.set(siteId, t)
  }

  /** One check (and at most one pledge); reschedules itself while the record says it runs here. */
  async tick(siteId: string): Promise<void> {
    const rec = this.read().sites[siteId]
    if (!rec || !rec.running || rec.pid !== process.pid) {
      this.timers.delete(siteId)
      return
    }
    if (this.busy.has(siteId)) return
    this.busy.add(siteId)
    let last: AutopledgeTick
    let pledged = rec.pledged
    try {
      const { lotus, config } = this.ctx.sites.get(siteId)
      const [summary, jobs, stats] = await lotus.miner.batch([minerCalls.sectorsSummary(), minerCalls.workerJobs(), minerCalls.workerStats()] as const)
      if (!summary.ok) throw new MinerDeskError(summary.error)
      if (!jobs.ok) throw new MinerDeskError(jobs.error)
      if (!stats.ok) throw new MinerDeskError(stats.error)
      let sealing = 0
      for (const [s, c] of Object.entries(summary.value)) if (statBucket(s) === 'sealing') sealing += c
      const queued = [...jobsBySector(jobs.value, stats.value).values()].flat().filter((j) => j.runWait >= 2 && (j.task === 'AP' || j.task === 'PC1')).length
      const workersForPc1 = Object.values(stats.value).filter((w) => (w.Enabled ?? true) && (w.Tasks ?? []).includes('seal/v0/precommit/1')).length
      const d = decide({ sealing, target: rec.target, queuedApPc1: queued, workersForPc1 })
      if (d === 'pledge') {
        const command = `${config.alias}: ${apiStepText('PledgeSector', [])}`
        const record = (result: 'started' | 'ok' | 'error', detail: string) => this.ctx.audit.record({ site: siteId, action: 'sector.autopledge', command, result, detail })
        // On disk before the pledge: a pledge the audit log cannot announce is not sent (this throws).
        await record('started', `sealing ${sealing}, target ${rec.target}`)
        let id: { Number: number } | null = null
        last = { at: Date.now(), sealing, decision: 'error', message: 'PledgeSector did not answer' }
        try {
          id = await lotus.miner.pledgeSector()
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err)
          last = { at: Date.now(), sealing, decision: 'error', message }
          await record('error', message).catch(() => undefined)
        }
        if (id) {
          pledged++
          last = { at: Date.now(), sealing, decision: 'pledged', sector: id.Number }
          try {
            await record('ok', `Created CC sector:  ${id.Number} (sealing was ${sealing}, target ${rec.target})`)
          } catch (err) {
            // The pledge went out; the next check's "started" entry fails the same way and pledges nothing.
            last = { ...last, message: `pledged, but the audit log could not record it: ${err instanceof Error ? err.message : String(err)}` }
          }
        }
      } else {
        last = {
          at: Date.now(),
          sealing,
          decision: d,
          message: d === 'enough' ? `${sealing} sealing, target ${rec.target}` : workersForPc1 === 0 ? 'no enabled worker takes PC1' : `${queued} AP/PC1 task(s) wait for a worker`
        }
      }
    } catch (err) {
      last = { at: Date.now(), sealing: -1, decision: 'error', message: err instanceof Error ? err.message : String(err) }
    } finally {
      this.busy.delete(siteId)
    }
    // Stopped meanwhile (by this or another process)? Then leave the record as the stopper wrote it.
    const now = this.read().sites[siteId]
    if (!now || !now.running || now.pid !== process.pid) return
    this.update(siteId, { last, pledged })
    this.schedule(siteId, now.intervalSec * 1000)
  }
}
