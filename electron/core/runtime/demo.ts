import { MinerDeskError, type DemoStatus } from '../../../preload/contract'
import type { SettingsStore } from '../settings/store'
import type { EventBus } from './eventBus'

/**
 * The demo as the core sees it: simulated sites that a host able to run the simulator provides
 * (electron/demo/). The core never imports the simulator; a host without it gets `noDemo`.
 */
export interface Demo {
  current(): DemoStatus
  start(): Promise<DemoStatus>
  stop(): Promise<DemoStatus>
  /** At host start: reattach to demo sites still running, or start them again if the demo was on. */
  resume(): Promise<void>
  /**
   * The host that started (or resumed) the demo is exiting: its sites stop with it and start again
   * the next time a host starts, until the demo is stopped. Resolves to whether sites were stopped.
   */
  suspend(): Promise<boolean>
  /** Whether this host runs the demo's sites (so exiting stops them). */
  runsHere(): boolean
}

/** What a demo is built from: MINERDESK_HOME, the settings it adds its sites to, the event bus. */
export interface DemoDeps {
  home: string
  store: SettingsStore
  events: EventBus
  /** The demo changed the SSH config setting (its own ssh_config, or back to the operator's). */
  onSshConfig(path: string | null): void
}

export type DemoFactory = (deps: DemoDeps) => Demo

/** The demo of a host that cannot run the simulator (the CLI, tests). */
export function noDemo(): Demo {
  const off: DemoStatus = { phase: 'off', sites: [] }
  return {
    current: () => off,
    start: async () => {
      throw new MinerDeskError({ code: 'conflict', message: 'the demo is not available in this host (it needs the simulator bundle)' })
    },
    stop: async () => off,
    resume: async () => undefined,
    suspend: async () => false,
    runsHere: () => false
  }
}
