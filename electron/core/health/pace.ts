import type { Durations, JobRow } from '../../../preload/contract'
import { expectedFor } from '../overview/jobs'
import { overdueLimitSec } from './stages'

/**
 * The worker runs tasks, each within its own overdue limit: a job it has taken and queued
 * (`assigned`) waits its turn behind them, the worker's capacity, not a fault.
 */
export function runsAtPace(jobs: readonly JobRow[], workerId: string, now: number, durations: Durations, factor: number): boolean {
  const running = jobs.filter((j) => j.workerId === workerId && j.state === 'running')
  return (
    running.length > 0 &&
    running.every((j) => {
      const expected = expectedFor(j.task, durations)
      return j.start !== null && expected !== null && (now - j.start) / 1000 <= overdueLimitSec(expected, factor)
    })
  )
}
