import type { ChannelArgs, ChannelName, ChannelResult, EventName, EventPayload } from './channels'

/**
 * The API object the renderer sees (`window.minerdesk` in Electron, a WebSocket client in the
 * browser host): one named async function per channel, grouped by domain, plus one `onX`
 * subscription per event. Derived from the contract so both transports stay identical.
 */
type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never
type MethodOf<K extends string, D extends string> = K extends `${D}:${infer M}` ? M : never

export type ChannelFunctions = {
  [D in DomainOf<ChannelName>]: {
    [K in ChannelName as MethodOf<K, D>]: (...args: ChannelArgs<K>) => Promise<ChannelResult<K>>
  }
}

export type Unsubscribe = () => void
export type EventSubscriptions = {
  [E in EventName as `on${Capitalize<DomainOf<E>>}${Capitalize<MethodOf<E, DomainOf<E>>>}`]: (
    listener: (payload: EventPayload<E>) => void
  ) => Unsubscribe
}

export type MinerDeskApi = ChannelFunctions & { events: EventSubscriptions }

/** `sites:add` → ['sites', 'add'] */
export function splitChannel(name: string): [string, string] {
  const i = name.indexOf(':')
  return [name.slice(0, i), name.slice(i + 1)]
}

/** `overview:snapshot` → `onOverviewSnapshot` */
export function eventFunctionName(name: string): string {
  const [d, m] = splitChannel(name)
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
  return `on${cap(d)}${cap(m)}`
}

/** IPC channel names used on the wire. */
export const IPC_INVOKE = 'minerdesk:invoke'
export const IPC_EVENT = 'minerdesk:event'
