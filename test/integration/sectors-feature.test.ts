import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MutationPreview } from '../../preload/contract'
import type { FindFilesReport, SectorDetail, SectorFilesReport, SectorTable, StorageFindReport } from '../../preload/contract/sectors'
import { startSimSites, type SimSites } from '../support/simSites'
import { TASK_SECONDS } from '../../electron/sim/miner/durations'
import { startCore, waitFor, type TestCore } from '../support/siteops'

/**
 * The sectors feature through the real core over real sshd (two simulated sites sharing one host
 * and login): the columnar list read in a few JSON-RPC batches, the sector page with the diagnosis
 * of a ComputeProofFailed sector (scenario compute-proof-failed), where its files are, storage
 * find as Lotus prints it, findsector, and the actions: update-state (refused typos), the
 * CommitWait shortcut, bulk update-state with a result per sector, remove (abort + SectorRemove,
 * typed confirmation), pledge.
 */

interface StatusWire {
  State: string
  CommitMsg: { "/": string } | null
  Log: { Kind: string; Message: string; Trace: string }[]
}

const SPEED = 120
let sim: SimSites
let t: TestCore
const status = (n: number, alias = 'site-1') => sim.rpc<StatusWire>(alias, 'miner', 'SectorsStatus', [n, false])

beforeAll(async () => {
  sim = await startSimSites({ sites: 2, sectors: 40, speed: SPEED, scenarios: { 'site-1': ['compute-proof-failed'] } })
  t = startCore(sim)
})

afterAll(async () => {
  await t?.close()
  await sim?.down()
})

describe('the sectors list', () => {
  it('reads every sector with a few batches: states in columns, details only outside Proving', async () => {
    const table = await t.ok<SectorTable>('sectors:list', ['site-1'])
    const summary = await sim.rpc<Record<string, number>>('site-1', 'miner', 'SectorsSummary')
    const numbers: number[] = []
    const stateOf: number[] = []
    for (let i = 0; i < table.runs.length; i += 3) {
      for (let k = 0; k < table.runs[i + 1]!; k++) {
        numbers.push(table.runs[i]! + k)
        stateOf.push(table.runs[i + 2]!)
      }
    }
    expect(numbers).toHaveLength(table.rows)
    expect(numbers).toHaveLength(Object.values(summary).reduce((a, b) => a + b, 0))
    // Sectors move on between two reads; the bulk of Proving ones does not.
    const provingRows = stateOf.filter((x) => x === table.states.indexOf('Proving')).length
    expect(Math.abs(provingRows - (summary.Proving ?? 0))).toBeLessThanOrEqual(2)
    expect(table.states.filter((s) => !(s in summary)).length).toBeLessThanOrEqual(2)
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers)
    expect(new Set(numbers).size).toBe(numbers.length)
    // The site's first 36 sectors were created Proving: one run.
    expect(table.runs[0]).toBe(0)
    expect(table.runs[1]).toBeGreaterThanOrEqual(36)
    expect(table.runs[2]).toBe(table.states.indexOf('Proving'))
    const proving = table.states.indexOf('Proving')
    const nonProving = numbers.filter((_, i) => stateOf[i] !== proving)
    expect(table.details.map((d) => d.n).sort((a, b) => a - b)).toEqual(nonProving)
    expect(table.calls.sectorsStatus).toBe(nonProving.length)
    expect(table.calls.batches).toBeLessThanOrEqual(3)
    expect(table.targets.all).toHaveLength(63)
    // A running job shows on its sector's row.
    const withJob = Object.entries(table.jobs).find(([, jobs]) => jobs.some((j) => j.state === 'running'))
    expect(withJob).toBeDefined()
    expect(table.stuckMultiple).toBe(2)
  })
})

describe('the sector page', () => {
  it('diagnoses the ComputeProofFailed sector: Invalid vanilla proof → remove; what Lotus does next', async () => {
    const d = await waitFor('sector 36 to fail C1', 30_000, async () => {
      const x = await t.ok<SectorDetail>('sectors:status', ['site-1', 36])
      return x.diagnosis.findings.some((f) => f.title.key === 'findings.sector-error.invalid-vanilla-proof.title' || f.kind === 'retry-loop') ? x : null
    })
    const f = d.diagnosis.findings.find((x) => x.kind === 'sector-error' || x.kind === 'retry-loop')!
    expect(f.evidence.map((e) => e.value).join('\n')).toContain('computing seal proof failed(1): storage call error 0: StandaloneSealCommit: Invalid vanilla proof generated')
    expect(f.remedies.map((r) => r.action?.kind)).toContain('remove')
    expect(d.log.map((e) => e.name)).toContain('SectorComputeProofFailed')
    expect(d.log.find((e) => e.name === 'SectorComputeProofFailed')?.kind).toBe('event;sealing.SectorComputeProofFailed')
    expect(d.lastErr).not.toBe('')
    expect(d.updateTargets.all).toHaveLength(63)
    // Lotus's own counter decides what happens next: retry Committing, or re-seal from PreCommit1.
    if (d.state === 'ComputeProofFailed') expect(d.diagnosis.next?.key).toMatch(/^sectors\.next\.cpf-(retry|reseal)$/)
    const page = await t.fails('sectors:status', ['site-1', 999_999])
    expect(page.code).toBe('not-found')
  })

  it('finds the files of a sealing sector on the workers and checks them against its stage', async () => {
    const f = await t.ok<SectorFilesReport>('sectors:files', ['site-1', 37])
    expect(f.fileName).toBe(`s-t0${sim.sites[0]!.config.minerId}-37`)
    expect(f.problems).toEqual([])
    expect(f.locations.map((l) => l.kind).sort()).toEqual(['cache', 'sealed', 'unsealed'])
    for (const l of f.locations) expect(l.storage?.path).toMatch(/\/\.lotusworker-site-1-pc[12]$/)
    expect(f.check).toMatchObject({ stage: 'pc2', missing: [], empty: [], ok: true })
    const names = f.listings.flatMap((l) => l.entries.map((e) => e.rel)).filter(Boolean)
    expect(names).toEqual(expect.arrayContaining(['p_aux', 't_aux', 'sc-02-data-layer-11.dat', 'sc-02-data-tree-r-last-7.dat']))
    // The other site on the same host and login is never mixed in.
    expect(f.listings.every((l) => l.storage.path.includes('/site-1/'))).toBe(true)
  })

  it('storage find prints what lotus-miner storage find prints, and findsector lists every sector with s-t*', async () => {
    const r = await t.ok<StorageFindReport>('sectors:storageFind', ['site-1', 37])
    const cli = await sim.sshOk('site-1', 'lotus-miner storage find 37')
    const norm = (s: string) => s.split('\n').filter((l) => l.trim() !== '').sort()
    expect(norm(r.text)).toEqual(norm(cli))
    const all = await t.ok<FindFilesReport>('sectors:findFiles', ['site-1', 's-t*'])
    const sectors = new Set(all.listings.flatMap((l) => l.entries.map((e) => e.name)))
    for (const n of [37, 38, 39]) expect(sectors.has(`s-t0${sim.sites[0]!.config.minerId}-${n}`)).toBe(true)
    expect(all.listings.every((l) => l.entries.every((e) => e.rel === ''))).toBe(true)
    const one = await t.ok<FindFilesReport>('sectors:findFiles', ['site-1', '37'])
    expect(one.listings.flatMap((l) => l.entries.map((e) => e.rel))).toContain('p_aux')
  })
})

describe('update-state', () => {
  // A sector of its own, pledged now: in AddPiece/PC1 (no commit message) for the whole block,
  // whatever the site's initial pipeline (sectors 36–39) has reached by then.
  let n = 0
  beforeAll(async () => {
    n = (await sim.rpc<{ Number: number }>('site-1', 'miner', 'PledgeSector', [])).Number
  })
  it('refuses a state Lotus does not know (its CLI would exit 0) before anything reaches the site', async () => {
    const before = (await status(n)).Log.length
    const e = await t.fails('sectors:previewUpdateState', ['site-1', [n], 'Comitting'])
    expect(e.code).toBe('invalid-input')
    expect(e.message).toContain('did you mean Committing')
    const shape = await t.fails('sectors:previewUpdateState', ['site-1', [n], 'Committing; rm -rf ~'])
    expect(shape.code).toBe('invalid-input')
    const missing = await t.fails('sectors:previewUpdateState', ['site-1', [n, 9999], 'Committing'])
    expect(missing.code).toBe('not-found')
    expect(missing.message).toContain('9999')
    expect((await status(n)).Log.length).toBe(before)
    expect(t.audit().filter((a) => a.action === 'sector.update-state')).toEqual([])
  })

  it('refuses CommitWait to a sector with no commit message and PreCommitWait to one in the commit phase: nothing is sent', async () => {
    const sealing = await status(n)
    expect(sealing.CommitMsg).toBeNull()
    const logBefore = sealing.Log.length
    const cw = await t.fails('sectors:previewUpdateState', ['site-1', [n], 'commitwait'])
    expect(cw.code).toBe('mutation/refused')
    expect(cw.message).toContain('entered commit wait with no commit cid')
    // The C1-failed sector has its precommit on chain but is in the commit phase.
    const failed = await status(36)
    const pcw = await t.fails('sectors:previewUpdateState', ['site-1', [36], 'precommitwait'])
    expect(pcw.code).toBe('mutation/refused')
    expect(pcw.message).toContain(`sector 36 (${failed.State}) → PreCommitWait`)
    expect((await status(n)).Log.length).toBe(logBefore)
    expect(t.audit().filter((a) => a.action === 'sector.update-state')).toEqual([])
  })

  it('an explicit override sends it, audited as an override; Lotus then fails the sector as its handler does', async () => {
    const { preview, outcome } = await t.run('sectors:previewUpdateState', ['site-1', [n], 'commitwait', { override: true }])
    expect(preview.steps).toEqual([{ kind: 'api', host: 'site-1', text: `Filecoin.SectorsUpdate [${n},"CommitWait"]` }])
    expect(preview.params).toMatchObject({ sector: n, state: 'CommitWait', override: String(n) })
    expect(preview.warnings.map((w) => w.text).join('\n')).toContain(`OVERRIDE: sector ${n}`)
    expect(outcome.data).toEqual({ [String(n)]: 'ok' })
    // The forced state is applied when the sector's running handler returns (as Lotus's state
    // machine does): up to the longest task a sealing sector can be in, a PC1 at this speed.
    const s = await waitFor('Lotus to fail the forced CommitWait', 15_000 + (TASK_SECONDS.PC1 * 1000) / SPEED, async () => {
      const x = await status(n)
      return x.Log.some((l) => l.Trace.includes('entered commit wait with no commit cid')) ? x : null
    })
    expect(s.Log.some((l) => l.Kind === 'event;sealing.SectorForceState' && l.Message === '{"User":{"State":"CommitWait"}}')).toBe(true)
    expect(t.audit().filter((a) => a.action === 'sector.update-state').map((a) => [a.command, a.result, a.detail ?? ''])).toEqual([
      [`site-1: Filecoin.SectorsUpdate [${n},"CommitWait"]`, 'started', expect.stringMatching(new RegExp(`^override: sent although refused as unsafe \\(${n}: [a-z+-]*no-commit-message\\)$`))],
      [`site-1: Filecoin.SectorsUpdate [${n},"CommitWait"]`, 'ok', expect.any(String)]
    ])
  }, 180_000)

  it('bulk update-state: one step and one result per sector', async () => {
    const { preview, outcome } = await t.run('sectors:previewUpdateState', ['site-1', [3, 4, '5'], 'Proving'])
    expect(preview.steps.map((s) => s.text)).toEqual(['Filecoin.SectorsUpdate [3,"Proving"]', 'Filecoin.SectorsUpdate [4,"Proving"]', 'Filecoin.SectorsUpdate [5,"Proving"]'])
    expect(preview.warnings.map((w) => w.text).join('\n')).toContain('already in Proving')
    expect(outcome.data).toEqual({ '3': 'ok', '4': 'ok', '5': 'ok' })
    expect(outcome.steps.every((s) => s.status === 'ok')).toBe(true)
  })
})

describe('remove.sh', () => {
  it('aborts the sector\'s running job, then removes it; the typed sector number is required', async () => {
    // Its own sector, pledged now and waited for until its PC1 runs (AddPiece takes a second at this speed).
    const n = (await sim.rpc<{ Number: number }>('site-1', 'miner', 'PledgeSector', [])).Number
    await waitFor(`sector ${n}'s PC1 to run`, 30_000, async () => {
      const table = await t.ok<SectorTable>('sectors:list', ['site-1'])
      return (table.jobs[String(n)] ?? []).some((j) => j.state === 'running' && j.task === 'PC1')
    })
    const preview = await t.ok<MutationPreview>('sectors:previewRemove', ['site-1', [n]])
    expect(preview.confirm).toEqual({ kind: 'type', expected: String(n) })
    expect(preview.steps[0]?.text).toMatch(/^Filecoin\.SealingAbort \[\{"Sector":\{"Miner":\d+,"Number":\d+\},"ID":"[0-9a-f-]{36}"\}\]$/)
    expect(preview.steps.at(-1)?.text).toBe(`Filecoin.SectorRemove [${n}]`)
    const wrong = await t.fails('ops:execute', [preview.id, String(n + 1)])
    expect(wrong.code).toBe('mutation/not-confirmed')
    expect((await status(n)).State).not.toBe('Removed')
    const outcome = await t.ok<{ ok: boolean; data: Record<string, string> }>('ops:execute', [preview.id, String(n)])
    expect(outcome.ok).toBe(true)
    expect(outcome.data[String(n)]).toMatch(/^removed/)
    await waitFor(`sector ${n} to be Removed`, 30_000, async () => (await status(n)).State === 'Removed').catch(async (e) => {
      // For a post-mortem: the sector's last events.
      console.log(`sector ${n} log tail:`, JSON.stringify((await status(n)).Log.slice(-10).map((l) => [l.Kind, l.Trace.slice(0, 60)])))
      throw e
    })
    // Removing deleted the sector's files. The aborted PC1 keeps computing on its worker (Lotus
    // does not stop it: issues #5262, #9191) and may write another layer into a new cache
    // directory: stale files of a removed sector, what clearsector is for. Nothing else is left.
    const files = await t.ok<FindFilesReport>('sectors:findFiles', ['site-1', String(n)])
    const left = files.listings.flatMap((l) => l.entries.filter((e) => e.rel === '').map((e) => e.kind))
    expect(left.filter((k) => k !== 'cache')).toEqual([])
    const again = await t.fails('ops:execute', [preview.id, String(n)])
    expect(again.code).toBe('mutation/not-confirmed')
  })

  it('bulk remove asks for the number of sectors and reports each one', async () => {
    const preview = await t.ok<MutationPreview>('sectors:previewRemove', ['site-1', [20, 21]])
    expect(preview.confirm).toEqual({ kind: 'type', expected: '2' })
    expect(preview.warnings.map((w) => w.text).join('\n')).toContain('does NOT terminate it')
    const outcome = await t.ok<{ ok: boolean; data: Record<string, string> }>('ops:execute', [preview.id, '2'])
    expect(outcome.data).toEqual({ '20': 'removed', '21': 'removed' })
    await waitFor('sectors 20 and 21 to be Removed', 20_000, async () => (await status(20)).State === 'Removed' && (await status(21)).State === 'Removed')
  })
})

describe('pledge', () => {
  it('creates a committed-capacity sector and reports its number', async () => {
    const { preview, outcome } = await t.run('sectors:previewPledge', ['site-1'])
    expect(preview.steps).toEqual([{ kind: 'api', host: 'site-1', text: 'Filecoin.PledgeSector []' }])
    expect(outcome.ok).toBe(true)
    const n = Number(outcome.data?.sector)
    expect(n).toBeGreaterThanOrEqual(40)
    expect(outcome.steps[0]?.output).toBe(`Created CC sector:  ${n}`)
    expect((await status(n)).State).not.toBe('')
  })
})
