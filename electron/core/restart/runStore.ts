import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import type { RollingRun, RestartRun } from '../../../preload/contract/restart'
import { readRegularFile, writeDurably } from '../util/durableFile'
import { logProblem } from '../util/log'
import { redactDeep } from '../util/redact'

/**
 * Restart state on disk: MINERDESK_HOME/wizard/runs/<id>.json (one file per run, which is also
 * its report) and wizard/rolling/<id>.json. Every write is complete or not at all
 * (util/durableFile), so a crash or a full disk leaves the previous or the new state, never half
 * of one; a failed write throws and the previous file stays. What is written passes the one
 * redaction first. Only regular files are read: anything else in these directories (a FIFO…)
 * is skipped without being opened for reading.
 */
export const KEEP_RUNS = 500

export class RunStore {
  readonly dir: string
  readonly runsDir: string
  readonly rollingDir: string

  constructor(home: string) {
    this.dir = join(home, 'wizard')
    this.runsDir = join(this.dir, 'runs')
    this.rollingDir = join(this.dir, 'rolling')
    mkdirSync(this.runsDir, { recursive: true, mode: 0o700 })
    mkdirSync(this.rollingDir, { recursive: true, mode: 0o700 })
  }

  runFile(id: string): string {
    return join(this.runsDir, `${id}.json`)
  }

  /** Throws (DurableWriteError) when the file could not be written; the previous one is kept. */
  saveRun(run: RestartRun): void {
    writeDurably(this.runFile(run.id), JSON.stringify(redactDeep(run)))
  }

  readRun(id: string): RestartRun | null {
    return readJson<RestartRun>(this.runFile(id))
  }

  /** Every run on disk, newest first (files that do not parse are skipped). */
  allRuns(): RestartRun[] {
    const out: RestartRun[] = []
    for (const name of safeList(this.runsDir)) {
      if (!name.endsWith('.json')) continue
      const r = readJson<RestartRun>(join(this.runsDir, name))
      if (r && typeof r.id === 'string' && typeof r.siteId === 'string') out.push(r)
    }
    return out.sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Drops the oldest finished runs beyond KEEP_RUNS. */
  prune(isFinished: (r: RestartRun) => boolean): void {
    const runs = this.allRuns()
    let kept = 0
    for (const r of runs) {
      if (!isFinished(r) || kept < KEEP_RUNS) {
        kept++
        continue
      }
      rmSync(join(this.runsDir, `${r.id}.json`), { force: true })
    }
  }

  saveRolling(r: RollingRun): void {
    writeDurably(join(this.rollingDir, `${r.id}.json`), JSON.stringify(redactDeep(r)))
  }

  allRolling(): RollingRun[] {
    const out: RollingRun[] = []
    for (const name of safeList(this.rollingDir)) {
      if (!name.endsWith('.json')) continue
      const r = readJson<RollingRun>(join(this.rollingDir, name))
      if (r && typeof r.id === 'string') out.push(r)
    }
    return out.sort((a, b) => b.createdAt - a.createdAt)
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** Files already reported as skipped (each is said once per process). */
const skipped = new Set<string>()

function readJson<T>(file: string): T | null {
  try {
    const text = readRegularFile(file)
    return text === null ? null : (JSON.parse(text) as T)
  } catch (err) {
    // Not JSON (a file cut by another program), not a regular file: not a run of ours.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && !skipped.has(file)) {
      skipped.add(file)
      logProblem(`skipping ${file}`, err instanceof SyntaxError ? 'not JSON' : err instanceof Error ? err.message : err)
    }
    return null
  }
}

/** This process as the owner of a run. */
export function me(via: RestartRun['via']): NonNullable<RestartRun['owner']> {
  return { pid: process.pid, hostname: hostname(), via }
}

/** Whether the process that owns a run is alive (on this machine: MINERDESK_HOME is local). */
export function ownerAlive(owner: RestartRun['owner']): boolean {
  if (!owner) return false
  if (owner.pid === process.pid && owner.hostname === hostname()) return true
  if (owner.hostname !== hostname()) return true
  try {
    process.kill(owner.pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function ownedByMe(owner: RestartRun['owner']): boolean {
  return owner !== null && owner.pid === process.pid && owner.hostname === hostname()
}
