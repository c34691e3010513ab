import type { ChannelName, EventName } from './channels'
import type { Result } from './errors'

/**
 * The browser host's WebSocket protocol: the same contract as Electron IPC, as JSON frames.
 * The page connects to `ws://127.0.0.1:PORT/ws?token=TOKEN` (the per-run token from its URL);
 * the host refuses any request or upgrade without it.
 */
export type ClientFrame = { t: 'call'; id: number; channel: ChannelName; args: unknown[] }

export type ServerFrame =
  | { t: 'result'; id: number; result: Result<unknown> }
  | { t: 'event'; name: EventName; payload: unknown }
  | { t: 'hello'; host: 'web'; version: string }
