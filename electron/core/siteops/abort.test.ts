import { describe, expect, it } from 'vitest'
import type { WorkerJob } from '../../../preload/contract/lotus/types'
import { callIdText, matchJobs, resolveJob, ZERO_UUID } from './abort'

const job = (id: string, n: number, runWait = 0, task = 'seal/v0/precommit/2'): WorkerJob => ({
  ID: { Sector: { Miner: 1000, Number: n }, ID: id },
  Sector: { Miner: 1000, Number: n },
  Task: task,
  RunWait: runWait,
  Start: '2026-01-01T00:00:00Z'
})

const jobs: Record<string, WorkerJob[]> = {
  'aaaaaaaa-0000-4000-8000-000000000001': [job('76081ba0-61bd-45a5-bc08-af05f1c26e5d', 38), job(ZERO_UUID, 39, 2)],
  'bbbbbbbb-0000-4000-8000-000000000002': [job('76081ba1-0000-4000-8000-000000000000', 40), job('c0ffee00-0000-4000-8000-000000000000', 41)],
  [ZERO_UUID]: [{ ...job('c0ffee00-0000-4000-8000-000000000000', 41, -1), Hostname: 'pc2-box' }]
}

describe('sealing abort: resolving the call id prefix', () => {
  it('resolves a unique prefix to the full CallID and its worker', () => {
    const m = resolveJob(jobs, '76081ba0')
    expect(m.workerId).toBe('aaaaaaaa-0000-4000-8000-000000000001')
    expect(callIdText(m.job.ID)).toBe('1000-38-76081ba0-61bd-45a5-bc08-af05f1c26e5d')
  })

  it('refuses an ambiguous prefix (Lotus would take whichever comes first in map order)', () => {
    expect(() => resolveJob(jobs, '76081ba')).toThrow(/matches 2 jobs/)
  })

  it('counts a call listed under its worker and as ret-wait once', () => {
    expect(matchJobs(jobs, 'c0ffee00')).toHaveLength(1)
  })

  it('queued requests (00000000) cannot be aborted; unknown ids are not found', () => {
    expect(() => resolveJob(jobs, '00000000')).toThrow(/no call to abort yet/)
    expect(() => resolveJob(jobs, 'deadbeef')).toThrow(expect.objectContaining({ code: 'not-found' }))
  })
})
