import { create } from 'zustand'
import type { RollingRun, RestartLogLines, RestartRun, RestartRunSummary } from '@contract'
import { call, getApi, getTransport } from '@renderer/api'

/**
 * The restart wizard's state in the window: per site its current (or latest) run and its history,
 * the live tail of daemon.log / miner.log (at most 400 lines per file, with a version counter),
 * and the rolling restart. Fed by `restart:update`, `restart:log`, `restart:rolling`; loaded again
 * after the browser host's socket comes back (events sent meanwhile are lost).
 */
const KEEP_LINES = 400

interface SiteRestart {
  run: RestartRun | null
  history: RestartRunSummary[]
  loaded: boolean
}

interface RestartStore {
  sites: Record<string, SiteRestart>
  logs: Record<string, { daemon: string[]; miner: string[]; files: { daemon: string; miner: string } | null; version: number }>
  rolling: RollingRun | null
  setSite(siteId: string, patch: Partial<SiteRestart>): void
  applyRun(run: RestartRun): void
  setLogs(siteId: string, daemon: string[], miner: string[], files: { daemon: string; miner: string }): void
  appendLog(l: RestartLogLines): void
  setRolling(r: RollingRun | null): void
}

const emptySite: SiteRestart = { run: null, history: [], loaded: false }

export const useRestartStore = create<RestartStore>()((set) => ({
  sites: {},
  logs: {},
  rolling: null,
  setSite: (siteId, patch) => set((s) => ({ sites: { ...s.sites, [siteId]: { ...(s.sites[siteId] ?? emptySite), ...patch } } })),
  applyRun: (run) =>
    set((s) => {
      const cur = s.sites[run.siteId] ?? emptySite
      // A newer run of the site replaces the one shown; updates of an older one only refresh the history.
      const showing = cur.run
      const replace = !showing || showing.id === run.id || run.createdAt >= showing.createdAt
      const summary: RestartRunSummary = {
        id: run.id,
        siteId: run.siteId,
        phase: run.phase,
        current: run.current,
        createdAt: run.createdAt,
        updatedAt: run.updatedAt,
        via: run.via,
        ok: run.result ? run.result.ok : null,
        ...(run.result?.failedStep ? { failedStep: run.result.failedStep } : {}),
        elsewhere: false
      }
      const history = [summary, ...cur.history.filter((h) => h.id !== run.id)].sort((a, b) => b.createdAt - a.createdAt)
      return { sites: { ...s.sites, [run.siteId]: { ...cur, run: replace ? run : showing, history } } }
    }),
  setLogs: (siteId, daemon, miner, files) => set((s) => ({ logs: { ...s.logs, [siteId]: { daemon: daemon.slice(-KEEP_LINES), miner: miner.slice(-KEEP_LINES), files, version: (s.logs[siteId]?.version ?? 0) + 1 } } })),
  appendLog: (l) =>
    set((s) => {
      const cur = s.logs[l.siteId] ?? { daemon: [], miner: [], files: null, version: 0 }
      const lines = [...cur[l.file], ...l.lines].slice(-KEEP_LINES)
      return { logs: { ...s.logs, [l.siteId]: { ...cur, [l.file]: lines, version: cur.version + 1 } } }
    }),
  setRolling: (rolling) => set({ rolling })
}))

export const selectSiteRestart = (siteId: string) => (s: RestartStore): SiteRestart => s.sites[siteId] ?? emptySite
export const selectLogs = (siteId: string) => (s: RestartStore) => s.logs[siteId]
export const selectRolling = (s: RestartStore) => s.rolling

/** Loads a site's run and history from the main side. */
export async function loadSite(siteId: string): Promise<void> {
  const api = getApi()
  const [run, history] = await Promise.all([api.restart.forSite(siteId), api.restart.list(siteId)])
  useRestartStore.getState().setSite(siteId, { run, history, loaded: true })
}

export async function loadRolling(): Promise<void> {
  useRestartStore.getState().setRolling(await getApi().restart.rolling())
}

let subscribers = 0
let unsubscribe: (() => void) | null = null

/** Everything shown again after the browser host's socket came back (events sent meanwhile are lost). */
function reloadAll(): void {
  for (const siteId of Object.keys(useRestartStore.getState().sites)) loadSite(siteId).catch((err: unknown) => console.warn('minerdesk: wizard reload', err))
  loadRolling().catch(() => undefined)
}

/** Subscribes to the wizard's events while at least one wizard screen is shown. */
export function retainRestartEvents(): () => void {
  subscribers++
  if (!unsubscribe) {
    const api = getApi()
    const st = useRestartStore.getState()
    const offs = [
      api.events.onRestartUpdate((run) => st.applyRun(run)),
      api.events.onRestartLog((l) => st.appendLog(l)),
      api.events.onRestartRolling((r) => st.setRolling(r)),
      getTransport().onStatus((status, prev) => {
        if (status.state === 'open' && prev.state === 'lost') reloadAll()
      })
    ]
    unsubscribe = () => offs.forEach((off) => off())
  }
  return () => {
    subscribers--
    if (subscribers === 0 && unsubscribe) {
      unsubscribe()
      unsubscribe = null
    }
  }
}

/* The restart wizard's calls to main (their answers go through applyRun where they return a run). */
export const restartCalls = {
  start: call('restart', 'start'),
  get: call('restart', 'get'),
  list: call('restart', 'list'),
  tail: call('restart', 'tail'),
  next: call('restart', 'next'),
  decide: call('restart', 'decide'),
  override: call('restart', 'override'),
  resume: call('restart', 'resume'),
  abort: call('restart', 'abort'),
  report: call('restart', 'report'),
  previewAll: call('restart', 'previewAll'),
  previewRolling: call('restart', 'previewRolling'),
  abortRolling: call('restart', 'abortRolling')
}
