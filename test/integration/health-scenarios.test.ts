import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Finding, SiteFindings } from '../../preload/contract'
import { scaledDurations } from '../../electron/demo/demo'
import { SettingsStore } from '../../electron/core/settings/store'
import { startSimSites, type SimSites } from '../support/simSites'
import { waitFor } from '../support/siteops'

/**
 * The health model's scenarios through the real path: simulated sites behind real sshd, each
 * with one situation the simulator produces on demand, judged by `npx minerdesk findings` (and
 * `status` for a sector) in a fresh process, as an operator runs it. Each finding must name its
 * subject, its cause and its remedy with the command that applies it, and the remedy must work.
 */
const BIN = resolve(__dirname, '../../electron/cli/bin.mjs')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function cliOf(sim: () => SimSites, home: () => string) {
  return (...args: string[]): Promise<Run> =>
    new Promise((r) => {
      const child = spawn(process.execPath, [BIN, '--ssh-config', sim().sshConfigPath, ...args], {
        env: { ...process.env, LC_ALL: 'en_US.UTF-8', MINERDESK_HOME: home() },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      child.on('exit', (code) => r({ code, stdout, stderr }))
    })
}

const findingsIn = (r: Run): Finding[] => (JSON.parse(r.stdout) as { sites: SiteFindings[] }).sites.flatMap((s) => s.findings)

// Both groups of sites at once, every test side by side: each waits on its own site's situation.
describe('scenarios side by side: worker-disabled and sync-bad-block at speed 60; retry-loop, ret-wait-after-restart, aggregate-invalid-proof, late-block, checkprovable-timeout, slow-windowpost at speed 300', () => {
  let sim60: SimSites
  let home60: string
  const cli60 = cliOf(() => sim60, () => home60)
  let sim: SimSites
  let home: string
  const cli = cliOf(() => sim, () => home)

  beforeAll(async () => {
    // 300×: 48 sectors: 0–43 Proving, 44 Committing, 45 WaitSeed, 46 PreCommit2, 47 PreCommit1.
    // Each site's Proving sectors in the deadline that opens three after the one open at start (18 s here).
    const [at60, at300] = await Promise.all([
      startSimSites({ sites: 2, sectors: 40, speed: 60, scenarios: { 'site-1': ['worker-disabled'], 'site-2': ['sync-bad-block'] } }),
      startSimSites({
        sites: 4,
        sectors: 48,
        speed: 300,
        deadlines: 'soon',
        scenarios: { 'site-1': ['retry-loop'], 'site-2': ['ret-wait-after-restart'], 'site-3': ['aggregate-invalid-proof', 'late-block', 'checkprovable-timeout'], 'site-4': ['slow-windowpost'] }
      })
    ])
    sim60 = at60
    sim = at300
    home60 = mkdtempSync(join(tmpdir(), 'md-health-scenarios-'))
    home = mkdtempSync(join(tmpdir(), 'md-health-logs-'))
    // site-2 as the demo configures a simulated site: the runbook's durations at its speed, so
    // a job's expected end means the same as on a real site.
    const store = new SettingsStore({ home })
    store.addSite({ alias: 'site-1' })
    const site = store.addSite({ alias: 'site-2' })
    store.addSite({ alias: 'site-3' })
    store.addSite({ alias: 'site-4' })
    store.updateSite(site.id, { durations: scaledDurations(300) })
  }, 120_000)
  afterAll(async () => {
    await Promise.all([sim?.down(), sim60?.down()])
    for (const h of [home, home60]) if (h) rmSync(h, { recursive: true, force: true })
  })

  it.concurrent('worker-disabled: one critical finding for the worker with its jobs and sectors, not one per job', async () => {
    // The miner's heartbeat (every 10 s) finds the PC1 worker's session check failing once its PC1 runs.
    const host = await waitFor('the miner to disable a worker holding a job', 60_000, async () => {
      const stats = await sim60.rpc<Record<string, { Info: { Hostname: string }; Enabled: boolean }>>('site-1', 'miner', 'WorkerStats')
      const jobs = await sim60.rpc<Record<string, unknown[]>>('site-1', 'miner', 'WorkerJobs')
      const off = Object.entries(stats).find(([id, w]) => !w.Enabled && (jobs[id]?.length ?? 0) > 0)
      return off ? off[1].Info.Hostname : null
    }, 1000)
    const json = await cli60('findings', 'site-1', '--json')
    expect(json.stderr).toBe('')
    expect(json.code).toBe(1) // a critical finding
    const down = findingsIn(json).filter((f) => f.kind === 'worker-down')
    expect(down).toHaveLength(1)
    const f = down[0]!
    expect(f).toMatchObject({ severity: 'critical', subject: { kind: 'worker', label: host }, title: { key: 'findings.worker-down.disabled.title' } })
    const sectors = f.related.filter((r) => r.kind === 'sector').map((r) => r.id)
    expect(sectors.length).toBeGreaterThan(0)
    expect(f.related.some((r) => r.kind === 'job')).toBe(true)
    // Its jobs are under it, not overdue findings of their own.
    expect(findingsIn(json).filter((x) => x.kind === 'stage-overdue' && x.related.some((r) => r.kind === 'worker' && r.id === f.subject.id))).toEqual([])

    const text = await cli60('findings', 'site-1')
    expect(text.stdout).toContain(`CRITICAL Worker ${host} is disabled while holding`)
    expect(text.stdout).toContain(`Cause: The miner cannot reach ${host} (its session check failed)`)
    expect(text.stdout).toMatch(/Remedy: +1\. Check .*lotus-worker process/)
    expect(text.stdout).toContain(`$ minerdesk wps site-1 ${host}`)
    expect(text.stdout).toContain(`$ minerdesk killw site-1 ${host}`)

    // The sector's page (status) names the same finding.
    const status = await cli60('status', 'site-1', sectors[0]!)
    expect(status.stdout).toContain(`Worker ${host} is disabled while holding`)
    // The remedy's command works: wps lists the worker's process on its host.
    const wps = await cli60('wps', 'site-1', host)
    expect(wps.code).toBe(0)
    expect(wps.stdout).toMatch(/lotus-worker/)
  }, 120_000)

  it.concurrent('sync-bad-block: the sync worker in the error stage with Lotus\'s message; check-bad names the reason, unmark-bad clears it', async () => {
    const json = await waitFor('a sync error finding', 60_000, async () => {
      const r = await cli60('findings', 'site-2', '--json')
      return findingsIn(r).some((f) => f.kind === 'sync-error') ? r : null
    }, 1000)
    const f = findingsIn(json).find((x) => x.kind === 'sync-error')!
    expect(f.subject.kind).toBe('sync-worker')
    expect(f.title.key).toBe('findings.sync-error.bad-block.title')
    expect(f.evidence.map((e) => e.value).join('\n')).toMatch(/chain linked to block marked previously as bad \(\[bafy\w+\], bafy\w+\) \(reason: parent state root did not match/)
    const actions = f.remedies.map((r) => r.action?.kind)
    expect(actions).toEqual(['sync-check-bad', 'sync-unmark-bad'])
    const cid = (f.remedies[0]!.action as { cid: string }).cid

    const text = await cli60('findings', 'site-2')
    expect(text.stdout).toContain(`$ minerdesk sync-check-bad site-2 ${cid}`)
    expect(text.stdout).toContain(`$ minerdesk sync-unmark-bad site-2 ${cid}`)

    // The remedies, as printed: check-bad tells why; unmark-bad previews, then runs with --yes.
    const check = await cli60('sync-check-bad', 'site-2', cid)
    expect(check.code).toBe(0)
    expect(check.stdout).toMatch(/^parent state root did not match computed state/)
    const preview = await cli60('sync-unmark-bad', 'site-2', cid)
    expect(preview.code).toBe(3)
    expect(preview.stdout).toContain('SyncUnmarkBad')
    expect(await sim60.rpc<string>('site-2', 'daemon', 'SyncCheckBad', [{ '/': cid }])).not.toBe('')
    const run = await cli60('sync-unmark-bad', 'site-2', cid, '--yes')
    expect(run.code).toBe(0)
    expect(await sim60.rpc<string>('site-2', 'daemon', 'SyncCheckBad', [{ '/': cid }])).toBe('')
    const after = await cli60('findings', 'site-2', '--json')
    expect(findingsIn(after).filter((x) => x.kind === 'sync-error')).toEqual([])
  }, 120_000)

  it.concurrent('retry-loop: a sector failing over and over is one finding with its failures counted, the last cause and its remedy', async () => {
    // Sector 46 is in PreCommit2 when the site starts; each of its PC2s fails on a full disk (four
    // retries, then PC1 again, then PC2 again …).
    const loop = await waitFor('a retry loop of sector 46', 90_000, async () => {
      const r = await cli('findings', 'site-1', '--json')
      return findingsIn(r).find((f) => f.kind === 'retry-loop' && f.related.some((x) => x.kind === 'sector' && x.id === '46')) ?? null
    }, 2000)
    expect(loop.severity).toBe('critical')
    expect(Number(loop.title.params.failures)).toBeGreaterThanOrEqual(5)
    expect(String(loop.cause.params.last)).toMatch(/seal pre commit\(2\) failed: .*no space left on device/)
    // The remedy for the cause (the PC2 worker's disk), then removing the sector.
    expect(loop.remedies.map((r) => r.text.key)).toEqual(['findings.sector-error.pc2-failed.remedy.worker', 'findings.sector-error.pc2-failed.remedy.pc2', 'findings.retry-loop.remedy.remove'])
    expect(loop.remedies.at(-1)?.action).toEqual({ kind: 'remove', sectors: [46] })
    // The sector's page says the same, with the failures, the last cause and the command.
    const status = await cli('status', 'site-1', '46')
    expect(status.stdout).toMatch(/CRITICAL +Sector\(s\) 46 failing over and over: \d+ failures in /)
    expect(status.stdout).toContain('no space left on device')
    expect(status.stdout).toContain('$ minerdesk remove site-1 46')
  }, 120_000)

  it.concurrent('ret-wait-after-restart: results lost while the miner was down are one finding naming each call, and aborting it lets the sector retry', async () => {
    const zero = '00000000-0000-0000-0000-000000000000'
    type Jobs = Record<string, { ID: { ID: string }; Sector: { Number: number }; Task: string; RunWait: number }[]>
    // Sealing calls running on the workers (PC2 of 46 takes 12 s here, PC1 of 47 38 s).
    await waitFor('a call running on a worker', 30_000, async () => {
      const jobs = await sim.rpc<Jobs>('site-2', 'miner', 'WorkerJobs')
      return Object.entries(jobs).some(([w, l]) => w !== zero && l.some((j) => j.RunWait === 0 && /precommit/.test(j.Task))) || null
    }, 500)
    // The miner stops (as `lotus-miner stop`); a call finishes meanwhile and its worker gives the result up.
    await sim.rpc('site-2', 'miner', 'Shutdown').catch(() => undefined)
    await waitFor('a worker to give a result up', 60_000, async () => {
      const r = await sim.ssh('site-2', 'cat worker-*.log')
      return r.stdout.includes('failed to return results') ? true : null
    }, 1000)
    await sim.sshOk('site-2', './runminer.sh')
    // Back up, the miner lists that call in ret-wait under the all-zero worker and nothing collects
    // it: found once it has waited the threshold (a minute) beyond its expected end.
    const f = await waitFor('a job-uncollected finding', 120_000, async () => {
      const r = await cli('findings', 'site-2', '--json')
      if (r.code === null || r.stdout === '') return null
      return findingsIn(r).find((x) => x.kind === 'job-uncollected') ?? null
    }, 2000)
    expect(f.title.key).toBe('findings.job-uncollected.ret-wait.title')
    const abort = f.remedies.find((r) => r.action?.kind === 'abort')
    expect(abort).toBeDefined()
    const job = (abort!.action as { job: string }).job
    const listed = (await sim.rpc<Jobs>('site-2', 'miner', 'WorkerJobs'))[zero]?.find((j) => j.ID.ID.startsWith(job))
    expect(listed).toMatchObject({ RunWait: -1 })
    const text = await cli('findings', 'site-2')
    expect(text.stdout).toContain(`$ minerdesk abort site-2 ${job.slice(0, 8)}`)
    // The remedy, as printed (the id's first 8 characters, as `sealing jobs` shows it): previews,
    // then runs with --yes; the call is gone and its sector goes on.
    expect((await cli('abort', 'site-2', job.slice(0, 8))).code).toBe(3)
    const run = await cli('abort', 'site-2', job.slice(0, 8), '--yes')
    expect(run.code).toBe(0)
    const after = await sim.rpc<Jobs>('site-2', 'miner', 'WorkerJobs')
    expect((after[zero] ?? []).some((j) => j.ID.ID.startsWith(job))).toBe(false)
    // The sector's state machine retries the step: a new call for it, or it has moved on.
    const n = listed!.Sector.Number
    await waitFor(`sector ${n} to retry ${listed!.Task}`, 30_000, async () => {
      const jobs = await sim.rpc<Jobs>('site-2', 'miner', 'WorkerJobs')
      const again = Object.values(jobs).some((l) => l.some((j) => j.Sector.Number === n && !j.ID.ID.startsWith(job)))
      const st = await sim.rpc<{ Log: { Kind: string }[] }>('site-2', 'miner', 'SectorsStatus', [n, true])
      return again || st.Log.some((e) => /SectorSealPreCommit[12]Failed/.test(e.Kind)) || null
    }, 500)
  }, 240_000)

  it.concurrent('aggregate-invalid-proof: the commit batch failing before it is sent is one finding; with the miner log read, its exit 16 and the remedy for it', async () => {
    // Sector 44 is in Committing when the site starts; every aggregate holding it fails the actor's verification.
    const unread = await waitFor('the sectors going round SubmitCommit', 90_000, async () => {
      const r = await cli('findings', 'site-3', '--json')
      return findingsIn(r).find((f) => f.kind === 'commit-failed' && f.related.some((x) => x.id === '44')) ?? null
    }, 2000)
    expect(unread.title.key).toBe('findings.commit-failed.batch-unread.title')
    expect(unread.remedies[0]!.action).toEqual({ kind: 'read-logs' })
    // The remedy as printed: read the logs; then the exit code and what to do about it.
    const text = await cli('findings', 'site-3')
    expect(text.stdout).toContain('$ minerdesk findings site-3 --logs')
    const withLogs = await cli('findings', 'site-3', '--logs', '--json')
    const f = findingsIn(withLogs).find((x) => x.kind === 'commit-failed' && x.related.some((y) => y.id === '44'))!
    expect(f.title).toMatchObject({ key: 'findings.commit-failed.batch.title', params: { code: 16, name: 'ErrIllegalArgument' } })
    expect(String(f.cause.params.reason)).toContain('aggregate seal verify failed')
    expect(f.remedies[0]!.text.key).toBe('findings.commit-failed.batch.remedy.no-aggregate')
    const printed = await cli('findings', 'site-3', '--logs')
    expect(printed.stdout).toContain('AggregateCommits = false')
  }, 180_000)

  it.concurrent('late-block and checkprovable-timeout: found in the miner log read over SSH, and by a proving check with the remedy for slow storage', async () => {
    // The miner wins a block every 20 epochs (2 s here) and logs that producing it took past the block time.
    const late = await waitFor('a late block in the miner log', 60_000, async () => {
      const r = await cli('findings', 'site-3', '--logs', '--json')
      if (r.stdout === '') return null
      return findingsIn(r).find((f) => f.kind === 'late-block') ?? null
    }, 2000)
    expect(late).toMatchObject({ severity: 'critical', subject: { kind: 'block' } })
    expect(late.evidence.some((e) => e.label === 'evidence.minerLog' && e.value.includes('CAUTION: block production took us past the block time'))).toBe(true)
    // Every 16th sector's vanilla proof misses the check's timeout: the check says so, sector by sector, and what to do.
    const maddr = await sim.rpc<string>('site-3', 'miner', 'ActorAddress')
    const dl = String((await sim.rpc<{ Deadline: number }>('site-3', 'daemon', 'StateSectorPartition', [maddr, 5, []])).Deadline)
    const check = await cli('proving-check', 'site-3', dl, '--json')
    expect(check.code, `${check.stdout.slice(0, 400)}\n${check.stderr}`).toBe(1)
    const result = JSON.parse(check.stdout) as { bad: number; rows: { sector: number; ok: boolean; reason?: string }[]; findings: Finding[] }
    expect(result.rows.filter((r) => !r.ok).map((r) => r.sector)).toContain(5)
    expect(result.rows.filter((r) => !r.ok).every((r) => r.sector % 16 === 5)).toBe(true)
    expect(result.findings).toHaveLength(1)
    expect(result.findings[0]).toMatchObject({ kind: 'proving-check', title: { key: 'findings.proving-check.timeout.title' } })
    // Critical while some are not faulty yet; a warning once their deadline's WindowPoSt skipped them
    // and they are faulty already (the deadline opens within 18 s here).
    expect(['critical', 'warning']).toContain(result.findings[0]!.severity)
    expect(result.findings[0]!.remedies.at(-1)?.action).toEqual({ kind: 'proving-check', deadline: Number(dl) })
    const text = await cli('proving-check', 'site-3', dl)
    expect(text.stdout).toContain('SingleCheckTimeout')
    expect(text.stdout).toContain(`$ minerdesk proving-check site-3 ${dl}`)
  }, 120_000)

  it.concurrent('slow-windowpost: a WindowPoSt computed past its window, read from the miner log over SSH, for its own deadline', async () => {
    const maddr = await sim.rpc<string>('site-4', 'miner', 'ActorAddress')
    const dl = (await sim.rpc<{ Deadline: number }>('site-4', 'daemon', 'StateSectorPartition', [maddr, 0, []])).Deadline
    const slow = await waitFor('a slow WindowPoSt in the miner log', 90_000, async () => {
      const r = await cli('findings', 'site-4', '--logs', '--json')
      if (r.stdout === '') return null
      // Sectors sealed during the test may land in another deadline, whose proof is slow too: this one's.
      return findingsIn(r).find((f) => f.kind === 'wdpost-slow' && f.subject.id === String(dl)) ?? null
    }, 2000)
    expect(slow).toMatchObject({ severity: 'critical', subject: { kind: 'deadline', id: String(dl) }, title: { key: 'findings.wdpost-slow.missed.title' } })
    // Computing took longer than the window (60 epochs of 0.1 s here), as the log says.
    expect(Number(slow.cause.params.percent)).toBeGreaterThanOrEqual(100)
    expect(slow.evidence.some((e) => e.label === 'evidence.minerLog' && e.value.includes('computing window post'))).toBe(true)
    expect(slow.remedies.at(-1)?.action).toEqual({ kind: 'proving-check', deadline: dl })
  }, 120_000)
})
