import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_START_COMMANDS, type AuditEntry } from '../../preload/contract'
import type { RestartRun } from '../../preload/contract/restart'
import { SettingsStore } from '../../electron/core/settings/store'
import { operatorIdentity } from '../../electron/core/team/identity'
import { secretFingerprint } from '../../electron/core/util/redact'
import { createFullDisk, auditLineLength, type FullDisk } from '../support/fullDisk'
import { cleanupHome, cliBundle, homeWithSites, reportOf, runCli, siteProcs, testCore, type CliRun } from '../support/restartHarness'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * Secrets and a full disk, through the real CLI against a simulated site behind real sshd:
 * - a whole restart of a site whose miner gets FULLNODE_API_INFO (an admin token) from its start
 *   command, with that variable in the expected environment: afterwards no file of
 *   MINERDESK_HOME, no export and no CLI output holds the token or anything token-shaped;
 * - a full disk (a small tmpfs as root, injected ENOSPC otherwise) before an action (nothing
 *   runs) and right after it (it ran: exit 5, never a failure inviting a retry; the cut line
 *   swallows nothing and `audit verify` still passes), and in the middle of a restart (the
 *   previous restart state stays whole, the operator is told, the next command is not started).
 */

let sim: SimSites
let cli: string
let disk: FullDisk
const homes: string[] = []

beforeAll(async () => {
  ;[sim, cli] = await Promise.all([startSimSites({ sites: 1, sectors: 20, speed: 60, workers: { pc1: 1, pc2: 0, c2: 0 } }), cliBundle()])
  disk = createFullDisk()
}, 150_000)

afterAll(async () => {
  disk?.free()
  disk?.close()
  await sim?.down()
  for (const h of homes) cleanupHome(h)
})

/** Every file under `dir`, with its text. */
function filesUnder(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = statSync(p)
    if (st.isDirectory()) out.push(...filesUnder(p))
    else if (st.isFile()) out.push({ path: p, text: readFileSync(p, 'utf8') })
  }
  return out
}

/** A JWT (Lotus token): base64url JSON header `{"…` = eyJ, three dot-separated parts. */
const TOKEN_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/

async function done(r: CliRun): Promise<{ code: number | null; out: string }> {
  const code = await r.done
  return { code, out: `${r.lines.join('\n')}\n${r.stderr()}` }
}

const sectorCount = async (): Promise<number> => (await sim.rpc<number[]>('site-1', 'miner', 'SectorsList', [])).length

describe('secrets stay secret', () => {
  it('a whole restart with FULLNODE_API_INFO set by the start command and expected: no token on disk, in exports or in the CLI output', async () => {
    const info = (await sim.sshOk('site-1', 'lotus auth api-info --perm admin')).trim()
    const value = info.replace(/^FULLNODE_API_INFO=/, '')
    const token = value.slice(0, value.indexOf(':/'))
    expect(token).toMatch(TOKEN_SHAPE)
    const fp = `[token ${secretFingerprint(token)}]`

    const home = homeWithSites(sim)
    homes.push(home)
    // As the operator does it in the window: the change goes through the contract (and the audit log).
    const t = testCore(home)
    await t.call('sites:update', 'site-1', {
      expectedEnv: { FULLNODE_API_INFO: value, FIL_PROOFS_MAXIMIZE_CACHING: '1' },
      startCommands: { ...DEFAULT_START_COMMANDS, miner: 'export $(lotus auth api-info --perm admin) && ./runminer.sh' }
    })
    await t.close()

    const outputs: string[] = []
    const plan = await done(runCli(cli, home, ['restart', 'site-1', '--plan']))
    outputs.push(plan.out)
    expect(plan.out).toContain(`${fp}:/ip4/`)

    const r = runCli(cli, home, ['restart', 'site-1', '--yes', '--json', '--wait-window'])
    const restart = await done(r)
    outputs.push(restart.out)
    expect(restart.code, restart.out).toBe(0)
    const run = reportOf(r).sites[0]!.run as RestartRun
    expect(run.phase).toBe('done')
    // The started miner has the token, and the check saw it match, by fingerprint.
    const envOk = run.steps.find((s) => s.id === 'startMiner')!.observations.find((o) => o.code === 'env-ok')
    expect(envOk, JSON.stringify(run.steps.find((s) => s.id === 'startMiner')!.observations)).toBeTruthy()
    expect(run.precheck!.env.rows.find((row) => row.name === 'FULLNODE_API_INFO')).toMatchObject({ expected: `${fp}:${value.slice(token.length + 1)}` })
    const miner = siteProcs(sim, 'site-1').miner[0]!
    expect(readFileSync(`/proc/${miner.pid}/environ`, 'utf8')).toContain(`FULLNODE_API_INFO=${value}`)

    for (const args of [['restart-report', 'site-1'], ['--json', 'restart-report', 'site-1'], ['--json', 'audit', '--limit', '500'], ['audit', '--limit', '500'], ['--json', 'sites']]) {
      const o = await done(runCli(cli, home, args))
      expect(o.code, `${args.join(' ')}\n${o.out}`).toBe(0)
      outputs.push(o.out)
    }
    const t2 = testCore(home)
    const exports = [await t2.call('restart:report', run.id, 'json'), await t2.call('restart:report', run.id, 'markdown')]
    const got = await t2.call('restart:get', run.id)
    await t2.close()

    const everything = [
      ...filesUnder(home).map((f) => ({ where: f.path, text: f.text })),
      ...exports.map((e) => ({ where: e.filename, text: e.content })),
      { where: 'restart:get', text: JSON.stringify(got) },
      ...outputs.map((text, i) => ({ where: `CLI output ${i}`, text }))
    ]
    for (const { where, text } of everything) {
      expect(text.includes(token), `${where} holds the token`).toBe(false)
      expect(TOKEN_SHAPE.exec(text)?.[0], `${where} holds something token-shaped`).toBeUndefined()
    }
    // What was there instead: the fingerprint, in the settings, the run file, the exports and the audit of the change.
    const settings = readFileSync(join(home, 'settings.json'), 'utf8')
    expect(settings).toContain(fp)
    expect(readFileSync(join(home, 'wizard', 'runs', `${run.id}.json`), 'utf8')).toContain(fp)
    expect(exports[1]!.content).toContain(fp)
    const audit = readFileSync(join(home, 'audit.log'), 'utf8')
    expect(audit).toMatch(new RegExp(`expectedEnv\\.FULLNODE_API_INFO: \\(none\\) → \\\\"${fp.replace(/[[\]]/g, '\\$&')}:/ip4/`))
    expect(audit).toContain('startCommands.miner: \\"nohup lotus-miner run >> miner.log 2>&1 < /dev/null &\\" → \\"export $(lotus auth api-info --perm admin) && ./runminer.sh\\"')
  }, 180_000)
})

describe('the audit log', () => {
  it('`audit verify` names the first entry edited by hand (exit 1), and passes on the log as written', async () => {
    const home = homes[0]!
    expect((await done(runCli(cli, home, ['audit', 'verify']))).code).toBe(0)
    const file = join(home, 'audit.log')
    const lines = readFileSync(file, 'utf8').split('\n')
    const i = lines.findIndex((l) => l.includes('"action":"wizard.stop-miner"') && l.includes('"result":"started"'))
    expect(i).toBeGreaterThan(0)
    // Someone makes it look as if a different command was sent.
    writeFileSync(file, lines.map((l, n) => (n === i ? l.replace('lotus-miner stop', 'lotus-miner stop --force') : l)).join('\n'))
    const o = await done(runCli(cli, home, ['audit', 'verify']))
    expect(o.code, o.out).toBe(1)
    const e = JSON.parse(lines[i]!) as AuditEntry
    expect(o.out).toContain(`BROKEN: ${file} line ${i + 1} (${e.time} site-1 wizard.stop-miner) does not follow from the entry before it`)
    const json = await done(runCli(cli, home, ['--json', 'audit', 'verify']))
    expect(JSON.parse(json.out.split('\n').filter(Boolean).join('\n'))).toMatchObject({ ok: false, broken: { line: i + 1, action: 'wizard.stop-miner', reason: 'does-not-follow' } })
  }, 60_000)
})

describe('a full disk', () => {
  let home: string
  beforeAll(() => {
    home = homeWithSites(sim, {}, disk.home)
  })

  it('before an action: nothing runs, and the CLI says why', async () => {
    const before = await sectorCount()
    await disk.fill(0)
    try {
      const o = await done(runCli(cli, home, ['pledge', 'site-1', '--yes'], disk.env))
      expect(o.code, o.out).toBe(1)
      expect(o.out).toMatch(/audit log .* could not be written: no space left on the device/)
      expect(o.out).not.toContain('RAN, NOT AUDITED')
    } finally {
      disk.free()
    }
    expect(await sectorCount()).toBe(before)
  }, 60_000)

  it('right after an action: reported as run (exit 5, do not retry); the cut line swallows nothing; the chain still verifies', async () => {
    const before = await sectorCount()
    const operator = operatorIdentity(new SettingsStore({ home }).getSettings())
    const started = auditLineLength({ site: 'site-1', operator, via: 'cli', action: 'sector.pledge', command: 'site-1: Filecoin.PledgeSector []', result: 'started' })
    // Room for the "started" entry and 10 bytes more: the entry saying how it ended does not fit.
    await disk.fill(started + 10)
    const o = await done(runCli(cli, home, ['pledge', 'site-1', '--yes'], disk.env)).finally(() => disk.free())
    expect(o.code, o.out).toBe(5)
    expect(o.out).toMatch(/RAN, NOT AUDITED: step 1 \(site-1: Filecoin\.PledgeSector \[\]\) was sent to the site, but the audit log could not record how it ended: .*no space left/)
    expect(o.out).toContain('Do NOT run it again')
    expect(o.out).toMatch(/Created CC sector: +\d+/)
    expect(o.out).not.toMatch(/^Failed/m)
    expect(await sectorCount()).toBe(before + 1)

    // The disk has room again: the next entry starts on a line of its own.
    const next = await done(runCli(cli, home, ['pledge', 'site-1', '--yes'], disk.env))
    expect(next.code, next.out).toBe(0)
    const lines = readFileSync(join(home, 'audit.log'), 'utf8').split('\n')
    const torn = lines.findIndex((l) => l !== '' && !l.endsWith('}'))
    expect(torn).toBeGreaterThan(0)
    expect(lines[torn]!.length).toBe(10)
    const entries = lines.filter((l) => l.endsWith('}')).map((l) => JSON.parse(l) as AuditEntry)
    expect(entries.filter((e) => e.action === 'sector.pledge').map((e) => e.result)).toEqual(['started', 'started', 'ok'])
    const verify = await done(runCli(cli, home, ['audit', 'verify'], disk.env))
    expect(verify.code, verify.out).toBe(0)
    expect(verify.out).toMatch(/^OK: .*audit\.log: \d+ entries verified, the chain is whole\./m)
    expect(verify.out).toContain(`Line(s) ${torn + 1}: cut short`)
  }, 60_000)

  it('in the middle of a restart: the previous state stays whole, the operator is told, the next command does not start', async () => {
    const r = runCli(cli, home, ['restart', 'site-1', '--yes', '--json', '--wait-window'], disk.env)
    try {
      await r.waitEvent((e) => e.type === 'command' && e.step === 'startDaemon' && e.status === 'ok', 120_000)
      await disk.fill(0)
      const o = await done(r)
      expect(o.code, o.out).toBe(14)
      // Told, on the way: the state could not be saved; then the miner's start was refused, not run.
      expect(r.events.some((e) => e.type === 'state-not-saved' && String(e.error).includes('no space left'))).toBe(true)
      expect(r.events.some((e) => e.type === 'command' && e.step === 'startMiner' && e.status === 'ok')).toBe(false)
      const failed = r.events.find((e) => e.type === 'step' && e.step === 'startMiner' && e.status === 'failed')
      expect(failed).toMatchObject({ error: { params: { gate: 'not-sent' } } })
      expect(JSON.stringify(failed)).toMatch(/not sent: the audit log .* could not be written/)
    } finally {
      disk.free()
    }
    expect(siteProcs(sim, 'site-1').miner).toHaveLength(0)
    expect(siteProcs(sim, 'site-1').daemon).toHaveLength(1)
    // The run file on disk is the last state that was saved whole, and MinerDesk reads it back.
    const runs = readdirSync(join(home, 'wizard', 'runs')).filter((n) => n.endsWith('.json'))
    expect(runs).toHaveLength(1)
    const saved = JSON.parse(readFileSync(join(home, 'wizard', 'runs', runs[0]!), 'utf8')) as RestartRun
    expect(saved.steps.find((s) => s.id === 'stopDaemon')!.status).toBe('ok')
    expect(saved.steps.find((s) => s.id === 'startMiner')!.commands).toEqual([])
    const report = await done(runCli(cli, home, ['restart-report', 'site-1']))
    expect(report.code, report.out).toBe(0)
    expect(report.out).toContain('# Restart of site-1')
    expect((await done(runCli(cli, home, ['audit', 'verify']))).code).toBe(0)
    // Put the site back as it was for whatever runs next.
    await sim.sshOk('site-1', './runminer.sh')
  }, 180_000)
})
