import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { DEFAULT_START_COMMANDS, type Finding, type FindingKind, type SiteConfig, type SiteSnapshot, type Subject } from '../../../preload/contract'
import { FAMILIES } from './families'
import { Exposition, splitFamilies, type SiteView } from './exposition'

const NOW = 1_800_000_000_000

function site(id: string, group: string, name = id): SiteConfig {
  return { id, alias: `${id}.example`, name, group, order: 0, pollIntervalSec: 15, durations: {}, workDir: '~', startCommands: DEFAULT_START_COMMANDS, expectedEnv: {}, workerHosts: {} }
}

function finding(siteId: string, kind: FindingKind, severity: Finding['severity'], subject: Subject): Finding {
  const t = { key: `findings.${kind}.title`, params: {} }
  return { id: `${siteId}:${kind}:${subject.kind}:${subject.id}`, siteId, kind, severity, subject, title: t, cause: t, consequence: t, deadline: null, remedies: [], evidence: [], related: [], since: 0 }
}

function snapshot(siteId: string, over: Partial<SiteSnapshot> = {}): SiteSnapshot {
  return {
    siteId,
    takenAt: NOW - 5_000,
    tookMs: 420,
    seq: 3,
    connection: { siteId, state: 'connected', since: 0 },
    daemon: { up: true, version: '1.33.0+mainnet', height: 4_500_000, headTimestamp: (NOW - 12_000) / 1000, headAgeSec: 7, behindEpochs: 1, peers: 57 },
    miner: { up: true, version: '1.33.0+mainnet', actor: 'f01234', sectorSize: 34359738368 },
    pipeline: { byState: { Proving: 90, PreCommit1: 4, CommitFailed: 1 }, byGroup: { sealing: 4, failed: 1, proving: 90, removed: 0, other: 0 }, total: 95 },
    jobs: {
      total: 3,
      byTask: { PC1: { running: 2 }, C2: { assigned: 1 } },
      list: [
        { id: 'a', workerId: 'w1', hostname: 'pc1-a', sector: 10, task: 'PC1', taskType: 'seal/v0/precommit/1', state: 'running', runWait: 0, start: NOW - 9e6, elapsedSec: 9000, timing: { state: 'PreCommit1', class: 'compute', since: NOW - 9e6, elapsedSec: 9000, expectedSec: 3600, factor: 2, level: 'overdue' }, overdue: true },
        { id: 'b', workerId: 'w1', hostname: 'pc1-a', sector: 11, task: 'PC1', taskType: 'seal/v0/precommit/1', state: 'running', runWait: 0, start: NOW - 6e5, elapsedSec: 600, timing: { state: 'PreCommit1', class: 'compute', since: NOW - 6e5, elapsedSec: 600, expectedSec: 3600, factor: 2, level: 'ok' }, overdue: false },
        { id: '0', workerId: 'w2', hostname: 'c2-a', sector: 9, task: 'C2', taskType: 'seal/v0/commit/2', state: 'assigned', runWait: 1, start: null, elapsedSec: null, timing: null, overdue: false }
      ]
    },
    workers: { list: [], online: 2, disabled: 1, missing: 1 },
    proving: {
      currentEpoch: 4_500_000,
      periodStart: 4_499_000,
      deadlineIndex: 5,
      open: 4_499_900,
      close: 4_499_960,
      closeAt: NOW + 600_000,
      nextWithSectors: { index: 7, openEpoch: 4_500_080, openAt: NOW + 2_400_000 },
      deadlines: [
        { index: 5, openEpoch: 4_499_900, openAt: NOW - 1_200_000, partitions: 2, sectors: 40, faults: 0, recoveries: 0, proven: 1, current: true },
        { index: 6, openEpoch: 4_499_960, openAt: NOW + 600_000, partitions: 0, sectors: 0, faults: 0, recoveries: 0, proven: 0, current: false },
        { index: 7, openEpoch: 4_500_080, openAt: NOW + 2_400_000, partitions: 1, sectors: 50, faults: 3, recoveries: 1, proven: 0, current: false }
      ],
      faults: 3,
      recoveries: 1,
      sectors: 90
    },
    messages: { count: 2, oldestAgeSec: 700, list: [] },
    sectors: null,
    findings: [finding(siteId, 'sectors-faulty', 'critical', { kind: 'deadline', id: '7' }), finding(siteId, 'stage-overdue', 'warning', { kind: 'site', id: 'stage-overdue-PreCommit1-running-pc1-a' })],
    ...over
  }
}

/** Sample lines of `name` as `{labels} value` strings. */
function series(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .map((l) => l.slice(name.length))
}

async function render(views: SiteView[], countPoll = true): Promise<string> {
  const e = new Exposition()
  for (const v of views) await e.update(v, countPoll)
  return e.render(views, NOW)
}

describe('exporter exposition', () => {
  it('serves each value of the snapshot under its site and group', async () => {
    const text = await render([{ config: site('s1', 'east'), snapshot: snapshot('s1'), poll: { seq: 3, tookMs: 420, calls: 60, httpRequests: 3, bytes: 120_000 } }])
    expect(series(text, 'minerdesk_chain_height')).toEqual(['{site="s1",group="east"} 4500000'])
    expect(series(text, 'minerdesk_sync_lag_epochs')).toEqual(['{site="s1",group="east"} 1'])
    expect(series(text, 'minerdesk_chain_head_age_seconds')).toEqual(['{site="s1",group="east"} 12'])
    expect(series(text, 'minerdesk_sectors_by_state')).toEqual([
      '{site="s1",group="east",state="Proving"} 90',
      '{site="s1",group="east",state="PreCommit1"} 4',
      '{site="s1",group="east",state="CommitFailed"} 1'
    ])
    expect(series(text, 'minerdesk_sectors_stuck')).toEqual(['{site="s1",group="east"} 1'])
    expect(series(text, 'minerdesk_deadline_faulty_sectors')).toEqual(['{site="s1",group="east",deadline="5"} 0', '{site="s1",group="east",deadline="7"} 3'])
    expect(series(text, 'minerdesk_proving_deadline_unproven_partitions')).toEqual(['{site="s1",group="east"} 1'])
    expect(series(text, 'minerdesk_proving_deadline_close_seconds')).toEqual(['{site="s1",group="east"} 600'])
    expect(series(text, 'minerdesk_next_deadline_open_seconds')).toEqual(['{site="s1",group="east"} 2400'])
    expect(series(text, 'minerdesk_next_deadline_faulty_sectors')).toEqual(['{site="s1",group="east"} 3'])
    expect(series(text, 'minerdesk_jobs')).toEqual(['{site="s1",group="east",task="PC1",state="running"} 2', '{site="s1",group="east",task="C2",state="assigned"} 1'])
    expect(series(text, 'minerdesk_jobs_overdue')).toEqual(['{site="s1",group="east",task="PC1"} 1', '{site="s1",group="east",task="C2"} 0'])
    expect(series(text, 'minerdesk_workers')).toContain('{site="s1",group="east",state="missing"} 1')
    expect(series(text, 'minerdesk_messages_oldest_age_seconds')).toEqual(['{site="s1",group="east"} 705'])
    expect(series(text, 'minerdesk_findings')).toEqual(['{site="s1",group="east",severity="critical",kind="sectors-faulty"} 1', '{site="s1",group="east",severity="warning",kind="stage-overdue"} 1'])
    expect(series(text, 'minerdesk_poll_requests')).toEqual(['{site="s1",group="east"} 3'])
    expect(series(text, 'minerdesk_poll_bytes')).toEqual(['{site="s1",group="east"} 120000'])
    expect(series(text, 'minerdesk_polls_total')).toEqual(['{site="s1",group="east"} 1'])
    expect(series(text, 'minerdesk_poll_errors_total')).toContain('{site="s1",group="east",part="ssh"} 0')
  })

  it('groups every family once across sites, and leaves out what a poll could not read', async () => {
    const down = snapshot('s2', {
      connection: { siteId: 's2', state: 'unreachable', since: 0 },
      daemon: { up: false, error: { code: 'ssh/unreachable', message: 'x' } },
      miner: { up: false, error: { code: 'ssh/unreachable', message: 'x' } },
      pipeline: null,
      jobs: null,
      workers: null,
      proving: null,
      messages: null,
      findings: []
    })
    const views: SiteView[] = [
      { config: site('s1', 'east', 'Site "one"\\'), snapshot: snapshot('s1'), poll: null },
      { config: site('s2', ''), snapshot: down, poll: null },
      { config: site('s3', 'west'), snapshot: null, poll: null }
    ]
    const text = await render(views)
    const { headers } = splitFamilies(text)
    // One HELP/TYPE per family, in the table's order.
    const order = FAMILIES.map((f) => f.name).filter((n) => headers.has(n))
    expect([...headers.keys()]).toEqual(order)
    expect(text.match(/^# HELP minerdesk_ssh_up /gm)).toHaveLength(1)
    expect(series(text, 'minerdesk_ssh_up')).toEqual(['{site="s1",group="east"} 1', '{site="s2",group=""} 0'])
    expect(series(text, 'minerdesk_chain_height')).toEqual(['{site="s1",group="east"} 4500000'])
    expect(series(text, 'minerdesk_site_info')).toContain('{site="s1",group="east",alias="s1.example",name="Site \\"one\\"\\\\"} 1')
    expect(series(text, 'minerdesk_site_info')).toContain('{site="s3",group="west",alias="s3.example",name="s3"} 1')
    expect(series(text, 'minerdesk_poll_errors_total')).toContain('{site="s2",group="",part="ssh"} 1')
    expect(series(text, 'minerdesk_poll_errors_total')).toContain('{site="s2",group="",part="daemon"} 1')
  })

  it('counts polls, keeps counters across settings changes and restarts them under a new group', async () => {
    const e = new Exposition()
    const v: SiteView = { config: site('s1', 'east'), snapshot: snapshot('s1'), poll: null }
    await e.update(v, true)
    await e.update(v, true)
    await e.update({ ...v, config: { ...v.config, name: 'renamed' } }, false)
    expect(series(await e.render([v], NOW), 'minerdesk_polls_total')).toEqual(['{site="s1",group="east"} 2'])
    const moved = { ...v, config: site('s1', 'west') }
    await e.update(moved, false)
    expect(series(await e.render([moved], NOW), 'minerdesk_polls_total')).toEqual(['{site="s1",group="west"} 0'])
    e.drop('s1')
    expect(series(await e.render([moved], NOW), 'minerdesk_chain_height')).toEqual([])
  })

  it('passes promtool check metrics', async () => {
    const views: SiteView[] = [
      { config: site('s1', 'east'), snapshot: snapshot('s1'), poll: { seq: 3, tookMs: 1, calls: 1, httpRequests: 3, bytes: 1 } },
      { config: site('s2', ''), snapshot: snapshot('s2', { findings: [] }), poll: null }
    ]
    const text = await render(views)
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(r.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined()
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('')
    expect(r.status).toBe(0)
  })
})
