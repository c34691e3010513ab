import type { Page } from '@playwright/test'
import { CHANNEL_NAMES, EVENT_NAMES, eventFunctionName, type SiteConfig, type SiteSnapshot } from '../../../preload/contract'
import type { FixtureData } from './fixtures'

/**
 * A test-only `window.minerdesk` for looking at the renderer without the real main side: an
 * in-memory implementation of the contract over FixtureData, injected before the page loads.
 * It records every call in `window.__fixture.calls` and lets a test push events with
 * `window.__fixture.emit(name, payload)`. Never imported by renderer/.
 */
export interface FixtureCall {
  channel: string
  args: unknown[]
}

interface InitArg {
  data: FixtureData
  channels: string[]
  events: { name: string; fn: string }[]
}

export interface FixtureBackend {
  handle(channel: string, args: unknown[]): Promise<unknown>
  emit(name: string, payload: unknown): void
  onEvent(fn: (name: string, payload: unknown) => void): void
  calls: FixtureCall[]
  fail(channel: string, error: unknown): void
  pushSnapshot(s: SiteSnapshot): void
}

/**
 * The in-memory main side over FixtureData. Self-contained (it is serialised into the page for
 * the Electron-style host and run in Node for the WebSocket host): no references outside its body.
 */
export function fixtureBackend(data: FixtureData): FixtureBackend {
  type Emit = (name: string, payload: unknown) => void
  const subscribers: Emit[] = []
  const calls: FixtureCall[] = []
  const state = {
    settings: { ...data.settings },
    sites: [...data.sites],
    snapshots: new Map<string, SiteSnapshot>(data.snapshots.map((s) => [s.siteId, s])),
    connections: new Map(data.connections.map((c) => [c.siteId, c])),
    demo: { ...data.demo },
    failures: { ...data.failures } as Record<string, unknown>
  }
  const emit: Emit = (name, payload) => {
    const copy = JSON.parse(JSON.stringify(payload)) as unknown
    for (const fn of subscribers) fn(name, copy)
  }
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+/, '').slice(0, 63) || 'site'
  const reorder = () => state.sites.forEach((s, i) => (s.order = i))
  const now = () => Date.now()
  const fresh = (s: SiteSnapshot): SiteSnapshot => ({ ...s, takenAt: now(), seq: s.seq + 1 })
  const exporterStatus = () => {
    const e = state.settings.exporter
    return { enabled: e.enabled, listen: e.listen, url: e.enabled ? `http://${e.listen}/metrics` : null, error: null, scrapes: e.enabled ? 3 : 0 }
  }
  // sh-01 is being restarted by a colleague; bj-01's log holds a colleague's earlier actions.
  const t0 = now()
  const team: Record<string, unknown> = {
    'sh-01': {
      siteId: 'sh-01',
      lock: { operator: 'zhang.wei', machine: 'noc-laptop-3', pid: 48213, run: '7d3c2a10-0000-4000-8000-000000000001', site: 'sh-01', via: 'electron', since: t0 - 7 * 60_000, heartbeat: t0 - 20_000, stale: false, mine: false },
      recent: [
        { time: new Date(t0 - 6 * 60_000).toISOString(), operator: 'zhang.wei', machine: 'noc-laptop-3', via: 'electron', site: 'sh-01', action: 'wizard.stop-miner', command: 'sh-01: lotus-miner stop', result: 'ok', mine: false },
        { time: new Date(t0 - 40 * 60_000).toISOString(), operator: 'li.na', machine: 'ops-desk', via: 'cli', site: 'sh-01', action: 'sector.remove', command: 'sh-01: Filecoin.SectorRemove [1043]', result: 'ok', mine: false },
        { time: new Date(t0 - 90 * 60_000).toISOString(), operator: 'ops@laptop', machine: 'laptop', via: 'web', site: 'sh-01', action: 'workers.kill', command: 'sh-01: kill -TERM 3141', result: 'ok', mine: true }
      ],
      readAt: t0
    }
  }
  const handlers: Record<string, (...args: unknown[]) => unknown> = {
    'exporter:status': () => exporterStatus(),
    'team:locks': () => team,
    // Breaking a stale lock: the preview, then its one run (the only preview this host makes).
    'team:previewBreakLock': (id) => ({
      id: '11111111-2222-4333-8444-555555555555',
      site: id,
      action: 'restart.break-lock',
      params: {},
      steps: [{ kind: 'command', host: id, text: "sh -c '…restart.lock…' sh break 7d3c2a10-0000-4000-8000-000000000001 300" }],
      warnings: [{ key: 'break-lock', params: { holder: 'zhang.wei@noc-laptop-3', heartbeat: '2026-12-07 02:51:00' }, text: 'the lock of zhang.wei@noc-laptop-3 has had no heartbeat since 2026-12-07T02:51:00.000Z: break it only if that MinerDesk is really gone' }],
      confirm: { kind: 'type', expected: id },
      expiresAt: now() + 600_000
    }),
    'ops:cancel': () => null,
    'ops:execute': (pid) => {
      // Any other preview (aborting a job) runs as the test's outcome says.
      if (pid !== '11111111-2222-4333-8444-555555555555') return data.opOutcome ?? { id: pid, site: 'sh-01', action: 'job.abort', ok: true, steps: [] }
      const site = 'sh-01'
      const st = team[site] as { lock: unknown }
      st.lock = null
      emit('team:site', team[site])
      return { id: pid, site, action: 'restart.break-lock', ok: true, steps: [{ step: { kind: 'command', host: site, text: 'break' }, status: 'ok', output: 'broken' }] }
    },
    'team:site': (id) => team[id as string] ?? { siteId: id, lock: null, recent: [], readAt: now() },
    'app:info': () => data.appInfo,
    'settings:get': () => state.settings,
    'settings:update': (patch) => {
      state.settings = { ...state.settings, ...(patch as object) }
      emit('settings:changed', state.settings)
      emit('exporter:status', exporterStatus())
      return state.settings
    },
    'sshConfig:list': () => ({ ...data.sshConfig, aliases: data.sshConfig.aliases.map((a) => ({ ...a, added: state.sites.some((s) => s.alias === a.alias) })) }),
    'sites:list': () => state.sites,
    'sites:add': (arg) => {
      const n = arg as { alias: string; name?: string; group?: string }
      if (state.sites.some((s) => s.alias === n.alias)) throw { code: 'conflict', message: `site ${n.alias} exists` }
      const base: SiteConfig = state.sites[0] ?? data.demoSites[0]!
      const site: SiteConfig = { ...base, id: slug(n.alias), alias: n.alias, name: n.name ?? n.alias, group: n.group ?? '', order: state.sites.length, durations: {}, workerHosts: {} }
      state.sites = [...state.sites, site]
      state.connections.set(site.id, { siteId: site.id, state: 'connecting', since: now() })
      emit('ssh:connection', state.connections.get(site.id))
      return site
    },
    'sites:update': (id, patch) => {
      const i = state.sites.findIndex((s) => s.id === id)
      if (i < 0) throw { code: 'not-found', message: `no site ${String(id)}` }
      const next = { ...state.sites[i]!, ...(patch as object) }
      state.sites = state.sites.map((s, j) => (j === i ? next : s))
      return next
    },
    'sites:remove': (id) => {
      state.sites = state.sites.filter((s) => s.id !== id)
      state.snapshots.delete(id as string)
      reorder()
      return null
    },
    'sites:reorder': (ids) => {
      const order = ids as string[]
      state.sites = order.map((id) => state.sites.find((s) => s.id === id)!).filter(Boolean)
      reorder()
      return state.sites
    },
    'overview:get': () => ({ snapshots: Object.fromEntries(state.snapshots), connections: Object.fromEntries(state.connections) }),
    'overview:refresh': (id) => {
      const ids = id === null ? [...state.snapshots.keys()] : [id as string]
      setTimeout(() => {
        for (const sid of ids) {
          const s = state.snapshots.get(sid)
          if (!s) continue
          const next = fresh(s)
          state.snapshots.set(sid, next)
          emit('overview:snapshot', next)
        }
      }, 150)
      return null
    },
    'ssh:answerHostKey': () => null,
    'ssh:answerPassphrase': () => null,
    'ssh:pendingPrompts': () => ({ hostKeys: [], passphrases: [] }),
    'demo:status': () => state.demo,
    'demo:start': () => {
      const steps = ['prepare', 'keys', 'sites', 'sshd', 'ssh-config', 'add-sites', 'connect']
      state.demo = { phase: 'starting', step: steps[0], sites: [] }
      steps.forEach((step, i) =>
        setTimeout(() => {
          state.demo = { phase: 'starting', step, sites: [] }
          emit('demo:status', state.demo)
        }, 200 * (i + 1))
      )
      setTimeout(() => {
        state.sites = [...data.demoSites]
        for (const s of data.demoSnapshots) {
          state.snapshots.set(s.siteId, fresh(s))
          state.connections.set(s.siteId, s.connection)
        }
        state.demo = { phase: 'running', sites: data.demoSites.map((s) => s.id), sshConfigPath: '/tmp/minerdesk-demo/ssh_config' }
        emit('sites:changed', state.sites)
        for (const s of state.snapshots.values()) emit('overview:snapshot', s)
        emit('demo:status', state.demo)
      }, 200 * (steps.length + 1))
      return state.demo
    },
    'demo:stop': () => {
      state.demo = { phase: 'off', sites: [] }
      state.sites = []
      state.snapshots.clear()
      emit('sites:changed', state.sites)
      emit('demo:status', state.demo)
      return state.demo
    },
    'history:get': (site, range) => {
      const r = range as number
      const points = (data.history[site as string] ?? []).filter((p) => p.t >= now() - r * 1000)
      return { siteId: site, rangeSec: r, bucketSec: r > 86400 ? 600 : null, points, since: data.history[site as string]?.[0]?.t ?? null }
    },
    'sectors:list': (site) => {
      const table = data.sectorTables[site as string]
      if (!table) throw { code: 'not-found', message: `no sectors for ${String(site)}` }
      return { ...table, takenAt: now() }
    },
    'sectors:autopledgeStatus': () => [],
    'audit:list': (q) => {
      // As the core answers: newest first, of one site, within a date range.
      const { site, limit, since, until } = (q ?? {}) as { site?: string; limit?: number; since?: string; until?: string }
      return data.audit
        .filter((e) => (!site || e.site === site) && (!since || e.time >= since) && (!until || e.time <= until))
        .sort((a, b) => b.time.localeCompare(a.time))
        .slice(0, limit ?? 200)
    },
    'restart:forSite': () => data.restartRun ?? null,
    'restart:list': () => [],
    'restart:rolling': () => null,
    'siteops:previewAbort': (site, target) => ({
      id: '00000000-0000-4000-8000-00000000ab07',
      site,
      action: 'job.abort',
      params: { job: (target as { job: string }).job },
      steps: [{ kind: 'api', host: String(site), text: `Filecoin.SealingAbort [{"Sector":{"Miner":1234567,"Number":10190},"ID":"${(target as { job: string }).job}"}]` }],
      warnings: [],
      confirm: { kind: 'click' },
      expiresAt: now() + 600_000
    }),
    'audit:verify': () => ({ file: 'audit.log', ok: true, entries: data.audit.length, chained: data.audit.length, unchained: 0, tornLines: [] })
  }

  return {
    calls,
    emit,
    onEvent: (fn) => subscribers.push(fn),
    fail: (channel, error) => {
      state.failures[channel] = error
    },
    pushSnapshot: (snap) => {
      state.snapshots.set(snap.siteId, snap)
      emit('overview:snapshot', snap)
    },
    async handle(channel, args) {
      calls.push({ channel, args })
      // A little latency, like IPC, so loading states render.
      await new Promise((r) => setTimeout(r, 5))
      const failure = state.failures[channel]
      if (failure) throw failure
      const h = handlers[channel]
      if (!h) throw { code: 'internal', message: `fixture host has no handler for ${channel}` }
      return JSON.parse(JSON.stringify(h(...args) ?? null)) as unknown
    }
  }
}

/** Runs inside the page: exposes the backend as `window.minerdesk`, built from the contract's name lists. */
function installInPage(makeBackend: typeof fixtureBackend, { data, channels, events }: InitArg): void {
  const backend = makeBackend(data)
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  backend.onEvent((name, payload) => {
    for (const fn of listeners.get(name) ?? []) fn(payload)
  })
  const api: Record<string, Record<string, unknown>> = { events: {} }
  for (const name of channels) {
    const i = name.indexOf(':')
    ;(api[name.slice(0, i)] ??= {})[name.slice(i + 1)] = (...args: unknown[]) => backend.handle(name, args)
  }
  const ev = api.events as Record<string, unknown>
  for (const { name, fn } of events) {
    ev[fn] = (listener: (payload: unknown) => void) => {
      let set = listeners.get(name)
      if (!set) listeners.set(name, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    }
  }
  Object.assign(globalThis, { minerdesk: api, __fixture: backend })
}

export async function installFixtureHost(page: Page, data: FixtureData): Promise<void> {
  const arg: InitArg = { data, channels: [...CHANNEL_NAMES], events: EVENT_NAMES.map((name) => ({ name, fn: eventFunctionName(name) })) }
  await page.addInitScript({ content: `(${installInPage.toString()})(${fixtureBackend.toString()}, ${JSON.stringify(arg)})` })
}

/** Calls the page made so far (for asserting what the UI asked the main side to do). */
export async function fixtureCalls(page: Page, channel?: string): Promise<FixtureCall[]> {
  const calls = await page.evaluate(() => (globalThis as unknown as { __fixture: { calls: FixtureCall[] } }).__fixture.calls)
  return channel ? calls.filter((c) => c.channel === channel) : calls
}

export async function emitEvent(page: Page, name: string, payload: unknown): Promise<void> {
  await page.evaluate(([n, p]) => (globalThis as unknown as { __fixture: { emit(n: string, p: unknown): void } }).__fixture.emit(n, p), [name, payload] as const)
}

export async function pushSnapshot(page: Page, snapshot: SiteSnapshot): Promise<void> {
  await page.evaluate((s) => (globalThis as unknown as { __fixture: { pushSnapshot(s: SiteSnapshot): void } }).__fixture.pushSnapshot(s), snapshot)
}
