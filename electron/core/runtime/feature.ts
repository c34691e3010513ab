import type { Handlers } from './handlers'

/** A feature plugged into the core: its contract handlers and its lifecycle. */
export interface Feature<K extends keyof Handlers> {
  handlers: Pick<Handlers, K>
  /** Called when the host starts (resume saved work, start timers). */
  start?(): Promise<void>
  close?(): Promise<void>
}
