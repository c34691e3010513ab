import { contextBridge, ipcRenderer } from 'electron'
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  IPC_EVENT,
  IPC_INVOKE,
  eventFunctionName,
  splitChannel,
  type Result
} from './contract'

/**
 * Exposes the contract to the sandboxed renderer as named functions per domain
 * (`minerdesk.sites.add(...)`, `minerdesk.events.onOverviewSnapshot(fn)`); the renderer never
 * sees ipcRenderer. Main validates every call again; nothing here is trusted.
 */
const api: Record<string, Record<string, unknown>> = { events: {} }

for (const name of CHANNEL_NAMES) {
  const [domain, method] = splitChannel(name)
  const group = (api[domain] ??= {})
  group[method] = async (...args: unknown[]) => {
    const res = (await ipcRenderer.invoke(IPC_INVOKE, name, args)) as Result<unknown>
    if (res.ok) return res.value
    // contextBridge keeps only the message of an Error; a plain object crosses whole, and the
    // renderer turns it back into a MinerDeskError with its code and hint.
    throw res.error
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>()
ipcRenderer.on(IPC_EVENT, (_e, name: string, payload: unknown) => {
  for (const fn of listeners.get(name) ?? []) fn(payload)
})

for (const name of EVENT_NAMES) {
  ;(api.events as Record<string, unknown>)[eventFunctionName(name)] = (listener: (payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function')
    let set = listeners.get(name)
    if (!set) listeners.set(name, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  }
}

contextBridge.exposeInMainWorld('minerdesk', api)
