import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MutationOutcome } from '../../preload/contract'
import type { ClearPreview, FindFilesReport, SectorFilesReport } from '../../preload/contract/sectors'
import { startSimSites, type SimSites } from '../support/simSites'
import { startCore, type TestCore } from '../support/siteops'

/**
 * clearsector.sh through the real core over real sshd, with two simulated sites on one host and
 * one login: a stale copy of a sector in a storage path of the PC1 worker that Lotus's index does
 * not know (added to the worker's storage.json after it started, as happens after a disk swap)
 * is listed and deleted only after the typed confirmation; Lotus's current copies are kept; the
 * worker on the reserved port keeps its copies; the other site's files are never touched.
 */

let sim: SimSites
let t: TestCore
let extra: string
let otherSite: string
let name: string

beforeAll(async () => {
  sim = await startSimSites({ sites: 2, sectors: 40, speed: 60 })
  t = startCore(sim)
  const cfg = sim.sites[0]!.config
  const pc1 = cfg.workers.find((w) => w.kind === 'pc1')!
  name = `s-t0${cfg.minerId}-37`
  extra = `${cfg.home}/extra-store`
  const meta = JSON.stringify({ ID: randomUUID(), Weight: 10, CanSeal: true, CanStore: false, MaxStorage: 0, Groups: null, AllowTo: null, AllowTypes: null, DenyTypes: null, AllowMiners: null, DenyMiners: null })
  // The worker reads storage.json only when it starts: this path is in its config, not in Lotus's index.
  await sim.sshOk(
    'site-1',
    [
      `mkdir -p ${extra}/sealed ${extra}/cache/${name}`,
      `printf '%s' '${meta}' > ${extra}/sectorstore.json`,
      `head -c 4096 /dev/zero > ${extra}/sealed/${name}`,
      `head -c 64 /dev/zero > ${extra}/cache/${name}/p_aux`,
      `printf '%s' '{"StoragePaths":[{"Path":"${pc1.repo}"},{"Path":"${extra}"}]}' > ${pc1.repo}/storage.json`
    ].join(' && ')
  )
  // The same file name in the other site's worker path: not site-1's business.
  const other = sim.sites[1]!.config.workers.find((w) => w.kind === 'pc1')!
  otherSite = `${other.repo}/sealed/${name}`
  await sim.sshOk('site-2', `mkdir -p ${other.repo}/sealed && head -c 10 /dev/zero > ${otherSite}`)
})

afterAll(async () => {
  await t?.close()
  await sim?.down()
})

describe('clearsector', () => {
  it('finds the stale copy through the worker\'s storage.json (findsector), next to the copies Lotus knows', async () => {
    const f = await t.ok<FindFilesReport>('sectors:findFiles', ['site-1', '37'])
    const where = f.listings.filter((l) => l.entries.some((e) => e.rel === '')).map((l) => [l.storage.path, l.storage.attached])
    expect(where).toContainEqual([extra, false])
    expect(where.some(([p, attached]) => String(p).endsWith('.lotusworker-site-1-pc2') && attached)).toBe(true)
    expect(f.listings.some((l) => l.storage.path.includes('/site-2/'))).toBe(false)
    const files = await t.ok<SectorFilesReport>('sectors:files', ['site-1', 37])
    expect(files.check.copies.join('\n')).toContain(`sealed/${name} in 2 places`)
  })

  it('refuses a reserved port no worker of the site listens on, naming the workers', async () => {
    const e = await t.fails('sectors:previewClear', ['site-1', 37, 9])
    expect(e.code).toBe('invalid-input')
    expect(e.message).toBe('no lotus-worker of this site listens on port 9')
    expect(e.hint).toMatch(/site-1-pc1 on site-1:\d+/)
    expect((await t.fails('sectors:previewClear', ['site-1', 37, '1;ls'])).code).toBe('invalid-input')
    expect((await t.fails('sectors:previewClear', ['site-1', '37 38', null])).code).toBe('invalid-input')
  })

  it('keeps the copies of the worker on the reserved port', async () => {
    const pc1 = sim.sites[0]!.config.workers.find((w) => w.kind === 'pc1')!
    const r = await t.ok<ClearPreview>('sectors:previewClear', ['site-1', 37, pc1.port])
    expect(r.preview).toBeNull()
    expect(r.plan.filter((p) => p.path.startsWith(extra)).map((p) => p.reason)).toEqual(['reserved', 'reserved'])
  })

  it('lists first, deletes only the stale copies after the typed sector number, never Lotus\'s current storage', async () => {
    const r = await t.ok<ClearPreview>('sectors:previewClear', ['site-1', 37, null])
    const byAction = (a: string) => r.plan.filter((p) => p.action === a).map((p) => p.path)
    expect(byAction('delete').sort()).toEqual([`${extra}/cache/${name}`, `${extra}/sealed/${name}`])
    expect(r.plan.filter((p) => p.action === 'keep').every((p) => p.reason === 'current')).toBe(true)
    expect(byAction('keep').length).toBeGreaterThanOrEqual(3)
    expect(r.preview?.confirm).toEqual({ kind: 'type', expected: '37' })
    expect(r.preview?.steps).toEqual([{ kind: 'command', host: 'site-1', text: `rm -rf -- ${extra}/cache/${name} ${extra}/sealed/${name}` }])
    const wrong = await t.fails('ops:execute', [r.preview!.id, '38'])
    expect(wrong.code).toBe('mutation/not-confirmed')
    expect((await sim.ssh('site-1', `ls ${extra}/sealed/${name}`)).code).toBe(0)
    const outcome = await t.ok<MutationOutcome>('ops:execute', [r.preview!.id, '37'])
    expect(outcome.ok).toBe(true)
    expect(outcome.data).toEqual({ deleted: 2, kept: byAction('keep').length })
    expect((await sim.ssh('site-1', `ls ${extra}/sealed/${name} ${extra}/cache/${name}`)).code).not.toBe(0)
    for (const p of byAction('keep')) expect((await sim.ssh('site-1', `ls -d ${p}`)).code).toBe(0)
    expect((await sim.ssh('site-2', `ls ${otherSite}`)).code).toBe(0)
    const audit = t.audit().filter((a) => a.action === 'sector.clear-files')
    expect(audit.map((a) => a.result)).toEqual(['started', 'ok'])
    expect(audit[0]?.command).toBe(`site-1: rm -rf -- ${extra}/cache/${name} ${extra}/sealed/${name}`)
    // Nothing stale is left.
    const again = await t.ok<ClearPreview>('sectors:previewClear', ['site-1', 37, null])
    expect(again.preview).toBeNull()
  })
})
