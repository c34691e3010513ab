import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EPOCH_SECONDS, WPOST_PROVING_PERIOD } from '../../electron/sim/common/clock'
import { bootSite, createTestSite, minerRpc, prepareBundle, type Booted, type TestSite } from '../support/sim/minerSite'

/**
 * A pledged sector sealed by real worker processes: the states of current Lotus's CC pipeline in
 * order, the jobs on the right workers, its files appearing stage by stage on the workers' paths
 * and ending finalized in long-term storage; and WindowPoSt proofs submitted for the site's
 * sectors when their deadline opens.
 */

const SPEED = 600
/**
 * The sectors' deadline opens twelve deadlines (about 36 s) after the site is created, while the
 * pipeline test runs, then every proving period (144 s): two periods.
 */
const POST_WAIT_MS = ((2 * WPOST_PROVING_PERIOD * EPOCH_SECONDS) / SPEED) * 1000 + 30_000

let dir: string
let site: TestSite
let booted: Booted

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mdsim-miner-pipeline-'))
  const bundle = await prepareBundle(dir)
  site = await createTestSite({ dir, bundle, speed: SPEED, sectors: 20, sectorDeadlines: { after: 12 } })
  booted = await bootSite(site)
}, 120_000)

afterAll(async () => {
  await site?.stopAll()
  rmSync(dir, { recursive: true, force: true })
})

function ls(path: string): string[] {
  return existsSync(path) ? readdirSync(path).sort() : []
}

interface Sample {
  state: string
  files: Record<string, string[]>
  jobs: { task: string; host: string; runWait: number }[]
}

describe('a pledged CC sector', () => {
  it('goes Packing → … → Proving, on the right workers, with its files at each stage', async () => {
    const { Number: n } = await minerRpc<{ Number: number }>(site, 'PledgeSector')
    const name = `s-t0${site.cfg.minerId}-${n}`
    const pc1 = site.cfg.workers.find((w) => w.kind === 'pc1')?.repo as string
    const pc2 = site.cfg.workers.find((w) => w.kind === 'pc2')?.repo as string
    const store = site.cfg.storePaths[0] as string
    const samples: Sample[] = []
    const t0 = Date.now()
    for (;;) {
      const st = await minerRpc<{ State: string }>(site, 'SectorsStatus', [n, false])
      const stats = await minerRpc<Record<string, { Info: { Hostname: string } }>>(site, 'WorkerStats')
      const jobs = await minerRpc<Record<string, { Sector: { Number: number }; Task: string; RunWait: number }[]>>(site, 'WorkerJobs')
      const files: Record<string, string[]> = {}
      for (const [label, p] of [['pc1', pc1], ['pc2', pc2], ['store', store]] as const) {
        files[`${label}/unsealed`] = ls(join(p, 'unsealed')).filter((f) => f === name)
        files[`${label}/sealed`] = ls(join(p, 'sealed')).filter((f) => f === name)
        files[`${label}/cache`] = ls(join(p, 'cache', name))
      }
      samples.push({
        state: st.State,
        files,
        jobs: Object.entries(jobs).flatMap(([wid, list]) =>
          list.filter((j) => j.Sector.Number === n).map((j) => ({ task: j.Task, host: stats[wid]?.Info.Hostname ?? '', runWait: j.RunWait }))
        )
      })
      if (st.State === 'Proving') break
      if (Date.now() - t0 > 150_000) throw new Error(`sector stuck in ${st.State}`)
      await new Promise((r) => setTimeout(r, 100))
    }

    const states = samples.map((s) => s.state).filter((s, i, a) => a[i - 1] !== s)
    const order = ['Packing', 'GetTicket', 'PreCommit1', 'PreCommit2', 'SubmitPreCommitBatch', 'PreCommitBatchWait', 'WaitSeed', 'Committing', 'SubmitCommitAggregate', 'CommitAggregateWait', 'FinalizeSector', 'Proving']
    expect(states.every((s) => order.includes(s))).toBe(true)
    expect(states.map((s) => order.indexOf(s))).toEqual([...states.map((s) => order.indexOf(s))].sort((a, b) => a - b))
    for (const s of ['PreCommit1', 'PreCommit2', 'WaitSeed', 'FinalizeSector', 'Proving']) expect(states).toContain(s)

    const st = await minerRpc<{ Log: { Kind: string }[] }>(site, 'SectorsStatus', [n, false])
    expect(st.Log.map((l) => l.Kind.replace('event;sealing.', ''))).toEqual([
      'SectorStartCC', 'SectorPacked', 'SectorTicket', 'SectorPreCommit1', 'SectorPreCommit2', 'SectorPreCommitBatchSent',
      'SectorPreCommitLanded', 'SectorSeedReady', 'SectorCommitted', 'SectorCommitAggregateSent', 'SectorProving', 'SectorFinalized'
    ])

    // Jobs ran where their task types are: PC1 on the PC1 box, PC2 on the PC2 box, C2 on the C2
    // box, GET (moving the sector to long-term storage) on the miner's own worker.
    const ran = new Map<string, Set<string>>()
    for (const s of samples) for (const j of s.jobs) if (j.runWait === 0) (ran.get(j.task) ?? ran.set(j.task, new Set()).get(j.task))?.add(j.host)
    expect([...(ran.get('seal/v0/precommit/1') ?? [])]).toEqual(['site-1-pc1'])
    expect([...(ran.get('seal/v0/precommit/2') ?? [])]).toEqual(['site-1-pc2'])
    if (ran.has('seal/v0/commit/2')) expect([...(ran.get('seal/v0/commit/2') ?? [])]).toEqual(['site-1-c2'])
    if (ran.has('seal/v0/fetch')) expect([...(ran.get('seal/v0/fetch') ?? [])]).toEqual(['site-1'])

    // PC1 writes the 11 layers one after another on the PC1 box, next to the unsealed file.
    const pc1Samples = samples.filter((s) => s.state === 'PreCommit1')
    const layerCounts = pc1Samples.map((s) => (s.files['pc1/cache'] ?? []).filter((f) => f.startsWith('sc-02-data-layer-')).length)
    expect(layerCounts.some((c) => c > 0 && c < 11)).toBe(true)
    expect(pc1Samples.every((s) => (s.files['pc1/unsealed'] ?? []).length === 1)).toBe(true)
    // PC2 works on the PC2 box (the cache was fetched there) and ends with the sealed replica.
    const waitSeed = samples.find((s) => s.state === 'WaitSeed') as Sample
    expect(waitSeed.files['pc2/sealed']).toEqual([name])
    const cacheAtSeed = waitSeed.files['pc2/cache'] ?? []
    expect(cacheAtSeed).toEqual(
      [
        ...Array.from({ length: 11 }, (_, i) => `sc-02-data-layer-${i + 1}.dat`),
        'sc-02-data-tree-d.dat',
        ...Array.from({ length: 8 }, (_, i) => `sc-02-data-tree-c-${i}.dat`),
        ...Array.from({ length: 8 }, (_, i) => `sc-02-data-tree-r-last-${i}.dat`),
        'p_aux',
        't_aux'
      ].sort()
    )
    expect(waitSeed.files['pc1/cache']).toEqual([])
    // Finalized: sealed + the pruned cache in the store, nothing left on the workers.
    const last = samples[samples.length - 1] as Sample
    expect(last.files['store/sealed']).toEqual([name])
    expect(last.files['store/cache']).toEqual(['p_aux', ...Array.from({ length: 8 }, (_, i) => `sc-02-data-tree-r-last-${i}.dat`), 't_aux'].sort())
    for (const k of ['pc1/unsealed', 'pc1/cache', 'pc2/sealed', 'pc2/cache', 'store/unsealed']) expect(last.files[k], k).toEqual([])
    const find = site.run('lotus-miner', ['storage', 'find', String(n)])
    expect(find.stdout).toContain(`(Sealed, Cache)\n\tSealing: false; Storage: true\n\tLocal (${store})`)
  }, 200_000)

  it('the miner submits WindowPoSt for its sectors when their deadline opens', async () => {
    const dl = site.cfg.sectorDeadlines?.[0] as number
    // The deadline's challenge window lasts ~4 s here (speed 600): a miner starved of CPU by the
    // other test files can miss it, as a real one can, and proves the next time it opens, one
    // proving period (144 s) later.
    const line = await booted.miner.waitFor(new RegExp(`Window post submission successful.*"deadline": ${dl}\\b`), POST_WAIT_MS)
    expect(line).toMatch(/\tINFO\twdpost\twdpost\/wdpost_run\.go:658\tWindow post submission successful\t\{"cid": "bafy2bzace\w+", "deadline": \d+, "epoch": \d+, "ts": \[/)
    await booted.miner.waitFor(/\tWARN\twdpost\twdpost\/wdpost_run\.go:236\tChecked sectors\t\{"checked": \d+, "good": \d+\}/, 1000)
    // The proof lands 1–2 epochs after it is pushed, and the actor clears PostSubmissions when
    // the deadline closes: look while the deadline is open; once it has closed, a proven
    // partition shows as no faults.
    const rowOf = (): string => site.run('lotus-miner', ['proving', 'deadlines']).stdout.split('\n').find((l) => l.startsWith(`${dl} `)) ?? ''
    let row = rowOf()
    for (let i = 0; i < 40 && !/^\d+ +\d\d:\d\d:\d\d +1 +\d+ \(0\) +1/.test(row) && row.includes('(current)'); i++) {
      await new Promise((r) => setTimeout(r, 250))
      row = rowOf()
    }
    if (row.includes('(current)')) expect(row).toMatch(/^\d+ +\d\d:\d\d:\d\d +1 +\d+ \(0\) +1/)
    else expect(row).toMatch(/^\d+ +\d\d:\d\d:\d\d +1 +\d+ \(0\)/)
  }, POST_WAIT_MS + 20_000)
})
