import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FAMILIES } from './families'

/** The alerting rules, their unit tests, the example configs and the Grafana dashboard shipped in resources/. */
const ROOT = resolve(__dirname, '../../..')
const PROM = join(ROOT, 'resources/prometheus')
const KNOWN = new Set<string>(FAMILIES.map((f) => f.name))

function promtool(...args: string[]): { out: string; status: number | null } {
  const r = spawnSync('promtool', args, { cwd: PROM, encoding: 'utf8' })
  expect(r.error, 'promtool must be installed (Debian package prometheus)').toBeUndefined()
  return { out: `${r.stdout}${r.stderr}`, status: r.status }
}

/** minerdesk_* names used in a PromQL text (label names and values left aside). */
function metricNames(text: string): string[] {
  return [...text.matchAll(/\bminerdesk_[a-z_]+\b/g)].map((m) => m[0])
}

describe('shipped Prometheus and Grafana files', () => {
  it('rules pass promtool check rules, and their unit tests pass', () => {
    const check = promtool('check', 'rules', 'minerdesk-rules.yml')
    expect(check.out).toMatch(/SUCCESS: \d+ rules found/)
    expect(check.status).toBe(0)
    const test = promtool('test', 'rules', 'minerdesk-rules.test.yml')
    expect(test.out).toContain('SUCCESS')
    expect(test.status).toBe(0)
  })

  it('the example prometheus.yml is valid and loads the rules', () => {
    const r = promtool('check', 'config', 'prometheus.yml')
    expect(r.out).toContain('SUCCESS: 1 rule files found')
    expect(r.status).toBe(0)
  })

  it('the example alertmanager.yml passes amtool check-config', () => {
    const r = spawnSync('amtool', ['check-config', 'alertmanager.yml'], { cwd: PROM, encoding: 'utf8' })
    expect(r.error, 'amtool must be installed (Debian package prometheus-alertmanager)').toBeUndefined()
    expect(`${r.stdout}${r.stderr}`).toMatch(/SUCCESS[\s\S]*1 inhibit rules[\s\S]*1 receivers/)
    expect(r.status).toBe(0)
  })

  it('rules cover every alert the exporter is for and name only served metrics', () => {
    const rules = readFileSync(join(PROM, 'minerdesk-rules.yml'), 'utf8')
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1])
    for (const a of ['MinerDeskFaultySectors', 'MinerDeskDeadlineAtRisk', 'MinerDeskSyncLag', 'MinerDeskMinerDown', 'MinerDeskDaemonDown', 'MinerDeskWorkerGone', 'MinerDeskStuckSectors', 'MinerDeskStuckMessages']) {
      expect(alerts).toContain(a)
    }
    const exprs = [...rules.matchAll(/expr: (.+)/g)].map((m) => m[1]!)
    for (const name of exprs.flatMap(metricNames)) expect(KNOWN, name).toContain(name)
  })

  it('the Grafana dashboard parses, has the fleet and per-site parts, and names only served metrics', () => {
    const dash = JSON.parse(readFileSync(join(ROOT, 'resources/grafana/minerdesk-dashboard.json'), 'utf8')) as {
      uid: string
      templating: { list: Array<{ name: string }> }
      panels: Array<{ type: string; title: string; repeat?: string; targets?: Array<{ expr: string }> }>
    }
    expect(dash.uid).toBe('minerdesk-fleet')
    expect(dash.templating.list.map((v) => v.name)).toEqual(['datasource', 'group', 'site'])
    expect(dash.panels.some((p) => p.type === 'row' && p.repeat === 'site')).toBe(true)
    const exprs = dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr))
    expect(exprs.length).toBeGreaterThan(20)
    for (const name of exprs.flatMap(metricNames)) expect(KNOWN, name).toContain(name)
  })
})
