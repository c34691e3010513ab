import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditEntry, MutationOutcome, MutationPreview } from '../../preload/contract'
import type { AutopledgeState, SectorDetail } from '../../preload/contract/sectors'
import { createAppCore } from '../../electron/core/app/appCore'
import { dispatch } from '../../electron/core/runtime/dispatch'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { startSimSites, type SimSites } from '../support/simSites'
import { waitFor } from '../support/siteops'

/**
 * The sector subcommands of `npx minerdesk` against a simulated site over real sshd, as a script
 * runs them: status (status.sh --log), update-state / commitwait / remove / pledge with and
 * without --yes, hostile arguments refused with exit 2 before anything reaches the site, and
 * autopledge in the foreground — its state visible from another process, stopped from another
 * process, and not resumed after the process that ran it died.
 */
const BIN = resolve(__dirname, '../../electron/cli/bin.mjs')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

let sim: SimSites
let home: string

function start(...args: string[]): { child: ChildProcess; done: Promise<Run>; out: () => string } {
  const child = spawn(process.execPath, [BIN, '--ssh-config', sim.sshConfigPath, ...args], { env: { ...process.env, MINERDESK_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<Run>((r) => child.on('exit', (code) => r({ code, stdout, stderr })))
  return { child, done, out: () => stdout }
}
const cli = (...args: string[]): Promise<Run> => start(...args).done

function audit(): AuditEntry[] {
  const f = join(home, 'audit.log')
  if (!existsSync(f)) return []
  return readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEntry)
}
const status = (n: number) => sim.rpc<{ State: string; Log: { Kind: string; Message: string; Trace: string }[] }>('site-1', 'miner', 'SectorsStatus', [n, false])

beforeAll(async () => {
  sim = await startSimSites({ sites: 1, sectors: 40, speed: 60, scenarios: ['compute-proof-failed'] })
  home = mkdtempSync(join(tmpdir(), 'md-sectors-cli-'))
})
afterAll(async () => {
  await sim?.down()
  if (home) rmSync(home, { recursive: true, force: true })
})

describe('minerdesk sector subcommands', () => {
  it('status --log prints the state, the diagnosis and Lotus\'s event log', async () => {
    await waitFor('sector 36 to fail C1', 30_000, async () => (await status(36)).Log.some((l) => l.Kind === 'event;sealing.SectorComputeProofFailed'))
    const r = await cli('status', 'site-1', '36', '--log')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^SectorID:\s+36$/m)
    // The diagnosis is the health model's finding: title, cause, remedies with their commands.
    expect(r.stdout).toMatch(/CRITICAL +(C1 failed: Invalid vanilla proof generated|Sector\(s\) 36 failing over and over)/)
    expect(r.stdout).toContain('$ minerdesk remove site-1 36')
    expect(r.stdout).toMatch(/^Event Log:$/m)
    expect(r.stdout).toMatch(/\[event;sealing\.SectorComputeProofFailed\]/)
    const json = await cli('--json', 'status', 'site-1', '36', '--files')
    const parsed = JSON.parse(json.stdout) as { sector: SectorDetail; files: { fileName: string } }
    expect(parsed.sector.diagnosis.findings.map((f) => f.kind)).toEqual(expect.arrayContaining([expect.stringMatching(/^(sector-error|retry-loop)$/)]))
    expect(parsed.files.fileName).toMatch(/^s-t0\d+-36$/)
  })

  it('refuses hostile and mistyped arguments with exit 2, before anything reaches the site', async () => {
    const before = (await status(37)).Log.length
    const cases: string[][] = [
      ['update-state', 'site-1', '37;id', 'Committing'],
      ['update-state', 'site-1', '37', 'Comitting'],
      ['update-state', 'site-1', '37', 'Committing;reboot'],
      ['update-state', 'site-1', '99999999999999999999', 'Committing'],
      ['commitwait', 'site-1', '$(reboot)'],
      ['remove', 'site-1', '３７'],
      ['remove', 'site-1', '37', '../38'],
      ['status', 'site-1', '1e3'],
      ['storagefind', 'site-1', '0x25'],
      ['findsector', 'site-1', '../../etc/passwd'],
      ['findsector', 'site-1', 's-t*;rm -rf ~'],
      ['clearsector', 'site-1', '37', '70000'],
      ['clearsector', 'site-1', '37', '1;ls'],
      ['autopledge', 'site-1', '--target', '5;ls', '--yes'],
      ['update-state', "site-1'", '37', 'Committing']
    ]
    for (const args of cases) {
      const r = await cli(...args)
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
      expect(r.stderr, args.join(' ')).toMatch(/^minerdesk: /)
    }
    const typo = await cli('update-state', 'site-1', '37', 'Comitting')
    expect(typo.stderr).toContain('did you mean Committing')
    expect((await status(37)).Log.length).toBe(before)
    expect(audit()).toEqual([])
  })

  it('mutations print the preview and need --yes (exit 3 without); with --yes they run once and are audited', async () => {
    const dry = await cli('remove', 'site-1', '38')
    expect(dry.code).toBe(3)
    expect(dry.stdout).toContain('1. [api] site-1: Filecoin.SealingAbort')
    expect(dry.stdout).toContain('Filecoin.SectorRemove [38]')
    expect(dry.stdout).toContain('Not run. Add --yes to run it (it asks you to confirm 38).')
    expect((await status(38)).State).not.toBe('Removed')
    expect(audit()).toEqual([])

    // commitwait.sh on a sector with no commit message: refused before anything is sent (exit 3),
    // even with --yes; --force sends it, audited as an override, and Lotus fails it as it would.
    const logBefore = (await status(37)).Log.length
    const refused = await cli('commitwait', 'site-1', '37', '--yes')
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain('refused before anything was sent')
    expect(refused.stderr).toContain('entered commit wait with no commit cid')
    expect((await status(37)).Log.length).toBe(logBefore)
    expect(audit()).toEqual([])
    const cw = await cli('commitwait', 'site-1', '37', '--yes', '--force')
    expect(cw.code).toBe(0)
    expect(cw.stdout).toContain('OVERRIDE: sector 37')
    expect(cw.stdout).toContain('OK      site-1: Filecoin.SectorsUpdate [37,"CommitWait"]')
    expect(cw.stdout).toContain('37: ok')
    await waitFor('CommitWait forced, then failed by Lotus', 30_000, async () => (await status(37)).Log.some((l) => l.Trace.includes('entered commit wait with no commit cid')))

    const rm = await cli('--json', 'remove', 'site-1', '38', '--yes')
    expect(rm.code).toBe(0)
    const out = JSON.parse(rm.stdout) as { preview: MutationPreview; outcome: MutationOutcome }
    expect(out.outcome.data).toEqual({ '38': expect.stringMatching(/^removed/) })
    await waitFor('sector 38 Removed', 30_000, async () => (await status(38)).State === 'Removed')

    const pledge = await cli('--json', 'pledge', 'site-1', '--yes')
    const p = JSON.parse(pledge.stdout) as { outcome: MutationOutcome }
    expect(p.outcome.ok).toBe(true)
    expect(Number(p.outcome.data?.sector)).toBeGreaterThanOrEqual(40)

    const a = audit()
    expect(a.every((e) => e.via === 'cli')).toBe(true)
    expect(a.filter((e) => e.action === 'sector.remove' && e.result === 'ok').map((e) => e.command)).toContain('site-1: Filecoin.SectorRemove [38]')
    expect(a.filter((e) => e.action === 'sector.pledge').map((e) => e.result)).toEqual(['started', 'ok'])
  }, 120_000)

  it('autopledge runs in the foreground, shows its state to other processes, and stops from one of them', async () => {
    const idle = await cli('autopledge', 'site-1', '--status')
    expect(idle.stdout).toContain('site-1: stopped;')
    const run = start('autopledge', 'site-1', '--target', '100', '--interval', '10', '--yes')
    await waitFor('the first autopledge tick', 40_000, () => /pledged \d+; last: .* (pledged sector \d+|no-room)/.test(run.out()))
    const seen = await cli('--json', 'autopledge', 'site-1', '--status')
    const [st] = (JSON.parse(seen.stdout) as { autopledge: AutopledgeState[] }).autopledge
    expect(st).toMatchObject({ running: true, target: 100, intervalSec: 10 })
    expect(st?.owner).toBe(`another MinerDesk process (pid ${run.child.pid})`)
    const second = await cli('autopledge', 'site-1', '--target', '3', '--yes')
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('autopledge already runs for site-1')
    const stop = await cli('autopledge', 'site-1', '--stop')
    expect(stop.code).toBe(0)
    const ended = await run.done
    expect(ended.code).toBe(0)
    expect(ended.stdout).toContain('stopped (operator)')
    const pledges = audit().filter((e) => e.action === 'sector.autopledge' && e.command === 'site-1: Filecoin.PledgeSector []')
    expect(pledges.length).toBeGreaterThanOrEqual(2)
    // Each pledge is announced ("started", on disk) before it is sent, then its end is written.
    expect(pledges.map((e) => e.result).join(' ')).toMatch(/^(started ok ?)+$/)
  })

  it('is not resumed after the process that ran it died: the next host marks it stopped', async () => {
    const run = start('autopledge', 'site-1', '--target', '100', '--interval', '30', '--yes')
    await waitFor('autopledge to run', 30_000, () => run.out().includes('Autopledge runs'))
    run.child.kill('SIGKILL')
    await run.done
    const core = createAppCore({ host: 'web', version: 'test', secrets: createMemoryOnlySecretStore(), poll: false, home, sshConfig: { path: sim.sshConfigPath, mode: 'ephemeral' } })
    try {
      await core.start()
      const r = await dispatch(core.handlers, 'sectors:autopledgeStatus', ['site-1'], { via: 'web' })
      expect(r.ok && (r.value as AutopledgeState[])[0]).toMatchObject({ running: false, stopReason: 'host-restart', owner: null })
    } finally {
      await core.close()
    }
    expect(audit().some((e) => e.action === 'sector.autopledge' && e.detail?.includes('not resumed'))).toBe(true)
  })
})
