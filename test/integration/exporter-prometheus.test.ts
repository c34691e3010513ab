import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteSnapshot } from '../../preload/contract'
import { createAppCore, type AppCore } from '../../electron/core/app/appCore'
import { createMemoryOnlySecretStore } from '../../electron/core/ssh/secrets'
import { freePort } from '../../electron/common/ports'
import { startSimSites, type SimSites } from '../support/simSites'

/**
 * The exporter against two simulated sites: its values are the Overview's, promtool accepts them,
 * a real Prometheus (Debian's) scrapes them and loads the shipped alerting rules, and
 * `minerdesk exporter` serves them from its own poll loop.
 */
const ROOT = resolve(__dirname, '../..')
const BIN = join(ROOT, 'electron/cli/bin.mjs')

/** `name{labels} value` lines → value by the labels text (without site/group). */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const m = /^(\w+)(\{[^}]*\})? (\S+)$/.exec(line)
    if (m) out.set(`${m[1]}${m[2] ?? ''}`, Number(m[3]))
  }
  return out
}

async function waitFor<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs
  let last: unknown = null
  while (Date.now() < until) {
    try {
      const v = await fn()
      if (v !== null) return v
    } catch (err) {
      last = err
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`)
}

interface PromVector {
  metric: Record<string, string>
  value: [number, string]
}

describe('Prometheus exporter', () => {
  let sim: SimSites
  let home: string
  let core: AppCore
  let snap: SiteSnapshot
  let url: string

  beforeAll(async () => {
    sim = await startSimSites({ sites: 2, sectors: 120, speed: 60 })
    home = mkdtempSync(join(tmpdir(), 'md-exporter-'))
    core = createAppCore({ host: 'web', version: 'test', home, secrets: createMemoryOnlySecretStore(), poll: false, sshConfig: { path: sim.sshConfigPath, mode: 'persist' } })
    core.store.updateSite('site-1', { group: 'east' })
    await core.sites.refresh(null)
    await core.exporter.settled()
    snap = core.sites.overview().snapshots['site-1']!
    const status = await core.exporter.serve(`127.0.0.1:${await freePort()}`)
    url = status.url!
  })
  afterAll(async () => {
    await core?.close()
    await sim?.down()
    if (home) rmSync(home, { recursive: true, force: true })
  })

  it('serves the values the Overview shows, from the same snapshot', async () => {
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const m = parse(await res.text())
    const L = '{site="site-1",group="east"'
    expect(snap.daemon.up && snap.miner.up && snap.pipeline && snap.proving && snap.jobs && snap.workers).toBeTruthy()
    expect(m.get(`minerdesk_ssh_up${L}}`)).toBe(1)
    expect(m.get(`minerdesk_daemon_up${L}}`)).toBe(1)
    expect(m.get(`minerdesk_miner_up${L}}`)).toBe(1)
    expect(m.get(`minerdesk_chain_height${L}}`)).toBe(snap.daemon.height)
    expect(m.get(`minerdesk_sync_lag_epochs${L}}`)).toBe(snap.daemon.behindEpochs)
    expect(m.get(`minerdesk_peers${L}}`)).toBe(snap.daemon.peers)
    for (const [state, n] of Object.entries(snap.pipeline!.byState)) expect(m.get(`minerdesk_sectors_by_state${L},state="${state}"}`), state).toBe(n)
    for (const [g, n] of Object.entries(snap.pipeline!.byGroup)) expect(m.get(`minerdesk_sectors_by_group${L},sector_group="${g}"}`), g).toBe(n)
    expect(m.get(`minerdesk_sectors_faulty${L}}`)).toBe(snap.proving!.faults)
    for (const d of snap.proving!.deadlines.filter((x) => x.sectors > 0)) {
      expect(m.get(`minerdesk_deadline_sectors${L},deadline="${d.index}"}`)).toBe(d.sectors)
      expect(m.get(`minerdesk_deadline_faulty_sectors${L},deadline="${d.index}"}`)).toBe(d.faults)
    }
    expect(m.get(`minerdesk_proving_deadline_index${L}}`)).toBe(snap.proving!.deadlineIndex)
    for (const [task, states] of Object.entries(snap.jobs!.byTask)) {
      for (const [state, n] of Object.entries(states)) expect(m.get(`minerdesk_jobs${L},task="${task}",state="${state}"}`)).toBe(n)
    }
    expect(m.get(`minerdesk_workers${L},state="online"}`)).toBe(snap.workers!.online)
    expect(m.get(`minerdesk_poll_duration_seconds${L}}`)).toBe(snap.tookMs / 1000)
    expect(m.get(`minerdesk_poll_requests${L}}`)).toBeGreaterThanOrEqual(3)
    expect(m.get(`minerdesk_poll_bytes${L}}`)).toBeGreaterThan(1000)
    expect(m.get(`minerdesk_polls_total${L}}`)).toBe(1)
    // Only the sites' own answers: a scrape asks the site nothing.
    const polls = core.sites.get('site-1').poller.lastPoll!.seq
    await fetch(url)
    expect(core.sites.get('site-1').poller.lastPoll!.seq).toBe(polls)
  })

  it('is clean under promtool check metrics', async () => {
    const text = await (await fetch(url)).text()
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' })
    expect(`${r.stdout}${r.stderr}`.trim()).toBe('')
    expect(r.status).toBe(0)
  })

  it('a real Prometheus scrapes it, holds the site\'s series and loads the shipped rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-prom-'))
    const port = await freePort()
    copyFileSync(join(ROOT, 'resources/prometheus/minerdesk-rules.yml'), join(dir, 'minerdesk-rules.yml'))
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - minerdesk-rules.yml\nscrape_configs:\n  - job_name: minerdesk\n    static_configs:\n      - targets: ['${new URL(url).host}']\n`
    )
    let prom: ChildProcess | null = null
    let log = ''
    try {
      prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] })
      prom.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-8000)))
      const api = `http://127.0.0.1:${port}/api/v1`
      const query = async (q: string): Promise<PromVector[]> => {
        const r = (await (await fetch(`${api}/query?query=${encodeURIComponent(q)}`)).json()) as { status: string; data: { result: PromVector[] } }
        return r.data.result
      }
      const height = await waitFor('Prometheus to hold every site\'s minerdesk_chain_height', async () => {
        const r = await query('minerdesk_chain_height')
        return r.length === 2 ? r : null
      }).catch((err: unknown) => {
        throw new Error(`${String(err)}\nprometheus log:\n${log}`)
      })
      // Every site's series, each under its own labels (a site without a group has no group label).
      const bySite = new Map(height.map((h) => [h.metric['site'], h]))
      expect([...bySite.keys()].sort()).toEqual(['site-1', 'site-2'])
      expect(bySite.get('site-1')!.metric).toMatchObject({ site: 'site-1', group: 'east', job: 'minerdesk' })
      expect(Number(bySite.get('site-1')!.value[1])).toBe(snap.daemon.height)
      expect(Number(bySite.get('site-2')!.value[1])).toBeGreaterThan(0)
      const perSite = await query('count by (site) ({__name__=~"minerdesk_.+"})')
      expect(perSite).toHaveLength(2)
      for (const s of perSite) expect(Number(s.value[1]), s.metric['site']).toBeGreaterThan(40)
      const states = await query('minerdesk_sectors_by_state{site="site-1"}')
      expect(Object.fromEntries(states.map((s) => [s.metric['state'], Number(s.value[1])]))).toEqual(snap.pipeline!.byState)
      const faulty = await query('sum(minerdesk_deadline_faulty_sectors{site="site-1"})')
      expect(Number(faulty[0]!.value[1])).toBe(snap.proving!.faults)
      const names = (await (await fetch(`${api}/label/__name__/values`)).json()) as { data: string[] }
      for (const n of ['minerdesk_ssh_up', 'minerdesk_daemon_up', 'minerdesk_miner_up', 'minerdesk_sync_lag_epochs', 'minerdesk_next_deadline_open_seconds', 'minerdesk_jobs', 'minerdesk_workers', 'minerdesk_messages_pending', 'minerdesk_poll_errors_total']) {
        expect(names.data).toContain(n)
      }
      const rules = (await (await fetch(`${api}/rules`)).json()) as { data: { groups: Array<{ rules: Array<{ name: string; health: string }> }> } }
      const loaded = rules.data.groups.flatMap((g) => g.rules)
      expect(loaded.length).toBeGreaterThanOrEqual(16)
      const evaluated = await waitFor('every rule evaluated', async () => {
        const r = (await (await fetch(`${api}/rules`)).json()) as typeof rules
        const all = r.data.groups.flatMap((g) => g.rules)
        return all.every((x) => x.health === 'ok') ? all : null
      })
      expect(evaluated.map((r) => r.name)).toContain('MinerDeskDeadlineAtRisk')

      // The Grafana dashboard's queries, as Grafana sends them with "All" chosen: valid PromQL,
      // and its fleet count sees both sites.
      const dash = JSON.parse(readFileSync(join(ROOT, 'resources/grafana/minerdesk-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets?: Array<{ expr: string }> }> }
      for (const p of dash.panels) {
        for (const t of p.targets ?? []) {
          const q = t.expr.replaceAll('$group', '.*').replaceAll('$site', '.*')
          const r = (await (await fetch(`${api}/query?query=${encodeURIComponent(q)}`)).json()) as { status: string; error?: string }
          expect(r, `${p.title}: ${q}`).toMatchObject({ status: 'success' })
        }
      }
      const sitesStat = dash.panels.find((p) => p.title === 'Sites')!.targets![0]!.expr.replaceAll('$group', '.*').replaceAll('$site', '.*')
      expect(Number((await query(sitesStat))[0]!.value[1])).toBe(2)
    } finally {
      prom?.kill('SIGTERM')
      await new Promise((r) => (prom && prom.exitCode === null ? prom.once('exit', r) : r(null)))
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('minerdesk exporter polls the sites itself and serves them until stopped', async () => {
    const port = await freePort()
    const cliHome = mkdtempSync(join(tmpdir(), 'md-exporter-cli-'))
    const child = spawn(process.execPath, [BIN, '--ssh-config', sim.sshConfigPath, 'exporter', '--listen', `127.0.0.1:${port}`], {
      env: { ...process.env, MINERDESK_HOME: cliHome },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const text = await waitFor(
        'the CLI exporter to serve the site',
        async () => {
          const t = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
          // A site seen whole: the daemon and the miner both answered (a poll every 15 s).
          return ['site-1', 'site-2'].every((id) => new RegExp(`^minerdesk_chain_height\\{site="${id}",group=""\\} \\d+$`, 'm').test(t) && new RegExp(`^minerdesk_miner_up\\{site="${id}",group=""\\} 1$`, 'm').test(t)) ? t : null
        },
        60_000
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\nstderr: ${stderr}`)
      })
      expect(stderr).toContain(`serving 2 site(s) on http://127.0.0.1:${port}/metrics`)
      expect(parse(text).get('minerdesk_polls_total{site="site-1",group=""}')).toBeGreaterThanOrEqual(1)
      expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404)
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(405)
      const code = await new Promise<number | null>((done) => {
        child.once('exit', (c) => done(c))
        child.kill('SIGTERM')
      })
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
      rmSync(cliHome, { recursive: true, force: true })
    }
  })
})
