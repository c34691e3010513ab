import type { MinerDeskApi } from '@contract'
import { asMinerDeskError, type Transport } from './api'
import { useBootStore } from './stores/boot'
import { useDemoStore } from './stores/demo'
import { useExporterStore } from './stores/exporter'
import { loadTeam, useTeamStore } from './stores/team'
import { useOverviewStore } from './stores/overview'
import { applyHistorySample, reloadHistories, retainHistories } from './stores/history'
import { usePromptsStore } from './stores/prompts'
import { useSettingsStore } from './stores/settings'
import { useSitesStore } from './stores/sites'
import { useTransportStore } from './stores/transport'

/** Loads everything the screens show from the main side (at start and after a reconnect). */
export async function loadAll(api: MinerDeskApi): Promise<void> {
  const [info, settings, sites, overview, demo] = await Promise.all([api.app.info(), api.settings.get(), api.sites.list(), api.overview.get(), api.demo.status()])
  useSettingsStore.getState().setAppInfo(info)
  useSettingsStore.getState().setSettings(settings)
  useSitesStore.getState().setSites(sites)
  useOverviewStore.getState().applyState(overview)
  useDemoStore.getState().setStatus(demo)
  useBootStore.getState().setLoaded()
  // Older hosts without the channel have no locks to show.
  await loadTeam().catch((err: unknown) => console.warn('minerdesk: could not read the restart locks', err))
  // Questions asked while this page was away; an older host without the channel just has none.
  try {
    const pending = await api.ssh.pendingPrompts()
    for (const p of pending.hostKeys) usePromptsStore.getState().pushHostKey(p)
    for (const p of pending.passphrases) usePromptsStore.getState().pushPassphrase(p)
  } catch (err) {
    console.warn('minerdesk: could not list pending SSH prompts', err)
  }
}

let reload: () => Promise<void> = () => Promise.resolve()
/** Loads everything again (the boot error's retry button). */
export function reloadAll(): Promise<void> {
  return reload()
}

/**
 * Feeds the stores from the contract's events. Returns the unsubscribe. After the browser host's
 * socket comes back, everything is reloaded: events sent while it was down are lost.
 */
export function startSync(transport: Transport): () => void {
  const onLoadError = (err: unknown) => {
    console.error('minerdesk: loading the app state failed', err)
    useBootStore.getState().setError(asMinerDeskError(err).toInfo())
  }
  const api = transport.api
  const ev = api.events
  const offs = [
    ev.onOverviewSnapshot((s) => useOverviewStore.getState().applySnapshot(s)),
    ev.onSshConnection((c) => useOverviewStore.getState().applyConnection(c)),
    ev.onSitesChanged((sites) => {
      useSitesStore.getState().setSites(sites)
      useOverviewStore.getState().retain(sites.map((s) => s.id))
      retainHistories(sites.map((s) => s.id))
    }),
    ev.onHistorySample((e) => applyHistorySample(e)),
    ev.onSettingsChanged((s) => useSettingsStore.getState().setSettings(s)),
    ev.onSshHostKeyPrompt((p) => usePromptsStore.getState().pushHostKey(p)),
    ev.onSshPassphrasePrompt((p) => usePromptsStore.getState().pushPassphrase(p)),
    ev.onDemoStatus((d) => useDemoStore.getState().setStatus(d)),
    ev.onExporterStatus((x) => useExporterStore.getState().setStatus(x)),
    ev.onTeamSite((x) => useTeamStore.getState().apply(x)),
    transport.onStatus((status, prev) => {
      useTransportStore.getState().setStatus(status)
      // Back after a drop: whatever happened meanwhile (events, a failed first load) is reloaded.
      if (status.state === 'open' && prev.state === 'lost') {
        void reload()
        reloadHistories()
      }
    })
  ]
  useTransportStore.getState().setStatus(transport.status())
  reload = () => loadAll(api).catch(onLoadError)
  void reload()
  return () => offs.forEach((off) => off())
}
