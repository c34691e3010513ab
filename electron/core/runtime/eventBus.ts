import type { EventName, EventPayload } from '../../../preload/contract'
import { redactDeep } from '../util/redact'
import { logProblem } from '../util/log'

type AnyListener = (name: EventName, payload: unknown) => void

/**
 * Main-side events (snapshots, connection states, prompts…) fanned out to every attached host:
 * the Electron window, browser-host sockets, the CLI. Listener errors never break the emitter.
 * Every payload leaves through the one redaction (util/redact): events are for showing, and no
 * token is ever shown.
 */
export class EventBus {
  private readonly listeners = new Set<AnyListener>()

  emit<E extends EventName>(name: E, raw: EventPayload<E>): void {
    if (this.listeners.size === 0) return
    const payload = redactDeep(raw)
    for (const l of this.listeners) {
      try {
        l(name, payload)
      } catch (err) {
        logProblem(`event listener for ${name} failed`, err)
      }
    }
  }

  /** Every event, for transports. */
  subscribeAll(listener: AnyListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribeAll((n, p) => {
      if (n === name) listener(p as EventPayload<E>)
    })
  }
}
