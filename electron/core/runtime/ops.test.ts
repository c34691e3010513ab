import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/auditLog'
import { EventBus } from './eventBus'
import { OpsRegistry } from './ops'

describe('OpsRegistry', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  function make(now = () => Date.now()) {
    const home = mkdtempSync(join(tmpdir(), 'md-ops-'))
    dirs.push(home)
    const audit = new AuditLog({ home, via: 'cli' })
    const events = new EventBus()
    const progress: string[] = []
    events.on('ops:progress', (p) => progress.push(`${p.index}:${p.status}`))
    return { ops: new OpsRegistry(audit, events, now), audit, progress }
  }
  const step = { kind: 'command' as const, host: 'site-1', text: 'lotus-miner sectors remove --really-do-it 12' }

  it('runs a confirmed preview exactly once and audits each step before and after', async () => {
    const { ops, audit, progress } = make()
    let runs = 0
    const p = ops.preview({ site: 'site-1', action: 'sector.remove', steps: [step], typeToConfirm: '12', execute: async (s) => void (await s.run(0, async () => { runs++; return 'done' })) })
    expect(p.confirm).toEqual({ kind: 'type', expected: '12' })
    await expect(ops.execute(p.id, '13')).rejects.toMatchObject({ code: 'mutation/not-confirmed' })
    expect(runs).toBe(0)
    const out = await ops.execute(p.id, '12')
    expect(out.ok).toBe(true)
    expect(out.steps[0]).toMatchObject({ status: 'ok', output: 'done' })
    expect(runs).toBe(1)
    await expect(ops.execute(p.id, '12')).rejects.toMatchObject({ code: 'mutation/not-confirmed' })
    expect(runs).toBe(1)
    const log = await audit.list({ site: 'site-1' })
    expect(log.map((e) => e.result)).toEqual(['ok', 'started'])
    expect(log[0]!.command).toBe('site-1: lotus-miner sectors remove --really-do-it 12')
    expect(progress).toEqual(['0:running', '0:ok'])
  })

  it('reports a failing step, skips the rest, and never retries', async () => {
    const { ops, audit } = make()
    let calls = 0
    const p = ops.preview({
      site: 'site-1',
      action: 'sector.remove',
      steps: [step, { ...step, text: 'second' }],
      execute: async (s) => {
        await s.run(0, async () => {
          calls++
          throw new Error('boom')
        })
        await s.run(1, async () => 'never')
      }
    })
    const out = await ops.execute(p.id, null)
    expect(out.ok).toBe(false)
    expect(out.error?.message).toBe('boom')
    expect(out.steps.map((s) => s.status)).toEqual(['error', 'skipped'])
    expect(calls).toBe(1)
    expect((await audit.list({})).map((e) => e.result)).toEqual(['error', 'started'])
  })

  it('a step whose end cannot be audited is reported as run, with the audit failure, and nothing after it starts', async () => {
    const { ops, audit } = make()
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const record = audit.record.bind(audit)
    let ranFirst = 0
    let ranSecond = 0
    audit.record = async (input) => {
      if (input.result !== 'started') throw full
      return record(input)
    }
    const one = ops.preview({ site: 'site-1', action: 'sector.pledge', steps: [step], execute: async (s) => void (await s.run(0, async () => { ranFirst++; return 'Created CC sector: 7' })) })
    const out = await ops.execute(one.id, null)
    expect(ranFirst).toBe(1)
    expect(out).toMatchObject({ ok: true, steps: [{ status: 'ok', unaudited: true, output: 'Created CC sector: 7' }], auditFailure: { step: 0, error: { code: 'internal' } } })
    const two = ops.preview({
      site: 'site-1',
      action: 'x',
      steps: [step, { ...step, text: 'second' }],
      execute: async (s) => {
        await s.run(0, async () => 'one').catch(() => undefined)
        await s.run(1, async () => void ranSecond++)
      }
    })
    const out2 = await ops.execute(two.id, null)
    expect(ranSecond).toBe(0)
    expect(out2.ok).toBe(false)
    expect(out2.auditFailure?.step).toBe(0)
    expect(out2.steps.map((x) => x.status)).toEqual(['ok', 'skipped'])
    expect(out2.steps[1]!.output).toMatch(/not started: the audit log cannot be written/)
  })

  it('a step whose start cannot be audited never runs', async () => {
    const { ops, audit } = make()
    audit.record = async () => {
      throw Object.assign(new Error('no space'), { code: 'ENOSPC' })
    }
    let runs = 0
    const p = ops.preview({ site: 'site-1', action: 'x', steps: [step], execute: async (s) => void (await s.run(0, async () => void runs++)) })
    const out = await ops.execute(p.id, null)
    expect(runs).toBe(0)
    expect(out.ok).toBe(false)
    expect(out.auditFailure).toBeUndefined()
  })

  it('expires previews', async () => {
    let t = 1000
    const { ops } = make(() => t)
    const p = ops.preview({ site: 'site-1', action: 'x', steps: [step], execute: async () => undefined })
    t += 11 * 60 * 1000
    await expect(ops.execute(p.id, null)).rejects.toMatchObject({ code: 'mutation/not-confirmed' })
  })
})
